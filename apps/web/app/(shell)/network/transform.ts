/** Network edges from the API -> table rows with derived values, filtered and sorted. Pure. */
import type { Sort } from './view-state';

export interface EdgeIn {
  source: string;
  target: string;
  byteTx: number;
  byteRx: number;
  newFlows: number;
  closedFlows: number;
  rttSum: number;
  rttCount: number;
  retrans: number;
  connFailed: number;
  clientRst: number;
  serverRst: number;
  closeTimeout: number;
  packetTx: number;
  packetRx: number;
}

export interface EdgeRow {
  key: string;
  source: string;
  target: string;
  bytes: number;
  /** bytes/s both ways over the range */
  throughput: number;
  byteTx: number;
  byteRx: number;
  /** µs, 0 when unmeasured */
  rtt: number;
  retrans: number;
  /** retransmitted share of packets */
  retransRatio: number;
  failed: number;
  resets: number;
  flows: number;
}

export function edgeRows(edges: EdgeIn[], seconds: number): EdgeRow[] {
  return edges.map((e) => {
    const bytes = e.byteTx + e.byteRx;
    const packets = e.packetTx + e.packetRx;
    return {
      key: `${e.source}\u0000${e.target}`,
      source: e.source,
      target: e.target,
      bytes,
      throughput: seconds > 0 ? bytes / seconds : 0,
      byteTx: e.byteTx,
      byteRx: e.byteRx,
      rtt: e.rttCount > 0 ? e.rttSum / e.rttCount : 0,
      retrans: e.retrans,
      retransRatio: packets > 0 ? e.retrans / packets : 0,
      failed: e.connFailed,
      resets: e.clientRst + e.serverRst,
      flows: Math.max(e.newFlows, e.closedFlows),
    };
  });
}

const KEY: Record<Sort, (r: EdgeRow) => number> = {
  bytes: (r) => r.bytes,
  rtt: (r) => r.rtt,
  retrans: (r) => r.retrans,
  failed: (r) => r.failed + r.resets,
  flows: (r) => r.flows,
};

/** Edges touching `node` (either end) and whose ends contain `search`, sorted descending. */
export function selectEdges(
  rows: EdgeRow[],
  node: string | undefined,
  search: string,
  sort: Sort,
): EdgeRow[] {
  const needle = search.trim().toLowerCase();
  return rows
    .filter((r) => node === undefined || r.source === node || r.target === node)
    .filter(
      (r) => !needle || r.source.toLowerCase().includes(needle) || r.target.toLowerCase().includes(needle),
    )
    .sort((a, b) => KEY[sort](b) - KEY[sort](a) || a.key.localeCompare(b.key));
}
