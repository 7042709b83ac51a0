/**
 * Ingested Prometheus-model samples in the `prometheus` database (migration 012). The label
 * sets live in memory as an index (series id -> labels, metric name -> series), loaded from
 * ClickHouse at start, extended by writes and refreshed with series other API instances
 * created, so a selector is resolved to series ids without scanning samples; samples are
 * then read by id and time. Ids are content hashes (hash.ts); writes are serialized and the
 * id -> text rows are persisted before the samples that use them.
 */

import { columnBatch } from '../../intake/batch';
import { INTAKE_TAG_NAMES, type IntakeTags, type NameLookup, resolveTags } from '../../intake/resource-tags';
import { PROM_SAMPLE_COLUMNS } from '../../storage/migrations/012_prometheus';
import type { TelemetryStore } from '../../storage/types';
import { type Labels, METRIC_NAME, seriesKey, type TimeSeries } from '../series';
import { hash53 } from './hash';
import { type Matcher, matches, pinnedName } from './matchers';
import { TextIds } from './text-ids';

export interface SeriesEntry {
  id: number;
  metricId: number;
  labels: Labels;
  tags?: IntakeTags;
}

/** Where PromQL reads series from: ingested samples or Zeroscope's own metric tables. */
export interface MetricSource {
  select(ms: readonly Matcher[], fromMs: number, toMs: number, maxSamples: number): Promise<TimeSeries[]>;
  series(ms: readonly Matcher[], fromMs: number, toMs: number): Promise<Labels[]>;
  labelNames(): Promise<string[]>;
}

export class IntakeLimitError extends Error {
  constructor(
    readonly code: 'series_limit' | 'sample_limit',
    message: string,
  ) {
    super(message);
  }
}

export interface WriteStats {
  samples: number;
  newSeries: number;
  dropped: number;
}

type Store = Pick<TelemetryStore, 'insert' | 'query' | 'command'>;

