import { describe, expect, it } from 'vitest';
import { edgeRows, selectEdges } from './transform';
import { parseNetworkView, writeNetworkView } from './view-state';

const zero = {
  byteTx: 0,
  byteRx: 0,
  newFlows: 0,
  closedFlows: 0,
  rttSum: 0,
  rttCount: 0,
  retrans: 0,
  connFailed: 0,
  clientRst: 0,
  serverRst: 0,
  closeTimeout: 0,
  packetTx: 0,
  packetRx: 0,
};

describe('network transform', () => {
  const rows = edgeRows(
    [
      {
        ...zero,
        source: 'web',
        target: 'api',
        byteTx: 1000,
        byteRx: 5000,
        rttSum: 300,
        rttCount: 2,
        packetTx: 10,
        packetRx: 10,
        retrans: 1,
      },
      {
        ...zero,
        source: 'api',
        target: 'db',
        byteTx: 100,
        byteRx: 100,
        rttSum: 900,
        rttCount: 1,
        serverRst: 2,
      },
      { ...zero, source: 'cron', target: 'db', byteTx: 10, byteRx: 10 },
    ],
    60,
  );

  it('derives throughput, average RTT, retransmission share and resets', () => {
    expect(rows[0]).toMatchObject({ bytes: 6000, throughput: 100, rtt: 150, retransRatio: 0.05 });
    expect(rows[1]).toMatchObject({ rtt: 900, resets: 2 });
    expect(rows[2]!.rtt).toBe(0);
  });

  it('filters by node and text and sorts by the chosen column', () => {
    expect(selectEdges(rows, 'db', '', 'bytes').map((r) => r.source)).toEqual(['api', 'cron']);
    expect(selectEdges(rows, undefined, 'WE', 'bytes').map((r) => r.source)).toEqual(['web']);
    expect(selectEdges(rows, undefined, '', 'rtt').map((r) => r.source)).toEqual(['api', 'web', 'cron']);
    expect(selectEdges(rows, undefined, '', 'failed')[0]!.source).toBe('api');
  });
});

describe('network view state', () => {
  it('round-trips through the URL and drops what it does not know', () => {
    const p = new URLSearchParams(
      'range=1h&group=namespace&src=a&dst=b&close=server_rst,bogus&ip=10.0.0.1&sort=rtt&q=x',
    );
    const v = parseNetworkView(p);
    expect(v).toMatchObject({
      group: 'namespace',
      edge: { source: 'a', target: 'b' },
      close: ['server_rst'],
      ip: '10.0.0.1',
      sort: 'rtt',
      search: 'x',
    });
    expect(parseNetworkView(writeNetworkView(v))).toEqual(v);
    expect(parseNetworkView(new URLSearchParams('ip=not-an-ip;drop')).ip).toBeUndefined();
    expect(writeNetworkView({ ...v, edge: undefined, sort: 'bytes' }).toString()).not.toMatch(/src=|sort=/);
  });
});
