/**
 * echarts options for the RED and L4 charts, built from plain points. Pure: the EChart
 * component only hands the result to echarts (tested in options.test.ts).
 */
import type { EChartsCoreOption } from 'echarts/core';

export interface RedPointIn {
  t: number;
  requests: number;
  errors: number;
  timeouts: number;
  p99: number;
  latencySum: number;
  latencyCount: number;
}

export interface L4PointIn {
  t: number;
  byteTx: number;
  byteRx: number;
  rttSum: number;
  rttCount: number;
  retrans: number;
  connFailed: number;
}

const ms = (t: number) => t * 1000;
const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

/** Every step of [start, end) as epoch seconds, so gaps read as zero instead of a bridged line. */
export function steps(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(start / step) * step; t < end; t += step) out.push(t);
  return out;
}

function filled<T extends { t: number }>(points: T[], times: number[]): (T | undefined)[] {
  const at = new Map(points.map((p) => [p.t, p]));
  return times.map((t) => at.get(t));
}

const base = (): EChartsCoreOption => ({
  animation: false,
  grid: { left: 56, right: 56, top: 32, bottom: 28 },
  tooltip: { trigger: 'axis' },
  legend: { top: 0, textStyle: { fontSize: 11 } },
  xAxis: { type: 'time' },
});

/** Requests/s and errors/s (left axis) and p99 / average latency in ms (right axis). */
export function redChartOption(
  points: RedPointIn[],
  start: number,
  end: number,
  step: number,
): EChartsCoreOption {
  const times = steps(start, end, step);
  const f = filled(points, times);
  return {
    ...base(),
    yAxis: [
      { type: 'value', name: 'req/s', nameTextStyle: { fontSize: 10 } },
      { type: 'value', name: 'ms', nameTextStyle: { fontSize: 10 }, splitLine: { show: false } },
    ],
    series: [
      {
        name: 'requests/s',
        type: 'line',
        showSymbol: false,
        data: times.map((t, i) => [ms(t), round((f[i]?.requests ?? 0) / step, 3)]),
      },
      {
        name: 'errors/s',
        type: 'bar',
        itemStyle: { color: '#dc2626' },
        data: times.map((t, i) => [ms(t), round(((f[i]?.errors ?? 0) + (f[i]?.timeouts ?? 0)) / step, 3)]),
      },
      {
        name: 'p99 ms',
        type: 'line',
        yAxisIndex: 1,
        showSymbol: false,
        lineStyle: { type: 'dashed' },
        data: times.map((t, i) => [ms(t), f[i] ? round(f[i]!.p99 / 1000) : null]),
      },
      {
        name: 'avg ms',
        type: 'line',
        yAxisIndex: 1,
        showSymbol: false,
        data: times.map((t, i) => {
          const p = f[i];
          return [ms(t), p && p.latencyCount > 0 ? round(p.latencySum / p.latencyCount / 1000) : null];
        }),
      },
    ],
  };
}

/** Throughput each way in bytes/s (left axis), retransmissions and failed connections (bars), RTT (right axis). */
export function l4ChartOption(
  points: L4PointIn[],
  start: number,
  end: number,
  step: number,
): EChartsCoreOption {
  const times = steps(start, end, step);
  const f = filled(points, times);
  return {
    ...base(),
    yAxis: [
      { type: 'value', name: 'B/s', nameTextStyle: { fontSize: 10 } },
      { type: 'value', name: 'ms / count', nameTextStyle: { fontSize: 10 }, splitLine: { show: false } },
    ],
    series: [
      {
        name: 'client → server B/s',
        type: 'line',
        showSymbol: false,
        data: times.map((t, i) => [ms(t), round((f[i]?.byteTx ?? 0) / step)]),
      },
      {
        name: 'server → client B/s',
        type: 'line',
        showSymbol: false,
        data: times.map((t, i) => [ms(t), round((f[i]?.byteRx ?? 0) / step)]),
      },
      {
        name: 'RTT ms',
        type: 'line',
        yAxisIndex: 1,
        showSymbol: false,
        lineStyle: { type: 'dashed' },
        data: times.map((t, i) => {
          const p = f[i];
          return [ms(t), p && p.rttCount > 0 ? round(p.rttSum / p.rttCount / 1000, 3) : null];
        }),
      },
      {
        name: 'retransmissions',
        type: 'bar',
        yAxisIndex: 1,
        itemStyle: { color: '#d97706' },
        data: times.map((t, i) => [ms(t), f[i]?.retrans ?? 0]),
      },
      {
        name: 'failed connections',
        type: 'bar',
        yAxisIndex: 1,
        itemStyle: { color: '#dc2626' },
        data: times.map((t, i) => [ms(t), f[i]?.connFailed ?? 0]),
      },
    ],
  };
}
