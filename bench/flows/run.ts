/**
 * Flow table cost per packet, side by side with a bare Map-per-5-tuple counter over the same
 * packets (the floor any flow table pays). `npx tsx bench/flows/run.ts`
 */
import type { Packet } from '../../apps/agent/src/capture/types';
import { createFlowTable } from '../../apps/agent/src/flows';

const FLOWS = 10_000;
const PER_FLOW = 100;
const T0 = 1_700_000_000_000_000;

function makePackets(): Packet[] {
  const out: Packet[] = [];
  const payload = new Uint8Array(100);
  for (let i = 0; i < PER_FLOW; i++) {
    for (let f = 0; f < FLOWS; f++) {
      const fromClient = i % 2 === 0;
      const c = { ip: `10.1.${f >> 8}.${f & 255}`, port: 30000 + (f % 30000) };
      const s = { ip: '10.2.0.1', port: 8080 };
      const [a, b] = fromClient ? [c, s] : [s, c];
      const flags = i === 0 ? 0x02 : i === 1 ? 0x12 : 0x18;
      out.push({
        ts: T0 + i * 1000 + f,
        tuple: { protocol: 'tcp', srcIp: a.ip, srcPort: a.port, dstIp: b.ip, dstPort: b.port },
        tcp: { seq: 1000 + (i >> 1) * 100, ack: 5000 + (i >> 1) * 100, flags, window: 500 },
        payload: i < 3 ? payload.subarray(0, 0) : payload,
        wireLength: 152,
      });
    }
  }
  return out;
}

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t);
}

const packets = makePackets();
let logs = 0;
const runTable = () => {
  const table = createFlowTable({ onFlowLog: () => logs++ });
  for (const p of packets) table.push(p);
  table.flush();
};
const runBaseline = () => {
  const m = new Map<string, number>();
  for (const p of packets) {
    const t = p.tuple;
    const a = `${t.srcIp}|${t.srcPort}`;
    const b = `${t.dstIp}|${t.dstPort}`;
    const k = a < b ? `${a}|${b}` : `${b}|${a}`;
    m.set(k, (m.get(k) ?? 0) + p.wireLength);
  }
};
runTable();
runBaseline();
const rounds = 3;
let tTable = 0;
let tBase = 0;
for (let r = 0; r < rounds; r++) {
  tBase += time(runBaseline);
  tTable += time(runTable);
}
const n = packets.length * rounds;
console.log(`packets per round: ${packets.length} over ${FLOWS} flows`);
console.log(`baseline map:  ${(tBase / n).toFixed(0)} ns/packet`);
console.log(
  `flow table:    ${(tTable / n).toFixed(0)} ns/packet (${((1e9 * n) / tTable / 1e6).toFixed(2)} M packets/s)`,
);
console.log(`ratio table/baseline: ${(tTable / tBase).toFixed(2)}x`);
