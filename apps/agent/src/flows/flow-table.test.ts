import type { FlowLog } from '@zeroscope/wire';
import { describe, expect, it } from 'vitest';
import type { Packet } from '../capture/types';
import { createFlowTable, type FlowTableOptions } from './flow-table';

const S = 1_000_000;
const T0 = 1_700_000_000 * S;
const FIN = 1;
const SYN = 2;
const RST = 4;
const PSH = 8;
const ACK = 16;

interface Pk {
  ts: number;
  from: 'c' | 's';
  flags?: number;
  seq?: number;
  ack?: number;
  len?: number;
  win?: number;
  cport?: number;
  sport?: number;
  udp?: boolean;
}

function pkt(x: Pk): Packet {
  const c = { ip: '10.0.0.1', port: x.cport ?? 40000 };
  const s = { ip: '10.0.0.2', port: x.sport ?? 8080 };
  const [a, b] = x.from === 'c' ? [c, s] : [s, c];
  const len = x.len ?? 0;
  return {
    ts: T0 + x.ts,
    tuple: { protocol: x.udp ? 'udp' : 'tcp', srcIp: a.ip, srcPort: a.port, dstIp: b.ip, dstPort: b.port },
    tcp: x.udp
      ? undefined
      : { seq: x.seq ?? 0, ack: x.ack ?? 0, flags: x.flags ?? ACK, window: x.win ?? 1000 },
    payload: new Uint8Array(len),
    wireLength: 40 + len,
  };
}

function table(opts: Partial<FlowTableOptions> = {}) {
  const logs: FlowLog[] = [];
  const t = createFlowTable({ ...opts, onFlowLog: (f) => logs.push(f) });
  return { t, logs };
}

/** handshake at 0/100/150 µs, then `n` request/response pairs one second apart */
function conversation(n: number, cport = 40000): Packet[] {
  const out = [
    pkt({ ts: 0, from: 'c', flags: SYN, seq: 100, cport }),
    pkt({ ts: 100, from: 's', flags: SYN | ACK, seq: 500, ack: 101, cport }),
    pkt({ ts: 150, from: 'c', flags: ACK, seq: 101, ack: 501, cport }),
  ];
  for (let i = 0; i < n; i++) {
    const at = (i + 1) * S;
    out.push(
      pkt({ ts: at, from: 'c', flags: PSH | ACK, seq: 101 + i * 10, ack: 501 + i * 20, len: 10, cport }),
    );
    out.push(
      pkt({
        ts: at + 300,
        from: 's',
        flags: PSH | ACK,
        seq: 501 + i * 20,
        ack: 111 + i * 10,
        len: 20,
        cport,
      }),
    );
  }
  return out;
}

