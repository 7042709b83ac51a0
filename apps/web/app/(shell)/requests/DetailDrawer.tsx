'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useMemo } from 'react';
import { useTRPC } from '@/lib/trpc';
import { detailSections } from './detail';
import styles from './requests.module.css';
import { keyToString, type RecordKey } from './view-state';

interface Props {
  recordKey: RecordKey;
  onClose: () => void;
}

/** Every field of one record, fetched by its key so a shared link opens the same drawer. */
export function DetailDrawer({ recordKey, onClose }: Props) {
  const trpc = useTRPC();
  const record = useQuery(
    trpc.requestLog.get.queryOptions(recordKey, { staleTime: Number.POSITIVE_INFINITY }),
  );
  const sections = useMemo(
    () => (record.data ? detailSections(record.data as unknown as Record<string, unknown>) : []),
    [record.data],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className={styles.drawer} aria-label="Request detail" data-testid="drawer">
      <header className={styles.drawerHead}>
        <strong>Request detail</strong>
        <Link href={`/traces?rec=${keyToString(recordKey)}`} data-testid="open-trace">
          Open trace ›
        </Link>
        <button type="button" onClick={onClose} aria-label="Close detail">
          ✕
        </button>
      </header>
      <div className={styles.drawerBody}>
        {record.isPending && <p className="muted">Loading…</p>}
        {record.isError && (
          <p className="tone-error" role="alert">
            {record.error.data?.code === 'NOT_FOUND'
              ? 'This record is no longer stored.'
              : `Could not load the record: ${record.error.message}`}
          </p>
        )}
        {sections.map((s) => (
          <section key={s.title}>
            <h3>{s.title}</h3>
            <dl className={styles.fields}>
              {s.fields.map((f) => (
                <div key={f.name} data-field={f.name}>
                  <dt>{f.name}</dt>
                  <dd className="mono">{f.value === '' ? <span className="muted">—</span> : f.value}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </aside>
  );
}
