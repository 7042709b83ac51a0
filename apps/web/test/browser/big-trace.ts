/**
 * One trace of 10,001 spans for the waterfall's scale check: a gateway request (W3C trace id
 * propagated to every hop) that made 5,000 calls, each seen on both sides of its connection.
 */
import { emptyRequestLog, type RequestLog } from '@zeroscope/wire/records';

export const BIG_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const BIG_TRACE_SPANS = 10_001;

export function bigTrace(nowUs: number): RequestLog[] {
  const t0 = nowUs - 120_000_000;
  const base = (over: Partial<RequestLog>): RequestLog => ({
    ...emptyRequestLog(),
    l7_protocol: 'http1',
    version: '1.1',
    request_type: 'GET',
    response_status: 'ok',
    response_code: 200,
    protocol: 'tcp',
    ip_0: '10.9.0.1',
    ip_1: '10.9.0.2',
    trace_id: BIG_TRACE_ID,
    signal_source: 'ebpf',
    ...over,
  });
  const entry = base({
    start_time: t0,
    end_time: t0 + 10_000_000,
    response_duration: 10_000_000,
    endpoint: '/batch',
    request_resource: '/batch',
    client_port: 40000,
    server_port: 8080,
    flow_id: 1,
    req_tcp_seq: 1,
    resp_tcp_seq: 2,
    syscall_trace_id_request: 7,
    syscall_trace_id_response: 5999,
    process_id_1: 20,
    process_kname_1: 'batcher',
    observation_point: 's-p',
  });
  const rows = [entry];
  for (let i = 0; i < 5000; i++) {
    const a = t0 + 1000 + i * 1900;
    const hop = {
      endpoint: `/item/${i}`,
      request_resource: `/item/${i}`,
      client_port: 1024 + i,
      server_port: 9090,
      flow_id: 10 + i,
      req_tcp_seq: 100 + i * 1000,
      resp_tcp_seq: 600 + i * 1000,
      process_id_0: 20,
      process_kname_0: 'batcher',
      process_id_1: 30,
      process_kname_1: 'items',
    };
    rows.push(
      base({
        ...hop,
        start_time: a,
        end_time: a + 1800,
        response_duration: 1800,
        observation_point: 'c-p',
        syscall_trace_id_request: i === 0 ? 7 : 1000 + i - 1,
        syscall_trace_id_response: 1000 + i,
      }),
      base({
        ...hop,
        start_time: a + 100,
        end_time: a + 1700,
        response_duration: 1600,
        observation_point: 's-p',
        syscall_trace_id_request: 100_000 + i,
        syscall_trace_id_response: 100_000 + i,
      }),
    );
  }
  return rows;
}
