/** The node itself: identity, OS, size, and its network interfaces. */
import fs from 'node:fs';
import os from 'node:os';
import type { HostInfo, InterfaceInfo } from '@zeroscope/wire/resources';
import { readText } from './procfs';

export function readHost(root = ''): HostInfo {
  const osRelease = readText(`${root}/etc/os-release`) ?? '';
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? os.type();
  return {
    hostname: os.hostname(),
    machineId: (
      readText(`${root}/etc/machine-id`) ??
      readText(`${root}/var/lib/dbus/machine-id`) ??
      ''
    ).trim(),
    bootId: (readText(`${root}/proc/sys/kernel/random/boot_id`) ?? '').trim(),
    kernel: os.release(),
    os: pretty,
    arch: os.arch(),
    cpuCount: os.availableParallelism(),
    memoryBytes: os.totalmem(),
  };
}

/**
 * os.networkInterfaces() lists only interfaces with addresses; /sys/class/net adds the
 * others (bridges, veths without IPs) and gives the MAC of each.
 */
export function readInterfaces(sysNet = '/sys/class/net'): InterfaceInfo[] {
  const byName = new Map<string, InterfaceInfo>();
  let names: string[] = [];
  try {
    names = fs.readdirSync(sysNet);
  } catch {}
  for (const name of names) {
    const mac = (readText(`${sysNet}/${name}/address`) ?? '').trim().toLowerCase();
    byName.set(name, { name, mac: mac === '00:00:00:00:00:00' ? '' : mac, ips: [] });
  }
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    const ifc = byName.get(name) ?? { name, mac: '', ips: [] };
    for (const a of addrs ?? []) {
      if (!ifc.mac && a.mac !== '00:00:00:00:00:00') ifc.mac = a.mac;
      if (a.cidr) ifc.ips.push(a.cidr);
    }
    byName.set(name, ifc);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
