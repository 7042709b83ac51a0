import { describe, expect, it } from 'vitest';
import { CATALOG, GATEWAY, hop } from './fixtures';
import { type Asked, nextProbe } from './probe';
import { traceSearchInput, traceSearchQuery } from './search-sql';
import { probeQuery } from './sql';

const LIM = { crossHostToleranceUs: 1000, maxTermsPerRound: 256 };

describe('nextProbe', () => {
  const { c, s } = hop({
    client: GATEWAY,
    server: CATALOG,
    port: 8081,
    clientPort: 5,
    seq: 77,
    at: [10_000, 20_000],
    cIds: [11, 12],
    sIds: [21, 22],
  });
  c.x_request_id_0 = 'rid';

  it('asks for every id of the tree once, inside the tree time plus the tolerance', () => {
    const asked: Asked = { keys: new Set() };
    const p = nextProbe([c, s], new Set([c]), asked, LIM)!;
    expect(p.fromUs).toBe(9000);
    expect(p.toUs).toBe(21_000);
    expect(p.tcpSeqs).toEqual([77, 1077]);
    expect(p.syscallIds).toEqual([11, 12, 21, 22]);
    expect(p.xRequestIds).toEqual(['rid']);
    // calls made while the server span ran, and the request a root call was made for
    expect(p.windows).toEqual([
      { agentId: 1, pid: 20, side: 's-p', fromUs: 9000, toUs: 10_000 },
      { agentId: 1, pid: 30, side: 'c-p', fromUs: 10_100, toUs: 19_900 },
    ]);
    expect(nextProbe([c, s], new Set([c]), asked, LIM)).toBeUndefined();
  });

  it('keeps a round small and leaves the rest for the next one', () => {
    const asked: Asked = { keys: new Set() };
    const first = nextProbe([c, s], new Set(), asked, { ...LIM, maxTermsPerRound: 1 })!;
    expect(first.syscallIds).toEqual([11]);
    const second = nextProbe([c, s], new Set(), asked, { ...LIM, maxTermsPerRound: 1 })!;
    expect(second.syscallIds).toEqual([12]);
  });
});

describe('trace SQL', () => {
  it('binds every probe term as a parameter, one OR-ed term list under the time range', () => {
    const q = probeQuery(
      {
        fromUs: 1,
        toUs: 2,
        traceIds: ["x' OR 1=1"],
        xRequestIds: [],
        tcpSeqs: [5],
        syscallIds: [],
        windows: [{ agentId: 3, pid: 4, side: 'c-p', fromUs: 1, toUs: 2 }],
      },
      100,
    );
    expect(q.sql).toContain(
      'PREWHERE l.start_time >= fromUnixTimestamp64Micro({from_us:Int64}) AND l.start_time <= fromUnixTimestamp64Micro({to_us:Int64}) WHERE (l.trace_id IN {trace_ids:Array(String)} OR l.req_tcp_seq IN {seqs:Array(UInt32)} OR l.resp_tcp_seq IN {seqs:Array(UInt32)} OR ',
    );
    // a hop ahead both ways: calls of the processes serving these seqs, requests of those making them
    expect(q.sql).toContain(
      "(l.observation_point = 'c-p' AND (l.agent_id, l.process_id_0) IN (SELECT s.agent_id, s.process_id_1 FROM flow_log.l7_flow_log AS s PREWHERE",
    );
    expect(q.sql).toContain("WHERE s.observation_point = 'c-p' AND s.req_tcp_seq IN {seqs:Array(UInt32)}))");
    expect(q.sql).toContain(
      "(l.agent_id = {w0_a:UInt32} AND l.process_id_0 = {w0_p:UInt32} AND l.observation_point = 'c-p'",
    );
    expect(q.sql).not.toContain('OR 1=1');
    expect(q.params).toMatchObject({ trace_ids: ["x' OR 1=1"], seqs: [5], w0_a: 3, w0_p: 4, limit: 100 });
  });

  it('searches entry requests with bound filters', () => {
    const q = traceSearchQuery(
      traceSearchInput.parse({
        start: 100,
        end: 200,
        service: 'gateway',
        endpoint: '/api/items',
        status: ['server_error'],
        minDuration: 1000,
        orderBy: 'duration',
      }),
    );
    expect(q.sql).toContain("l.observation_point = 's-p' AND l.process_kname_1 = {service:String}");
    expect(q.sql).toMatch(
      /ORDER BY l\.response_duration DESC LIMIT \{limit:UInt32\} OFFSET \{offset:UInt32\}$/,
    );
    expect(q.params).toMatchObject({
      start_us: 100_000_000,
      end_us: 200_000_000,
      service: 'gateway',
      endpoint: '/api/items',
      status: ['server_error'],
      min_duration: 1000,
      limit: 100,
      offset: 0,
    });
    expect(() => traceSearchInput.parse({ start: 200, end: 100 })).toThrow();
  });
});
