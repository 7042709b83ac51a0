/**
 * Flow logs of real connections between network namespaces: a refused connection, a SYN to a
 * blackholed address, an upload through 30% loss, and a long chatty connection with a short
 * report interval. tcpdump captures on the router; the capture file feeds the flow table.
 */
import type { FlowLog } from '@zeroscope/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packetsOf, runFlows } from './flows-helpers';
import { BLACKHOLE_IP, CLIENT_IP, netnsUnavailable, SERVER_IP, Topology } from './flows-netns';

const why = netnsUnavailable();
if (why) console.warn(`flows-live: skipped, ${why}`);

// veth hands the router GSO super-packets (up to 64 KiB): enough of them that 30% loss always bites
const UPLOAD_BYTES = 2_000_000;

const serverScript = `
const net = require('net');
net.createServer((s) => {
  let n = 0;
  s.on('data', (b) => { n += b.length; });
  s.on('end', () => s.end('got ' + n));
}).listen(7001, '${SERVER_IP}');
net.createServer((s) => s.on('data', (b) => s.write(b))).listen(7002, '${SERVER_IP}', () => console.log('ready'));
`;

const refused = `
require('net').connect(7009, '${SERVER_IP}').on('error', (e) => { console.log(e.code); process.exit(0); });
`;

const blackhole = `
const s = require('net').connect(7003, '${BLACKHOLE_IP}');
s.on('error', () => {});
setTimeout(() => { s.destroy(); process.exit(0); }, 3500);
`;

const upload = `
const s = require('net').connect(7001, '${SERVER_IP}', () => s.end(Buffer.alloc(${UPLOAD_BYTES}, 7)));
let out = '';
s.on('data', (b) => { out += b; });
s.on('end', () => { console.log(out); s.end(); });
`;

const chatty = `
const s = require('net').connect(7002, '${SERVER_IP}');
const timer = setInterval(() => s.write('ping'), 150);
setTimeout(() => { clearInterval(timer); s.end(); }, 3200);
s.on('data', () => {});
`;

describe.skipIf(why !== undefined)('live flows in network namespaces', () => {
  const topo = new Topology();
  let logs: FlowLog[] = [];
  let packetsByPort = new Map<number, number>();
  let refusedOut = '';
  let uploadOut = '';
  let failures = 0;

  beforeAll(async () => {
    topo.up();
    topo.loss(30, 7001);
    const file = `${topo.dir}/live.pcap`;
    const stop = await topo.capture(file);
    const server = topo.spawnNode(topo.s, serverScript);
    await new Promise((r) => server.stdout!.once('data', r));
    refusedOut = await topo.runNode(topo.c, refused);
    const [, up] = await Promise.all([topo.runNode(topo.c, blackhole), topo.runNode(topo.c, upload, 40_000)]);
    uploadOut = up;
    await topo.runNode(topo.c, chatty);
    await new Promise((r) => setTimeout(r, 300));
    await stop();
    const packets = packetsOf(file);
    packetsByPort = new Map();
    for (const p of packets) {
      const port = p.tuple.srcIp === CLIENT_IP ? p.tuple.dstPort : p.tuple.srcPort;
      packetsByPort.set(port, (packetsByPort.get(port) ?? 0) + 1);
    }
    const run = runFlows(packets, { reportIntervalUs: 1_000_000 });
    logs = run.logs;
    failures = run.stats.connectionFailures;
  }, 90_000);

  afterAll(() => topo.down());

  const of = (port: number) => logs.filter((l) => l.server_port === port);

  it('a refused connection is server_rst and a connection failure', () => {
    expect(refusedOut.trim()).toBe('ECONNREFUSED');
    const [f, ...rest] = of(7009);
    expect(rest).toHaveLength(0);
    expect(f).toMatchObject({
      ip_0: CLIENT_IP,
      ip_1: SERVER_IP,
      close_type: 'server_rst',
      syn_count: 1,
      synack_count: 0,
      packet_tx: 1,
      packet_rx: 1,
    });
    expect(failures).toBeGreaterThanOrEqual(2);
  });

  it('a SYN to a blackholed address is server_syn_miss with SYN retransmissions', () => {
    // SYN retries span report intervals: periodic records, then the verdict
    const flows = of(7003);
    const sum = (k: keyof FlowLog) => flows.reduce((s, l) => s + (l[k] as number), 0);
    expect(flows.at(-1)!.close_type).toBe('server_syn_miss');
    for (const l of flows.slice(0, -1)) expect(l.close_type).toBe('unknown');
    expect(flows[0]!.ip_1).toBe(BLACKHOLE_IP);
    expect(sum('syn_count')).toBeGreaterThanOrEqual(2);
    expect(sum('retrans_tx')).toBe(sum('syn_count') - 1);
    expect(sum('packet_rx')).toBe(0);
  });

  it('loss towards the server shows up as client retransmissions; the transfer completes', () => {
    expect(uploadOut.trim()).toBe(`got ${UPLOAD_BYTES}`);
    const flows = of(7001);
    const sum = (k: keyof FlowLog) => flows.reduce((s, l) => s + (l[k] as number), 0);
    expect(sum('retrans_tx')).toBeGreaterThan(0);
    expect(sum('byte_tx')).toBeGreaterThan(UPLOAD_BYTES);
    expect(flows.at(-1)!.close_type).toBe('normal');
    expect(flows.filter((l) => l.rtt > 0)).toHaveLength(1);
  });

  it('a long connection yields periodic flow logs over disjoint intervals', () => {
    const flows = of(7002);
    expect(flows.length).toBeGreaterThanOrEqual(3);
    for (const l of flows.slice(0, -1)) expect(l.close_type).toBe('unknown');
    expect(flows.at(-1)!.close_type).toBe('normal');
    for (let i = 1; i < flows.length; i++)
      expect(flows[i]!.start_time).toBeGreaterThan(flows[i - 1]!.end_time);
    expect(new Set(flows.map((l) => l.flow_id)).size).toBe(1);
    const total = flows.reduce((s, l) => s + l.packet_tx + l.packet_rx, 0);
    expect(total).toBe(packetsByPort.get(7002));
    // echo server: every interval with pings has a response time
    expect(flows.filter((l) => l.art > 0).length).toBeGreaterThanOrEqual(2);
  });
});
