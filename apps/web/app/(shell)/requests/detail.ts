/** One full request log -> labelled sections for the detail drawer. Every field appears once. Pure. */
import { formatBytes, formatDuration, formatTime } from './transform';

export interface DetailField {
  name: string;
  value: string;
}
export interface DetailSection {
  title: string;
  fields: DetailField[];
}

const SECTIONS: { title: string; names: string[] }[] = [
  {
    title: 'Request',
    names: [
      'l7_protocol',
      'version',
      'request_type',
      'request_domain',
      'request_resource',
      'endpoint',
      'request_id',
      'request_length',
    ],
  },
  {
    title: 'Response',
    names: [
      'response_status',
      'response_code',
      'response_exception',
      'response_result',
      'response_length',
      'sql_affected_rows',
    ],
  },
  { title: 'Timing', names: ['start_time', 'end_time', 'response_duration'] },
  {
    title: 'Network',
    names: [
      'ip_0',
      'client_port',
      'ip_1',
      'server_port',
      'protocol',
      'flow_id',
      'req_tcp_seq',
      'resp_tcp_seq',
    ],
  },
  {
    title: 'Tracing',
    names: [
      'trace_id',
      'span_id',
      'parent_span_id',
      'x_request_id_0',
      'x_request_id_1',
      'syscall_trace_id_request',
      'syscall_trace_id_response',
    ],
  },
  {
    title: 'Source',
    names: [
      'process_id_0',
      'process_kname_0',
      'process_id_1',
      'process_kname_1',
      'observation_point',
      'signal_source',
      'agent_id',
    ],
  },
];

const TIMES = new Set(['start_time', 'end_time']);
const BYTES = new Set(['request_length', 'response_length']);

export function formatValue(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (TIMES.has(name)) return `${formatTime(value)} (${value})`;
    if (name === 'response_duration') return formatDuration(value);
    if (BYTES.has(name) && value >= 0) return formatBytes(value);
    return String(value);
  }
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/**
 * Known fields in their sections, tag ids (`*_id_0/1`, `*_type_0/1`) in "Tags", the
 * attribute arrays zipped into "Attributes", and anything else in "Other".
 */
export function detailSections(record: Record<string, unknown>): DetailSection[] {
  const used = new Set<string>();
  const take = (name: string): DetailField => {
    used.add(name);
    return { name, value: formatValue(name, record[name]) };
  };
  const out: DetailSection[] = SECTIONS.map((s) => ({
    title: s.title,
    fields: s.names.filter((n) => n in record).map(take),
  }));

  const names = Array.isArray(record.attribute_names) ? (record.attribute_names as unknown[]) : [];
  const values = Array.isArray(record.attribute_values) ? (record.attribute_values as unknown[]) : [];
  used.add('attribute_names');
  used.add('attribute_values');
  out.push({
    title: 'Attributes',
    fields: names.map((n, i) => ({ name: String(n), value: String(values[i] ?? '') })),
  });

  const rest = Object.keys(record).filter((k) => !used.has(k));
  const tags = rest.filter((k) => /_(id|type)_[01]$/.test(k));
  out.push({ title: 'Tags', fields: tags.map(take) });
  out.push({ title: 'Other', fields: rest.filter((k) => !used.has(k)).map(take) });
  return out.filter((s) => s.fields.length > 0);
}
