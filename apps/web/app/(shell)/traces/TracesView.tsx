'use client';
import { useUrlParams } from '@/lib/use-url-params';
import { TraceDetail } from './TraceDetail';
import { TraceSearch } from './TraceSearch';
import styles from './traces.module.css';
import { parseView, type TracesView as View, writeView } from './view-state';

/** The search list, or one trace when the URL names it (by id or by one of its records). */
export function TracesView() {
  const [params, update] = useUrlParams();
  const view = parseView(params);
  const set = (patch: Partial<View>, mode: 'push' | 'replace' = 'push') =>
    update((p) => writeView({ ...view, ...patch }, p), mode);
  return (
    <div className={styles.view}>
      {view.traceId || view.record ? (
        <TraceDetail view={view} set={set} />
      ) : (
        <TraceSearch view={view} set={set} />
      )}
    </div>
  );
}
