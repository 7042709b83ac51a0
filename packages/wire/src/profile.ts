/**
 * CPU profiles (PRODUCT.md §2.7): one row per (interval, process, event type, folded
 * stack). The agent fills rows with these names, the codec encodes them, the API derives
 * `profile.in_process` from the same list.
 *
 * A profile has one end (the sampled process), so its tag ids carry the `_1` suffix like
 * the server-side metric tables (`application.1m`): ingest enrichment, the tag catalog
 * and the query compiler treat them alike.
 */
import { type Column, type ColumnType, TAG_ID_NAMES, type TagIdName } from './columns';

/** Tag id columns of a profile row: `<tag>_1`. */
export type ProfileTagColumn = `${TagIdName}_1`;

export const PROFILE_EVENT_TYPES = ['on-cpu', 'off-cpu'] as const;
export type ProfileEventType = (typeof PROFILE_EVENT_TYPES)[number];

/** Frames of a folded stack are joined with this, root first (Brendan Gregg's format). */
export const FOLDED_SEPARATOR = ';';

const c = (name: string, type: ColumnType): Column => ({ name, type });

export const PROFILE_COLUMNS: readonly Column[] = [
  /** start of the aggregation interval, µs since the epoch */
  c('time', 'u64'),
  c('agent_id', 'u32'),
  c('process_id', 'u32'),
  c('process_kname', 'lowcard'),
  /** container runtime id (64 hex) from the cgroup, '' outside containers */
  c('container_runtime_id', 'string'),
  c('event_type', 'lowcard'),
  /** folded stack, root first: `main;work;burn` */
  c('stack', 'string'),
  /** samples (on-cpu) or nanoseconds (off-cpu) */
  c('value', 'u64'),
  ...TAG_ID_NAMES.map((n) => c(`${n}_1`, 'u32')),
];

export type ProfileRecord = {
  time: number;
  agent_id: number;
  process_id: number;
  process_kname: string;
  container_runtime_id: string;
  event_type: ProfileEventType;
  stack: string;
  value: number;
} & Partial<Record<ProfileTagColumn, number>>;

/** Units of `value` per event type. */
export const PROFILE_UNITS: Record<ProfileEventType, 'samples' | 'nanoseconds'> = {
  'on-cpu': 'samples',
  'off-cpu': 'nanoseconds',
};
