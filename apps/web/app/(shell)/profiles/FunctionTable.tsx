'use client';
/** Top functions (self and total) of the current selection; a click searches the graph for one. */
import { useMemo, useState } from 'react';
import { formatPercent } from '@/lib/format';
import styles from './profiles.module.css';

export interface FunctionRow {
  name: string;
  self: number;
  total: number;
}

interface Props {
  rows: readonly FunctionRow[];
  sum: number;
  unit: (v: number) => string;
  onPick(name: string): void;
}

export function FunctionTable({ rows, sum, unit, onPick }: Props) {
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
          </tr>
        ))}
        {sorted.length === 0 && (
          <tr>
            <td colSpan={3} className="muted">
              No functions in this selection.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
