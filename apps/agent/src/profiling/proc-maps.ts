/** /proc/PID/maps: which file (and offset in it) backs an address of a process. */
import { floorIndex } from './elf';

export interface Mapping {
  start: number;
  end: number;
  offset: number;
  exec: boolean;
  /** device and inode: identify the file across processes and mount namespaces */
  dev: string;
  inode: number;
  /** '' for anonymous memory; '[vdso]', '[stack]', ... for kernel-provided areas */
  path: string;
}

export interface ProcMaps {
  starts: Float64Array;
  list: Mapping[];
}

export function parseProcMaps(text: string): ProcMaps {
  const list: Mapping[] = [];
  for (const line of text.split('\n')) {
    // 7f0c1c000000-7f0c1c021000 r-xp 00001000 08:01 1234   /usr/lib/libc.so.6
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) (\S+) (\d+)\s*(.*)$/.exec(line);
    if (!m) continue;
    list.push({
      start: Number.parseInt(m[1]!, 16),
      end: Number.parseInt(m[2]!, 16),
      exec: m[3]![2] === 'x',
      offset: Number.parseInt(m[4]!, 16),
      dev: m[5]!,
      inode: Number(m[6]),
      path: m[7]!.replace(/ \(deleted\)$/, ''),
    });
  }
  list.sort((a, b) => a.start - b.start);
  return { starts: Float64Array.from(list.map((l) => l.start)), list };
}

export function findMapping(maps: ProcMaps, addr: number): Mapping | undefined {
  const i = floorIndex(maps.starts, addr);
  const m = i < 0 ? undefined : maps.list[i];
  return m && addr < m.end ? m : undefined;
}
