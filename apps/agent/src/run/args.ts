/** Command-line options of `zeroscope-agent run`. */
export interface RunArgs {
  server: string;
  token: string;
  /** interfaces for packet capture (flow logs, and L7 when eBPF is unavailable); empty: none */
  interfaces: string[];
  /** disable eBPF even when it would load (packet capture only) */
  noEbpf: boolean;
  /** CPU budget, percent of one core (0: none); over it socket capture pauses (run/guard.ts) */
  maxCpuPercent: number;
  /** resident memory budget in MiB (0: none) */
  maxMemoryMiB: number;
}

export class ArgsError extends Error {}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function budget(argv: string[], name: string, envValue: string | undefined, dflt: number): number {
  const raw = flag(argv, name) ?? envValue;
  if (raw === undefined) return dflt;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new ArgsError(`${name} must be a number >= 0, got '${raw}'`);
  return v;
}

export function parseRunArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): RunArgs {
  const server = flag(argv, '--server') ?? env.ZEROSCOPE_SERVER;
  const token = flag(argv, '--token') ?? env.ZEROSCOPE_AGENT_TOKEN;
  if (!server) throw new ArgsError('--server ws://HOST:PORT is required');
  if (!/^wss?:\/\//.test(server))
    throw new ArgsError(`--server must be a ws:// or wss:// URL, got '${server}'`);
  if (!token) throw new ArgsError('--token T (or ZEROSCOPE_AGENT_TOKEN) is required');
  const ifaces = flag(argv, '--interfaces');
  return {
    server,
    token,
    interfaces: ifaces ? ifaces.split(',').filter(Boolean) : [],
    noEbpf: argv.includes('--no-ebpf'),
    maxCpuPercent: budget(argv, '--max-cpu', env.ZEROSCOPE_MAX_CPU, 100),
    maxMemoryMiB: budget(argv, '--max-memory', env.ZEROSCOPE_MAX_MEMORY, 1024),
  };
}
