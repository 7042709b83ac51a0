/**
 * Prometheus compatibility end to end (PRODUCT.md §2.8, issue 12): Debian's Prometheus scrapes
 * Debian's node-exporter every second and remote-writes to Zeroscope (snappy + protobuf, bearer
 * token); Debian's promtool then queries the data back through Zeroscope's /prom API (instant
 * and range queries with PromQL, series, labels). Samples are linked to the host resource
 * their `instance` label names. Telegraf-style Influx line protocol lands in the same store.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntakeApi, prom, startIntakeApi } from './intake-helpers';
import { freePort } from './link-helpers';

const hasPrometheus = ['/usr/bin/prometheus', '/usr/bin/prometheus-node-exporter', '/usr/bin/promtool'].every(
  (f) => existsSync(f),
);
const HOST_ID = 7;

/** Runs promtool without blocking the event loop (the API under test runs in this process). */
async function promtool(args: string[]): Promise<string> {
  const p = spawn('promtool', ['query', ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  let out = '';
  let err = '';
  p.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  p.stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const [code] = (await once(p, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`promtool ${args.join(' ')} failed (${code}): ${err}${out}`);
  return out;
}

/** promtool's vector output (`{labels} => value @[time]` lines) as labels -> value. */
function parseVector(out: string): Record<string, number> {
  const res: Record<string, number> = {};
  for (const m of out.matchAll(/^(.*) => (\S+) @\[/gm)) res[m[1]!] = Number(m[2]);
  return res;
}

describe.skipIf(!hasPrometheus)(
  `Prometheus remote write and promtool queries${hasPrometheus ? '' : ' (skipped: apt-get install prometheus prometheus-node-exporter)'}`,
  () => {
    let api: IntakeApi;
    let dir: string;
    let nodePort = 0;
    let promPort = 0;
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      api = await startIntakeApi();
      // the resource inventory knows this machine as host '127.0.0.1' (what `instance` names)
      await api.ctx.telemetry.command(
        `INSERT INTO flow_tag.host_map_src (id, name) VALUES (${HOST_ID}, '127.0.0.1')`,
      );
      dir = mkdtempSync(join(tmpdir(), 'zs-prom-'));
      nodePort = await freePort();
      promPort = await freePort();
      children.push(
        spawn(
          '/usr/bin/prometheus-node-exporter',
          [
            `--web.listen-address=127.0.0.1:${nodePort}`,
            '--collector.disable-defaults',
            '--collector.cpu',
            '--collector.meminfo',
            '--collector.loadavg',
          ],
          { stdio: 'ignore' },
        ),
      );
      writeFileSync(
        join(dir, 'prometheus.yml'),
        `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:${nodePort}']
remote_write:
  - url: ${api.base}/api/v1/write
    authorization:
      credentials: ${api.ingestToken}
    queue_config:
      batch_send_deadline: 1s
      min_backoff: 100ms
      max_backoff: 1s
`,
      );
      children.push(
        spawn(
          '/usr/bin/prometheus',
          [
            `--config.file=${join(dir, 'prometheus.yml')}`,
            `--storage.tsdb.path=${join(dir, 'tsdb')}`,
            `--web.listen-address=127.0.0.1:${promPort}`,
          ],
          { stdio: 'ignore' },
        ),
      );
      // until 8 scrapes of `up` arrived through remote write (windows of 5-10 s need several)
      const deadline = Date.now() + 40_000;
      for (;;) {
        const r = await prom(api, `query?query=${encodeURIComponent('count_over_time(up{job="node"}[1m])')}`);
        if (Number(r.body.data?.result?.[0]?.value?.[1] ?? 0) >= 8) break;
        if (Date.now() > deadline)
          throw new Error(`no remote-written samples: ${JSON.stringify(api.routes.intake.stats.snapshot())}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    });

    /** Seconds of the newest sample received: compare moments both sides surely have in full. */
    const receivedUntil = async () => {
      const [r] = await api.ctx.telemetry.query<{ t: number }>(
        'SELECT toUnixTimestamp(max(time)) AS t FROM prometheus.samples',
      );
      return Number(r!.t);
    };

    afterAll(async () => {
      for (const c of children) c.kill('SIGKILL');
      await api?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('promtool gets the same instant-query answers from Zeroscope as from Prometheus itself', async () => {
      const ours = `http://promtool:${api.readToken}@127.0.0.1:${api.port}/prom`;
      const theirs = `http://127.0.0.1:${promPort}`;
      // a moment whose samples both sides surely have (remote write sends within ~1 s)
      const at = `--time=${(await receivedUntil()) - 3}`;
      const up = await promtool(['instant', at, ours, 'up{job="node"}']);
      expect(up).toContain(`up{instance="127.0.0.1:${nodePort}", job="node"} => 1 @[`);
      for (const q of [
        'sum by (mode) (rate(node_cpu_seconds_total[10s]))',
        'sum(rate(node_cpu_seconds_total[10s])) / count(count by (cpu) (node_cpu_seconds_total))',
        'max by (cpu) (increase(node_cpu_seconds_total{mode!="idle"}[10s]))',
        '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes',
        'node_load1 * 2 + 1',
        'avg without (cpu) (irate(node_cpu_seconds_total{mode=~"user|system"}[5s]))',
      ]) {
        const a = parseVector(await promtool(['instant', at, ours, q]));
        const b = parseVector(await promtool(['instant', at, theirs, q]));
        expect(Object.keys(a).sort(), q).toEqual(Object.keys(b).sort());
        expect(Object.keys(a).length, q).toBeGreaterThan(0);
        for (const [k, v] of Object.entries(b)) expect(a[k], `${q} ${k}`).toBeCloseTo(v, 6);
      }
    });

    it('promtool range, series and label queries (bearer header)', async () => {
      const server = `http://127.0.0.1:${api.port}/prom`;
      const header = `--header=Authorization: Bearer ${api.readToken}`;
      const end = await receivedUntil();
      const range = await promtool([
        'range',
        header,
        `--start=${end - 5}`,
        `--end=${end}`,
        '--step=1s',
        server,
        'node_load1',
      ]);
      expect(range).toContain(`node_load1{instance="127.0.0.1:${nodePort}", job="node"} =>`);
      expect((range.match(/ @\[/g) ?? []).length).toBeGreaterThanOrEqual(3);
      // a range query with rate(): the same matrix as Prometheus' own answer
      const q = 'sum by (mode) (rate(node_cpu_seconds_total{mode=~"idle|user|system"}[5s]))';
      const window = [`--start=${end - 9}`, `--end=${end - 4}`, '--step=1s'];
      const ours = await promtool(['range', header, ...window, server, q]);
      const theirs = await promtool(['range', ...window, `http://127.0.0.1:${promPort}`, q]);
      expect(ours).toContain('{mode="idle"} =>');
      const nums = (text: string) =>
        [...text.matchAll(/^(\S+) @\[(\S+)\]$/gm)].map((m) => [Number(m[2]), Number(m[1])]);
      const a = nums(ours);
      const b = nums(theirs);
      expect(a.length).toBe(b.length);
      // one point per mode at least: a loaded machine misses scrapes, and then Prometheus
      // itself has fewer rate() points (the lengths above must still agree)
      expect(a.length).toBeGreaterThanOrEqual(3);
      a.forEach(([t, v], i) => {
        expect(t).toBe(b[i]![0]);
        expect(v).toBeCloseTo(b[i]![1]!, 6);
      });
      const basic = `http://promtool:${api.readToken}@127.0.0.1:${api.port}/prom`;
      const series = await promtool(['series', '--match=node_memory_MemTotal_bytes', basic]);
      expect(series).toContain(
        `{__name__="node_memory_MemTotal_bytes", instance="127.0.0.1:${nodePort}", job="node"}`,
      );
      const labels = await promtool(['labels', basic, 'job']);
      expect(labels.split('\n')).toContain('node');
    });

    it('stores samples with integer-encoded names, linked to the host their instance label names', async () => {
      const [row] = await api.ctx.telemetry.query<{ n: number; linked: number }>(
        `SELECT count() AS n, countIf(host_id = ${HOST_ID} AND auto_instance_id = ${HOST_ID} AND auto_instance_type = 3) AS linked
         FROM prometheus.samples`,
      );
      expect(Number(row!.n)).toBeGreaterThan(100);
      expect(Number(row!.linked)).toBe(Number(row!.n));
      const names = await api.ctx.telemetry.query<{ name: string }>(
        "SELECT name FROM prometheus.metric_name WHERE name LIKE 'node_cpu%'",
      );
      expect(names.map((r) => r.name)).toContain('node_cpu_seconds_total');
      const types = await api.ctx.telemetry.query<{ type: string }>(
        "SELECT DISTINCT type FROM system.columns WHERE database = 'prometheus' AND table = 'samples'",
      );
      // no strings in a sample row: names and labels are ids
      expect(types.map((t) => t.type).some((t) => t.includes('String'))).toBe(false);
      expect(api.routes.intake.stats.snapshot().accepted.remote_write_samples).toBeGreaterThan(100);
    });

    it('takes Influx line protocol (Token auth) into the same store, and refuses writes without a token', async () => {
      const now = Date.now();
      const res = await fetch(`${api.base}/api/v2/write?precision=ms`, {
        method: 'POST',
        headers: { authorization: `Token ${api.ingestToken}` },
        body: `disk,host=127.0.0.1,path=/ used_percent=42.5,inodes_free=1000i ${now}\n`,
      });
      expect(res.status).toBe(204);
      const q = await prom(api, `query?query=${encodeURIComponent('disk_used_percent{path="/"}')}`);
      expect(q.body.data.result).toEqual([
        {
          metric: { __name__: 'disk_used_percent', host: '127.0.0.1', path: '/' },
          value: [expect.any(Number), '42.5'],
        },
      ]);
      // the 1.x endpoint, basic auth with the token as password, precision u
      const v1 = await fetch(`${api.base}/write?db=telegraf&precision=u`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`telegraf:${api.ingestToken}`).toString('base64')}` },
        body: `swap,host=127.0.0.1 used=7i ${now * 1000}\n`,
      });
      expect(v1.status).toBe(204);
      const swap = await prom(api, `query?query=${encodeURIComponent('swap_used')}`);
      expect(swap.body.data.result[0].value[1]).toBe('7');
      const bad = await fetch(`${api.base}/api/v2/write`, {
        method: 'POST',
        headers: { authorization: `Token ${api.ingestToken}` },
        body: 'disk used=1\nnot a line\n',
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        error: 'bad_payload',
        message: expect.stringMatching(/^partial write: 1 bad line\(s\): line 2: /),
      });
      expect((await fetch(`${api.base}/api/v1/write`, { method: 'POST', body: 'x' })).status).toBe(401);
      const garbage = await fetch(`${api.base}/api/v1/write`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.ingestToken}` },
        body: 'not snappy at all',
      });
      expect(garbage.status).toBe(400);
      expect(((await garbage.json()) as { error: string }).error).toBe('bad_encoding');
    });

    it('answers bad PromQL like Prometheus does', async () => {
      const r = await prom(api, `query?query=${encodeURIComponent('sum(rate(up[5m])')}`);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        status: 'error',
        errorType: 'bad_data',
        error: expect.stringContaining("expected ')'"),
      });
    });
  },
);
