/** Hand-made request-log rows for the pure tracing tests: a row reads like the record it stands for. */
import type { TraceRow } from './row';

let flow = 1;

export function row(
  p: Partial<TraceRow> & Pick<TraceRow, 'observation_point' | 'start_time' | 'end_time'>,
): TraceRow {
  return {
    l7_protocol: 'http1',
    request_type: 'GET',
    request_domain: '',
    request_resource: '',
    endpoint: '',
    request_id: 0,
    response_status: 'ok',
    response_code: 200,
    response_exception: '',
    trace_id: '',
    span_id: '',
    parent_span_id: '',
    x_request_id_0: '',
    x_request_id_1: '',
    ip_0: '10.0.0.1',
    ip_1: '10.0.0.2',
    client_port: 40000,
    server_port: 80,
    flow_id: flow++,
    req_tcp_seq: 0,
    resp_tcp_seq: 0,
    syscall_trace_id_request: 0,
    syscall_trace_id_response: 0,
    process_id_0: 0,
    process_id_1: 0,
    process_kname_0: '',
    process_kname_1: '',
    signal_source: 'ebpf',
    agent_id: 1,
    attribute_names: [],
    attribute_values: [],
    ...p,
  };
}

/** One hop seen from both processes: the caller's c-p and the callee's s-p share tcp seqs and ports. */
export function hop(h: {
  client: { pid: number; name: string };
  server: { pid: number; name: string };
  port: number;
  clientPort: number;
  seq: number;
  /** client-side start/end; the server side is 100 µs inside */
  at: [number, number];
  /** syscall ids of the client side [request, response] and of the server side */
  cIds?: [number, number];
  sIds?: [number, number];
  endpoint?: string;
  agents?: [number, number];
}): { c: TraceRow; s: TraceRow } {
  const common = {
    server_port: h.port,
    client_port: h.clientPort,
    req_tcp_seq: h.seq,
    resp_tcp_seq: h.seq + 1000,
    endpoint: h.endpoint ?? `/${h.server.name}`,
    request_resource: h.endpoint ?? `/${h.server.name}`,
    process_id_0: h.client.pid,
    process_kname_0: h.client.name,
    process_id_1: h.server.pid,
    process_kname_1: h.server.name,
  };
  const c = row({
    ...common,
    observation_point: 'c-p',
    start_time: h.at[0],
    end_time: h.at[1],
    syscall_trace_id_request: h.cIds?.[0] ?? 0,
    syscall_trace_id_response: h.cIds?.[1] ?? 0,
    agent_id: h.agents?.[0] ?? 1,
  });
  const s = row({
    ...common,
    observation_point: 's-p',
    start_time: h.at[0] + 100,
    end_time: h.at[1] - 100,
    syscall_trace_id_request: h.sIds?.[0] ?? 0,
    syscall_trace_id_response: h.sIds?.[1] ?? 0,
    agent_id: h.agents?.[1] ?? 1,
    flow_id: c.flow_id,
  });
  return { c, s };
}

export const CURL = { pid: 10, name: 'curl' };
export const GATEWAY = { pid: 20, name: 'gateway' };
export const CATALOG = { pid: 30, name: 'catalog' };
export const REDIS = { pid: 40, name: 'redis-server' };

/**
 * curl -> gateway -> catalog -> redis starting at t0 (µs), with the ids the kernel gives one
 * thread per request; the endpoints of the entry and the Redis hop can be set.
 */
export function demoChain(t0: number, endpoints: { entry?: string; redis?: string } = {}) {
  const at = (a: number, b: number): [number, number] => [t0 + a, t0 + b];
  const a = hop({
    client: CURL,
    server: GATEWAY,
    port: 8080,
    clientPort: 50000,
    seq: 1000,
    at: at(0, 10_000),
    cIds: [1, 2],
    sIds: [101, 103],
    endpoint: endpoints.entry,
  });
  const b = hop({
    client: GATEWAY,
    server: CATALOG,
    port: 8081,
    clientPort: 50001,
    seq: 2000,
    at: at(1000, 8000),
    cIds: [101, 103],
    sIds: [201, 202],
  });
  const c = hop({
    client: CATALOG,
    server: REDIS,
    port: 6379,
    clientPort: 50002,
    seq: 3000,
    at: at(2000, 3000),
    cIds: [201, 202],
    sIds: [301, 301],
    endpoint: endpoints.redis,
  });
  return { a, b, c };
}
