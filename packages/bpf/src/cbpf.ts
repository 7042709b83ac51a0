/**
 * Classic BPF (SO_ATTACH_FILTER) programs for AF_PACKET sockets: a tiny assembler with
 * labels and the filters the agent needs. Encoded as struct sock_filter {u16 code;
 * u8 jt; u8 jf; u32 k}.
 */
import { BpfError } from './errors';

export interface CbpfInsn {
  code: number;
  jt?: number | string;
  jf?: number | string;
  k?: number;
  label?: string;
}

const LD_H_ABS = 0x28;
const LD_B_ABS = 0x30;
const LDX_B_MSH = 0xb1;
const LD_H_IND = 0x48;
const JEQ_K = 0x15;
const JSET_K = 0x45;
const RET_K = 0x06;
const ACCEPT = 0x40000;

export function assemble(prog: CbpfInsn[]): Buffer {
  const labels = new Map<string, number>();
  prog.forEach((ins, i) => {
    if (ins.label) labels.set(ins.label, i);
  });
  const out = Buffer.alloc(prog.length * 8);
  const rel = (i: number, t: number | string | undefined): number => {
    if (t === undefined) return 0;
    if (typeof t === 'number') return t;
    const at = labels.get(t);
    if (at === undefined || at <= i || at - i - 1 > 255) throw new BpfError('cbpf', 22, `bad jump to ${t}`);
    return at - i - 1;
  };
  prog.forEach((ins, i) => {
    out.writeUInt16LE(ins.code, i * 8);
    out.writeUInt8(rel(i, ins.jt), i * 8 + 2);
    out.writeUInt8(rel(i, ins.jf), i * 8 + 3);
    out.writeUInt32LE((ins.k ?? 0) >>> 0, i * 8 + 4);
  });
  return out;
}

/** Ethernet frames carrying TCP or UDP (IPv4/IPv6) with one of `ports` on either end;
 * every frame when `ports` is empty. IPv4 fragments after the first are dropped. */
export function portsFilter(ports: number[]): Buffer {
  if (ports.length === 0) return assemble([{ code: RET_K, k: ACCEPT }]);
  if (ports.length > 32) throw new BpfError('cbpf', 22, 'at most 32 ports');
  const match = (): CbpfInsn[] => ports.map((p) => ({ code: JEQ_K, k: p, jt: 'accept', jf: 0 }));
  return assemble([
    { code: LD_H_ABS, k: 12 },
    { code: JEQ_K, k: 0x0800, jt: 'ip4', jf: 0 },
    { code: JEQ_K, k: 0x86dd, jt: 'ip6', jf: 'drop' },
    { label: 'ip4', code: LD_B_ABS, k: 23 },
    { code: JEQ_K, k: 6, jt: 'v4', jf: 0 },
    { code: JEQ_K, k: 17, jt: 'v4', jf: 'drop' },
    { label: 'v4', code: LD_H_ABS, k: 20 },
    { code: JSET_K, k: 0x1fff, jt: 'drop', jf: 0 },
    { code: LDX_B_MSH, k: 14 },
    { code: LD_H_IND, k: 14 },
    ...match(),
    { code: LD_H_IND, k: 16 },
    ...match(),
    { code: RET_K, k: 0 },
    { label: 'ip6', code: LD_B_ABS, k: 20 },
    { code: JEQ_K, k: 6, jt: 'v6', jf: 0 },
    { code: JEQ_K, k: 17, jt: 'v6', jf: 'drop' },
    { label: 'v6', code: LD_H_ABS, k: 54 },
    ...match(),
    { code: LD_H_ABS, k: 56 },
    ...match(),
    { label: 'drop', code: RET_K, k: 0 },
    { label: 'accept', code: RET_K, k: ACCEPT },
  ]);
}
