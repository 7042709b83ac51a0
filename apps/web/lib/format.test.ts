import { describe, expect, it } from 'vitest';
import { formatBytes, formatDelta, formatDuration, formatPercent, formatRate } from './format';

describe('formats', () => {
  it('scales bytes, durations, rates and shares', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
    expect(formatDuration(0)).toBe('—');
    expect(formatDuration(850)).toBe('850 µs');
    expect(formatDuration(2_500)).toBe('2.5 ms');
    expect(formatDuration(3_000_000)).toBe('3.00 s');
    expect(formatRate(0.05)).toBe('3.0/min');
    expect(formatRate(2)).toBe('2.00/s');
    expect(formatPercent(0.0004)).toBe('<0.1%');
    expect(formatPercent(0.25)).toBe('25%');
    expect(formatDelta(10, 4, String)).toBe('−6');
    expect(formatDelta(4, 4, String)).toBe('±0');
  });
});
