/**
 * Open aggregation windows of one metric table at one resolution: window start -> key ->
 * accumulator. Keys are the table's key columns (wire/metrics) read from the record; values
 * are sums (and `*_max`), so a window that is emitted and later receives a late record just
 * emits a second row for the same key: the store sums rows, the total stays exact.
 */
import type { Column } from '@zeroscope/wire/columns';
import type { MetricKind, MetricRecord, MetricValueColumn } from '@zeroscope/wire/metrics';

export interface Acc {
  readonly keys: readonly (string | number)[];
  readonly v: Float64Array;
}

const SEP = '\u001f';
const TEXT = new Set(['string', 'lowcard', 'ip']);

export class WindowTable {
  private readonly open = new Map<number, Map<string, Acc>>();
  private size = 0;
  /** records not aggregated because the key limit was reached */
  dropped = 0;

  constructor(
    readonly kind: MetricKind,
    /** key columns after start_time, in wire order */
    private readonly keyCols: readonly Column[],
    private readonly valueCols: readonly MetricValueColumn[],
    readonly widthUs: number,
    private readonly maxKeys: number,
  ) {}

  /** The accumulator of `rec`'s key in the window holding `timeUs`; undefined when full. */
  acc(timeUs: number, rec: Readonly<Record<string, unknown>>): Acc | undefined {
    const start = timeUs - (timeUs % this.widthUs);
    let win = this.open.get(start);
    if (!win) {
      win = new Map();
      this.open.set(start, win);
    }
    const keys: (string | number)[] = new Array(this.keyCols.length);
    for (let i = 0; i < this.keyCols.length; i++) {
      const col = this.keyCols[i]!;
      const v = rec[col.name];
      // tag ids are optional on records: absent means 0, like the column's default
      keys[i] = typeof v === 'string' || typeof v === 'number' ? v : TEXT.has(col.type) ? '' : 0;
    }
    const k = keys.join(SEP);
    let a = win.get(k);
    if (!a) {
      if (this.size >= this.maxKeys) {
        this.dropped++;
        return undefined;
      }
      a = { keys, v: new Float64Array(this.valueCols.length) };
      win.set(k, a);
      this.size++;
    }
    return a;
  }

  /** Emits and forgets every window that ended at or before `untilUs`; returns rows emitted. */
  drain(untilUs: number, emit: (r: MetricRecord) => void): number {
    let rows = 0;
    for (const [start, win] of [...this.open].sort((a, b) => a[0] - b[0])) {
      if (start + this.widthUs > untilUs) continue;
      for (const a of win.values()) {
        const r: MetricRecord = { kind: this.kind, start_time: start };
        for (let i = 0; i < this.keyCols.length; i++) r[this.keyCols[i]!.name] = a.keys[i]!;
        for (let i = 0; i < this.valueCols.length; i++) r[this.valueCols[i]!.name] = a.v[i]!;
        emit(r);
        rows++;
      }
      this.size -= win.size;
      this.open.delete(start);
    }
    return rows;
  }

  get openKeys(): number {
    return this.size;
  }
}
