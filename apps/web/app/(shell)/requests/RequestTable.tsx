'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import styles from './requests.module.css';
import type { TableRow } from './transform';

const ROW_HEIGHT = 30;

interface ColumnDef {
  label: string;
  title: (r: TableRow) => string;
  cell: (r: TableRow) => React.ReactNode;
  className?: string;
}

const text = (label: string, get: (r: TableRow) => string, className?: string): ColumnDef => ({
  label,
  title: get,
  cell: get,
  className,
});

const COLUMNS: ColumnDef[] = [
  text('Time', (r) => r.time, 'mono'),
  text('Protocol', (r) => r.protocol),
  text('Type', (r) => r.type),
  text('Domain', (r) => r.domain),
  text('Resource', (r) => r.resource, 'mono'),
  {
    label: 'Status',
    title: (r) => r.status,
    cell: (r) => <span className={`tone-${r.tone}`}>{r.status}</span>,
  },
  text('Code', (r) => r.code, 'mono'),
  text('Duration', (r) => r.duration, 'mono'),
  text('Client', (r) => r.client, 'mono'),
  text('Server', (r) => r.server, 'mono'),
];

interface Props {
  rows: TableRow[];
  loading: boolean;
  selectedId: string | undefined;
  onSelect: (row: TableRow) => void;
}

/** Only the rows in view are in the DOM, so a page of 1,000 records scrolls like ten. */
export function RequestTable({ rows, loading, selectedId, onSelect }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  return (
    <section className={styles.table} aria-label="Request logs">
      <div className={`${styles.row} ${styles.head}`}>
        {COLUMNS.map((c) => (
          <span key={c.label}>{c.label}</span>
        ))}
      </div>
      <div ref={scroller} className={styles.scroller}>
        {rows.length === 0 && !loading ? (
          <div className={styles.empty} data-testid="empty">
            No requests in this time range match these filters.
          </div>
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((v) => {
              const row = rows[v.index]!;
              return (
                <button
                  type="button"
                  key={row.id}
                  data-testid="request-row"
                  data-index={v.index}
                  aria-pressed={row.id === selectedId}
                  className={styles.row}
                  style={{ height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                  onClick={() => onSelect(row)}
                  onKeyDown={(e) => {
                    // ↑/↓ move between rows (scrolling the virtual list), Enter opens
                    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
                    e.preventDefault();
                    const next = v.index + (e.key === 'ArrowDown' ? 1 : -1);
                    if (next < 0 || next >= rows.length) return;
                    virtual.scrollToIndex(next);
                    requestAnimationFrame(() =>
                      scroller.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus(),
                    );
                  }}
                >
                  {COLUMNS.map((c) => (
                    <span key={c.label} className={c.className} title={c.title(row)}>
                      {c.cell(row)}
                    </span>
                  ))}
                </button>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
