/**
 * Cost of one alert evaluation round outside the query: a rule's result of N series turned
 * into samples, evaluated against the previous state and planned into notifications, for a
 * quiet round (nothing changes) and a storm (every series starts firing), side by side.
 *   npx tsx bench/alerting/run.ts
 */
import { evaluate, planNotifications, type Rule, type SeriesState, samplesOf } from '@zeroscope/api/alerting';

const SIZES = [1_000, 10_000, 100_000];
const RUNS = 5;

const rule: Rule = {
  id: 1,
  name: 'bench',
  query: '',
  condition: { op: '>', threshold: 0.5, noData: 'ok' },
  forSeconds: 0,
  windowSeconds: 300,
  repeatSeconds: 3600,
  severity: 'warning',
  labels: { team: 'bench' },
  annotations: { summary: '{{labels.auto_service}} at {{value}}' },
  groupBy: ['auto_service'],
  channelIds: [],
  enabled: true,
};

function result(n: number, value: number) {
  return {
    columns: ['auto_service', 'endpoint', 'error_ratio'],
    values: Array.from({ length: n }, (_, i) => [`svc-${i % 200}`, `/api/${i}`, value]),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function round(n: number, value: number, prev: Map<string, SeriesState>) {
  const t0 = performance.now();
  const samples = samplesOf(result(n, value));
  const t1 = performance.now();
  const { next, transitions } = evaluate(rule, samples, prev, Date.now());
  const t2 = performance.now();
  const plan = planNotifications({ rule, states: next, transitions, silenced: () => false, now: Date.now() });
  const t3 = performance.now();
  return {
    samples: t1 - t0,
    evaluate: t2 - t1,
    plan: t3 - t2,
    total: t3 - t0,
    next,
    notifications: plan.notifications.length,
  };
}

for (const n of SIZES) {
  const quiet: number[] = [];
  const storm: number[] = [];
  let groups = 0;
  for (let r = 0; r < RUNS; r++) {
    const ok = round(n, 0.1, new Map()).next; // every series known and healthy
    quiet.push(round(n, 0.1, ok).total);
    const s = round(n, 0.9, ok);
    storm.push(s.total);
    groups = s.notifications;
  }
  const q = median(quiet);
  const s = median(storm);
  console.log(
    `series=${n.toLocaleString('en-US').padStart(7)}  quiet round ${q.toFixed(1).padStart(7)} ms (${((q * 1000) / n).toFixed(2)} µs/series)  ` +
      `storm round ${s.toFixed(1).padStart(7)} ms (${((s * 1000) / n).toFixed(2)} µs/series, ${groups} grouped notifications)  storm/quiet ${(s / q).toFixed(2)}x`,
  );
}
