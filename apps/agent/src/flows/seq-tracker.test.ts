import { describe, expect, it } from 'vitest';
import { SeqTracker } from './seq-tracker';

describe('SeqTracker', () => {
  it('tells new bytes, re-sent bytes and hole fills apart', () => {
    const t = new SeqTracker();
    expect(t.observe(1000, 100)).toBe('new');
    expect(t.observe(1100, 100)).toBe('new');
    expect(t.observe(1000, 100)).toBe('retrans');
    expect(t.observe(1300, 100)).toBe('new'); // leaves a hole at 1200..1300
    expect(t.observe(1200, 100)).toBe('ooo');
    expect(t.observe(1250, 10)).toBe('retrans');
    expect(t.observe(900, 50)).toBe('ooo'); // before the first byte seen
  });

  it('survives sequence wrap-around', () => {
    const t = new SeqTracker();
    expect(t.observe(0xffffff00, 0x200)).toBe('new');
    expect(t.observe(0x100, 0x100)).toBe('new');
    expect(t.observe(0xffffff80, 0x10)).toBe('retrans');
    expect(t.observe(0x150, 0x10)).toBe('retrans');
  });

  it('keeps working past 1 GiB of stream (rebases)', () => {
    const t = new SeqTracker();
    const step = 64 * 1024 * 1024;
    for (let i = 0; i < 40; i++) expect(t.observe((i * step) >>> 0, step)).toBe('new');
    expect(t.observe((39 * step) >>> 0, 10)).toBe('retrans');
  });

  it('stays bounded with many holes', () => {
    const t = new SeqTracker();
    for (let i = 0; i < 1000; i++) t.observe(i * 20, 10);
    expect(t.observe(999 * 20, 10)).toBe('retrans');
    expect(t.observe(998 * 20 + 10, 10)).toBe('ooo');
  });
});
