'use client';
import { useEffect, useRef, useState } from 'react';
import styles from './requests.module.css';
import { PROTOCOLS, type RequestsView, STATUSES } from './view-state';

interface Props {
  view: RequestsView;
  onChange: (patch: Partial<RequestsView>, mode?: 'push' | 'replace') => void;
  onRefresh: () => void;
  refreshing: boolean;
}

function toggle<T>(list: readonly T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

export function Filters({ view, onChange, onRefresh, refreshing }: Props) {
  const [search, setSearch] = useState(view.search);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  // follow the URL (back/forward), and push typing to it after a pause
  useEffect(() => setSearch(view.search), [view.search]);
  useEffect(() => {
    if (search === view.search) return;
    const id = setTimeout(() => onChangeRef.current({ search }, 'replace'), 350);
    return () => clearTimeout(id);
  }, [search, view.search]);

  return (
    <div className={styles.filters}>
      <input
        type="search"
        aria-label="Search"
        placeholder="Search path, SQL, domain, trace id…"
        className={styles.search}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && onChange({ search }, 'replace')}
      />
      <fieldset className={styles.chips} aria-label="Protocol">
        {PROTOCOLS.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={view.protocols.includes(p)}
            onClick={() => onChange({ protocols: toggle(view.protocols, p) })}
          >
            {p}
          </button>
        ))}
      </fieldset>
      <fieldset className={styles.chips} aria-label="Status">
        {STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={view.statuses.includes(s)}
            onClick={() => onChange({ statuses: toggle(view.statuses, s) })}
          >
            {s.replace('_', ' ')}
          </button>
        ))}
      </fieldset>
      <button type="button" onClick={onRefresh} disabled={refreshing} className={styles.refreshButton}>
        {refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  );
}
