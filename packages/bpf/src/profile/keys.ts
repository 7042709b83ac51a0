/** Decodes `struct zs_prof_key` (profile.h) with offsets read from the object's BTF. */
import type { BpfObject } from '../object';

export interface RawSample {
  kind: 'on' | 'off';
  /** the process id too: the kernel counts per process (profile.bpf.c) */
  pid: number;
  /** process id */
  tgid: number;
  comm: string;
  /** stack map ids; negative when the kernel could not walk that stack */
  userStack: number;
  kernStack: number;
  /** samples (on-CPU) or nanoseconds (off-CPU) */
  value: number;
}

export interface DecodedKey {
  pid: number;
  tgid: number;
  userStack: number;
  kernStack: number;
  gen: number;
  comm: string;
}

export class KeyDecoder {
  private readonly pid: number;
  private readonly tgid: number;
  private readonly user: number;
  private readonly kern: number;
  private readonly gen: number;
  private readonly comm: number;
  private readonly commLen: number;

  constructor(obj: BpfObject) {
    const l = obj.layout('zs_prof_key');
    this.pid = l.offset('pid');
    this.tgid = l.offset('tgid');
    this.user = l.offset('user_stack');
    this.kern = l.offset('kern_stack');
    this.gen = l.offset('gen');
    const c = l.field('comm');
    this.comm = c.offset;
    this.commLen = c.size;
  }

  decode(b: Buffer): DecodedKey {
    const end = b.indexOf(0, this.comm);
    const commEnd = end < 0 || end > this.comm + this.commLen ? this.comm + this.commLen : end;
    return {
      pid: b.readUInt32LE(this.pid),
      tgid: b.readUInt32LE(this.tgid),
      userStack: b.readInt32LE(this.user),
      kernStack: b.readInt32LE(this.kern),
      gen: b.readUInt32LE(this.gen),
      comm: b.toString('latin1', this.comm, commEnd),
    };
  }
}
