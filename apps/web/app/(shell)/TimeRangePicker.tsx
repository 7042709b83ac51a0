'use client';
import { useState } from 'react';
import {
  fromLocalInput,
  RELATIVE_RANGES,
  type RelativeRange,
  type TimeRange,
  toLocalInput,
} from '@/lib/time-range';
import styles from './shell.module.css';

interface Props {
  value: TimeRange;
  onChange: (r: TimeRange) => void;
}

/** Relative presets plus an absolute from/to; the choice lands in the URL through onChange. */
export function TimeRangePicker({ value, onChange }: Props) {
  const [custom, setCustom] = useState(value.kind === 'absolute');
  const now = Math.floor(Date.now() / 1000);
  const [from, setFrom] = useState(toLocalInput(value.kind === 'absolute' ? value.from : now - 3600));
  const [to, setTo] = useState(toLocalInput(value.kind === 'absolute' ? value.to : now));
  const f = fromLocalInput(from);
  const t = fromLocalInput(to);
  const valid = f !== undefined && t !== undefined && t > f;

  return (
    <div className={styles.range}>
      <select
        aria-label="Time range"
        value={custom ? 'custom' : value.kind === 'relative' ? value.last : 'custom'}
        onChange={(e) => {
          if (e.target.value === 'custom') return setCustom(true);
          setCustom(false);
          onChange({ kind: 'relative', last: e.target.value as RelativeRange });
        }}
      >
        {RELATIVE_RANGES.map((r) => (
          <option key={r} value={r}>
            Last {r}
          </option>
        ))}
        <option value="custom">Custom…</option>
      </select>
      {custom && (
        <form
          className={styles.absolute}
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) onChange({ kind: 'absolute', from: f, to: t });
          }}
        >
          <input
            aria-label="From"
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <span className="muted">→</span>
          <input aria-label="To" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          <button type="submit" disabled={!valid}>
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
