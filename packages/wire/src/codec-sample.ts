/** Deterministic, realistic-looking records for codec tests, link tests and benchmarks. */
import type { FlowLog, RequestLog } from './records';
import { emptyRequestLog } from './records';

const ENDPOINTS = [
  '/api/orders',
  '/api/users/:id',
  '/healthz',
  '/api/cart',
  '/login',
  '/api/search',
  '/static/app.js',
];
const DOMAINS = ['orders.shop.svc', 'users.shop.svc', 'cart.shop.svc', 'gateway', 'search.shop.svc'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

export function sampleRequestLogs(
  n: number,
  seed = 1,
  startUs = Math.floor(Date.now() / 1000) * 1_000_000 - 600_000_000,
): RequestLog[] {
  const r = rng(seed);
  const out: RequestLog[] = [];
  let t = startUs;
  for (let i = 0; i < n; i++) {
    t += Math.floor(r() * 50);
    const ep = ENDPOINTS[Math.floor(r() * ENDPOINTS.length)]!;
    const dur = 200 + Math.floor(r() * r() * 50_000);
    const err = r() < 0.03;
    const rec = emptyRequestLog();
    rec.start_time = t;
    rec.end_time = t + dur;
    rec.response_duration = dur;
    rec.l7_protocol = 'http1';
    rec.version = '1.1';
    rec.request_type = METHODS[Math.floor(r() * METHODS.length)]!;
    rec.request_domain = DOMAINS[Math.floor(r() * DOMAINS.length)]!;
    rec.request_resource =
      ep.replace(':id', String(Math.floor(r() * 5000))) + (r() < 0.3 ? `?page=${i % 20}` : '');
    rec.endpoint = ep;
    rec.request_id = 0;
    rec.response_status = err ? 'server_error' : 'ok';
    rec.response_code = err ? 503 : 200;
    rec.response_exception = err ? 'Service Unavailable' : '';
    rec.request_length = 120 + Math.floor(r() * 400);
    rec.response_length = 200 + Math.floor(r() * 8000);
    rec.trace_id = r() < 0.5 ? (seed * 1e9 + i).toString(16).padStart(32, '0') : '';
    rec.span_id = rec.trace_id ? (i * 7919).toString(16).padStart(16, '0') : '';
    rec.x_request_id_0 = r() < 0.2 ? `req-${seed}-${i}` : '';
    rec.ip_0 = `10.0.${Math.floor(r() * 4)}.${1 + Math.floor(r() * 40)}`;
    rec.ip_1 = `10.0.9.${1 + Math.floor(r() * 8)}`;
    rec.client_port = 30000 + Math.floor(r() * 30000);
    rec.server_port = 8080;
    rec.flow_id = 1000 + Math.floor(r() * 200);
    rec.req_tcp_seq = Math.floor(r() * 0xffffffff);
    rec.resp_tcp_seq = Math.floor(r() * 0xffffffff);
    rec.syscall_trace_id_request = i;
    rec.process_id_1 = 4000 + Math.floor(r() * 4);
    rec.process_kname_1 = 'node';
    rec.observation_point = 's-p';
    rec.signal_source = 'ebpf';
    rec.auto_service_id_1 = 1 + Math.floor(r() * 5);
    rec.auto_service_type_1 = 105;
    rec.auto_instance_id_1 = 100 + Math.floor(r() * 12);
    rec.pod_id_1 = rec.auto_instance_id_1;
    rec.host_id_1 = 1;
    out.push(rec);
  }
  return out;
}

export function sampleFlowLogs(
  n: number,
  seed = 1,
  startUs = Math.floor(Date.now() / 1000) * 1_000_000 - 600_000_000,
): FlowLog[] {
  const r = rng(seed);
  const out: FlowLog[] = [];
  for (let i = 0; i < n; i++) {
    const start = startUs + i * 1000;
    out.push({
      start_time: start,
      end_time: start + 60_000_000,
      duration: 60_000_000,
      ip_0: `10.0.0.${1 + (i % 200)}`,
      ip_1: i % 5 === 0 ? 'fd00::1' : '10.0.9.1',
      client_port: 40000 + (i % 1000),
      server_port: 5432,
      protocol: 'tcp',
      flow_id: i,
      byte_tx: Math.floor(r() * 1e6),
      byte_rx: Math.floor(r() * 1e7),
      packet_tx: Math.floor(r() * 1000),
      packet_rx: Math.floor(r() * 1000),
      rtt: Math.floor(r() * 500),
      rtt_client: Math.floor(r() * 500),
      rtt_server: Math.floor(r() * 500),
      srt: Math.floor(r() * 900),
      art: Math.floor(r() * 900),
      retrans_tx: 0,
      retrans_rx: i % 17 === 0 ? 1 : 0,
      zero_win_tx: 0,
      zero_win_rx: 0,
      syn_count: 1,
      synack_count: 1,
      close_type: 'normal',
      l7_protocol: 'postgresql',
      signal_source: 'packet',
      agent_id: 0,
    });
  }
  return out;
}
