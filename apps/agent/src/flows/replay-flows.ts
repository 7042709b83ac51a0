/**
 * The flow table as `agent replay` uses it: fed the same decoded packets as the request
 * pipeline, told each request log's L7 protocol and client->server orientation.
 */
import type { FlowLog, RequestLog } from '@zeroscope/wire';
import type { Packet } from '../capture/types';
import { createFlowTable, type FlowTable } from './flow-table';

export interface ReplayFlows {
  push(p: Packet): void;
  onRecord(r: RequestLog): void;
  flush(): void;
  readonly table: FlowTable;
}

export function createReplayFlows(onFlowLog: (f: FlowLog) => void, agentId?: number): ReplayFlows {
  const table = createFlowTable({ onFlowLog, agentId, signalSource: 'packet' });
  return {
    table,
    push: (p) => table.push(p),
    onRecord(r) {
      if (r.l7_protocol === 'unknown') return;
      const tuple = {
        protocol: r.protocol,
        srcIp: r.ip_0,
        srcPort: r.client_port,
        dstIp: r.ip_1,
        dstPort: r.server_port,
      };
      table.setL7Protocol(tuple, r.l7_protocol);
    },
    flush: () => table.flush(),
  };
}
