'use client';
/** Silences (mute matching series for a while) and weekly maintenance windows. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import styles from './alerts.module.css';
import { formatMatchers, type Matcher, parseMatchers } from './form';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function SilencesTab() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.alerts.listSilences.queryOptions());
  const refresh = () => qc.invalidateQueries(trpc.alerts.listSilences.queryFilter());
  const create = useMutation(trpc.alerts.createSilence.mutationOptions({ onSuccess: refresh }));
  const expire = useMutation(trpc.alerts.expireSilence.mutationOptions({ onSuccess: refresh }));
  const [matchers, setMatchers] = useState('');
  const [hours, setHours] = useState('2');
  const [comment, setComment] = useState('');
  const [maintenance, setMaintenance] = useState(false);
  const [days, setDays] = useState<number[]>([6]);
  const [start, setStart] = useState('02:00');
  const [minutes, setMinutes] = useState('120');
  const [problems, setProblems] = useState<string[]>([]);

  const submit = () => {
    const m = parseMatchers(matchers);
    const h = Number(hours);
    const p = [...m.problems];
    if (!Number.isFinite(h) || h <= 0) p.push('duration: hours > 0');
    setProblems(p);
    if (p.length) return;
    const now = Date.now();
    create.mutate({
      matchers: m.value,
      startsAt: now,
      endsAt: now + h * 3_600_000,
      comment: comment || undefined,
      kind: maintenance ? 'maintenance' : 'silence',
      schedule: maintenance ? { days, start, minutes: Number(minutes) || 60 } : undefined,
    });
  };
  const now = Date.now();

  return (
    <>
      <div className={`${styles.panel} ${styles.form}`}>
        <label>
          Matchers (service=cart, env!=dev, pod=~cart-.*)
          <input
            value={matchers}
            onChange={(e) => setMatchers(e.target.value)}
            data-testid="silence-matchers"
          />
        </label>
        <div className={styles.row}>
          <label>
            {maintenance ? 'Repeat for (hours)' : 'Duration (hours)'}
            <input value={hours} onChange={(e) => setHours(e.target.value)} />
          </label>
          <label>
            Comment
            <input value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
        </div>
        <label style={{ flexDirection: 'row', gap: 6 }}>
          <input type="checkbox" checked={maintenance} onChange={(e) => setMaintenance(e.target.checked)} />
          Weekly maintenance window (UTC)
        </label>
        {maintenance && (
          <div className={styles.row}>
            {DAYS.map((d, i) => (
              <label key={d} style={{ flexDirection: 'row', gap: 4, flex: 0 }}>
                <input
                  type="checkbox"
                  checked={days.includes(i)}
                  onChange={(e) => setDays(e.target.checked ? [...days, i] : days.filter((x) => x !== i))}
                />
                {d}
              </label>
            ))}
            <label>
              Starts (HH:MM)
              <input value={start} onChange={(e) => setStart(e.target.value)} />
            </label>
            <label>
              Minutes
              <input value={minutes} onChange={(e) => setMinutes(e.target.value)} />
            </label>
          </div>
        )}
        {problems.length > 0 && <p className="tone-error">{problems.join('; ')}</p>}
        {create.isError && <p className="tone-error">{create.error.message}</p>}
        <div className={styles.toolbar}>
          <button type="button" onClick={submit} disabled={create.isPending}>
            {maintenance ? 'Add maintenance window' : 'Silence'}
          </button>
        </div>
      </div>
      <table className={styles.table} data-testid="silences">
        <thead>
          <tr>
            <th>Kind</th>
            <th>Matchers</th>
            <th>From</th>
            <th>Until</th>
            <th>Comment</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((s) => (
            <tr key={s.id} className={s.endsAt <= now ? 'muted' : undefined}>
              <td>{s.kind}</td>
              <td className={styles.mono}>{formatMatchers(s.matchers as unknown as Matcher[])}</td>
              <td>{new Date(s.startsAt).toLocaleString()}</td>
              <td>{new Date(s.endsAt).toLocaleString()}</td>
              <td>
                {s.comment} <span className="muted">{s.createdBy}</span>
              </td>
              <td>
                {s.endsAt > now && (
                  <button type="button" onClick={() => expire.mutate({ id: s.id })}>
                    End now
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
