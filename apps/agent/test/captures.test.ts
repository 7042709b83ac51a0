/**
 * Our own loopback captures (recorded by test/captures/record.ts from curl, Node http/http2,
 * dig + dnsmasq); expectations come from scenarios.ts, the same list the recorder ran.
 */
import { describe, expect, it } from 'vitest';
import {
  B3,
  DIG_CALLS,
  DNS_ADDRESS,
  HTTP1_CALLS,
  HTTP2_CALLS,
  PORTS,
  TLS_CALLS,
  TLS_HOST,
} from './captures/scenarios';
import { replayCapture } from './fixture-helpers';

describe('curl -> Node http server (http1.pcap)', () => {
  it('one record per request, in order, with methods, paths, codes, ids and trace headers', async () => {
    const logs = await replayCapture('http1.pcap');
    const expected = HTTP1_CALLS.flatMap((c) => c.expect);
    expect(logs).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      const r = logs[i]!;
      expect(r.l7_protocol).toBe('http1');
      expect(r.request_type).toBe(e.method);
      expect(r.request_resource).toBe(e.resource);
      expect(r.endpoint).toBe(e.resource.split('?')[0]);
      expect(r.request_domain).toBe(`127.0.0.1:${PORTS.http1}`);
      expect(r.server_port).toBe(PORTS.http1);
      expect(r.ip_0).toBe('127.0.0.1');
      if (e.code === 0) expect(r.response_status).toBe('timeout');
      else {
        expect(r.response_code).toBe(e.code);
        expect(r.response_status).toBe(
          e.code >= 500 ? 'server_error' : e.code >= 400 ? 'client_error' : 'ok',
        );
        expect(r.response_duration).toBeGreaterThan(0);
        expect(r.resp_tcp_seq).toBeGreaterThan(0);
      }
      expect(r.x_request_id_0).toBe(e.xrid0 ?? '');
      expect(r.x_request_id_1).toBe(e.xrid1 ?? '');
      expect(r.trace_id).toBe(e.trace ?? '');
    });
  });

  it('B3 single header fills span and parent span; sw8 joins segment and span id', async () => {
    const logs = await replayCapture('http1.pcap');
    const b3 = logs.find((l) => l.request_resource === '/submit')!;
    expect([b3.span_id, b3.parent_span_id]).toEqual([B3.split('-')[1], B3.split('-')[3]]);
    expect(logs.find((l) => l.request_resource === '/boom')!.span_id).toBe('segment-xyz-3');
  });

  it('keep-alive requests on one connection get consecutive TCP sequence numbers', async () => {
    const logs = (await replayCapture('http1.pcap')).filter((l) =>
      ['/a', '/chunked', '/b'].includes(l.request_resource),
    );
    expect(new Set(logs.map((l) => l.flow_id)).size).toBe(1);
    expect(logs[1]!.req_tcp_seq - logs[0]!.req_tcp_seq).toBe(logs[0]!.request_length);
    expect(logs[2]!.req_tcp_seq - logs[1]!.req_tcp_seq).toBe(logs[1]!.request_length);
  });
});

describe('Node http2 client -> Node http2 server (http2.pcap)', () => {
  it('streams pair by id; gRPC status and message come from the trailers', async () => {
    const logs = await replayCapture('http2.pcap');
    expect(logs).toHaveLength(HTTP2_CALLS.length);
    for (const c of HTTP2_CALLS) {
      const r = logs.find((l) => l.request_resource === c.path)!;
      expect(r, c.path).toBeDefined();
      expect(r.request_type).toBe(c.method);
      expect(r.request_id % 2).toBe(1);
      expect(r.x_request_id_0).toBe(`h2-${c.path}`);
      if (c.grpc) {
        expect(r.l7_protocol).toBe('grpc');
        expect(r.request_domain).toBe('demo.Greeter');
        expect(r.endpoint).toBe(c.path);
        expect(r.response_code).toBe(c.grpc.status);
        expect(r.response_exception).toBe(c.grpc.message ?? '');
        expect(r.response_status).toBe(
          c.grpc.status === 0 ? 'ok' : c.grpc.status === 5 ? 'client_error' : 'server_error',
        );
      } else {
        expect(r.l7_protocol).toBe('http2');
        expect(r.request_domain).toBe(`127.0.0.1:${PORTS.http2}`);
        expect(r.response_code).toBe(c.status);
      }
    }
  });
});

describe('curl -> Node https server (tls.pcap)', () => {
  it('SNI, negotiated version and cipher per handshake', async () => {
    const logs = await replayCapture('tls.pcap');
    expect(logs).toHaveLength(TLS_CALLS.length);
    TLS_CALLS.forEach((c, i) => {
      expect(logs[i]).toMatchObject({
        l7_protocol: 'tls',
        request_domain: TLS_HOST,
        version: c.version,
        response_status: 'ok',
      });
      expect(logs[i]!.response_result).toMatch(/^TLS_/);
    });
  });
});

describe('dig -> dnsmasq (dns.pcap)', () => {
  it('names, types, rcodes and answers over UDP and TCP', async () => {
    const logs = await replayCapture('dns.pcap');
    expect(logs).toHaveLength(DIG_CALLS.length);
    DIG_CALLS.forEach((c, i) => {
      const r = logs[i]!;
      expect(r).toMatchObject({
        l7_protocol: 'dns',
        request_resource: c.name,
        request_type: c.qtype,
        response_code: c.rcode,
      });
      expect(r.protocol).toBe(c.tcp ? 'tcp' : 'udp');
      expect(r.response_status).toBe(c.rcode === 0 ? 'ok' : 'client_error');
      if (c.result) expect(r.response_result).toContain(`A=${DNS_ADDRESS}`);
      expect(r.request_id).toBeGreaterThan(0);
    });
  });
});
