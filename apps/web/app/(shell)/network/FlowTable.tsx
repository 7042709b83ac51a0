'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { QueryState } from '@/components/QueryState';
import t from '@/components/table.module.css';
import { formatBytes, formatDuration } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { CLOSE_TYPES, type CloseType, type NetworkView } from './view-state';

interface Props {
  view: NetworkView;
  start: number;
  end: number;
  filters: { source?: string; target?: string; ip?: string };
  onChange: (patch: Partial<NetworkView>, mode?: 'push' | 'replace') => void;
}

const time = (us: number) => new Date(us / 1000).toLocaleTimeString();

/** Flow logs (one row per reporting interval) behind an edge or an address, newest first. */
export function FlowTable({ view, start, end, filters, onChange }: Props) {
  const trpc = useTRPC();
  const flows = useQuery(
    trpc.network.flows.queryOptions(
      {
        start,
        end,
        groupBy: view.group,
        limit: 200,
        filters: { ...filters, ...(view.close.length ? { close_type: view.close } : {}) },
      },
      { placeholderData: keepPreviousData },
    ),
  );
  const toggle = (c: CloseType) =>
    onChange(
      { close: view.close.includes(c) ? view.close.filter((x) => x !== c) : [...view.close, c] },
      'replace',
    );
  return (
    <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
      <fieldset className={t.toolbar} aria-label="Close types">
        <strong>Flow logs</strong>
        {CLOSE_TYPES.map((c) => (
          <button
            key={c}
            type="button"
            className={t.chip}
            aria-pressed={view.close.includes(c)}
            onClick={() => toggle(c)}
          >
            {c.replace(/_/g, ' ')}
          </button>
        ))}
        <span className="muted" data-testid="flow-count">
          {flows.data
            ? `${flows.data.rows.length}${flows.data.rows.length === 200 ? '+' : ''} flow logs`
            : ''}
        </span>
      </fieldset>
      <div className={t.wrap}>
        <QueryState
          what="flow logs"
          pending={flows.isPending}
          error={flows.error}
          empty={!!flows.data && flows.data.rows.length === 0}
          emptyText="No flow logs match."
        >
          <table className={t.table} aria-label="Flow logs">
            <thead>
              <tr>
                <th>Start</th>
                <th>Client</th>
                <th>Server</th>
                <th>Proto</th>
                <th>Close</th>
                <th className={t.num}>Bytes →/←</th>
                <th className={t.num}>Packets →/←</th>
                <th className={t.num}>RTT</th>
                <th className={t.num}>SRT / ART</th>
                <th className={t.num}>Retrans</th>
                <th className={t.num}>Zero win</th>
              </tr>
            </thead>
            <tbody>
              {flows.data?.rows.map((f) => (
                <tr key={`${f.flow_id}-${f.start_time}-${f.end_time}`} data-testid="flow-row">
                  <td className="mono">{time(Number(f.start_time))}</td>
                  <td className="mono" title={String(f.source)}>
                    {f.ip_0}:{f.client_port}
                  </td>
                  <td className="mono" title={String(f.target)}>
                    {f.ip_1}:{f.server_port}
                  </td>
                  <td>{f.l7_protocol || f.protocol}</td>
                  <td
                    className={
                      String(f.close_type).includes('rst') || String(f.close_type).includes('miss')
                        ? 'tone-warn'
                        : ''
                    }
                  >
                    {f.close_type}
                  </td>
                  <td className={t.num}>
                    {formatBytes(Number(f.byte_tx))} / {formatBytes(Number(f.byte_rx))}
                  </td>
                  <td className={t.num}>
                    {f.packet_tx} / {f.packet_rx}
                  </td>
                  <td className={t.num}>{formatDuration(Number(f.rtt))}</td>
                  <td className={t.num}>
                    {formatDuration(Number(f.srt))} / {formatDuration(Number(f.art))}
                  </td>
                  <td className={t.num}>{Number(f.retrans_tx) + Number(f.retrans_rx)}</td>
                  <td className={t.num}>{Number(f.zero_win_tx) + Number(f.zero_win_rx)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </QueryState>
      </div>
    </div>
  );
}
