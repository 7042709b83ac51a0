import type { LinkRule, UnlinkedReasonCode } from './types';

export interface LinkOptions {
  /** slack on time containment between records of one host (timestamp granularity), µs */
  sameHostToleranceUs: number;
  /** slack between records of different hosts (clock skew), µs */
  crossHostToleranceUs: number;
  /** rules to apply inside a process; all by default (tests switch some off to measure) */
  processRules?: ReadonlySet<'syscall' | 'x_request_id' | 'time_window'>;
}

export const DEFAULT_LINK_OPTIONS: LinkOptions = {
  sameHostToleranceUs: 100,
  crossHostToleranceUs: 100_000,
};

/** Either a parent (row index) and the rule that found it, or why there is none. */
export interface LinkDecision {
  parent?: number;
  rule?: LinkRule;
  reason?: UnlinkedReasonCode;
  detail?: string;
}
