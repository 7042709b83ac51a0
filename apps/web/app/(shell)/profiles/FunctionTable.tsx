'use client';
/** Top functions (self and total) of the current selection; a click searches the graph for one. */
import { useMemo, useState } from 'react';
import { formatPercent } from '@/lib/format';
import styles from './profiles.module.css';

export interface FunctionRow {
  name: string;
  self: number;
  total: number;
  /** diff: the function's values in the baseline range */
  baseSelf?: number;
  baseTotal?: number;
}

/** Change of a share between baseline and current, in percentage points. Pure. */
export function shareDelta(after: number, sum: number, before: number, baseSum: number): number {
  return ((sum ? after / sum : 0) - (baseSum ? before / baseSum : 0)) * 100;
}

interface Props {
  rows: readonly FunctionRow[];
  sum: number;
  /** set in a diff: adds the change of each function's self share */
  baseSum?: number;
  unit: (v: number) => string;
  onPick(name: string): void;
}

export function FunctionTable({ rows, sum, baseSum, unit, onPick }: Props) {
  const diff = baseSum !== undefined;
  const [by, setBy] = useState<'self' | 'total'>('self');
  const sorted = useMemo(() => [...rows].sort((a, b) => b[by] - a[by]).slice(0, 300), [rows, by]);
  const head = (key: 'self' | 'total', label: string) => (
    <th aria-sort={by === key ? 'descending' : 'none'}>
      <button type="button" onClick={() => setBy(key)}>
        {label}
        {by === key ? ' ▾' : ''}
      </button>
    </th>
  );
  return (
    <table className={styles.table} data-testid="function-table">
      <thead>
        <tr>
          <th>Function</th>
          {head('self', 'Self')}
          {head('total', 'Total')}
          {diff && <th title="Self share now minus before, in percentage points">Δ self</th>}
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.name} onClick={() => onPick(r.name)} title="Search the graph for this function">
            <td className={styles.fn}>{r.name}</td>
            <td>
              {unit(r.self)} <span className="muted">{formatPercent(sum ? r.self / sum : 0)}</span>
            </td>
            <td>
              {unit(r.total)} <span className="muted">{formatPercent(sum ? r.total / sum : 0)}</span>
            </td>
            {diff && <DeltaCell value={shareDelta(r.self, sum, r.baseSelf ?? 0, baseSum ?? 0)} />}
          </tr>
        ))}
        {sorted.length === 0 && (
          <tr>
            <td colSpan={diff ? 4 : 3} className="muted">
              No functions in this selection.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function DeltaCell({ value }: { value: number }) {
  const tone = Math.abs(value) < 0.05 ? undefined : value > 0 ? 'tone-error' : 'tone-ok';
  return (
    <td className={tone} data-testid="self-delta">
      {value > 0 ? '+' : value < 0 ? '−' : '±'}
      {Math.abs(value).toFixed(1)} pp
    </td>
  );
}
