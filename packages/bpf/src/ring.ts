/**
 * Ring-buffer reader. The native side wakes only when the kernel forces a wake-up
 * (past a byte threshold) or its timer fires, and hands one Buffer per batch:
 * records of [u32 size][u32 0][size bytes][pad to 8]. A map that is an array of maps
 * gets one ring per possible CPU from the reader; their records, which must start with
 * a u64 CLOCK_MONOTONIC time, arrive merged in time order.
 */
import { call } from './errors';
import { type Handle, native } from './native';

export interface RingReaderOptions {
  /** drain timer; default 10 ms */
  intervalMs?: number;
  /** size of each CPU's ring (a power of two, at least a page) when the map is an array of maps; default 1 MiB */
  perCpuBytes?: number;
  /**
   * offset of a u32 in each record giving the bytes in use (0 there: the whole record);
   * the reader copies only those. Default: none (offset 0 is not allowed).
   */
  lengthAt?: number;
  /**
   * data rings of the program's own read beside the kernel's (src/bpf/dring.h): the ring
   * array, the per-CPU control array and the bytes of each ring (a power of two)
   */
  own?: { map: string; ctl: string; bytes: number };
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
    this.id = call('ringOpen', () =>
      native().ringOpen(
        obj,
        map,
        wrapped,
        opts.intervalMs ?? 10,
        opts.perCpuBytes ?? 1 << 20,
        opts.lengthAt ?? 0,
        opts.own?.map ?? '',
        opts.own?.ctl ?? '',
        opts.own?.bytes ?? 0,
      ),
    );
  }

  /**
   * Delivers what is in the ring now (synchronously). Per-CPU rings keep back records
   * stamped after the drain began, for the next one; `final` delivers those too.
   */
  drain(final = false): void {
    if (!this.closed) call('ringDrain', () => native().ringDrain(this.id, final));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    native().close(this.id);
    this.onClose(this);
  }
}
