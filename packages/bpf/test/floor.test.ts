import { BpfObject, objectPath } from '@zeroscope/bpf';
import { describe, expect, it } from 'vitest';
import { isRoot, SKIP_REASON, startNode, waitFor } from './helpers';

// one 300-byte message every 20 ms to a server in the same process, until killed
const WRITER = `
const net = require('node:net');
const srv = net.createServer((s) => s.resume());
srv.listen(0, '127.0.0.1', () => {
  console.log(srv.address().port);
  const c = net.connect(srv.address().port, '127.0.0.1', () => {
    setInterval(() => c.write(Buffer.alloc(300, 0x5a)), 20);
  });
});`;

/** records of a ring batch: [u32 size][u32 0][record][pad to 8] */
function records(batch: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 0; off + 8 <= batch.length; ) {
    const size = batch.readUInt32LE(off);
    out.push(batch.subarray(off + 8, off + 8 + size));
    off += 8 + ((size + 7) & ~7);
  }
  return out;
}

// bench/syscall's reference programs: what they copy must be real, or the floor means nothing
describe.skipIf(!isRoot)(`floor programs${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('copy each message into the ring, trimmed to the bytes written', async () => {
    const child = await startNode(WRITER);
    const obj = BpfObject.open(objectPath('floor'));
    const got: Buffer[] = [];
    try {
      obj.setU32('cfg_self_pid', process.pid);
      obj.setU32('cfg_payload', 256);
      obj.setAutoload('floor_hook', false);
      obj.load();
      const ring = obj.ring('floor_rings', (b) => got.push(...records(b)), {
        perCpuBytes: 1 << 20,
        lengthAt: 12,
      });
      obj.attach('floor_copy_send');
      obj.attach('floor_copy_recv');
      // the writer's 300 bytes, cut at 256, after a 16-byte header (time, kind, length)
      const full = await waitFor(
        () => got.find((r) => r.length === 16 + 256 && r.subarray(16).every((x) => x === 0x5a)),
        () => ring.drain(),
      );
      expect(full.readUInt32LE(12)).toBe(16 + 256);
      expect(full.readBigUInt64LE(0)).toBeGreaterThan(0n);
    } finally {
      obj.dispose();
      await child.stop();
    }
  });

  it('read through a plain ring shared by all CPUs as well', async () => {
    const child = await startNode(WRITER);
    const obj = BpfObject.open(objectPath('floor'));
    const got: Buffer[] = [];
    try {
      obj.setU32('cfg_self_pid', process.pid);
      obj.setU32('cfg_payload', 100);
      obj.load();
      const ring = obj.ring('floor_plain', (b) => got.push(...records(b)), { lengthAt: 12 });
      obj.attach('floor_copy_plain');
      const cut = await waitFor(
        () => got.find((r) => r.length === 16 + 100 && r.subarray(16).every((x) => x === 0x5a)),
        () => ring.drain(),
      );
      expect(cut.readUInt32LE(12)).toBe(116);
    } finally {
      obj.dispose();
      await child.stop();
    }
  });
});
