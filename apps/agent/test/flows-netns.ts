/**
 * A throwaway client -- router -- server topology in network namespaces for live flow tests,
 * with a packet capture on the router's client-facing side (it sees every packet the client
 * sends, including those the router later drops towards the server, and their retransmissions).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLIENT_IP = '10.213.1.1';
export const SERVER_IP = '10.213.2.1';
/** on the server subnet, answered by nobody (static neighbour entry to a MAC nobody has) */
export const BLACKHOLE_IP = '10.213.2.99';

const sh = (args: string[]) => execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' }).toString();

/** Why live tests cannot run here, or undefined. Installs iproute2/tcpdump when missing. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for network namespaces';
  for (const [bin, pkg] of [
    ['/usr/sbin/ip', 'iproute2'],
    ['/usr/bin/tcpdump', 'tcpdump'],
    ['/usr/sbin/nft', 'nftables'],
  ] as const) {
    if (existsSync(bin)) continue;
    try {
      sh(['apt-get', 'install', '-y', pkg]);
    } catch {
      return `${pkg} is missing and apt-get could not install it`;
    }
  }
  return undefined;
}

export class Topology {
  readonly c: string;
  readonly r: string;
  readonly s: string;
  readonly dir = mkdtempSync(join(tmpdir(), 'zs-flows-'));
  private readonly children = new Set<ChildProcess>();

  constructor(tag = String(process.pid)) {
    this.c = `zsfc${tag}`;
    this.r = `zsfr${tag}`;
    this.s = `zsfs${tag}`;
  }

  up(): void {
    const { c, r, s } = this;
    for (const ns of [c, r, s]) sh(['ip', 'netns', 'add', ns]);
    sh(['ip', 'link', 'add', 'vc', 'netns', c, 'type', 'veth', 'peer', 'name', 'rc', 'netns', r]);
    sh(['ip', 'link', 'add', 'vs', 'netns', s, 'type', 'veth', 'peer', 'name', 'rs', 'netns', r]);
    const x = (ns: string, ...a: string[]) => sh(['ip', 'netns', 'exec', ns, ...a]);
    x(c, 'ip', 'addr', 'add', `${CLIENT_IP}/24`, 'dev', 'vc');
    x(s, 'ip', 'addr', 'add', `${SERVER_IP}/24`, 'dev', 'vs');
    x(r, 'ip', 'addr', 'add', '10.213.1.254/24', 'dev', 'rc');
    x(r, 'ip', 'addr', 'add', '10.213.2.254/24', 'dev', 'rs');
    for (const [ns, dev] of [
      [c, 'vc'],
      [s, 'vs'],
      [r, 'rc'],
      [r, 'rs'],
    ] as const) {
      x(ns, 'ip', 'link', 'set', dev, 'up');
      x(ns, 'ip', 'link', 'set', 'lo', 'up');
    }
    x(c, 'ip', 'route', 'add', 'default', 'via', '10.213.1.254');
    x(s, 'ip', 'route', 'add', 'default', 'via', '10.213.2.254');
    x(r, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
    x(r, 'ip', 'neigh', 'add', BLACKHOLE_IP, 'lladdr', '02:00:00:00:02:99', 'dev', 'rs', 'nud', 'permanent');
  }

  /**
   * Random loss of forwarded client->server packets to one port. nftables rather than
   * `tc netem`: this kernel is built without sch_netem (and without act_gact).
   */
  loss(percent: number, dport: number): void {
    const rules = `table inet zsloss { chain lossy { type filter hook forward priority 0; policy accept;
      ip daddr ${SERVER_IP} tcp dport ${dport} numgen random mod 100 < ${percent} drop
    }
  }
`;
    execFileSync('ip', ['netns', 'exec', this.r, 'nft', '-f', '-'], {
      input: rules,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  /** Starts tcpdump on the router's client side; resolves once it listens. */
  async capture(file: string): Promise<() => Promise<void>> {
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        this.r,
        'tcpdump',
        '--immediate-mode',
        '-i',
        'rc',
        '-n',
        '-U',
        '-s',
        '256',
        '-w',
        file,
        'ip',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    this.children.add(child);
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (b: Buffer) => {
        err += b.toString();
        if (err.includes('listening on')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`tcpdump exited (${code}): ${err}`)));
    });
    return async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
      this.children.delete(child);
    };
  }

  /** A long-running node program inside a namespace. */
  spawnNode(ns: string, script: string): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { stdio: 'pipe' });
    this.children.add(child);
    return child;
  }

  /** Runs a node program inside a namespace to completion; resolves with its stdout. */
  runNode(ns: string, script: string, timeoutMs = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = this.spawnNode(ns, script);
      let out = '';
      let err = '';
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
      });
      child.stderr!.on('data', (b: Buffer) => {
        err += b.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('exit', (code) => {
        clearTimeout(timer);
        this.children.delete(child);
        if (code === 0) resolve(out);
        else reject(new Error(`node in ${ns} exited ${code}: ${err}`));
      });
    });
  }

  down(): void {
    for (const ch of this.children) ch.kill('SIGKILL');
    for (const ns of [this.c, this.r, this.s]) {
      try {
        sh(['ip', 'netns', 'del', ns]);
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
