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

/**
 * Loads the floor programs copying `payload` bytes per message into the ring `map` and
 * attaches `progs`; returns the first whole copy of the writer's bytes, cut at `payload`
 * after the 16-byte header (time, kind, length).
 */
async function firstCopy(payload: number, map: string, progs: string[]): Promise<Buffer> {
  const child = await startNode(WRITER);
  const obj = BpfObject.open(objectPath('floor'));
  const got: Buffer[] = [];
  try {
    obj.setU32('cfg_self_pid', process.pid);
    obj.setU32('cfg_payload', payload);
    obj.load();
    const ring = obj.ring(map, (b) => got.push(...records(b)), { lengthAt: 12 });
    for (const p of progs) obj.attach(p);
    return await waitFor(
      () => got.find((r) => r.length === 16 + payload && r.subarray(16).every((x) => x === 0x5a)),
      () => ring.drain(),
    );
  } finally {
    obj.dispose();
    await child.stop();
  }
}

// bench/syscall's reference programs: what they copy must be real, or the floor means nothing
describe.skipIf(!isRoot)(`floor programs${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('copy each message into the ring, trimmed to the bytes written', async () => {
    // the writer's 300 bytes, cut at 256
    const full = await firstCopy(256, 'floor_rings', ['floor_copy_send', 'floor_copy_recv']);
    expect(full.readUInt32LE(12)).toBe(16 + 256);
    expect(full.readBigUInt64LE(0)).toBeGreaterThan(0n);
  });

  it('copy only into a per-CPU buffer when no ring is asked for', async () => {
    const child = await startNode(WRITER);
    const obj = BpfObject.open(objectPath('floor'));
    try {
      obj.setU32('cfg_self_pid', process.pid);
      obj.setU32('cfg_payload', 128);
      obj.setU32('cfg_pid', child.pid); // every copy overwrites its CPU's buffer: the writer's only
      obj.load();
      for (const p of ['floor_read_send', 'floor_read_recv']) obj.attach(p);
      const scratch = obj.map('floor_scratch');
      const slot = 16 + 4096; // struct floor_record: one per CPU, side by side
      // some CPU's buffer holds the header and the writer's bytes, cut at 128, stamped after `after`
      const copyAfter = (after: bigint) =>
        waitFor(
          () => {
            const all = scratch.lookup(Buffer.alloc(4)) ?? Buffer.alloc(0);
            for (let off = 0; off + slot <= all.length; off += slot) {
              const r = all.subarray(off, off + 16 + 128);
              const fresh = r.readBigUInt64LE(0) > after;
              if (fresh && r.readUInt32LE(12) === 16 + 128 && r.subarray(16).every((x) => x === 0x5a))
                return r;
            }
            return undefined;
          },
          () => {},
        );
      const first = await copyAfter(0n);
      // the first call learned where the registers sit (regs.h); later ones read them through the cast
      const regsOff = obj.map('.bss').lookup(Buffer.alloc(4))?.readBigUInt64LE(0) ?? 0n;
      expect(regsOff).toBeGreaterThan(4096n);
      expect(regsOff % 8n).toBe(0n);
      await copyAfter(first.readBigUInt64LE(0));
    } finally {
      obj.dispose();
      await child.stop();
    }
  });

  it('read through a plain ring shared by all CPUs as well', async () => {
    const cut = await firstCopy(100, 'floor_plain', ['floor_copy_plain']);
    expect(cut.readUInt32LE(12)).toBe(116);
  });
});
