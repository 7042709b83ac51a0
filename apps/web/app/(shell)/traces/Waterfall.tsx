'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { formatDuration } from '@/app/(shell)/requests/transform';
import styles from './traces.module.css';
import { reasonText, ticks, type WaterfallRow } from './waterfall';

const ROW_HEIGHT = 24;
const INDENT = 12;
const MAX_INDENT_DEPTH = 24;

interface Props {
  rows: WaterfallRow[];
  hidden: number;
  durationUs: number;
  selected: string | undefined;
  onSelect: (spanId: string) => void;
  onToggle: (spanId: string) => void;
}

/** Span tree + timeline; only the rows in view are in the DOM, so 10,000 spans scroll like ten. */
export function Waterfall({ rows, hidden, durationUs, selected, onSelect, onToggle }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const marks = ticks(durationUs);

  return (
    <section className={styles.waterfall} aria-label="Waterfall">
      <div className={`${styles.wfRow} ${styles.wfHead}`}>
        <span className={styles.name}>Span{hidden > 0 ? ` (${hidden} folded away)` : ''}</span>
        <span className={styles.ruler}>
          {marks.map((t) => (
            <span
              key={t}
              style={{
                left: `${(t / Math.max(1, durationUs)) * 100}%`,
                transform: t === 0 ? 'none' : t >= durationUs ? 'translateX(-100%)' : undefined,
              }}
            >
              {formatDuration(t)}
            </span>
          ))}
        </span>
      </div>
      <div ref={scroller} className={styles.scroller} data-testid="waterfall">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((v) => {
            const r = rows[v.index]!;
            const s = r.span;
            const dur = formatDuration(s.endUs - s.startUs);
            return (
              // biome-ignore lint/a11y/useSemanticElements: a row holds a nested fold button, so it cannot be a <button>
              <div
                key={s.spanId}
                role="row"
                tabIndex={0}
                data-testid="span-row"
                data-span={s.spanId}
                data-critical={r.critical}
                aria-selected={s.spanId === selected}
                className={styles.wfRow}
                style={{ height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                onClick={() => onSelect(s.spanId)}
                onKeyDown={(e) => e.key === 'Enter' && onSelect(s.spanId)}
              >
                <span
                  className={styles.name}
                  style={{ paddingLeft: Math.min(r.depth, MAX_INDENT_DEPTH) * INDENT }}
                >
                  {r.childCount > 0 ? (
                    <button
                      type="button"
                      className={styles.fold}
                      aria-label={r.folded ? 'Expand' : 'Collapse'}
                      onClick={(e) => {
                        e.stopPropagation();
                        onToggle(s.spanId);
                      }}
                    >
                      {r.folded ? '▶' : '▼'}
                    </button>
                  ) : (
                    <span className={styles.fold} />
                  )}
                  {s.unlinkedReason && (
                    <span className={styles.warn} title={reasonText(s.unlinkedReason)}>
                      ⚠
                    </span>
                  )}
                  <span className={styles.svc} style={{ color: r.color }}>
                    {s.service}
                  </span>
                  <span className="muted">{s.observationPoint}</span>
                  <span title={s.name}>{s.name}</span>
                </span>
                <span className={styles.lane}>
                  <span
                    className={`${styles.bar} ${r.critical ? styles.critical : ''}`}
                    style={{ left: `${r.left * 100}%`, width: `${r.width * 100}%`, background: r.color }}
                  />
                  <span
                    className={styles.barLabel}
                    style={
                      r.left + r.width > 0.85
                        ? {
                            right: `${(1 - r.left - r.width) * 100}%`,
                            paddingRight: 4,
                            color: 'var(--accent-text)',
                          }
                        : { left: `${(r.left + r.width) * 100}%` }
                    }
                  >
                    {dur}
                  </span>
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
