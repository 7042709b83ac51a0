'use client';
import { formatDuration, formatPercent, formatRate } from '@/lib/format';
import styles from './map.module.css';
import { errorRate, healthOf, type MapModel, nodeLabel, rate } from './model';

/** Hover card of one node: its name and served RED. */
export function Tooltip({ model, node, x, y }: { model: MapModel; node: number; x: number; y: number }) {
  const n = model.nodes[node]!;
  const h = healthOf(n);
  const what = n.served.requests > 0 ? 'served' : 'calls made';
  return (
    <div className={styles.tooltip} style={{ left: x + 14, top: y + 14 }} role="tooltip">
      <strong>{nodeLabel(n.id)}</strong>
      <div className="muted">
        {what}: {formatRate(rate(h, model.seconds))} · {formatPercent(errorRate(h))} errors · p99{' '}
        {formatDuration(h.p99)}
      </div>
    </div>
  );
}
