/**
 * Ring-buffer reader. The native side wakes only when the kernel forces a wake-up
 * (past a byte threshold) or its timer fires, and hands one Buffer per batch:
 * records of [u32 size][u32 0][size bytes][pad to 8].
 */
import { call } from './errors';
import { type Handle, native } from './native';

export interface RingReaderOptions {
  /** drain timer; default 10 ms */
  intervalMs?: number;
}

export class RingReader {
  private readonly id: Handle;
  private closed = false;
  batches = 0;
  bytes = 0;

  constructor(
    obj: Handle,
    map: string,
    onBatch: (batch: Buffer) => void,
    opts: RingReaderOptions,
    private readonly onClose: (r: RingReader) => void,
  ) {
    const wrapped = (b: Buffer) => {
      this.batches++;
      this.bytes += b.length;
      onBatch(b);
    };
    this.id = call('ringOpen', () => native().ringOpen(obj, map, wrapped, opts.intervalMs ?? 10));
  }

  /** Delivers everything in the ring now (synchronously). */
  drain(): void {
    if (!this.closed) call('ringDrain', () => native().ringDrain(this.id));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    native().close(this.id);
    this.onClose(this);
  }
}

/** Calls fn(view, offset, size) for each record of a batch. */
export function forEachRecord(
  batch: Buffer,
  fn: (batch: Buffer, offset: number, size: number) => void,
): void {
  let off = 0;
  while (off + 8 <= batch.length) {
    const size = batch.readUInt32LE(off);
    const start = off + 8;
    if (start + size > batch.length) return;
    fn(batch, start, size);
    off = start + ((size + 7) & ~7);
  }
}
