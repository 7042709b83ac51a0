/** Number formats shared by the views (rates, shares, durations in µs, bytes). Pure. */

export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0/s';
  if (perSecond < 0.1) return `${(perSecond * 60).toFixed(1)}/min`;
  if (perSecond < 100) return `${perSecond.toFixed(perSecond < 10 ? 2 : 1)}/s`;
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function formatPercent(x: number): string {
  if (x === 0) return '0%';
  if (x < 0.001) return '<0.1%';
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}

/** µs -> human. */
export function formatDuration(us: number): string {
  if (us === 0) return '—';
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 1 : 0)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${UNITS[u]}`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatDelta(before: number, after: number, fmt: (v: number) => string): string {
  const d = after - before;
  if (d === 0) return '±0';
  return `${d > 0 ? '+' : '−'}${fmt(Math.abs(d))}`;
}

/** Epoch seconds -> local HH:MM (the slider's and charts' tick labels). */
export function formatClock(s: number): string {
  const d = new Date(s * 1000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
