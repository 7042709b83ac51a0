import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './rateLimit';

describe('LoginLimiter', () => {
  it('refuses an IP after max failures until its window ends, per IP', () => {
    let now = 1_000;
    const l = new LoginLimiter(3, 10_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfter('a')).toBe(0);
      l.fail('a');
    }
    expect(l.retryAfter('a')).toBe(10_000);
    expect(l.retryAfter('b')).toBe(0);
    now += 9_000;
    expect(l.retryAfter('a')).toBe(1_000);
    now += 1_000;
    expect(l.retryAfter('a')).toBe(0);
  });

  it('forgets failures after a success', () => {
    const l = new LoginLimiter(2, 10_000, () => 0);
    l.fail('a');
    l.succeed('a');
    l.fail('a');
    expect(l.retryAfter('a')).toBe(0);
  });
});
