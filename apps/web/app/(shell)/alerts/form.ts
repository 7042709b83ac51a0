/** The rule editor's form <-> the API's rule spec, and small text formats (k=v lines, matchers). Pure. */

export type Op = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type NoData = 'ok' | 'alerting' | 'keep';
export type Severity = 'info' | 'warning' | 'critical';

export interface RuleSpec {
  name: string;
  description?: string;
  query: string;
  condition: { op: Op; threshold: number; noData: NoData };
  forSeconds: number;
  windowSeconds: number;
  repeatSeconds: number;
  severity: Severity;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  groupBy: string[];
  channelIds: number[];
  template?: string;
  enabled: boolean;
}

export interface RuleForm {
  name: string;
  description: string;
  query: string;
  op: Op;
  threshold: string;
  noData: NoData;
  forSeconds: string;
  windowSeconds: string;
  repeatSeconds: string;
  severity: Severity;
  labels: string;
  annotations: string;
  groupBy: string;
  channelIds: number[];
  template: string;
  enabled: boolean;
}

export const EMPTY_FORM: RuleForm = {
  name: '',
  description: '',
  query: 'SELECT auto_service, error_ratio FROM application.1m GROUP BY auto_service',
  op: '>',
  threshold: '0.05',
  noData: 'ok',
  forSeconds: '120',
  windowSeconds: '300',
  repeatSeconds: '3600',
  severity: 'warning',
  labels: '',
  annotations: '',
  groupBy: '',
  channelIds: [],
  template: '',
  enabled: true,
};

export function pairsToText(r: Record<string, string>): string {
  return Object.entries(r)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** `name=value` per line; blank lines ignored; returns problems for malformed lines. */
export function textToPairs(text: string): { value: Record<string, string>; problems: string[] } {
  const value: Record<string, string> = {};
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const eq = line.indexOf('=');
    if (eq <= 0) problems.push(`line ${i + 1}: expected name=value`);
    else value[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  });
  return { value, problems };
}

export function specToForm(s: RuleSpec): RuleForm {
  return {
    name: s.name,
    description: s.description ?? '',
    query: s.query,
    op: s.condition.op,
    threshold: String(s.condition.threshold),
    noData: s.condition.noData,
    forSeconds: String(s.forSeconds),
    windowSeconds: String(s.windowSeconds),
    repeatSeconds: String(s.repeatSeconds),
    severity: s.severity,
    labels: pairsToText(s.labels),
    annotations: pairsToText(s.annotations),
    groupBy: s.groupBy.join(', '),
    channelIds: s.channelIds,
    template: s.template ?? '',
    enabled: s.enabled,
  };
}

const int = (v: string, name: string, problems: string[]) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) problems.push(`${name}: a whole number of seconds`);
  return n;
};

export function formToSpec(f: RuleForm): { spec?: RuleSpec; problems: string[] } {
  const problems: string[] = [];
  if (!f.name.trim()) problems.push('name: required');
  if (!f.query.trim()) problems.push('query: required');
  const threshold = Number(f.threshold);
  if (f.threshold.trim() === '' || !Number.isFinite(threshold)) problems.push('threshold: a number');
  const labels = textToPairs(f.labels);
  const annotations = textToPairs(f.annotations);
  problems.push(
    ...labels.problems.map((p) => `labels ${p}`),
    ...annotations.problems.map((p) => `annotations ${p}`),
  );
  const spec: RuleSpec = {
    name: f.name.trim(),
    ...(f.description.trim() ? { description: f.description.trim() } : {}),
    query: f.query.trim(),
    condition: { op: f.op, threshold, noData: f.noData },
    forSeconds: int(f.forSeconds, 'for', problems),
    windowSeconds: Math.max(1, int(f.windowSeconds, 'window', problems)),
    repeatSeconds: Math.max(1, int(f.repeatSeconds, 'repeat', problems)),
    severity: f.severity,
    labels: labels.value,
    annotations: annotations.value,
    groupBy: f.groupBy
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    channelIds: f.channelIds,
    ...(f.template ? { template: f.template } : {}),
    enabled: f.enabled,
  };
  return problems.length ? { problems } : { spec, problems };
}

export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** `service=cart`, `env!=dev`, `pod=~cart-.*` per line or comma. */
export function parseMatchers(text: string): { value: Matcher[]; problems: string[] } {
  const value: Matcher[] = [];
  const problems: string[] = [];
  for (const part of text.split(/[\n,]/)) {
    const s = part.trim();
    if (!s) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_.\-/]*)\s*(=~|!~|!=|=)\s*(.*)$/.exec(s);
    if (!m) problems.push(`'${s}': expected name=value, name!=value, name=~regex or name!~regex`);
    else value.push({ name: m[1]!, op: m[2] as Matcher['op'], value: m[3]!.trim() });
  }
  if (value.length === 0 && problems.length === 0) problems.push('at least one matcher');
  return { value, problems };
}

export const formatMatchers = (ms: Matcher[]) => ms.map((m) => `${m.name}${m.op}${m.value}`).join(', ');

export function formatValue(v: number | null): string {
  if (v === null) return 'no data';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 1 ? v.toFixed(4) : v.toPrecision(5);
}
