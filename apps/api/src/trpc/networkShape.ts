/**
 * Rows of the compiled network queries (columns c0..cN, 64-bit values possibly quoted) ->
 * what network.ts returns. Pure.
 */
import { FLOW_COLUMNS } from './networkQueries';

export interface L4 {
  byteTx: number;
  byteRx: number;
  packetTx: number;
  packetRx: number;
  newFlows: number;
  closedFlows: number;
  /** µs */
  rttSum: number;
  rttCount: number;
  rttMax: number;
  srtSum: number;
  srtCount: number;
  retrans: number;
  zeroWinTx: number;
  zeroWinRx: number;
  connFailed: number;
  clientRst: number;
  serverRst: number;
  closeTimeout: number;
}

export interface NetworkEdge extends L4 {
  source: string;
  target: string;
}

export interface L4Point extends L4 {
  /** epoch seconds */
  t: number;
}

export type FlowRow = Record<(typeof FLOW_COLUMNS)[number], string | number> & {
  source: string;
  target: string;
};

type Row = Record<string, unknown>;

const num = (v: unknown) => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
};
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** L4 columns start at `at` in the order of networkQueries.L4_SELECT. */
export function l4(r: Row, at: number): L4 {
  const c = (i: number) => num(r[`c${at + i}`]);
  return {
    byteTx: c(0),
    byteRx: c(1),
    packetTx: c(2),
    packetRx: c(3),
    newFlows: c(4),
    closedFlows: c(5),
    rttSum: c(6),
    rttCount: c(7),
    rttMax: c(8),
    srtSum: c(9),
    srtCount: c(10),
    retrans: c(11),
    zeroWinTx: c(12),
    zeroWinRx: c(13),
    connFailed: c(14),
    clientRst: c(15),
    serverRst: c(16),
    closeTimeout: c(17),
  };
}

/** `a, b, L4...` */
export function networkEdgesOf(rows: Row[]): NetworkEdge[] {
  return rows.map((r) => ({ source: str(r.c0), target: str(r.c1), ...l4(r, 2) }));
}

/** `t, L4...`; steps without rows are absent (the chart treats them as zero). */
export function seriesOf(rows: Row[]): L4Point[] {
  return rows.map((r) => ({ t: num(r.c0), ...l4(r, 1) }));
}

const TEXT = new Set(['ip_0', 'ip_1', 'protocol', 'l7_protocol', 'close_type']);

/** `FLOW_COLUMNS..., a, b` */
export function flowsOf(rows: Row[]): FlowRow[] {
  return rows.map((r) => {
    const out: Record<string, string | number> = {};
    FLOW_COLUMNS.forEach((name, i) => {
      out[name] = TEXT.has(name) ? str(r[`c${i}`]) : num(r[`c${i}`]);
    });
    out.source = str(r[`c${FLOW_COLUMNS.length}`]);
    out.target = str(r[`c${FLOW_COLUMNS.length + 1}`]);
    return out as FlowRow;
  });
}
