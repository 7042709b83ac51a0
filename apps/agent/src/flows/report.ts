/** Turns a flow's current interval into a FlowLog (PRODUCT.md §3.1); `_tx` is client->server. */
import type { CloseType, FlowLog, SignalSource } from '@zeroscope/wire';
import type { Flow, Stat } from './flow';
import { flowIdOf } from './flow-id';

const mean = (s: Stat): number => (s.count === 0 ? 0 : Math.round(s.sum / s.count));

export interface ReportContext {
  agentId: number;
  signalSource: SignalSource;
}

/** `final`: the flow ends with this record (a lone SYN->SYN-ACK RTT is reported then). */
export function toFlowLog(f: Flow, closeType: CloseType, ctx: ReportContext, final: boolean): FlowLog {
  const c = f.clientIdx;
  const s = c === 0 ? 1 : 0;
  const iv = f.iv;
  const t = f.tcp;
  // handshake RTT belongs to the record of the interval that measured it
  let rttClient = 0;
  let rttServer = 0;
  if (t && !t.rttReported && (t.rttClient >= 0 || (final && t.rttServer >= 0))) {
    rttServer = Math.max(0, t.rttServer);
    rttClient = Math.max(0, t.rttClient);
    t.rttReported = true;
  }
  const start = iv.firstTs || f.lastTs;
  const end = iv.lastTs || f.lastTs;
  return {
    start_time: start,
    end_time: end,
    duration: end - f.startTs,
    ip_0: f.ip[c],
    ip_1: f.ip[s],
    client_port: f.port[c],
    server_port: f.port[s],
    protocol: f.protocol,
    flow_id: flowIdOf({
      protocol: f.protocol,
      srcIp: f.ip[c],
      srcPort: f.port[c],
      dstIp: f.ip[s],
      dstPort: f.port[s],
    }),
    byte_tx: iv.bytes[c],
    byte_rx: iv.bytes[s],
    packet_tx: iv.packets[c],
    packet_rx: iv.packets[s],
    rtt: rttClient > 0 && rttServer > 0 ? rttClient + rttServer : 0,
    rtt_client: rttClient,
    rtt_server: rttServer,
    srt: mean(iv.srt[s]),
    art: mean(iv.art[s]),
    retrans_tx: iv.retrans[c],
    retrans_rx: iv.retrans[s],
    zero_win_tx: iv.zeroWin[c],
    zero_win_rx: iv.zeroWin[s],
    syn_count: iv.syn,
    synack_count: iv.synAck,
    close_type: closeType,
    l7_protocol: f.l7,
    signal_source: ctx.signalSource,
    agent_id: ctx.agentId,
  };
}
