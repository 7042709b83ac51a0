import { describe, expect, it } from 'vitest';
import { parseView, searchInput, writeView } from './view-state';

describe('traces view state', () => {
  it('round-trips a trace with its selected and folded spans through the URL', () => {
    const p = new URLSearchParams(
      'range=1h&trace=zs-1-2-3-4-5-1&span=00ab&fold=01,02&svc=node&status=server_error,bogus',
    );
    const v = parseView(p);
    expect(v).toMatchObject({
      traceId: 'zs-1-2-3-4-5-1',
      span: '00ab',
      folded: ['01', '02'],
      service: 'node',
      statuses: ['server_error'],
    });
    expect(parseView(writeView(v))).toEqual(v);
  });

  it('reads the request drawer jump (a record key) and rejects malformed ids', () => {
    const v = parseView(new URLSearchParams('rec=10.20.3.0.1.s-p&trace=a%20b&span=XYZ&min=-1'));
    expect(v.record).toEqual({
      start_time: 10,
      end_time: 20,
      flow_id: 3,
      request_id: 0,
      agent_id: 1,
      observation_point: 's-p',
    });
    expect([v.traceId, v.span, v.minDurationMs]).toEqual([undefined, undefined, undefined]);
    expect(writeView(v).get('rec')).toBe('10.20.3.0.1.s-p');
  });

  it('turns the filters into the trace.search input (durations in µs)', () => {
    const v = parseView(new URLSearchParams('svc=%20node%20&ep=/api&min=2.5&sort=duration&status=ok'));
    expect(searchInput(v, 100, 200)).toEqual({
      start: 100,
      end: 200,
      service: 'node',
      endpoint: '/api',
      status: ['ok'],
      minDuration: 2500,
      orderBy: 'duration',
      limit: 200,
    });
  });
});
