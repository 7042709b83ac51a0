/**
 * /tmp/perf-PID.map, written by JITs (node --perf-basic-prof): one `START SIZE name` line
 * per code object, hex without 0x, appended as code is compiled. Later entries win when
 * code is moved or recompiled at the same address.
 */
import { floorIndex } from './elf';

export interface PerfMap {
  starts: Float64Array;
  ends: Float64Array;
  names: string[];
}

export interface PerfMapParse {
  map: PerfMap;
  malformed: number;
}

export function parsePerfMap(text: string): PerfMapParse {
  const byStart = new Map<number, { end: number; name: string }>();
  let malformed = 0;
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const a = line.indexOf(' ');
    const b = line.indexOf(' ', a + 1);
    if (a <= 0 || b <= a + 1) {
      malformed++;
      continue;
    }
    const start = Number.parseInt(line.slice(0, a), 16);
    const size = Number.parseInt(line.slice(a + 1, b), 16);
    const name = line.slice(b + 1).trim();
    if (!Number.isFinite(start) || !Number.isFinite(size) || name.length === 0) {
      malformed++;
      continue;
    }
    byStart.set(start, { end: start + size, name });
  }
  const starts = [...byStart.keys()].sort((x, y) => x - y);
  const ends = new Float64Array(starts.length);
  const names = starts.map((s, i) => {
    const e = byStart.get(s)!;
    ends[i] = e.end;
    return e.name;
  });
  return { map: { starts: Float64Array.from(starts), ends, names }, malformed };
}

export function lookupPerfMap(m: PerfMap, addr: number): string | undefined {
  const i = floorIndex(m.starts, addr);
  if (i < 0 || addr >= m.ends[i]!) return undefined;
  return m.names[i];
}

/**
 * V8 names code objects `JS:*spinZeroscope file:///x.js:3:20` (`*` optimized, `~`
 * interpreted); a flame graph wants the function, so the tier marker goes and the source
 * position stays as one token.
 */
export function cleanJsName(name: string): string {
  const m = /^(?:JS|LazyCompile|Function):([*~^+-]?)(.*)$/.exec(name);
  if (!m) return name;
  const rest = m[2]!;
  return rest.startsWith(' ') ? `(anonymous)${rest}` : rest;
}
