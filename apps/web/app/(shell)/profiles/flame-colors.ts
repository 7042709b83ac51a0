/**
 * Frame colours: warm hues by name for native code, green for JS (perf-map frames), orange
 * for the kernel, grey for placeholders; search dims non-matches; a diff colours by the
 * change of each frame's share (red grew, blue shrank). Pure.
 */
import type { FlameData } from './flame-layout';

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) / 4294967296;
}

export type FrameKind = 'kernel' | 'js' | 'placeholder' | 'native';

export function frameKind(name: string): FrameKind {
  if (name.endsWith('_[k]')) return 'kernel';
  if (name.startsWith('[')) return 'placeholder';
  if (/(file:\/\/|\.m?js:\d|node:)/.test(name) || name.startsWith('Builtin:')) return 'js';
  return 'native';
}

/** Base colour per name index. */
export function nameColors(names: readonly string[]): string[] {
  return names.map((n, i) => {
    if (i === 0) return 'hsl(0, 0%, 62%)';
    const h = hash(n);
    switch (frameKind(n)) {
      case 'kernel':
        return `hsl(${25 + h * 12}, 75%, ${58 + h * 8}%)`;
      case 'js':
        return `hsl(${95 + h * 35}, 50%, ${52 + h * 10}%)`;
      case 'placeholder':
        return 'hsl(0, 0%, 70%)';
      default:
        return `hsl(${h * 50}, 78%, ${58 + h * 8}%)`;
    }
  });
}

export const MATCH_COLOR = 'hsl(300, 75%, 55%)';
export const DIM_COLOR = 'hsl(0, 0%, 82%)';

/** Share change of node i between baseline and current, -1..1 of the larger share. */
export function diffDelta(t: FlameData, i: number): number {
  const after = t.sum ? t.total[i]! / t.sum : 0;
  const before = t.baseSum ? (t.baseTotal?.[i] ?? 0) / t.baseSum : 0;
  const m = Math.max(after, before);
  return m === 0 ? 0 : (after - before) / m;
}

export function diffColor(delta: number): string {
  const a = Math.min(1, Math.abs(delta));
  if (a < 0.02) return 'hsl(0, 0%, 80%)';
  const light = 88 - a * 38;
  return delta > 0 ? `hsl(0, 80%, ${light}%)` : `hsl(215, 80%, ${light}%)`;
}
