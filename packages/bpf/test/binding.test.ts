import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  BpfError,
  BpfObject,
  objectPath,
  openPacketSocket,
  probeFeatures,
  symbolOffsets,
} from '@zeroscope/bpf';
import { describe, expect, it } from 'vitest';
import { isRoot, SKIP_REASON } from './helpers';

describe('BpfObject errors (no privileges needed)', () => {
  it('reports a missing object file as BpfError with op and errno', () => {
    const e = (() => {
      try {
        BpfObject.open('/nonexistent.bpf.o');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(BpfError);
    expect((e as BpfError).op).toBe('open');
    expect((e as BpfError).errno).toBe(2);
  });

  it('rejects config of the wrong size and unknown programs before load', () => {
    const obj = BpfObject.open(objectPath('capture'));
    try {
      expect(() => obj.setGlobal('cfg_payload_size', Uint8Array.of(1))).toThrow(/size does not match/);
      expect(() => obj.setU32('no_such_var', 1)).toThrow(BpfError);
      expect(() => obj.setAutoload('no_such_prog', false)).toThrow(/no_such_prog/);
      const l = obj.layout('zs_data_event');
      expect(l.offset('payload')).toBe(l.size);
    } finally {
      obj.dispose();
    }
    expect(() => obj.programs()).toThrow(/disposed/);
  });
});

describe.skipIf(!isRoot)(`kernel features and hooks${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('probes hook types and explains what is disabled', () => {
    const f = probeFeatures();
    expect(f.tp_btf.enabled || f.raw_tp.enabled).toBe(true);
    for (const [name, feat] of Object.entries(f)) if (!feat.enabled) expect(feat.reason, name).toBeTruthy();
  });

  it('loads, reads and writes maps, and frees everything on dispose', () => {
    const obj = BpfObject.open(objectPath('capture'));
    try {
      for (const p of obj.programs()) obj.setAutoload(p.name, p.name === 'send_btf' || p.name === 'send_raw');
      obj.setU32('cfg_payload_size', 64);
      obj.load();
      expect(() => obj.setU32('cfg_payload_size', 1)).toThrow(/before load/);
      const listen = obj.map('listen_ports');
      const key = Buffer.from([0x50, 0x00]);
      expect(listen.lookup(key)).toBeUndefined();
      listen.update(key, Uint8Array.of(1));
      expect(listen.lookup(key)?.[0]).toBe(1);
      expect([...listen.keys()].map((k) => k.readUInt16LE(0))).toContain(80);
      expect(listen.delete(key)).toBe(true);
      expect(listen.delete(key)).toBe(false);
      expect(() => listen.update(Buffer.alloc(3), Uint8Array.of(1))).toThrow(/key size/);
      expect(obj.map('stats').sumPerCpuU64(0)).toBe(0n);
    } finally {
      obj.dispose();
    }
  });

  it('attaches perf_event and socket programs', () => {
    const obj = BpfObject.open(objectPath('probe'));
    try {
      for (const p of obj.programs())
        obj.setAutoload(p.name, p.name === 'probe_perf_event' || p.name === 'probe_socket');
      obj.load();
      const link = obj.attach('probe_perf_event', { kind: 'perf_event', cpu: 0, frequency: 99 });
      link.detach();
      const sock = openPacketSocket({ interface: 'lo', onFrames: () => {} });
      try {
        obj.attach('probe_socket', { kind: 'socket', fd: sock.fd });
      } finally {
        sock.close();
      }
    } finally {
      obj.dispose();
    }
  });

  it('attaches classic tracepoints (tracefs mounted on demand), raw_tp by name and pid-scoped uprobes', () => {
    if (!existsSync('/sys/kernel/tracing/events')) {
      execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
    }
    const obj = BpfObject.open(objectPath('probe'));
    const keep = ['probe_tracepoint', 'probe_raw_tp', 'probe_uprobe'];
    try {
      for (const p of obj.programs()) obj.setAutoload(p.name, keep.includes(p.name));
      obj.load();
      obj
        .attach('probe_tracepoint', { kind: 'tracepoint', category: 'sched', name: 'sched_process_fork' })
        .detach();
      obj.attach('probe_raw_tp', { kind: 'raw_tp', name: 'sched_process_fork' }).detach();
      const off = symbolOffsets(process.execPath, ['uv_version']).get('uv_version') ?? 0;
      obj
        .attach('probe_uprobe', { kind: 'uprobe', path: process.execPath, offset: off, pid: process.pid })
        .detach();
      const bad = () => obj.attach('probe_raw_tp', { kind: 'raw_tp', name: 'no_such_tracepoint' });
      expect(bad).toThrow(BpfError);
    } finally {
      obj.dispose();
    }
  });
});
