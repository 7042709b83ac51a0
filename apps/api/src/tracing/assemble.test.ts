import { describe, expect, it } from 'vitest';
import { assemble } from './assemble';
import { CATALOG, CURL, demoChain, GATEWAY, hop, row } from './fixtures';
import { linkInProcess } from './link-process';
import { DEFAULT_LINK_OPTIONS } from './link-types';
import type { TraceRow } from './row';
import { parseSyntheticTraceId, syntheticTraceId } from './trace-id';

const STATS = { iterations: 1, rows: 0, truncated: false };
const T0 = 1_700_000_000_000_000;
const at = (a: number, b: number): [number, number] => [T0 + a, T0 + b];

/** curl -> gateway -> catalog -> redis, ids as the kernel assigns them to one thread per request. */
function chain() {
  const { a, b, c } = demoChain(T0, { redis: '' });
  return { a, b, c, rows: [c.s, b.c, a.s, c.c, a.c, b.s] as TraceRow[] };
}

describe('assemble', () => {
  it('links a 3-hop chain: tcp seq across hops, syscall ids inside processes, parents before children', () => {
    const { rows, a } = chain();
    const t = assemble(rows, rows.indexOf(a.s), STATS);
    expect(t.spans.map((s) => [s.observationPoint, s.service, s.depth, s.linkedBy])).toEqual([
      ['c-p', 'curl', 0, undefined],
      ['s-p', 'gateway', 1, 'tcp_seq'],
      ['c-p', 'gateway', 2, 'syscall'],
      ['s-p', 'catalog', 3, 'tcp_seq'],
      ['c-p', 'catalog', 4, 'syscall'],
      ['s-p', 'redis-server', 5, 'tcp_seq'],
    ]);
    for (let i = 1; i < t.spans.length; i++) expect(t.spans[i]!.parentSpanId).toBe(t.spans[i - 1]!.spanId);
    expect(t.rootSpanId).toBe(t.spans[0]!.spanId);
    expect(t.unlinked).toEqual([]);
    expect(t.startUs).toBe(T0);
    expect(t.endUs).toBe(T0 + 10_000);
    // no header trace id: the id names the root record and finds it again
    expect(parseSyntheticTraceId(t.traceId)).toEqual(t.spans[0]!.recordKey);
  });

  it('computes self time per span and per service from the union of child intervals', () => {
    const { rows, a } = chain();
    const t = assemble(rows, rows.indexOf(a.s), STATS);
    const self = Object.fromEntries(t.spans.map((s) => [`${s.observationPoint} ${s.service}`, s.selfUs]));
    expect(self['c-p curl']).toBe(200); // 10000 minus its child [100, 9900]
    expect(self['s-p gateway']).toBe(9800 - 7000); // its call took 1000..8000
    expect(self['s-p redis-server']).toBe(800);
    const catalog = t.services.find((s) => s.name === 'catalog')!;
    expect(catalog.spans).toBe(2);
    expect(catalog.selfUs).toBe(self['s-p catalog']! + self['c-p catalog']!);
    expect(t.services.map((s) => s.selfUs)).toEqual(
      [...t.services.map((s) => s.selfUs)].sort((x, y) => y - x),
    );
  });

  it('the same trace comes out whichever of its records the search starts from', () => {
    const { rows, a, c } = chain();
    const fromEntry = assemble(rows, rows.indexOf(a.s), STATS);
    const fromLeaf = assemble(rows, rows.indexOf(c.s), STATS);
    expect(fromLeaf.spans.map((s) => s.spanId)).toEqual(fromEntry.spans.map((s) => s.spanId));
    expect(fromLeaf.traceId).toBe(fromEntry.traceId);
  });

  it('says why a client span has no server side and keeps X-Request-ID orphans with their reason', () => {
    const { rows, a } = chain();
    a.s.x_request_id_0 = 'rid-1';
    const external = hop({
      client: CATALOG,
      server: { pid: 0, name: '' },
      port: 443,
      clientPort: 50003,
      seq: 4000,
      at: at(3500, 4000),
      cIds: [202, 203],
    }).c;
    // a server record elsewhere carrying the same X-Request-ID, whose caller was not captured
    const orphan = row({
      observation_point: 's-p',
      start_time: T0 + 20_000,
      end_time: T0 + 21_000,
      x_request_id_0: 'rid-1',
      req_tcp_seq: 9999,
      process_id_1: 77,
      process_kname_1: 'audit',
    });
    const all = [...rows, external, orphan];
    const t = assemble(all, all.indexOf(a.s), STATS);
    const ext = t.spans.find((s) => s.port === 443)!;
    expect(ext.parentSpanId).toBeDefined();
    expect(ext.unlinkedReason).toBe('no_server_record');
    const o = t.spans.find((s) => s.service === 'audit')!;
    expect(o.parentSpanId).toBeUndefined();
    expect(o.unlinkedReason).toBe('no_client_record');
    expect(t.unlinked.map((u) => u.reason).sort()).toEqual(['no_client_record', 'no_server_record']);
    expect(t.unlinked.every((u) => u.detail.length > 10)).toBe(true);
  });

  it('places packet-captured network spans between the client and server process spans', () => {
    const { c: cp, s: sp } = hop({
      client: GATEWAY,
      server: CATALOG,
      port: 8081,
      clientPort: 50001,
      seq: 2000,
      at: at(0, 1000),
      agents: [1, 2],
    });
    const net = (op: 'c' | 's', agent: number, a: number, b: number) =>
      row({
        ...cp,
        observation_point: op,
        signal_source: 'packet',
        agent_id: agent,
        start_time: T0 + a,
        end_time: T0 + b,
        process_id_0: 0,
        process_kname_0: '',
      });
    const rows = [sp, net('s', 2, 60, 940), cp, net('c', 1, 20, 980)];
    const t = assemble(rows, 0, STATS);
    expect(t.spans.map((s) => [s.observationPoint, s.kind, s.linkedBy])).toEqual([
      ['c-p', 'process', undefined],
      ['c', 'network', 'tcp_seq'],
      ['s', 'network', 'tcp_seq'],
      ['s-p', 'process', 'tcp_seq'],
    ]);
  });

  it('merges OTLP spans: app span -> its c-p (span id) -> s-p (tcp seq) -> the callee app span', () => {
    const { c, s } = hop({
      client: GATEWAY,
      server: CATALOG,
      port: 8081,
      clientPort: 50001,
      seq: 2000,
      at: at(1000, 5000),
    });
    for (const r of [c, s]) {
      r.trace_id = '4bf92f3577b34da6a3ce929d0e0e4736';
      r.span_id = '00f067aa0ba902b7';
    }
    const app = (span: string, parent: string, service: string, a: number, b: number) =>
      row({
        observation_point: 'app',
        signal_source: 'otel',
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        span_id: span,
        parent_span_id: parent,
        endpoint: `${service} work`,
        start_time: T0 + a,
        end_time: T0 + b,
        attribute_names: ['service.name'],
        attribute_values: [service],
      });
    const rows = [
      app('b7ad6b7169203331', '00f067aa0ba902b7', 'catalog', 1500, 4500),
      s,
      c,
      app('00f067aa0ba902b7', '', 'gateway', 500, 6000),
    ];
    const t = assemble(rows, 1, STATS);
    expect(t.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(t.spans.map((x) => [x.kind, x.service, x.linkedBy])).toEqual([
      ['app', 'gateway', undefined],
      ['process', 'gateway', 'span_id'],
      ['process', 'catalog', 'tcp_seq'],
      ['app', 'catalog', 'span_id'],
    ]);
    expect(t.spans[0]!.spanId).toBe('00f067aa0ba902b7');
    expect(t.unlinked).toEqual([]);
  });

  it('reports an app span whose parent was never seen', () => {
    const lone = row({
      observation_point: 'app',
      signal_source: 'otel',
      trace_id: 't1',
      span_id: 's2',
      parent_span_id: 's1',
      start_time: T0,
      end_time: T0 + 10,
    });
    const sibling = row({ ...lone, span_id: 's3', parent_span_id: '' });
    const t = assemble([sibling, lone], 0, STATS);
    const l = t.spans.find((s) => s.spanId === 's2')!;
    expect(l.unlinkedReason).toBe('missing_parent_span');
  });
});

describe('assemble at scale', () => {
  it('links a 10,001-span trace (one request making 5,000 calls)', () => {
    const entry = hop({
      client: CURL,
      server: GATEWAY,
      port: 8080,
      clientPort: 1,
      seq: 1,
      at: at(0, 10_000_000),
      sIds: [7, 9],
    }).s;
    const rows: TraceRow[] = [entry];
    for (let i = 0; i < 5000; i++) {
      const h = hop({
        client: GATEWAY,
        server: CATALOG,
        port: 8081,
        clientPort: 2 + (i % 60000),
        seq: 100 + i * 1000,
        at: at(1000 + i * 1900, 2800 + i * 1900),
        cIds: [i === 0 ? 7 : 1000 + i - 1, 1000 + i],
      });
      rows.push(h.c, h.s);
    }
    const t = assemble(rows, 0, STATS);
    expect(t.spans).toHaveLength(10_001);
    expect(t.unlinked).toEqual([]);
    expect(t.spans.filter((s) => s.depth === 2)).toHaveLength(5000);
  });
});

describe('linkInProcess under event-loop concurrency', () => {
  // gateway serves S1 and S2 at once on one thread; C1 is S1's call, C2 is S2's.
  const make = (ids: {
    s1: [number, number];
    s2: [number, number];
    c1: [number, number];
    c2: [number, number];
  }) => {
    const s1 = hop({
      client: CURL,
      server: GATEWAY,
      port: 8080,
      clientPort: 1,
      seq: 10,
      at: at(0, 10_000),
      sIds: ids.s1,
    }).s;
    const s2 = hop({
      client: CURL,
      server: GATEWAY,
      port: 8080,
      clientPort: 2,
      seq: 20,
      at: at(400, 10_600),
      sIds: ids.s2,
    }).s;
    const c1 = hop({
      client: GATEWAY,
      server: CATALOG,
      port: 8081,
      clientPort: 3,
      seq: 30,
      at: at(1000, 8000),
      cIds: ids.c1,
    }).c;
    const c2 = hop({
      client: GATEWAY,
      server: CATALOG,
      port: 8081,
      clientPort: 4,
      seq: 40,
      at: at(1500, 9000),
      cIds: ids.c2,
    }).c;
    return [s1, s2, c1, c2];
  };

  it('ties each call to its request by the ids of the callbacks that wrote them', () => {
    const rows = make({ s1: [11, 13], s2: [12, 14], c1: [11, 13], c2: [12, 14] });
    const d = linkInProcess(rows, DEFAULT_LINK_OPTIONS);
    expect(d.get(2)).toMatchObject({ parent: 0, rule: 'syscall' });
    expect(d.get(3)).toMatchObject({ parent: 1, rule: 'syscall' });
  });

  it('trusts the response rule over a chain link when a call was written after an unrelated read', () => {
    // C2 was written from a close callback right after C1's answer was read (id 13): the chain
    // rule points at S1, but S2's response was written in the callback that read C2's answer.
    const rows = make({ s1: [11, 13], s2: [12, 14], c1: [11, 13], c2: [13, 14] });
    const d = linkInProcess(rows, DEFAULT_LINK_OPTIONS);
    expect(d.get(3)).toMatchObject({ parent: 1, rule: 'syscall' });
  });

  it('calls two in-flight requests ambiguous when no id ties the call to either', () => {
    const rows = make({ s1: [11, 13], s2: [12, 14], c1: [0, 0], c2: [0, 0] });
    const d = linkInProcess(rows, DEFAULT_LINK_OPTIONS);
    expect(d.get(2)).toMatchObject({ reason: 'ambiguous' });
    expect(d.get(2)?.detail).toMatch(/2 incoming requests/);
  });

  it('falls back to the only request in flight, and says when there was none', () => {
    const rows = make({ s1: [11, 13], s2: [12, 14], c1: [0, 0], c2: [0, 0] }).slice(0, 3);
    rows[1]!.start_time = T0 + 9000; // S2 now starts after C1
    const lone = hop({
      client: GATEWAY,
      server: CATALOG,
      port: 8081,
      clientPort: 5,
      seq: 50,
      at: at(20_000, 21_000),
    }).c;
    const d = linkInProcess([...rows, lone], DEFAULT_LINK_OPTIONS);
    expect(d.get(2)).toMatchObject({ parent: 0, rule: 'time_window' });
    expect(d.get(3)).toMatchObject({ reason: 'no_incoming_request' });
  });
});

describe('synthetic trace ids', () => {
  it('round-trip the record key and reject anything else', () => {
    const k = {
      start_time: T0,
      end_time: T0 + 5,
      flow_id: 2 ** 52,
      request_id: 7,
      agent_id: 3,
      observation_point: 's-p',
    };
    expect(parseSyntheticTraceId(syntheticTraceId(k))).toEqual(k);
    expect(parseSyntheticTraceId('4bf92f3577b34da6a3ce929d0e0e4736')).toBeUndefined();
    expect(parseSyntheticTraceId('zs-1-2-3-4-5-9')).toBeUndefined();
  });
});
