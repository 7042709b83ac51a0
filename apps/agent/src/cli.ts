#!/usr/bin/env tsx
/** `zeroscope-agent replay --pcap FILE` | `zeroscope-agent run --server URL --token T` */
import type { L7Protocol } from '@zeroscope/wire';
import { CaptureError } from './capture/pcap';
import { MetricsAggregator } from './metrics';
import { type ReplayStats, replayPcap } from './replay';

const USAGE = `usage:
  zeroscope-agent replay --pcap FILE [--protocols http1,dns,...] [--timeout-ms N] [--stats] [--metrics]
  zeroscope-agent run --server ws://HOST:PORT --token T [--interfaces eth0,...] [--no-ebpf]
                      [--max-cpu PERCENT_OF_A_CORE] [--max-memory MIB]`;

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function replay(argv: string[]): Promise<number> {
  const file = flag(argv, '--pcap');
  if (!file) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const protocols = flag(argv, '--protocols')?.split(',') as L7Protocol[] | undefined;
  const timeoutMs = flag(argv, '--timeout-ms');
  const stats: Partial<ReplayStats> = {};
  const out: string[] = [];
  // --metrics: also print the aggregated metric rows, `{"kind": "metric", "table": "application_1m", ...}`
  const metrics = argv.includes('--metrics')
    ? new MetricsAggregator({
        emit: ({ kind, ...row }) => out.push(JSON.stringify({ kind: 'metric', table: kind, ...row })),
      })
    : undefined;
  try {
    for await (const r of replayPcap(
      file,
      { protocols, timeoutUs: timeoutMs ? Number(timeoutMs) * 1000 : undefined },
      stats,
    )) {
      out.push(JSON.stringify(r));
      if (r.kind === 'request_log') metrics?.onRecord(r);
      else metrics?.onFlowLog(r);
      if (out.length >= 1024) {
        process.stdout.write(`${out.join('\n')}\n`);
        out.length = 0;
      }
    }
  } catch (e) {
    const msg =
      e instanceof CaptureError
        ? `${e.code}: ${e.message}`
        : (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? `no such file: ${file}`
          : String(e);
    process.stderr.write(`zeroscope-agent replay: ${msg}\n`);
    return 1;
  }
  metrics?.flush();
  if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
  if (stats.read?.error)
    process.stderr.write(`zeroscope-agent replay: capture ended early: ${stats.read.error.message}\n`);
  if (argv.includes('--stats')) process.stderr.write(`${JSON.stringify(stats)}\n`);
  return 0;
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'replay':
      return replay(rest);
    case 'run': {
      const run = await import('./run' as string);
      return (await run.main(rest)) ?? 0;
    }
    default:
      process.stderr.write(`zeroscope-agent: unknown command '${command ?? ''}'\n${USAGE}\n`);
      return 2;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`zeroscope-agent: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