describe('flow table', () => {
  it('a long flow yields periodic records over disjoint intervals that add up', () => {
    const { t, logs } = table({ reportIntervalUs: 10 * S, idleTimeoutUs: 60 * S });
    for (const p of conversation(35)) t.push(p);
    t.flush();
    expect(logs.length).toBeGreaterThanOrEqual(4);
    const periodic = logs.slice(0, -1);
    for (const l of periodic) expect(l.close_type).toBe('unknown');
    expect(logs.at(-1)!.close_type).toBe('timeout');
    for (let i = 1; i < logs.length; i++) expect(logs[i]!.start_time).toBeGreaterThan(logs[i - 1]!.end_time);
    expect(logs.reduce((s, l) => s + l.packet_tx, 0)).toBe(3 - 1 + 35);
    expect(logs.reduce((s, l) => s + l.packet_rx, 0)).toBe(1 + 35);
    expect(new Set(logs.map((l) => l.flow_id)).size).toBe(1);
    // RTT is reported once, in the record that measured it; ART in every interval with responses
    expect(logs.filter((l) => l.rtt > 0)).toHaveLength(1);
    expect(logs[0]).toMatchObject({ rtt_server: 100, rtt_client: 50, rtt: 150 });
    for (const l of logs) if (l.packet_rx > 0) expect(l.art).toBe(300);
    expect(logs.at(-1)!.duration).toBe(logs.at(-1)!.end_time - T0);
  });

  it('tick() alone reports live flows and ends idle ones', () => {
    const { t, logs } = table({ reportIntervalUs: 10 * S, idleTimeoutUs: 30 * S });
    for (const p of conversation(2)) t.push(p);
    t.tick(T0 + 10 * S);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.close_type).toBe('unknown');
    t.tick(T0 + 40 * S);
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatchObject({ close_type: 'timeout', packet_tx: 0, packet_rx: 0 });
    expect(t.stats().active).toBe(0);
  });

  it('FIN/FIN closes after the linger; a later SYN on the same tuple is a new flow', () => {
    const { t, logs } = table({ closeLingerUs: S });
    const pk = conversation(1);
    pk.push(pkt({ ts: 2 * S, from: 'c', flags: FIN | ACK, seq: 111, ack: 521 }));
    pk.push(pkt({ ts: 2 * S + 10, from: 's', flags: FIN | ACK, seq: 521, ack: 112 }));
    pk.push(pkt({ ts: 2 * S + 20, from: 'c', flags: ACK, seq: 112, ack: 522 }));
    pk.push(pkt({ ts: 2 * S + 500, from: 'c', flags: SYN, seq: 9000 }));
    for (const p of pk) t.push(p);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ close_type: 'normal', packet_tx: 5, packet_rx: 3 });
    t.flush();
    expect(logs[1]).toMatchObject({ close_type: 'server_syn_miss', syn_count: 1 });
  });

  it('client and server resets, SRT and zero windows', () => {
    const { t, logs } = table();
    const pk = conversation(0);
    pk.push(pkt({ ts: S, from: 'c', flags: PSH | ACK, seq: 101, ack: 501, len: 10 }));
    pk.push(pkt({ ts: S + 40, from: 's', flags: ACK, seq: 501, ack: 111, win: 0 }));
    pk.push(pkt({ ts: S + 90, from: 's', flags: RST | ACK, seq: 501, ack: 111, win: 0 }));
    for (const p of pk) t.push(p);
    t.flush();
    expect(logs[0]).toMatchObject({ close_type: 'server_rst', srt: 40, zero_win_rx: 1, zero_win_tx: 0 });
    const { t: t2, logs: l2 } = table();
    for (const p of [...conversation(1), pkt({ ts: 3 * S, from: 'c', flags: RST, seq: 111 })]) t2.push(p);
    t2.flush();
    expect(l2[0]!.close_type).toBe('client_rst');
  });

  it('joined midway: the service port is the server; an L7 request direction overrides a guess', () => {
    const { t, logs } = table();
    // first packet seen is the server's response (from 8080)
    t.push(pkt({ ts: 0, from: 's', flags: PSH | ACK, seq: 1, len: 20 }));
    t.push(pkt({ ts: 10, from: 'c', flags: ACK, ack: 21 }));
    // two ephemeral ports: the lower port is guessed as server, then L7 says otherwise
    t.push(pkt({ ts: 20, from: 'c', flags: PSH | ACK, cport: 50000, sport: 45000, len: 5 }));
    t.setL7Protocol(
      { protocol: 'tcp', srcIp: '10.0.0.2', srcPort: 45000, dstIp: '10.0.0.1', dstPort: 50000 },
      'redis',
    );
    t.flush();
    expect(logs[0]).toMatchObject({ server_port: 8080, client_port: 40000, byte_rx: 60, byte_tx: 40 });
    expect(logs[1]).toMatchObject({
      client_port: 45000,
      server_port: 50000,
      l7_protocol: 'redis',
      byte_rx: 45,
    });
  });

  it('remembers listening endpoints from handshakes for later midway flows', () => {
    const { t, logs } = table();
    for (const p of conversation(0, 40001)) t.push(p);
    // a second connection to the same listener joined midway, both ports ephemeral-ranked
    t.push(pkt({ ts: 10, from: 's', flags: ACK, cport: 20000, sport: 8080, len: 3 }));
    t.flush();
    expect(logs.find((l) => l.client_port === 20000)?.server_port).toBe(8080);
  });

  it('is bounded: evicts and counts beyond maxFlows', () => {
    const { t, logs } = table({ maxFlows: 10 });
    for (let i = 0; i < 25; i++) t.push(pkt({ ts: i, from: 'c', flags: SYN, seq: 1, cport: 30000 + i }));
    expect(t.stats()).toMatchObject({ active: 10, evicted: 15 });
    expect(logs).toHaveLength(15);
    expect(logs[0]).toMatchObject({ client_port: 30000, close_type: 'unknown' });
  });

  it('UDP: ART per request, ignores non-TCP/UDP-shaped packets', () => {
    const { t, logs } = table({ agentId: 7, signalSource: 'ebpf' });
    t.push(pkt({ ts: 0, from: 'c', udp: true, sport: 53, len: 30 }));
    t.push(pkt({ ts: 2000, from: 's', udp: true, sport: 53, len: 90 }));
    t.push(pkt({ ts: 5000, from: 'c', udp: true, sport: 53, len: 30 }));
    t.push(pkt({ ts: 9000, from: 's', udp: true, sport: 53, len: 90 }));
    t.push({ ...pkt({ ts: 1, from: 'c' }), tcp: undefined });
    t.flush();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      protocol: 'udp',
      art: 3000,
      agent_id: 7,
      signal_source: 'ebpf',
      close_type: 'timeout',
    });
    expect(t.stats().ignored).toBe(1);
  });
});
