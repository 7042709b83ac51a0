'use client';
/**
 * One service: RED tiles and chart over the range, then tabs for endpoints, instances,
 * upstream/downstream dependencies and errors, each linking on to requests, the map, the
 * network view or another service.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { EChart } from '@/components/EChart';
import { QueryState } from '@/components/QueryState';
import t from '@/components/table.module.css';
import type { RouterOutputs } from '@/lib/api-types';
import { redChartOption } from '@/lib/charts/options';
import { formatDuration, formatPercent, formatRate } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { TONE } from './ServicesView';
import { type RedIn, serviceRows, totals } from './transform';
import { linkTo, type ServicesView, TABS, type Tab } from './view-state';

interface Props {
  view: ServicesView;
  start: number;
  end: number;
  refetchInterval: number | undefined;
  onChange: (patch: Partial<ServicesView>, mode?: 'push' | 'replace') => void;
  carry: URLSearchParams;
}

export function ServiceDetail({ view, start, end, refetchInterval, onChange, carry }: Props) {
  const trpc = useTRPC();
  const name = view.service!;
  const q = useQuery(
    trpc.service.get.queryOptions(
      { start, end, service: name },
      { placeholderData: keepPreviousData, refetchInterval },
    ),
  );
  const d = q.data;
  const sum = useMemo(
    () => (d ? serviceRows([{ name, ...totals(d.series) }], d.seconds)[0]! : undefined),
    [d, name],
  );
  const chart = useMemo(
    () => (d ? redChartOption(d.series, start, end, d.step) : undefined),
    [d, start, end],
  );

  return (
    <div style={{ flex: 1, minHeight: 0, overflow: 'auto' }}>
      <div className={t.toolbar}>
        <button type="button" onClick={() => onChange({ service: undefined, tab: 'endpoints' })}>
          ← Services
        </button>
        <h1 style={{ fontSize: 17, margin: 0 }} data-testid="service-name">
          {name || '(unknown)'}
        </h1>
        <Link href={linkTo('/map', carry, { sel: name, focus: name })}>Map</Link>
        <Link href={linkTo('/requests', carry, { q: name })}>Requests</Link>
        <Link href={linkTo('/network', carry, { node: name })}>Network</Link>
        <Link href={linkTo('/traces', carry, { svc: name })}>Traces</Link>
        <Link href={linkTo('/profiles', carry, { svc: name })}>Profiles</Link>
      </div>
      <QueryState
        what={`service ${name}`}
        pending={q.isPending}
        error={q.error}
        empty={!!d && d.series.length === 0 && d.upstream.length === 0 && d.downstream.length === 0}
        emptyText="This service has no traffic in the time range."
        onRetry={() => void q.refetch()}
      >
        {d && sum && (
          <>
            <div className={t.section}>
              <div className={t.tiles} data-testid="service-tiles">
                <div className={t.tile}>
                  <b>{formatRate(sum.rate)}</b>
                  <span>rate ({sum.requests.toLocaleString('en-US')} requests)</span>
                </div>
                <div className={t.tile}>
                  <b className={TONE[sum.health]}>{formatPercent(sum.errorRate)}</b>
                  <span>errors</span>
                </div>
                <div className={t.tile}>
                  <b>{formatDuration(sum.p99)}</b>
                  <span>p99 (worst step)</span>
                </div>
                <div className={t.tile}>
                  <b>{formatDuration(sum.avg)}</b>
                  <span>average</span>
                </div>
              </div>
              {chart && (
                <EChart
                  label={`Requests, errors and latency of ${name} over time`}
                  testId="red-chart"
                  option={chart}
                />
              )}
            </div>
            <div className={t.tabs} role="tablist" aria-label="Service details">
              {TABS.map((tab) => (
                <button
                  key={tab}
                  type="button"
                  role="tab"
                  aria-selected={view.tab === tab}
                  onClick={() => onChange({ tab }, 'replace')}
                >
                  {tab}{' '}
                  {tab === 'errors' && d.errors.length > 0
                    ? `(${d.errors.reduce((a, e) => a + e.count, 0)})`
                    : ''}
                </button>
              ))}
            </div>
            <div role="tabpanel" data-testid={`tab-${view.tab}`}>
              <TabBody
                tab={view.tab}
                name={name}
                data={d}
                carry={carry}
                onService={(svc) => onChange({ service: svc, tab: 'endpoints' })}
              />
            </div>
          </>
        )}
      </QueryState>
    </div>
  );
}

type Data = RouterOutputs['service']['get'];

function RedCells({ r, seconds }: { r: RedIn; seconds: number }) {
  const row = serviceRows([r], seconds)[0]!;
  return (
    <>
      <td className={t.num}>{formatRate(row.rate)}</td>
      <td className={`${t.num} ${row.errorRate >= 0.05 ? 'tone-error' : ''}`}>
        {formatPercent(row.errorRate)}
      </td>
      <td className={t.num}>{formatDuration(row.p99)}</td>
      <td className={t.num}>{formatDuration(row.avg)}</td>
    </>
  );
}

const RED_HEAD = (
  <>
    <th className={t.num}>Rate</th>
    <th className={t.num}>Errors</th>
    <th className={t.num}>p99</th>
    <th className={t.num}>Average</th>
  </>
);

function TabBody({
  tab,
  name,
  data: d,
  carry,
  onService,
}: {
  tab: Tab;
  name: string;
  data: Data;
  carry: URLSearchParams;
  onService: (s: string) => void;
}) {
  if (tab === 'endpoints')
    return (
      <table className={t.table} aria-label="Endpoints">
        <thead>
          <tr>
            <th>Endpoint</th>
            <th>Protocol</th>
            <th className={t.num}>Port</th>
            {RED_HEAD}
          </tr>
        </thead>
        <tbody>
          {d.endpoints.map((e) => (
            <tr key={`${e.endpoint}|${e.protocol}|${e.port}`} data-testid="endpoint-row">
              <td>
                <Link href={linkTo('/requests', carry, { q: e.endpoint })}>{e.endpoint || '(none)'}</Link>{' '}
                {e.endpoint && (
                  <Link className="muted" href={linkTo('/traces', carry, { svc: name, ep: e.endpoint })}>
                    traces
                  </Link>
                )}
              </td>
              <td>{e.protocol}</td>
              <td className={t.num}>{e.port}</td>
              <RedCells r={{ name: e.endpoint, ...e }} seconds={d.seconds} />
            </tr>
          ))}
        </tbody>
      </table>
    );
  if (tab === 'instances')
    return (
      <table className={t.table} aria-label="Instances">
        <thead>
          <tr>
            <th>Instance</th>
            {RED_HEAD}
          </tr>
        </thead>
        <tbody>
          {d.instances.map((i) => (
            <tr key={i.name} data-testid="instance-row">
              <td>{i.name || '(unknown)'}</td>
              <RedCells r={i} seconds={d.seconds} />
            </tr>
          ))}
        </tbody>
      </table>
    );
  if (tab === 'dependencies')
    return (
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
        {(['upstream', 'downstream'] as const).map((dir) => (
          <table
            key={dir}
            className={t.table}
            aria-label={dir === 'upstream' ? 'Upstream callers' : 'Downstream callees'}
          >
            <thead>
              <tr>
                <th>{dir === 'upstream' ? 'Upstream (callers)' : 'Downstream (callees)'}</th>
                {RED_HEAD}
              </tr>
            </thead>
            <tbody>
              {d[dir].map((x) => (
                <tr key={x.name} data-testid={`${dir}-row`}>
                  <td>
                    <button
                      type="button"
                      onClick={() => onService(x.name)}
                      style={{ border: 'none', background: 'none', padding: 0, color: 'var(--accent)' }}
                    >
                      {x.name || '(unknown)'}
                    </button>
                  </td>
                  <RedCells r={x} seconds={d.seconds} />
                </tr>
              ))}
              {d[dir].length === 0 && (
                <tr>
                  <td className="muted" colSpan={5}>
                    none
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        ))}
      </div>
    );
  return (
    <table className={t.table} aria-label="Errors">
      <thead>
        <tr>
          <th>Endpoint</th>
          <th>Status</th>
          <th className={t.num}>Code</th>
          <th>Exception</th>
          <th className={t.num}>Count</th>
        </tr>
      </thead>
      <tbody>
        {d.errors.map((e) => (
          <tr key={`${e.endpoint}|${e.status}|${e.code}|${e.exception}`} data-testid="error-row">
            <td>
              <Link href={linkTo('/requests', carry, { q: e.endpoint, status: e.status })}>
                {e.endpoint || '(none)'}
              </Link>
            </td>
            <td className="tone-error">{e.status}</td>
            <td className={t.num}>{e.code}</td>
            <td>{e.exception}</td>
            <td className={t.num}>{e.count}</td>
          </tr>
        ))}
        {d.errors.length === 0 && (
          <tr>
            <td className="muted" colSpan={5}>
              No failed requests in this time range.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