export class PromStore implements MetricSource {
  private readonly names = new TextIds();
  private readonly labelNameIds = new TextIds();
  private readonly labelValueIds = new TextIds();
  private readonly byKey = new Map<string, SeriesEntry>();
  private readonly byName = new Map<string, SeriesEntry[]>();
  private readonly byId = new Map<number, SeriesEntry>();
  private ready: Promise<void> | undefined;
  /** newest `created` seen in prometheus.series, and when the index was last refreshed */
  private seenCreated = '';
  private refreshedAt = 0;
  private refreshing: Promise<void> | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    readonly maxSeries = 200_000,
    private readonly refreshMs = 10_000,
  ) {}

  get seriesCount(): number {
    return this.byKey.size;
  }

  private load(): Promise<void> {
    this.ready ??= (async () => {
      const q = (sql: string) => this.store.query<{ id: number; text: string }>(sql);
      this.names.load(await q('SELECT id, name AS text FROM prometheus.metric_name FINAL'));
      this.labelNameIds.load(await q('SELECT id, name AS text FROM prometheus.label_name FINAL'));
      this.labelValueIds.load(await q('SELECT id, value AS text FROM prometheus.label_value FINAL'));
      await this.loadSeries(undefined);
      this.refreshedAt = Date.now();
    })().catch((err) => {
      this.ready = undefined; // retried by the next call
      throw err;
    });
    return this.ready;
  }

  /** Series rows created since `since` (minus a margin for clock skew between writers), or all. */
  private async loadSeries(since: string | undefined): Promise<void> {
    const where = since
      ? 'WHERE created >= parseDateTime64BestEffort({since:String}, 3) - INTERVAL 30 SECOND'
      : '';
    const rows = await this.store.query<{ id: number; m: number; n: number[]; v: number[]; c: string }>(
      `SELECT series_id AS id, metric_id AS m, label_name_ids AS n, label_value_ids AS v, toString(created) AS c
FROM prometheus.series FINAL ${where} ORDER BY created LIMIT {lim:UInt64}`,
      { since: since ?? '', lim: this.maxSeries },
    );
    const fresh = rows.filter((r) => !this.byId.has(Number(r.id)));
    if (fresh.length === 0) return;
    // texts of ids this instance has not seen (written by another instance)
    const missing = async (ids: TextIds, table: string, col: string, want: number[]) => {
      const unknown = [...new Set(want.map(Number))].filter((id) => ids.text(id) === '');
      if (unknown.length === 0) return;
      ids.load(
        await this.store.query<{ id: number; text: string }>(
          `SELECT id, ${col} AS text FROM prometheus.${table} FINAL WHERE id IN {ids:Array(UInt64)}`,
          { ids: unknown },
        ),
      );
    };
    await missing(
      this.names,
      'metric_name',
      'name',
      fresh.map((r) => r.m),
    );
    await missing(
      this.labelNameIds,
      'label_name',
      'name',
      fresh.flatMap((r) => r.n),
    );
    await missing(
      this.labelValueIds,
      'label_value',
      'value',
      fresh.flatMap((r) => r.v),
    );
    for (const r of fresh) {
      const labels: Labels = [[METRIC_NAME, this.names.text(Number(r.m))]];
      r.n.forEach((id, i) => {
        labels.push([this.labelNameIds.text(Number(id)), this.labelValueIds.text(Number(r.v[i]))]);
      });
      labels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.index({ id: Number(r.id), metricId: Number(r.m), labels });
    }
    const last = rows.at(-1)?.c;
    if (last && last > this.seenCreated) this.seenCreated = last;
  }

  /** Picks up series other API instances created, at most every refreshMs. */
  private async fresh(): Promise<void> {
    await this.load();
    if (Date.now() - this.refreshedAt < this.refreshMs) return;
    this.refreshing ??= this.loadSeries(this.seenCreated || undefined).finally(() => {
      this.refreshedAt = Date.now();
      this.refreshing = undefined;
    });
    await this.refreshing;
  }

  private index(e: SeriesEntry): void {
    this.byKey.set(seriesKey(e.labels), e);
    this.byId.set(e.id, e);
    const name = this.names.text(e.metricId);
    const list = this.byName.get(name);
    if (list) list.push(e);
    else this.byName.set(name, [e]);
  }

  /** Writes samples; one write at a time. Throws IntakeLimitError when the series cap is hit. */
  write(series: readonly TimeSeries[], lookup: NameLookup): Promise<WriteStats> {
    const run = this.chain.then(() => this.writeNow(series, lookup));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async writeNow(series: readonly TimeSeries[], lookup: NameLookup): Promise<WriteStats> {
    await this.load();
    const fresh: SeriesEntry[] = [];
    const entries: (SeriesEntry | undefined)[] = [];
    const unknown = series.filter((s) => !this.byKey.has(seriesKey(s.labels)));
    const distinctNew = new Set(unknown.map((s) => seriesKey(s.labels))).size;
    if (this.byKey.size + distinctNew > this.maxSeries)
      throw new IntakeLimitError(
        'series_limit',
        `series limit reached: ${this.byKey.size} stored + ${distinctNew} new > ${this.maxSeries}`,
      );
    let collided = 0;
    for (const s of series) {
      const key = seriesKey(s.labels);
      let e = this.byKey.get(key);
      if (!e) {
        const name = s.labels.find((l) => l[0] === METRIC_NAME)?.[1] ?? '';
        const metricId = this.names.idOf(name);
        const id = hash53(key);
        const ok =
          metricId !== undefined &&
          !this.byId.has(id) &&
          s.labels.every(
            ([n, v]) =>
              n === METRIC_NAME ||
              (this.labelNameIds.idOf(n) !== undefined && this.labelValueIds.idOf(v) !== undefined),
          );
        if (!ok) {
          // a hash collision with another text or label set: refused, counted as dropped
          collided += s.samples.length;
          entries.push(undefined);
          continue;
        }
        e = { id, metricId, labels: s.labels };
        this.index(e);
        fresh.push(e);
      }
      const map = new Map(e.labels);
      e.tags = resolveTags((k) => map.get(k), lookup);
      entries.push(e);
    }
    await this.persistNames(fresh);

    const cols: Record<string, number[]> = Object.fromEntries(PROM_SAMPLE_COLUMNS.map((c) => [c.name, []]));
    let dropped = collided;
    series.forEach((s, i) => {
      const e = entries[i];
      if (!e) return;
      for (const { t, v } of s.samples) {
        // NaN: Prometheus staleness markers (and NaN values) carry no sample to query
        if (Number.isNaN(v) || !Number.isFinite(t) || t <= 0) {
          dropped++;
          continue;
        }
        cols.time!.push(t * 1000);
        cols.metric_id!.push(e.metricId);
        cols.series_id!.push(e.id);
        cols.value!.push(v);
        for (const n of INTAKE_TAG_NAMES) cols[n]!.push(e.tags![n]);
      }
    });
    const rows = cols.time!.length;
    if (rows > 0) await this.store.insert('prometheus.samples', columnBatch(PROM_SAMPLE_COLUMNS, cols, rows));
    return { samples: rows, newSeries: fresh.length, dropped };
  }

  private async persistNames(fresh: readonly SeriesEntry[]): Promise<void> {
    const dicts = [
      ['prometheus.metric_name', 'name', this.names],
      ['prometheus.label_name', 'name', this.labelNameIds],
      ['prometheus.label_value', 'value', this.labelValueIds],
    ] as const;
    for (const [table, col, ids] of dicts) {
      const p = ids.takePending();
      if (p.length === 0) continue;
      const columns = [
        { name: 'id', type: 'u64' },
        { name: col, type: 'string' },
      ] as const;
      await this.store.insert(
        table,
        columnBatch(columns, { id: p.map((x) => x.id), [col]: p.map((x) => x.text) }, p.length),
      );
    }
    for (let i = 0; i < fresh.length; i += 5000) {
      // numbers only: safe to inline
      const values = fresh.slice(i, i + 5000).map((e) => {
        const rest = e.labels.filter((l) => l[0] !== METRIC_NAME);
        const n = rest.map((l) => this.labelNameIds.idOf(l[0])!);
        const v = rest.map((l) => this.labelValueIds.idOf(l[1])!);
        return `(${e.id}, ${e.metricId}, [${n.join(',')}], [${v.join(',')}])`;
      });
      await this.store.command(
        `INSERT INTO prometheus.series (series_id, metric_id, label_name_ids, label_value_ids) VALUES ${values.join(', ')}`,
      );
    }
  }

  private candidates(ms: readonly Matcher[]): SeriesEntry[] {
    const name = pinnedName(ms);
    const pool = name !== undefined ? (this.byName.get(name) ?? []) : [...this.byId.values()];
    return pool.filter((e) => matches(e.labels, ms));
  }

  async series(ms: readonly Matcher[], _fromMs?: number, _toMs?: number): Promise<Labels[]> {
    await this.fresh();
    return this.candidates(ms).map((e) => e.labels);
  }

  async labelNames(): Promise<string[]> {
    await this.fresh();
    const out = new Set<string>();
    for (const e of this.byId.values()) for (const [n] of e.labels) out.add(n);
    return [...out];
  }

  async select(
    ms: readonly Matcher[],
    fromMs: number,
    toMs: number,
    maxSamples: number,
  ): Promise<TimeSeries[]> {
    await this.fresh();
    const found = this.candidates(ms);
    if (found.length === 0) return [];
    const rows = await this.store.query<{ s: number; t: number; v: number | null }>(
      `SELECT series_id AS s, toUnixTimestamp64Milli(time) AS t, value AS v FROM prometheus.samples
WHERE time >= fromUnixTimestamp64Milli({from:Int64}) AND time <= fromUnixTimestamp64Milli({to:Int64})
  AND metric_id IN {m:Array(UInt64)} AND series_id IN {s:Array(UInt64)}
ORDER BY s, t LIMIT {lim:UInt64}
SETTINGS max_execution_time = 30`,
      {
        from: Math.floor(fromMs),
        to: Math.ceil(toMs),
        m: [...new Set(found.map((e) => e.metricId))],
        s: found.map((e) => e.id),
        lim: maxSamples + 1,
      },
    );
    if (rows.length > maxSamples)
      throw new IntakeLimitError('sample_limit', `query would read more than ${maxSamples} samples`);
    const out = new Map<number, TimeSeries>();
    for (const r of rows) {
      const id = Number(r.s);
      let ts = out.get(id);
      if (!ts) {
        ts = { labels: this.byId.get(id)?.labels ?? [], samples: [] };
        out.set(id, ts);
      }
      const t = Number(r.t);
      const last = ts.samples.at(-1);
      if (last && last.t === t) continue; // a resent sample (remote-write retry)
      ts.samples.push({ t, v: r.v === null ? Number.NaN : Number(r.v) });
    }
    return [...out.values()];
  }
}
