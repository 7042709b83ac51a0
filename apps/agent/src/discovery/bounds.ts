/** Coercion of untrusted JSON (runtime state files, API server objects) into bounded strings. */
import { RESOURCE_LIMITS } from '@zeroscope/wire/resources';

export const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, RESOURCE_LIMITS.string) : '');

export const uint = (v: unknown): number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0;

/** String entries of an object, at most RESOURCE_LIMITS.mapEntries, `skip` keys left out. */
export function boundedMap(v: unknown, skip?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  let n = 0;
  for (const [k, s] of Object.entries(v)) {
    if (typeof s !== 'string' || k.length > RESOURCE_LIMITS.string || skip?.has(k)) continue;
    out[k] = s.slice(0, RESOURCE_LIMITS.string);
    if (++n >= RESOURCE_LIMITS.mapEntries) break;
  }
  return out;
}

export function boundedStrings(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter((s): s is string => typeof s === 'string')
    .slice(0, RESOURCE_LIMITS.arrayEntries)
    .map((s) => s.slice(0, RESOURCE_LIMITS.string));
}
