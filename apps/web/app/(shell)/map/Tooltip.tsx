'use client';
import { formatDuration, formatPercent, formatRate } from '@/lib/format';
import styles from './map.module.css';
import { errorRate, type MapModel, nodeLabel, rate } from './model';

/** Hover card of one node: its name and served RED. */
export function Tooltip({ model, node, x, y }: { model: MapModel; node: number; x: number; y: number }) {
  const n = model.nodes[node]!;
  return (
    <div className={styles.tooltip} style={{ left: x + 14, top: y + 14 }} role="tooltip">
      <strong>{nodeLabel(n.id)}</strong>
      <div className="muted">
        {formatRate(rate(n.served, model.seconds))} · {formatPercent(errorRate(n.served))} errors · p99{' '}
        {formatDuration(n.served.p99)}
      </div>
    </div>
  );
}
