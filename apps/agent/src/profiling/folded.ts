/**
 * Folded-stack aggregation for one interval: (process, event type, stack) -> value.
 * Bounded: past `maxStacks` distinct stacks, new stacks of a process are counted under
 * one `[dropped]` stack, so totals stay exact while memory stays flat.
 */
import type { ProfileEventType } from '@zeroscope/wire/profile';

export const DROPPED_STACK = '[dropped]';

export interface FoldedRow {
  tgid: number;
  eventType: ProfileEventType;
  stack: string;
  value: number;
}

/** Root-first folded stack from innermost-first user and kernel frames. */
export function foldStack(user: readonly string[], kernel: readonly string[]): string {
  const frames: string[] = [];
  for (let i = user.length - 1; i >= 0; i--) frames.push(user[i]!.replaceAll(';', ':'));
  for (let i = kernel.length - 1; i >= 0; i--) frames.push(kernel[i]!);
  return frames.length > 0 ? frames.join(';') : '[unknown]';
}

export class FoldedAggregator {
  private rows = new Map<string, FoldedRow>();
  /** stacks that did not fit, and their summed values, since the last flush */
  dropped = 0;
  droppedValue = 0;

  constructor(readonly maxStacks = 20_000) {}

  get size(): number {
    return this.rows.size;
  }

  /** The aggregation key of a row; callers adding the same stack often can keep it. */
  static key(tgid: number, eventType: ProfileEventType, stack: string): string {
    return `${tgid}\u0000${eventType}\u0000${stack}`;
  }

  add(
    tgid: number,
    eventType: ProfileEventType,
    stack: string,
    value: number,
    key = FoldedAggregator.key(tgid, eventType, stack),
  ): void {
    const row = this.rows.get(key);
    if (row) {
      row.value += value;
      return;
    }
    if (this.rows.size >= this.maxStacks && stack !== DROPPED_STACK) {
      this.dropped++;
      this.droppedValue += value;
      // at most one [dropped] row per process and type, allowed past the cap
      this.add(tgid, eventType, DROPPED_STACK, value);
      return;
    }
    this.rows.set(key, { tgid, eventType, stack, value });
  }

  flush(): FoldedRow[] {
    const out = [...this.rows.values()];
    this.rows = new Map();
    return out;
  }
}

/** Parses `frame;frame;frame count` lines (Brendan Gregg's folded format). */
export function parseFolded(text: string): { stack: string; value: number }[] {
  const out: { stack: string; value: number }[] = [];
  for (const line of text.split('\n')) {
    const sp = line.lastIndexOf(' ');
    if (sp <= 0) continue;
    const value = Number(line.slice(sp + 1));
    if (!Number.isFinite(value) || value <= 0) continue;
    out.push({ stack: line.slice(0, sp), value });
  }
  return out;
}
