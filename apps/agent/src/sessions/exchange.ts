/**
 * One request/response exchange being assembled from parsed messages, and its conversion
 * into the §3.1 request log once it is complete, unanswered (timeout) or one-sided.
 */
import { emptyRequestLog, type L7Protocol, type RequestLog } from '@zeroscope/wire';
import type { FiveTuple, ProcessMeta } from '../capture/types';
import type { L7Message } from '../parsers/types';

/** A parsed message plus where it came from on the stream. */
export interface PlacedMessage {
  msg: L7Message;
  /** TCP sequence number of the message's first byte (0 for UDP) */
  seq: number;
  process?: ProcessMeta;
}

export interface Exchange {
  streamId: number | undefined;
  start: number;
  end: number;
  req?: PlacedMessage;
  resp?: PlacedMessage;
  reqFields: Partial<RequestLog>;
  respFields: Partial<RequestLog>;
  reqLength: number;
  respLength: number;
}

export function newExchange(first: PlacedMessage): Exchange {
  const isReq = first.msg.direction === 'request';
  return {
    streamId: first.msg.streamId,
    start: first.msg.ts,
    end: first.msg.ts,
    req: isReq ? first : undefined,
    resp: isReq ? undefined : first,
    reqFields: isReq ? first.msg.fields : {},
    respFields: isReq ? {} : first.msg.fields,
    reqLength: isReq ? first.msg.length : 0,
    respLength: isReq ? 0 : first.msg.length,
  };
}

/** Merge a (partial or final) response into an exchange. */
export function addResponse(ex: Exchange, p: PlacedMessage): void {
  if (!ex.resp) {
    ex.resp = p;
    ex.respFields = p.msg.fields;
  } else {
    // later parts of a streamed response override earlier ones (e.g. the gRPC status trailer)
    ex.respFields = { ...ex.respFields, ...p.msg.fields };
  }
  ex.respLength += p.msg.length;
  if (p.msg.ts > ex.end) ex.end = p.msg.ts;
}

/** Per-connection facts every record of the connection shares. */
export interface ConnInfo {
  tuple: FiveTuple;
  flowId: number;
  protocol: L7Protocol;
  signalSource: RequestLog['signal_source'];
  observationPoint: RequestLog['observation_point'];
  agentId: number;
}

/** Names the process at one end of a record: the client is end 0, the server end 1. */
export function setEndProcess(r: RequestLog, side: 'client' | 'server', pid: number, comm: string): void {
  if (side === 'client') {
    r.process_id_0 = pid;
    r.process_kname_0 = comm;
  } else {
    r.process_id_1 = pid;
    r.process_kname_1 = comm;
  }
}

export function toRecord(ex: Exchange, conn: ConnInfo, timedOut: boolean): RequestLog {
  const r = emptyRequestLog();
  r.l7_protocol = conn.protocol;
  Object.assign(r, ex.reqFields, ex.respFields);
  r.start_time = ex.start;
  r.end_time = ex.end;
  r.response_duration = ex.req && ex.resp ? ex.end - ex.start : 0;
  r.request_length = ex.reqLength;
  r.response_length = ex.respLength;
  if (timedOut && !ex.resp) r.response_status = 'timeout';
  else if (ex.req?.msg.oneWay && !ex.resp && !ex.reqFields.response_status) r.response_status = 'ok';
  if (ex.streamId !== undefined && !ex.reqFields.request_id && !ex.respFields.request_id) {
    r.request_id = ex.streamId;
  }
  const t = conn.tuple;
  r.ip_0 = t.srcIp;
  r.ip_1 = t.dstIp;
  r.client_port = t.srcPort;
  r.server_port = t.dstPort;
  r.protocol = t.protocol;
  r.flow_id = conn.flowId;
  r.req_tcp_seq = ex.req?.seq ?? 0;
  r.resp_tcp_seq = ex.resp?.seq ?? 0;
  r.signal_source = conn.signalSource;
  r.observation_point = conn.observationPoint;
  r.agent_id = conn.agentId;
  const proc = ex.req?.process ?? ex.resp?.process;
  if (proc) setEndProcess(r, proc.side, proc.pid, proc.comm);
  r.syscall_trace_id_request = ex.req?.process?.syscallTraceId ?? 0;
  r.syscall_trace_id_response = ex.resp?.process?.syscallTraceId ?? 0;
  return r;
}
