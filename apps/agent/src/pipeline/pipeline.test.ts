import type { RequestLog } from '@zeroscope/wire';
import { describe, expect, it } from 'vitest';
import type { FiveTuple, ProcessMeta, StreamChunk } from '../capture/types';
import { createPipeline } from './pipeline';

const tuple: FiveTuple = {
  protocol: 'tcp',
  srcIp: '10.1.1.1',
  srcPort: 50000,
  dstIp: '10.1.1.2',
  dstPort: 3000,
};

function chunk(
  direction: 'request' | 'response',
  text: string,
  ts: number,
  seq: number,
  process?: ProcessMeta,
): StreamChunk {
  const payload = new Uint8Array(Buffer.from(text));
  return {
    ts,
    tuple,
    direction,
    payload,
    tcpSeq: seq,
    totalLength: payload.length,
    gap: false,
    source: process ? 'ebpf' : 'packet',
    process,
  };
}

const proc = (side: 'client' | 'server', traceId: number): ProcessMeta => ({
  pid: 42,
  tid: 43,
  comm: 'node',
  fd: 7,
  syscallTraceId: traceId,
  side,
});

describe('createPipeline', () => {
  it('eBPF chunks carry process, syscall trace ids and observation point into the record', () => {
    const out: RequestLog[] = [];
    const p = createPipeline({ onRecord: (r) => out.push(r) });
    p.push(chunk('request', 'GET /x HTTP/1.1\r\nHost: svc\r\n\r\n', 1000, 11, proc('server', 501)));
    p.push(chunk('response', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', 1600, 22, proc('server', 502)));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      signal_source: 'ebpf',
      observation_point: 's-p',
      process_id_1: 42,
      process_kname_1: 'node',
      process_id_0: 0,
      syscall_trace_id_request: 501,
      syscall_trace_id_response: 502,
      req_tcp_seq: 11,
      resp_tcp_seq: 22,
      response_duration: 600,
      ip_0: '10.1.1.1',
      server_port: 3000,
    });
  });

  it('when both ends of a connection are captured here, each record names both processes', () => {
    const out: RequestLog[] = [];
    const p = createPipeline({ onRecord: (r) => out.push(r) });
    const client = { ...proc('client', 0), pid: 100, comm: 'curl', fd: 3 };
    const server = { ...proc('server', 0), pid: 200, comm: 'python3', fd: 9 };
    const req = 'GET /x HTTP/1.1\r\nHost: svc\r\n\r\n';
    const resp = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
    p.push(chunk('request', req, 1000, 11, client));
    p.push(chunk('request', req, 1010, 11, server));
    p.push(chunk('response', resp, 1500, 22, server));
    p.push(chunk('response', resp, 1510, 22, client));
    const byPoint = Object.fromEntries(out.map((r) => [r.observation_point, r]));
    const ends = {
      process_id_0: 100,
      process_kname_0: 'curl',
      process_id_1: 200,
      process_kname_1: 'python3',
    };
    expect(byPoint['s-p']).toMatchObject(ends);
    expect(byPoint['c-p']).toMatchObject(ends);
    // a remote client (no captured peer) stays unnamed
    const lone = createPipeline({ onRecord: (r) => out.push(r) });
    lone.push(chunk('request', req, 2000, 11, server));
    lone.push(chunk('response', resp, 2500, 22, server));
    expect(out.at(-1)).toMatchObject({ observation_point: 's-p', process_id_0: 0, process_id_1: 200 });
  });

  it('tick() turns requests older than the window into timeouts; flush() ends the rest', () => {
    const out: RequestLog[] = [];
    const p = createPipeline({ onRecord: (r) => out.push(r), timeoutUs: 1000 });
    p.push(chunk('request', 'GET /slow HTTP/1.1\r\n\r\n', 10_000, 1));
    p.tick(10_500);
    expect(out).toHaveLength(0);
    p.tick(11_001);
    expect(out.map((r) => [r.request_resource, r.response_status])).toEqual([['/slow', 'timeout']]);
    p.push(chunk('request', 'GET /late HTTP/1.1\r\n\r\n', 12_000, 30));
    p.flush();
    expect(out.at(-1)!.response_status).toBe('timeout');
    expect(p.stats.timeouts).toBe(2);
  });

  it('the protocol list restricts which parsers run; unknown bytes are counted, not thrown', () => {
    const out: RequestLog[] = [];
    const p = createPipeline({ onRecord: (r) => out.push(r), protocols: ['dns'] });
    p.push(chunk('request', 'GET / HTTP/1.1\r\n\r\n', 1, 1));
    expect(out).toHaveLength(0);
    expect(p.stats.unparsed).toBe(1);
  });

  it('inference is cached per server endpoint', () => {
    const p = createPipeline({ onRecord: () => undefined });
    p.push(chunk('request', 'GET / HTTP/1.1\r\n\r\n', 1, 1));
    expect(p.cache.get('10.1.1.2', 3000)).toBe('http1');
  });
});

describe('connection lifetime', () => {
  it('an idle keep-alive connection keeps its parser state past the request timeout', () => {
    const out: RequestLog[] = [];
    const p = createPipeline({ onRecord: (r) => out.push(r), timeoutUs: 1000, idleUs: 1_000_000 });
    p.push(chunk('request', 'GET /a HTTP/1.1\r\n\r\n', 0, 1));
    p.push(chunk('response', 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab', 10, 1));
    p.tick(500_000);
    // the rest of the body arrives after a pause: still skipped, not parsed as a message
    p.push(chunk('response', 'cd', 500_001, 100));
    p.push(chunk('request', 'GET /b HTTP/1.1\r\n\r\n', 500_002, 20));
    p.push(chunk('response', 'HTTP/1.1 204 No Content\r\n\r\n', 500_003, 102));
    expect(out.map((r) => r.response_code)).toEqual([200, 204]);
  });
});
