/**
 * HTTP/1, HTTP/2 and gRPC over DeepFlow's fixtures: the meaning of each expected `.result`
 * line (method, path, host, status, stream id, trace ids) must show up in our records.
 */
import type { RequestLog } from '@zeroscope/wire';
import { describe, expect, it } from 'vitest';
import { fixturesAvailable, prio, readResult, replayFixture } from './fixture-helpers';

const d = fixturesAvailable ? describe : describe.skip;
if (!fixturesAvailable)
  console.warn('DeepFlow fixtures not found (set ZEROSCOPE_DEEPFLOW_FIXTURES): skipping');

const METHOD: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Delete: 'DELETE',
  Head: 'HEAD',
};

/** Expected requests and responses of a fixture, in file order. */
async function expected(name: string) {
  const lines = await readResult(name.replace(/\.pcap$/, '.result'));
  return {
    requests: lines.filter((l) => l.msg_type === 'Request'),
    responses: lines.filter((l) => l.msg_type === 'Response' || (l.msg_type === 'Session' && l.status_code)),
  };
}

d('DeepFlow HTTP/1 fixtures', () => {
  for (const name of [
    'http/httpv1.pcap',
    'http/client-ip.pcap',
    'http/sw8.pcap',
    'http/istio-tcp-frag.pcap',
  ]) {
    it(`${name}: one record per request with DeepFlow's method, path, host, status, trace`, async () => {
      const logs = await replayFixture(name);
      const { requests, responses } = await expected(name);
      expect(logs).toHaveLength(requests.length);
      requests.forEach((e, i) => {
        const r = logs[i]!;
        expect(r.l7_protocol).toBe('http1');
        expect(r.request_type).toBe(METHOD[String(e.method)]);
        expect(r.request_resource).toBe(e.path);
        expect(r.request_domain).toBe(e.host);
        expect(r.version).toBe('1.1');
        const trace = prio(e.trace_ids);
        if (trace) {
          expect(r.trace_id).toBe(trace);
          expect(r.span_id).toBe(prio(e.span_id));
        }
      });
      responses.forEach((e, i) => {
        expect(logs[i]!.response_code).toBe(e.status_code);
        expect(logs[i]!.response_status).toBe('ok');
      });
    });
  }

  it('httpv1.pcap: 84051 µs response time, tuple and TCP sequence numbers from the packets', async () => {
    const [r] = await replayFixture('http/httpv1.pcap');
    expect(r).toMatchObject({
      response_duration: 84051,
      ip_0: '10.33.0.31',
      ip_1: '120.52.183.165',
      client_port: 61959,
      server_port: 80,
      protocol: 'tcp',
      req_tcp_seq: 1256301628,
      resp_tcp_seq: 4032757599,
      request_length: 231,
      response_length: 227,
      endpoint: '/query',
      signal_source: 'packet',
      observation_point: 'c',
    } satisfies Partial<RequestLog>);
    expect(r!.flow_id).toBeGreaterThan(0);
  });

  it('istio-tcp-frag.pcap: B3 multi headers and x-request-id', async () => {
    const [r] = await replayFixture('http/istio-tcp-frag.pcap');
    expect(r).toMatchObject({
      trace_id: '744a02a3033b7d5960cd96456ba069a0',
      span_id: '03df9f227df14072',
      parent_span_id: '60cd96456ba069a0',
      x_request_id_0: '46364834-4fb8-9692-a5d6-ab638447a787',
      response_code: 200,
    });
  });
});

d('DeepFlow HTTP/2 and gRPC fixtures', () => {
  const cases: [string, number][] = [
    ['http/h2c_ascii.pcap', 2023],
    ['http/grpc-server-stream.pcap', 2506326],
  ];
  for (const [name, rrt] of cases) {
    it(`${name}: response time ${rrt} µs as DeepFlow measured`, async () => {
      const logs = await replayFixture(name);
      expect(logs).toHaveLength(1);
      expect(logs[0]!.response_duration).toBe(rrt);
    });
  }

  for (const name of [
    'http/h2c_ascii.pcap',
    'http/http2-multi.pcap',
    'http/grpc-unary.pcap',
    'http/grpc-unknown.pcap',
    'http/grpc-segmented.pcap',
    'http/grpc-server-stream.pcap',
    'http/grpc-service-name.pcap',
    'http/httpv2-stream-id.pcap',
  ]) {
    it(`${name}: streams, paths, services and statuses match`, async () => {
      const logs = await replayFixture(name);
      const { requests, responses } = await expected(name);
      expect(logs).toHaveLength(requests.length);
      for (const e of requests) {
        const r = logs.find((l) => l.request_id === e.stream_id)!;
        expect(r, `stream ${e.stream_id}`).toBeDefined();
        expect(r.request_type).toBe(METHOD[String(e.method)] ?? 'POST');
        expect(r.l7_protocol).toBe(e.proto === 'Grpc' ? 'grpc' : 'http2');
        if (e.path) {
          expect(r.request_resource).toBe(e.path);
          expect(r.endpoint).toBe(e.endpoint);
        }
        if (e.service_name) expect(r.request_domain).toBe(e.service_name);
        else if (e.host) expect(r.request_domain).toBe(e.host);
      }
      for (const r of logs) {
        const mine = responses.filter((e) => e.stream_id === r.request_id);
        if (mine.length === 0) continue;
        // gRPC: the grpc-status trailer decides; otherwise the :status
        const grpc = mine.map((e) => e.grpc_status_code).filter((c) => typeof c === 'number');
        expect(r.response_code).toBe(grpc.length > 0 ? grpc.at(-1) : mine.at(-1)!.status_code);
        expect(r.response_status).toBe('ok');
      }
    });
  }

  it('http2-multi.pcap: out-of-order responses pair by stream id', async () => {
    const logs = await replayFixture('http/http2-multi.pcap');
    expect(logs.map((l) => l.request_id).sort()).toEqual([18131981, 18131983]);
    for (const l of logs) expect(l.response_code).toBe(200);
  });

  it('request without a captured response becomes a timeout', async () => {
    const logs = await replayFixture('http/httpv2-stream-id.pcap');
    expect(logs[0]!.response_status).toBe('timeout');
  });
});
