/**
 * InfluxDB line protocol (https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/)
 * into Prometheus series the way Telegraf's Prometheus output names them: one series per
 * numeric field, `<measurement>_<field>` (just `<measurement>` for a field named `value`),
 * tags as labels. String fields have no Prometheus form and are counted as skipped.
 * A scanner per line; a bad line is reported with its number and the others still count.
 */
import { type Labels, METRIC_NAME, sanitizeName, sortLabels, type TimeSeries } from './series';

export type Precision = 'ns' | 'us' | 'ms' | 's';
const TO_MS: Record<Precision, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000 };

export interface InfluxResult {
  series: TimeSeries[];
  /** first few bad lines, `line N: why` */
  errors: string[];
  badLines: number;
  skippedFields: number;
}

class Line {
  pos = 0;
  constructor(readonly s: string) {}
  /** Reads up to an unescaped char in `stops`; backslash escapes the next char. */
  token(stops: string): string {
    let out = '';
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos]!;
      if (ch === '\\' && this.pos + 1 < this.s.length && stops.includes(this.s[this.pos + 1]!)) {
        out += this.s[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (ch === '\\' && this.s[this.pos + 1] === '\\') {
        out += '\\';
        this.pos += 2;
        continue;
      }
      if (stops.includes(ch)) break;
      out += ch;
      this.pos++;
    }
    return out;
  }
  peek(): string | undefined {
    return this.s[this.pos];
  }
}

type Field = { ok: true; value: number | undefined } | { ok: false; error: string };

function fieldValue(l: Line): Field {
  if (l.peek() === '"') {
    l.pos++;
    while (l.pos < l.s.length && l.s[l.pos] !== '"') l.pos += l.s[l.pos] === '\\' ? 2 : 1;
    if (l.pos >= l.s.length) return { ok: false, error: 'unterminated string field' };
    l.pos++;
    return { ok: true, value: undefined };
  }
  const raw = l.token(', ');
  if (raw === '') return { ok: false, error: 'missing field value' };
  if (/^[tT](rue|RUE)?$/.test(raw)) return { ok: true, value: 1 };
  if (/^[fF](alse|ALSE)?$/.test(raw)) return { ok: true, value: 0 };
  if (/^-?\d+i$/.test(raw) || /^\d+u$/.test(raw)) return { ok: true, value: Number(raw.slice(0, -1)) };
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) return { ok: true, value: Number(raw) };
  return { ok: false, error: `invalid field value '${raw.slice(0, 40)}'` };
}

function parseLine(
  text: string,
  precision: Precision,
  nowMs: number,
  out: TimeSeries[],
): { error?: string; skipped: number } {
  const l = new Line(text);
  const measurement = l.token(', ');
  if (measurement === '') return { error: 'missing measurement', skipped: 0 };
  const tags: Labels = [];
  while (l.peek() === ',') {
    l.pos++;
    const k = l.token(',= ');
    if (l.peek() !== '=') return { error: `tag '${k.slice(0, 40)}' has no value`, skipped: 0 };
    l.pos++;
    const v = l.token(', ');
    if (k === '' || v === '') return { error: 'empty tag key or value', skipped: 0 };
    tags.push([sanitizeName(k, false), v]);
  }
  if (l.peek() !== ' ') return { error: 'missing fields', skipped: 0 };
  l.pos++;
  const fields: [string, number | undefined][] = [];
  for (;;) {
    const k = l.token(',= ');
    if (l.peek() !== '=' || k === '') return { error: 'field without a value', skipped: 0 };
    l.pos++;
    const v = fieldValue(l);
    if (!v.ok) return { error: v.error, skipped: 0 };
    fields.push([k, v.value]);
    if (l.peek() !== ',') break;
    l.pos++;
  }
  let tMs = nowMs;
  if (l.peek() === ' ') {
    const ts = text.slice(l.pos + 1).trim();
    if (ts !== '') {
      if (!/^-?\d{1,19}$/.test(ts)) return { error: `invalid timestamp '${ts.slice(0, 30)}'`, skipped: 0 };
      tMs = Math.floor(Number(ts) * TO_MS[precision]);
    }
  } else if (l.pos < text.length) return { error: 'unexpected characters after fields', skipped: 0 };
  let skipped = 0;
  for (const [k, v] of fields) {
    if (v === undefined) {
      skipped++;
      continue;
    }
    const name = sanitizeName(k === 'value' ? measurement : `${measurement}_${k}`, true);
    out.push({ labels: sortLabels([[METRIC_NAME, name], ...dedupe(tags)]), samples: [{ t: tMs, v }] });
  }
  return { skipped };
}

function dedupe(tags: Labels): Labels {
  const seen = new Map<string, string>();
  for (const [k, v] of tags) if (k !== METRIC_NAME) seen.set(k, v);
  return [...seen];
}

export function parseInflux(
  body: string,
  opts: { precision?: Precision; nowMs?: number; maxSeries: number },
): InfluxResult {
  const res: InfluxResult = { series: [], errors: [], badLines: 0, skippedFields: 0 };
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.replace(/\r$/, '');
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const r = parseLine(text.trimStart(), opts.precision ?? 'ns', opts.nowMs ?? Date.now(), res.series);
    res.skippedFields += r.skipped;
    if (r.error) {
      res.badLines++;
      if (res.errors.length < 5) res.errors.push(`line ${i + 1}: ${r.error}`);
    }
    if (res.series.length > opts.maxSeries) {
      res.errors.push(`more than ${opts.maxSeries} series in one request`);
      res.series = [];
      res.badLines++;
      return res;
    }
  }
  return res;
}
