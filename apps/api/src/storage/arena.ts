/**
 * Memory for the columns of Arrow inserts, reused from insert to insert. A fresh ~50 MB of
 * typed arrays per 200k-row insert was zeroed, page-faulted in and collected every time;
 * chDB copies what it reads, so once an insert has run its arena can serve the next one.
 * Views handed out are not zeroed: callers write every element they use.
 */
const CHUNK = 8 << 20;
/** past this, a returned arena drops its chunks instead of keeping them for the next insert */
const KEEP_BYTES = 96 << 20;

export class Arena {
  private readonly chunks: ArrayBuffer[] = [];
  private chunk = 0;
  private used = 0;

  private take(bytes: number): [ArrayBuffer, number] {
    const size = (bytes + 7) & ~7;
    while (this.chunk < this.chunks.length) {
      const c = this.chunks[this.chunk]!;
      if (this.used + size <= c.byteLength) {
        const at = this.used;
        this.used += size;
        return [c, at];
      }
      this.chunk++;
      this.used = 0;
    }
    const c = new ArrayBuffer(Math.max(CHUNK, size));
    this.chunks.push(c);
    this.chunk = this.chunks.length - 1;
    this.used = size;
    return [c, 0];
  }

  f64(n: number): Float64Array {
    const [b, at] = this.take(n * 8);
    return new Float64Array(b, at, n);
  }

  u32(n: number): Uint32Array {
    const [b, at] = this.take(n * 4);
    return new Uint32Array(b, at, n);
  }

  u8(n: number): Uint8Array {
    const [b, at] = this.take(n);
    return new Uint8Array(b, at, n);
  }

  /** Makes every chunk free again (the views handed out must no longer be in use). */
  reset(): void {
    this.chunk = 0;
    this.used = 0;
    let kept = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      kept += this.chunks[i]!.byteLength;
      if (kept > KEEP_BYTES) {
        this.chunks.length = i;
        break;
      }
    }
  }
}
