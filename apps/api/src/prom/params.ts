/** Parameters of the Prometheus HTTP API: from the query string, or a form-encoded POST body. */
import type { IncomingMessage } from 'node:http';
import { readBody } from '../http/router';
import { PromQLError, parseDuration } from './promql/ast';

export async function promParams(req: IncomingMessage): Promise<URLSearchParams> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const params = new URLSearchParams(url.searchParams);
  if (req.method === 'POST') {
    const body = (await readBody(req, 1024 * 1024)).toString('utf8');
    for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
  }
  return params;
}

/** Unix seconds (float) or RFC3339 -> ms. */
export function parseTime(raw: string | null, name: string, fallbackMs: number): number {
  if (raw === null || raw === '') return fallbackMs;
  const n = Number(raw);
  if (Number.isFinite(n)) return Math.round(n * 1000);
  const d = Date.parse(raw);
  if (!Number.isNaN(d) && /^\d{4}-\d\d-\d\dT/.test(raw)) return d;
  throw new PromQLError(
    `invalid parameter '${name}': cannot parse '${raw.slice(0, 40)}' to a valid timestamp`,
  );
}

/** Float seconds or a Prometheus duration -> ms. */
export function parseStep(raw: string | null): number {
  if (raw === null || raw === '') throw new PromQLError("invalid parameter 'step': missing");
  const n = Number(raw);
  if (Number.isFinite(n)) return Math.round(n * 1000);
  const d = parseDuration(raw);
  if (d === undefined) throw new PromQLError(`invalid parameter 'step': cannot parse '${raw.slice(0, 40)}'`);
  return d;
}
