/** Discovery against this machine's real /proc, /sys and a child process we control. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHost, readInterfaces } from '../src/discovery/host';
import { ProcessScanner } from '../src/discovery/processes';
import { parseListening, readListenRows } from '../src/discovery/sockets';

// The child listens on one port, and on a second one when told to through stdin.
const CHILD = `
const net = require('node:net');
const listen = (host) => net.createServer().listen(0, host, function () { process.stdout.write(this.address().port + '\\n'); });
listen('127.0.0.1');
process.stdin.on('data', () => listen('::1'));
`;

let child: ChildProcess;
let firstPort = 0;
const lines: string[] = [];
const spawnedAt = Date.now() * 1000;

const nextLine = async (): Promise<string> => {
  while (lines.length === 0) await once(child.stdout!, 'data');
  return lines.shift()!;
};

beforeAll(async () => {
  child = spawn(process.execPath, ['-e', CHILD, 'zs-discovery-marker', '--flag=1'], {
    env: {
      PATH: process.env.PATH,
      OTEL_SERVICE_NAME: 'zs-discovery-test',
      ZEROSCOPE_TAG_team: 'observability',
      DB_PASSWORD: 'hunter2',
      ZEROSCOPE_TAG_API_TOKEN: 'tok',
      UNLISTED: 'x',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdout!.on('data', (b: Buffer) => lines.push(...b.toString().trim().split('\n')));
  firstPort = Number(await nextLine());
});

afterAll(() => {
  child.kill('SIGKILL');
});

describe('ProcessScanner on the real /proc', () => {
  const scanner = new ProcessScanner({ listenEveryMs: 0 });

  it('finds the child with its cmdline, allowlisted env (no secrets), start time and listening port', () => {
    const procs = scanner.scan(true);
    const me = procs.find((p) => p.pid === child.pid);
    expect(me).toBeDefined();
    expect(me!.ppid).toBe(process.pid);
    expect(me!.comm).toBe('node');
    expect(me!.cmdline).toContain('zs-discovery-marker --flag=1');
    expect(me!.exe).toBe(fs.realpathSync(process.execPath));
    expect(me!.env).toEqual({ OTEL_SERVICE_NAME: 'zs-discovery-test', ZEROSCOPE_TAG_team: 'observability' });
    expect(Math.abs(me!.startTime - spawnedAt)).toBeLessThan(5_000_000);
    expect(me!.listen).toEqual([{ proto: 'tcp', ip: '127.0.0.1', port: firstPort }]);
    expect(me!.uid).toBe(process.getuid!());
    expect(me!.cgroup.startsWith('/')).toBe(true);
  });

  it('skips kernel threads', () => {
    const procs = scanner.scan();
    expect(procs.some((p) => p.pid === 2)).toBe(false);
    const kthreadd = fs.readFileSync('/proc/2/stat', 'utf8');
    expect(kthreadd).toContain('(kthreadd)');
  });

  it('re-parses nothing that did not change, yet sees a new listening socket on the next tick', async () => {
    scanner.scan();
    const parsedBefore = scanner.stats.parsed;
    const fdScansBefore = scanner.stats.fdScans;
    child.stdin!.write('go\n');
    const secondPort = Number(await nextLine());
    const me = scanner.scan().find((p) => p.pid === child.pid)!;
    // listen is sorted by port, and both ports are random
    expect(me.listen).toHaveLength(2);
    expect(me.listen).toContainEqual({ proto: 'tcp', ip: '127.0.0.1', port: firstPort });
    expect(me.listen).toContainEqual({ proto: 'tcp6', ip: '::1', port: secondPort });
    // Only processes that started in between are parsed again (a handful, not the table).
    expect(scanner.stats.parsed - parsedBefore).toBeLessThan(10);
    expect(scanner.stats.fdScans).toBeGreaterThan(fdScansBefore);
    const quiet = scanner.stats.fdScans;
    scanner.scan();
    expect(scanner.stats.fdScans - quiet).toBeLessThan(10);
  });

  it('re-reads listening tables only when due or when a process appeared in the namespace', () => {
    const lazy = new ProcessScanner({ listenEveryMs: 3_600_000 });
    lazy.scan(true);
    let quietTicks = 0;
    for (let i = 0; i < 20 && quietTicks < 3; i++) {
      const { parsed, tableReads } = { ...lazy.stats };
      lazy.scan();
      if (lazy.stats.parsed !== parsed) continue; // another process started meanwhile
      quietTicks++;
      expect(lazy.stats.tableReads).toBe(tableReads);
    }
    expect(quietTicks).toBeGreaterThan(0);
    // The cached table still yields the child's listener.
    expect(lazy.lookup(child.pid!)?.listen.length).toBe(2);
  });

  it('drops a process once it exits', async () => {
    const short = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await once(short, 'spawn');
    expect(scanner.scan().some((p) => p.pid === short.pid)).toBe(true);
    short.kill('SIGKILL');
    await once(short, 'exit');
    expect(scanner.scan().some((p) => p.pid === short.pid)).toBe(false);
  });
});

describe('listening table read', () => {
  it('stopping at the first non-LISTEN row misses no listener of the whole table', () => {
    // Other tests on this machine open and close listeners: retry until two reads agree.
    for (const [file, proto] of [
      ['/proc/net/tcp', 'tcp'],
      ['/proc/net/tcp6', 'tcp6'],
    ] as const) {
      let early: number[] = [];
      let whole: number[] = [];
      for (let i = 0; i < 5; i++) {
        early = [...parseListening(readListenRows(file), proto).keys()].sort();
        whole = [...parseListening(fs.readFileSync(file, 'latin1'), proto).keys()].sort();
        if (early.join() === whole.join()) break;
      }
      expect(early).toEqual(whole);
    }
    expect(parseListening(readListenRows('/proc/net/tcp'), 'tcp').size).toBeGreaterThan(0);
  });
});

describe('host and interfaces', () => {
  it('reads the machine identity and the loopback interface', () => {
    const h = readHost();
    expect(h.hostname).toBe(os.hostname());
    const idFile = ['/etc/machine-id', '/var/lib/dbus/machine-id'].find((f) => fs.existsSync(f));
    expect(h.machineId).toBe(idFile ? fs.readFileSync(idFile, 'utf8').trim() : '');
    expect(h.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.cpuCount).toBeGreaterThan(0);
    const ifs = readInterfaces();
    const lo = ifs.find((i) => i.name === 'lo');
    expect(lo?.ips).toContain('127.0.0.1/8');
    const withMac = ifs.filter((i) => i.mac);
    for (const i of withMac)
      expect(i.mac).toBe(fs.readFileSync(`/sys/class/net/${i.name}/address`, 'utf8').trim().toLowerCase());
  });
});
