import { describe, expect, it } from 'vitest';
import { inWeeklyWindow, isSilenced, matches, type SilenceLike } from './silences';

const at = (iso: string) => Date.parse(iso);

describe('silences', () => {
  it('matches labels with = != =~ !~', () => {
    const l = { service: 'cart', env: 'prod' };
    expect(matches({ name: 'service', op: '=', value: 'cart' }, l)).toBe(true);
    expect(matches({ name: 'service', op: '!=', value: 'cart' }, l)).toBe(false);
    expect(matches({ name: 'service', op: '=~', value: 'ca.*' }, l)).toBe(true);
    expect(matches({ name: 'service', op: '=~', value: 'art' }, l)).toBe(false);
    expect(matches({ name: 'env', op: '!~', value: 'dev|test' }, l)).toBe(true);
    expect(matches({ name: 'env', op: '=~', value: '(' }, l)).toBe(false);
    expect(matches({ name: 'missing', op: '=', value: '' }, l)).toBe(true);
  });

  it('mutes only inside its time span and only when every matcher matches', () => {
    const s: SilenceLike = {
      matchers: [
        { name: 'service', op: '=', value: 'cart' },
        { name: 'env', op: '=', value: 'prod' },
      ],
      startsAt: at('2026-01-01T00:00:00Z'),
      endsAt: at('2026-01-01T01:00:00Z'),
      kind: 'silence',
    };
    const l = { service: 'cart', env: 'prod' };
    expect(isSilenced([s], l, at('2026-01-01T00:30:00Z'))).toBe(true);
    expect(isSilenced([s], l, at('2026-01-01T01:00:00Z'))).toBe(false);
    expect(isSilenced([s], { ...l, env: 'dev' }, at('2026-01-01T00:30:00Z'))).toBe(false);
    expect(isSilenced([{ ...s, matchers: [] }], l, at('2026-01-01T00:30:00Z'))).toBe(false);
  });

  it('repeats a maintenance window weekly, across midnight', () => {
    // Saturday 23:00 for 120 minutes reaches Sunday 01:00
    const w = { days: [6], start: '23:00', minutes: 120 };
    expect(inWeeklyWindow(w, at('2026-01-03T23:30:00Z'))).toBe(true); // Saturday
    expect(inWeeklyWindow(w, at('2026-01-04T00:59:00Z'))).toBe(true); // Sunday
    expect(inWeeklyWindow(w, at('2026-01-04T01:00:00Z'))).toBe(false);
    expect(inWeeklyWindow(w, at('2026-01-03T22:59:00Z'))).toBe(false);
    const m: SilenceLike = {
      matchers: [{ name: 'service', op: '=~', value: '.*' }],
      startsAt: at('2026-01-01T00:00:00Z'),
      endsAt: at('2027-01-01T00:00:00Z'),
      kind: 'maintenance',
      schedule: w,
    };
    expect(isSilenced([m], { service: 'x' }, at('2026-01-10T23:10:00Z'))).toBe(true);
    expect(isSilenced([m], { service: 'x' }, at('2026-01-10T12:00:00Z'))).toBe(false);
  });
});
