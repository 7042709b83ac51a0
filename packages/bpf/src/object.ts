/**
 * A BPF object file: configure (globals, autoload, map sizes), load, attach, read maps
 * and ring buffers. `dispose()` is the one teardown path: readers, then links, then the
 * object; it is idempotent.
 */
import { BpfError, call } from './errors';
import { StructLayout } from './layout';
import { type AttachSpec, type Handle, native } from './native';
import { RingReader, type RingReaderOptions } from './ring';

export interface Link {
  readonly program: string;
  detach(): void;
}

export class BpfObject {
  private readonly handle: Handle;
  private loaded = false;
  private disposed = false;
  private readonly links = new Set<Handle>();
  private readonly readers = new Set<RingReader>();

  private constructor(
    readonly path: string,
    handle: Handle,
  ) {
    this.handle = handle;
  }

  static open(path: string): BpfObject {
    const n = native();
    return new BpfObject(
      path,
      call('open', () => n.open(path)),
    );
  }

  private h(op: string): Handle {
    if (this.disposed) throw new BpfError(op, 9, `${op}: object already disposed`);
    return this.handle;
  }

  private beforeLoad(op: string): Handle {
    if (this.loaded) throw new BpfError(op, 22, `${op}: only possible before load()`);
    return this.h(op);
  }

  programs(): { name: string; section: string }[] {
    return call('programs', () => native().programs(this.h('programs')));
  }

  /** Sets a global (`const volatile` config in .rodata, or .data/.bss) before load. */
  setGlobal(name: string, bytes: Uint8Array): void {
    const h = this.beforeLoad('setGlobal');
    call('setGlobal', () =>
      native().setGlobal(h, name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    );
  }

  setU8(name: string, v: number): void {
    this.setGlobal(name, Uint8Array.of(v));
  }

  setU32(name: string, v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.setGlobal(name, b);
  }

  setU64(name: string, v: bigint | number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.setGlobal(name, b);
  }

  setAutoload(program: string, on: boolean): void {
    const h = this.beforeLoad('setAutoload');
    call('setAutoload', () => native().setAutoload(h, program, on));
  }

  /** `valueSize`: bytes per element, for maps declared without a BTF value type (0: as declared) */
  setMapSize(map: string, maxEntries: number, valueSize = 0): void {
    const h = this.beforeLoad('setMapSize');
    call('setMapSize', () => native().setMapSize(h, map, maxEntries, valueSize));
  }

  load(): void {
    const h = this.beforeLoad('load');
    call('load', () => native().load(h));
    this.loaded = true;
  }

  layout(struct: string): StructLayout {
    return new StructLayout(
      struct,
      call('layout', () => native().layout(this.h('layout'), struct)),
    );
  }

  attach(program: string, spec: AttachSpec = { kind: 'auto' }): Link {
    const h = this.h('attach');
    const id = call('attach', () => native().attach(h, program, spec));
    this.links.add(id);
    return {
      program,
      detach: () => {
        if (this.links.delete(id)) native().close(id);
      },
    };
  }

  map(name: string): BpfMap {
    return new BpfMap(this, name);
  }

  /** Native handle for BpfMap/RingReader; not for general use. */
  nativeHandle(): Handle {
    return this.h('handle');
  }

  ring(map: string, onBatch: (batch: Buffer) => void, opts: RingReaderOptions = {}): RingReader {
    const reader = new RingReader(this.h('ring'), map, onBatch, opts, (r) => this.readers.delete(r));
    this.readers.add(reader);
    return reader;
  }

  dispose(): void {
    if (this.disposed) return;
    for (const r of [...this.readers]) r.close();
    const n = native();
    for (const id of this.links) n.close(id);
    this.links.clear();
    n.close(this.handle);
    this.disposed = true;
  }
}

export class BpfMap {
  constructor(
    private readonly obj: BpfObject,
    readonly name: string,
  ) {}

  info() {
    return call('mapInfo', () => native().mapInfo(this.obj.nativeHandle(), this.name));
  }

  lookup(key: Uint8Array): Buffer | undefined {
    return (
      call('mapLookup', () => native().mapLookup(this.obj.nativeHandle(), this.name, Buffer.from(key))) ??
      undefined
    );
  }

  update(key: Uint8Array, value: Uint8Array, flags = 0): void {
    call('mapUpdate', () =>
      native().mapUpdate(this.obj.nativeHandle(), this.name, Buffer.from(key), Buffer.from(value), flags),
    );
  }

  delete(key: Uint8Array): boolean {
    return call('mapDelete', () => native().mapDelete(this.obj.nativeHandle(), this.name, Buffer.from(key)));
  }

  *keys(): Generator<Buffer> {
    let key: Buffer | null = null;
    for (;;) {
      const prev: Buffer | null = key;
      key = call('mapNextKey', () => native().mapNextKey(this.obj.nativeHandle(), this.name, prev));
      if (!key) return;
      yield key;
    }
  }

  /** Every element in one native call: [key, value] views into one buffer. */
  entries(): [key: Buffer, value: Buffer][] {
    const info = this.info();
    const all = call('mapDump', () => native().mapDump(this.obj.nativeHandle(), this.name));
    const out: [Buffer, Buffer][] = [];
    const step = info.keySize + info.valueSize;
    for (let off = 0; off + step <= all.length; off += step)
      out.push([all.subarray(off, off + info.keySize), all.subarray(off + info.keySize, off + step)]);
    return out;
  }

  /** Deletes many keys in one native call; returns how many existed. */
  deleteMany(keys: readonly Uint8Array[]): number {
    if (keys.length === 0) return 0;
    return call('mapDeleteMany', () =>
      native().mapDeleteMany(this.obj.nativeHandle(), this.name, Buffer.concat(keys)),
    );
  }

  /** Sums a per-CPU array of u64 counters at `index` (u32 key). */
  sumPerCpuU64(index: number): bigint {
    const key = Buffer.alloc(4);
    key.writeUInt32LE(index);
    const v = this.lookup(key);
    if (!v) return 0n;
    let sum = 0n;
    for (let off = 0; off + 8 <= v.length; off += 8) sum += v.readBigUInt64LE(off);
    return sum;
  }
}
