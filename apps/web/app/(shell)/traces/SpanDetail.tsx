'use client';
import Link from 'next/link';
import { formatDuration, formatTime } from '@/app/(shell)/requests/transform';
import styles from './traces.module.css';
import { keyToString, type RecordKey } from './view-state';
import { reasonText, type Span, type Trace } from './waterfall';

interface Props {
  span: Span;
  trace: Trace;
  onClose: () => void;
}

const LINKS: Record<string, string> = {
  tcp_seq: 'same TCP sequence numbers (one request seen at two points)',
  syscall: 'syscall trace ids (written in the callback that served the parent)',
  x_request_id: 'X-Request-ID echoed from the incoming request',
  trace_id: 'shared trace id',
  span_id: 'propagated span id (traceparent / OTLP)',
  time_window: 'the only request of the process in flight at the time',
};

/** Every fact about one span, why it hangs where it does, and a link to its request log. */
export function SpanDetail({ span: s, trace, onClose }: Props) {
  const parent = s.parentSpanId ? trace.spans.find((x) => x.spanId === s.parentSpanId) : undefined;
  const key = s.recordKey as RecordKey;
  const fromS = Math.floor(s.startUs / 1e6) - 60;
  const toS = Math.ceil(s.endUs / 1e6) + 60;
  const fields: [string, React.ReactNode][] = [
    ['service', s.service],
    ['name', s.name],
    ['kind', `${s.kind} (${s.observationPoint}, ${s.signalSource})`],
    ['protocol', s.l7Protocol],
    ['status', `${s.status}${s.responseCode ? ` ${s.responseCode}` : ''}`],
    ['exception', s.responseException],
    ['start', `${formatTime(s.startUs)} (+${formatDuration(s.startUs - trace.startUs)})`],
    ['duration', formatDuration(s.endUs - s.startUs)],
    ['self time', formatDuration(s.selfUs)],
    ['process', s.processName ? `${s.processName} (pid ${s.processId})` : ''],
    ['client', s.clientIp ? `${s.clientIp}:${s.clientPort}` : ''],
    ['server', s.ip ? `${s.ip}:${s.port}` : ''],
    ['resource', s.requestResource],
    ['parent', parent ? `${parent.service} ${parent.name}` : ''],
    ['linked by', s.linkedBy ? (LINKS[s.linkedBy] ?? s.linkedBy) : ''],
    ['unlinked', s.unlinkedReason ? reasonText(s.unlinkedReason) : ''],
    ['trace header', s.traceIdHeader],
    ['x-request-id', s.xRequestId],
  ];
  return (
    <aside className={styles.detail} aria-label="Span detail" data-testid="span-detail">
      <header style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 8 }}>
        <strong>Span</strong>
        <button type="button" onClick={onClose} aria-label="Close span detail">
          ✕
        </button>
      </header>
      <dl>
        {fields
          .filter(([, v]) => v !== '' && v !== undefined)
          .map(([k, v]) => (
            <div key={k} style={{ display: 'contents' }} data-field={k}>
              <dt>{k}</dt>
              <dd className="mono">{v}</dd>
            </div>
          ))}
      </dl>
      <p>
        <Link href={`/requests?from=${fromS}&to=${toS}&sel=${keyToString(key)}`}>Open the request log ›</Link>
      </p>
    </aside>
  );
}
