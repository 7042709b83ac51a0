/**
 * Which byte ranges of one TCP direction were already seen, to tell a retransmission (the
 * segment overlaps bytes seen before) from out-of-order delivery (it fills a hole, or lies
 * before the first byte seen). Offsets are relative to the first sequence number, as signed
 * 32-bit differences, so sequence wrap-around is harmless.
 */
export type SegmentKind = 'new' | 'retrans' | 'ooo';

const MAX_RANGES = 32;
const REBASE_AT = 2 ** 30;
const KEEP_BEHIND = 2 ** 24;

export class SeqTracker {
  private base = 0;
  private started = false;
  /** sorted, disjoint, non-adjacent [start, end) */
  private ranges: number[][] = [];
  private maxEnd = 0;

  observe(seq: number, len: number): SegmentKind {
    if (len <= 0) return 'new';
    if (!this.started) {
      this.started = true;
      this.base = seq >>> 0;
      this.ranges = [[0, len]];
      this.maxEnd = len;
      return 'new';
    }
    const s = (seq - this.base) | 0;
    const e = s + len;
    const last = this.ranges[this.ranges.length - 1]!;
    if (s === this.maxEnd && last[1] === s) {
      // in-order append, the common case: extend in place
      last[1] = e;
      this.maxEnd = e;
      if (e > REBASE_AT) this.rebase();
      return 'new';
    }
    let kind: SegmentKind;
    if (s >= this.maxEnd) kind = 'new';
    else kind = this.overlaps(s, e) ? 'retrans' : 'ooo';
    this.insert(s, e);
    if (this.maxEnd > REBASE_AT) this.rebase();
    return kind;
  }

  private overlaps(s: number, e: number): boolean {
    for (const r of this.ranges) if (s < r[1]! && e > r[0]!) return true;
    return false;
  }

  private insert(s: number, e: number): void {
    const out: number[][] = [];
    let ns = s;
    let ne = e;
    let placed = false;
    for (const r of this.ranges) {
      if (r[1]! < ns) out.push(r);
      else if (r[0]! > ne) {
        if (!placed) {
          out.push([ns, ne]);
          placed = true;
        }
        out.push(r);
      } else {
        ns = Math.min(ns, r[0]!);
        ne = Math.max(ne, r[1]!);
      }
    }
    if (!placed) out.push([ns, ne]);
    // forget the oldest hole rather than grow without bound
    while (out.length > MAX_RANGES) {
      const [a, b] = out.splice(0, 2) as [number[], number[]];
      out.unshift([a[0]!, b[1]!]);
    }
    this.ranges = out;
    this.maxEnd = Math.max(this.maxEnd, ne);
  }

  private rebase(): void {
    const shift = this.maxEnd - KEEP_BEHIND;
    this.base = (this.base + shift) >>> 0;
    this.maxEnd -= shift;
    this.ranges = this.ranges
      .map((r) => [Math.max(0, r[0]! - shift), r[1]! - shift])
      .filter((r) => r[1]! > r[0]!);
  }
}
