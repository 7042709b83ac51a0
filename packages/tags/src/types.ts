/** Shapes of the tag and metric catalog. Plain data: safe to import in the browser. */
import type { AutoTypeName, ResourceKind } from './resources';

export type TagType = 'resource' | 'int' | 'string' | 'ip' | 'enum' | 'time' | 'custom';

/** Where a tag's value comes from. Column names are physical columns of the table. */
export type TagSource =
  /** A column read as is. */
  | { readonly kind: 'column'; readonly column: string }
  /** Seconds since the epoch derived from the table's µs time column. */
  | { readonly kind: 'seconds'; readonly column: string }
  /** A resource id column decoded through `flow_tag.<resource>_map`. */
  | { readonly kind: 'resource'; readonly resource: ResourceKind; readonly idColumn: string }
  /** auto_instance / auto_service: polymorphic id + type code (+ the IP for ip types). */
  | {
      readonly kind: 'auto';
      readonly idColumn: string;
      readonly typeColumn: string;
      readonly ipColumn: string;
      readonly types: readonly AutoTypeName[];
    }
  /** A custom tag `k8s.label.<key>` etc. read from `flow_tag.<resource>_custom_tag_map`. */
  | {
      readonly kind: 'custom';
      readonly resource: ResourceKind;
      readonly key: string;
      readonly idColumn: string;
    }
  /**
   * A two-ended tag named without `_0`/`_1`: filters match either end, grouping and
   * selection use the server end (`_1`).
   */
  | { readonly kind: 'either'; readonly ends: readonly [TagDef, TagDef] };

export interface EnumValue {
  readonly value: string;
  readonly description: string;
}

export interface TagDef {
  readonly name: string;
  readonly type: TagType;
  readonly description: string;
  readonly source: TagSource;
  /** Allowed values for `enum` tags. */
  readonly values?: readonly EnumValue[];
  /** Alternative spellings resolved to this tag (e.g. `process` for `gprocess`). */
  readonly aliases?: readonly string[];
}

/** A family of custom tags; a concrete tag is `<prefix><key>` with an optional `_0`/`_1`. */
export interface CustomTagFamily {
  readonly prefix: string;
  /** the dictionary key's prefix when the family is another spelling of one (default: prefix) */
  readonly keyPrefix?: string;
  readonly resource: ResourceKind;
  /** Id column stem; the ends are `<stem>_0` / `<stem>_1`. */
  readonly idStem: string;
  readonly description: string;
}

export type MetricType = 'counter' | 'gauge' | 'delay' | 'ratio';

export interface MetricDef {
  readonly name: string;
  readonly type: MetricType;
  readonly unit: string;
  readonly description: string;
  /** Row-level numeric SQL over whitelisted columns; absent for ratios. */
  readonly expr?: string;
  /**
   * Aggregate-level SQL used as is whenever the metric is named bare (e.g. a quantile read
   * from summed sketch buckets in pre-aggregated tables); the metric is then always an aggregate.
   */
  readonly aggSql?: string;
  /** Aggregation used when the metric is named bare. */
  readonly defaultAgg: 'sum' | 'avg' | 'max';
  /** Averages, extremes and quantiles skip rows where the value is 0 (e.g. RTT not measured). */
  readonly skipZero?: boolean;
  /**
   * Apdex support (`apdex(metric, T_ms)`): 'rows' counts raw per-request values, 'sketch' sums
   * the latency sketch buckets of pre-aggregated tables (T snaps down to a bucket bound).
   */
  readonly apdex?: 'rows' | 'sketch';
  /** For ratios: counter metric names of numerator and denominator. */
  readonly ratio?: { readonly numerator: string; readonly denominator: string };
}

export interface TableDef {
  /** Logical name used in FROM, e.g. `l7_flow_log`. */
  readonly name: string;
  /** Physical table, e.g. `flow_log.l7_flow_log`. */
  readonly physical: string;
  readonly description: string;
  /** µs timestamp column the query time range applies to. */
  readonly timeColumn: string;
  /** Whether tags come in `_0` (client) / `_1` (server) pairs. */
  readonly twoEnded: boolean;
  readonly tags: readonly TagDef[];
  readonly customTags: readonly CustomTagFamily[];
  readonly metrics: readonly MetricDef[];
}
