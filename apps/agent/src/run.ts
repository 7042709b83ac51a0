/**
 * `zeroscope-agent run`: capture (run/capture.ts) -> request and flow logs -> Sender -> API.
 * Config pushed by the API is applied without a restart.
 */
import os from 'node:os';
import { type AgentConfig, encodeFrame } from '@zeroscope/wire/protocol';
import { type DiscoveryHandle, inKubernetes, startDiscovery } from './discovery/discovery';
import { MetricsAggregator } from './metrics';
import { ArgsError, parseRunArgs, type RunArgs } from './run/args';
import { type CaptureHandle, startCapture } from './run/capture';
import { ResourceGuard } from './run/guard';
import { ProfilingSwitch } from './run/profiling';
import { RecordFilter } from './run/record-filter';
import { Sender } from './sender/sender';

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

export async function main(argv: string[]): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (e) {
    if (e instanceof ArgsError) {
      process.stderr.write(`zeroscope-agent run: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  const filter = new RecordFilter();
  let capture: CaptureHandle | undefined;
  let discovery: DiscoveryHandle | undefined;
  // Continuous profiles (folded stacks every 10 s); started by the API's config.
  const profiling = new ProfilingSwitch({
    allowed: !args.noEbpf,
    onRows: (rows) => {
      for (const r of rows) sender.enqueueAs('profile', r);
    },
    log,
  });
  const applyConfig = (config: AgentConfig) => {
    filter.apply(config);
    void capture?.applyConfig(config);
    profiling.apply(config);
    log(`config v${config.version} applied`);
  };
  const sender = new Sender({
    url: args.server,
    token: args.token,
    hostname: os.hostname(),
    onConfig: applyConfig,
    // Every (re)connect starts the API's view of this node over from a full report.
    onConnected: () => discovery?.resync(),
    log,
  });
  discovery = startDiscovery({
    onReport: (f) => sender.sendControl(encodeFrame(f)),
    k8s: inKubernetes(process.env) ? 'in-cluster' : undefined,
    log,
  });

  // Metrics see every record, before sampling: RED stays exact when request logs are sampled.
  const metrics = new MetricsAggregator({ emit: (row) => sender.enqueue(row) });
  capture = await startCapture(args, {
    onRecord: (r) => {
      metrics.onRecord(r);
      if (filter.keep(r)) sender.enqueue({ kind: 'request_log', ...r });
    },
    onFlowLog: (f) => {
      metrics.onFlowLog(f);
      sender.enqueue({ kind: 'flow_log', ...f });
    },
    log,
  });

  // Over its CPU or memory budget the agent pauses socket capture rather than slow the host.
  const guard = new ResourceGuard({ maxCpu: args.maxCpuPercent / 100, maxRss: args.maxMemoryMiB * 2 ** 20 });
  const ticker = setInterval(() => {
    capture?.tick(Date.now() * 1000);
    metrics.tick(Date.now() * 1000);
    const act = guard.check();
    if (!act) return;
    // packet capture alone has nothing to pause: the budget is only reported then
    const paused = capture?.shed(act.shed) ?? false;
    if (act.shed)
      log(
        `over budget (${act.reason}): ${paused ? `socket capture paused for ${act.forMs / 1000} s` : 'no socket capture to pause'}`,
      );
    else log(paused ? 'socket capture resumed' : 'back within budget');
  }, 1000);
  const statsTimer = setInterval(() => {
    const s = sender.stats();
    log(
      `stats: acked=${s.ackedRows} buffered=${s.bufferedRows} dropped=${s.droppedRows} filtered=${filter.dropped} connected=${s.connected} sheds=${guard.sheds} shed_s=${(guard.shedMs / 1000).toFixed(0)} ${capture?.describe() ?? ''} ${profiling.describe()}`,
    );
  }, 60_000);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(ticker);
  clearInterval(statsTimer);
  await discovery.stop();
  await capture.stop();
  profiling.stop();
  metrics.flush();
  await sender.close();
  return 0;
}
