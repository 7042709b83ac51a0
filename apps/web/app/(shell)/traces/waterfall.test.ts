import { describe, expect, it } from 'vitest';
import { criticalPath, type Span, type Trace, ticks, waterfall } from './waterfall';

function span(
  id: string,
  parent: string | undefined,
  depth: number,
  a: number,
  b: number,
  service = 'svc',
): Span {
  return {
    spanId: id,
    parentSpanId: parent,
    kind: 'process',
    service,
    name: id,
    startUs: a,
    endUs: b,
    selfUs: 0,
    status: 'ok',
    observationPoint: 's-p',
    signalSource: 'ebpf',
    l7Protocol: 'http1',
    requestType: 'GET',
    requestDomain: '',
    requestResource: '',
    endpoint: '',
    responseCode: 200,
    responseException: '',
    processName: service,
    processId: 1,
    clientIp: '',
    clientPort: 0,
    ip: '',
    port: 80,
    traceIdHeader: '',
    xRequestId: '',
    agentId: 1,
    recordKey: {
      start_time: a,
      end_time: b,
      flow_id: 1,
      request_id: 0,
      agent_id: 1,
      observation_point: 's-p',
    },
    depth,
  } as Span;
}

// root [0,100]: a [10,40] (a1 [15,35]), b [20,90] (b1 [30,60], b2 [65,85]), then orphan o
const spans = [
  span('r', undefined, 0, 0, 100),
  span('a', 'r', 1, 10, 40),
  span('a1', 'a', 2, 15, 35),
  span('b', 'r', 1, 20, 90, 'other'),
  span('b1', 'b', 2, 30, 60),
  span('b2', 'b', 2, 65, 85),
  span('o', undefined, 0, 50, 55),
];
const trace = {
  traceId: 't',
  rootSpanId: 'r',
  startUs: 0,
  endUs: 100,
  spans,
  services: [],
  unlinked: [],
  stats: { iterations: 1, rows: 7, truncated: false },
} as unknown as Trace;

describe('waterfall', () => {
  it('follows the last-finishing children back from the end', () => {
    expect([...criticalPath(trace)].sort()).toEqual(['a', 'a1', 'b', 'b1', 'b2', 'r']);
    const late = { ...trace, spans: [...spans.slice(0, 3), span('c', 'r', 1, 5, 95)] } as Trace;
    // c covers a entirely: a is not on the path
    expect([...criticalPath(late)].sort()).toEqual(['c', 'r']);
  });

  it('places bars as fractions of the trace and hides folded subtrees', () => {
    const w = waterfall(trace, new Set());
    expect(w.rows.map((r) => r.span.spanId)).toEqual(['r', 'a', 'a1', 'b', 'b1', 'b2', 'o']);
    const b = w.rows[3]!;
    expect([b.left, b.width, b.childCount, b.critical]).toEqual([0.2, 0.7, 2, true]);
    expect(w.rows[6]!.critical).toBe(false);
    const folded = waterfall(trace, new Set(['b', 'a1']));
    expect(folded.rows.map((r) => r.span.spanId)).toEqual(['r', 'a', 'a1', 'b', 'o']);
    expect(folded.hidden).toBe(2);
    expect(folded.rows[3]!.folded).toBe(true);
    expect(folded.rows[2]!.folded).toBe(false); // a leaf cannot fold
  });

  it('lays out 10,000 spans', () => {
    const big: Span[] = [span('0', undefined, 0, 0, 1_000_000)];
    for (let i = 1; i < 10_000; i++) big.push(span(i.toString(16), '0', 1, i * 10, i * 10 + 500));
    const t = { ...trace, spans: big, endUs: 1_000_000, rootSpanId: '0' } as Trace;
    const w = waterfall(t, new Set());
    expect(w.rows).toHaveLength(10_000);
    expect(w.rows[9999]!.left).toBeCloseTo(0.09999, 5);
  });

  it('marks the ruler', () => {
    expect(ticks(1000, 4)).toEqual([0, 250, 500, 750, 1000]);
  });
});
