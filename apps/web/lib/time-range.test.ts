import { describe, expect, it } from 'vitest';
import {
  fromLocalInput,
  parseRange,
  parseRefresh,
  resolveRange,
  toLocalInput,
  writeRange,
  writeRefresh,
} from './time-range';

const q = (s: string) => new URLSearchParams(s);

describe('time range', () => {
  it('resolves a relative range to a window ending just after now', () => {
    expect(resolveRange({ kind: 'relative', last: '15m' }, 1_700_000_000_500)).toEqual({
      start: 1_700_000_001 - 900,
      end: 1_700_000_002,
    });
    expect(resolveRange({ kind: 'absolute', from: 10, to: 20 }, 99_999)).toEqual({ start: 10, end: 20 });
  });

  it('parses the URL forms and falls back to the default on junk', () => {
    expect(parseRange(q('range=6h'))).toEqual({ kind: 'relative', last: '6h' });
    expect(parseRange(q('from=100&to=200'))).toEqual({ kind: 'absolute', from: 100, to: 200 });
    expect(parseRange(q('from=200&to=100'))).toEqual({ kind: 'relative', last: '15m' });
    expect(parseRange(q('range=7y'))).toEqual({ kind: 'relative', last: '15m' });
    expect(parseRange(q('from=abc&to=1'))).toEqual({ kind: 'relative', last: '15m' });
  });

  it('round-trips through the URL, replacing the other form', () => {
    const p = q('range=1h&proto=http1');
    writeRange(p, { kind: 'absolute', from: 5, to: 9 });
    expect(p.toString()).toBe('proto=http1&from=5&to=9');
    writeRange(p, { kind: 'relative', last: '5m' });
    expect(p.toString()).toBe('proto=http1&range=5m');
    expect(parseRange(p)).toEqual({ kind: 'relative', last: '5m' });
  });

  it('keeps auto refresh off unless a known period is given', () => {
    expect(parseRefresh(q('refresh=5s'))).toBe('5s');
    expect(parseRefresh(q('refresh=1ms'))).toBe('off');
    const p = q('refresh=30s');
    writeRefresh(p, 'off');
    expect(p.has('refresh')).toBe(false);
  });

  it('converts datetime-local values both ways', () => {
    const s = fromLocalInput('2026-03-04T05:06');
    expect(s).toBeDefined();
    expect(toLocalInput(s!)).toBe('2026-03-04T05:06');
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('yesterday')).toBeUndefined();
  });
});
