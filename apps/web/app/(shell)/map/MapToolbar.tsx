'use client';
import { GroupPicker } from '../GroupPicker';
import styles from './map.module.css';
import type { DiffSummary } from './timeline';
import { MAP_PROTOCOLS, type MapView } from './view-state';

interface Props {
  view: MapView;
  onChange: (patch: Partial<MapView>, mode?: 'push' | 'replace') => void;
  summary: DiffSummary | undefined;
}

/** Grouping, protocol filter, node search and the focus chip; every change lands in the URL. */
export function MapToolbar({ view, onChange, summary }: Props) {
  const toggle = (p: (typeof MAP_PROTOCOLS)[number]) =>
    onChange({
      protocols: view.protocols.includes(p) ? view.protocols.filter((x) => x !== p) : [...view.protocols, p],
    });
  return (
    <div className={styles.toolbar}>
      <GroupPicker
        value={view.group}
        onChange={(group) => onChange({ group, selected: undefined, focus: undefined })}
      />
      <fieldset className={styles.chips} aria-label="Protocols">
        {MAP_PROTOCOLS.map((p) => (
          <button
            key={p}
            type="button"
            className={styles.chip}
            aria-pressed={view.protocols.includes(p)}
            onClick={() => toggle(p)}
          >
            {p}
          </button>
        ))}
      </fieldset>
      <input
        type="search"
        aria-label="Find node"
        placeholder="Find node…  (/)"
        data-search
        value={view.search}
        onChange={(e) => onChange({ search: e.target.value }, 'replace')}
      />
      {view.focus !== undefined && (
        <span data-testid="focus">
          <span className="muted">Focus:</span> <strong>{view.focus || '(unknown)'}</strong>{' '}
          <button type="button" onClick={() => onChange({ focus: undefined })} aria-label="Clear focus">
            ✕
          </button>
        </span>
      )}
      {summary && (
        <span data-testid="diff-summary">
          <span className={styles.added}>+{summary.added} added</span> ·{' '}
          <span className={styles.removed}>−{summary.removed} removed</span> · {summary.changed} changed
        </span>
      )}
    </div>
  );
}
