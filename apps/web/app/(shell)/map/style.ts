/** Health colours, sizes and number formats of the map. Pure. */
import { errorRate, type MapModel, type Red } from './model';

export type Tone = 'ok' | 'warn' | 'error' | 'idle';

/** Error share above which an edge or node is amber / red. */
export const ERROR_WARN = 0.01;
export const ERROR_BAD = 0.05;
/** p99 (µs) above which latency is amber / red. */
export const P99_WARN = 200_000;
export const P99_BAD = 1_000_000;

export function errorTone(r: Red): Tone {
  if (r.requests === 0) return 'idle';
  const e = errorRate(r);
  return e >= ERROR_BAD ? 'error' : e >= ERROR_WARN ? 'warn' : 'ok';
}

export function latencyTone(r: Red): Tone {
  if (r.requests === 0 || r.p99 === 0) return 'idle';
  return r.p99 >= P99_BAD ? 'error' : r.p99 >= P99_WARN ? 'warn' : 'ok';
}

export interface Palette {
  ok: string;
  warn: string;
  error: string;
  idle: string;
  text: string;
  muted: string;
  accent: string;
  bg: string;
  added: string;
  removed: string;
}

export const LIGHT: Palette = {
  ok: '#16a34a',
  warn: '#d97706',
  error: '#dc2626',
  idle: '#9aa4b2',
  text: '#1b1f24',
  muted: '#66707c',
  accent: '#2563eb',
  bg: '#f7f8fa',
  added: '#0891b2',
  removed: '#c026d3',
};

export const DARK: Palette = {
  ...LIGHT,
  ok: '#4ade80',
  warn: '#fbbf24',
  error: '#f87171',
  idle: '#5b6472',
  text: '#e5e8ee',
  muted: '#98a2b3',
  accent: '#4f8cff',
  bg: '#0f1115',
  added: '#22d3ee',
  removed: '#e879f9',
};

/** Node radius in world units from its traffic, so busy services stand out. */
export function nodeRadii(model: MapModel): Float32Array {
  const out = new Float32Array(model.nodes.length);
  model.nodes.forEach((n, i) => {
    const traffic = n.served.requests + n.sent;
    out[i] = 5 + Math.min(18, 2.2 * Math.log10(1 + traffic) ** 1.4);
  });
  return out;
}

export function edgeWidth(r: Red): number {
  return 0.6 + Math.min(5, Math.log10(1 + r.requests));
}

export { formatDelta, formatDuration, formatPercent, formatRate } from '@/lib/format';
