'use client';
import { useQuery } from '@tanstack/react-query';
import { EChart } from '@/components/EChart';
import { QueryState } from '@/components/QueryState';
import t from '@/components/table.module.css';
import { l4ChartOption } from '@/lib/charts/options';
import { useTRPC } from '@/lib/trpc';
import { FlowTable } from './FlowTable';
import type { NetworkView } from './view-state';

interface Props {
  view: NetworkView;
  start: number;
  end: number;
  onChange: (patch: Partial<NetworkView>, mode?: 'push' | 'replace') => void;
  onClose: () => void;
}

/** One edge: its L4 metrics over time and its flow logs. */
export function EdgeDetail({ view, start, end, onChange, onClose }: Props) {
  const trpc = useTRPC();
  const edge = view.edge!;
  const series = useQuery(
    trpc.network.edge.queryOptions({
      start,
      end,
      groupBy: view.group,
      source: edge.source,
      target: edge.target,
    }),
  );
  return (
    <div
      style={{
        flex: 1,
        minHeight: 0,
        display: 'flex',
        flexDirection: 'column',
        borderTop: '1px solid var(--border)',
      }}
    >
      <div className={t.section} data-testid="edge-detail">
        <div style={{ display: 'flex', justifyContent: 'space-between' }}>
          <h2>
            {edge.source || '(unknown)'} → {edge.target || '(unknown)'}
          </h2>
          <button type="button" aria-label="Close edge" onClick={onClose}>
            ✕
          </button>
        </div>
        <QueryState
          what="the edge's metrics"
          pending={series.isPending}
          error={series.error}
          empty={!!series.data && series.data.points.length === 0}
          emptyText="No L4 metrics for this edge in the range."
        >
          {series.data && (
            <EChart
              label="Throughput, RTT and retransmissions of the edge over time"
              testId="edge-chart"
              height={180}
              option={l4ChartOption(series.data.points, start, end, series.data.step)}
            />
          )}
        </QueryState>
      </div>
      <FlowTable
        view={view}
        start={start}
        end={end}
        filters={{ source: edge.source, target: edge.target }}
        onChange={onChange}
      />
    </div>
  );
}
