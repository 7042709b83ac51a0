'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import styles from '../alerts/alerts.module.css';

type Scope = 'api' | 'read' | 'agent' | 'ingest';
type Role = 'viewer' | 'editor' | 'admin';
const SCOPES: [Scope, string][] = [
  ['read', 'read: queries only'],
  ['api', 'api: the API with a role'],
  ['ingest', 'ingest: ingest endpoints'],
  ['agent', 'agent: node agents'],
];

export function TokensTab() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const tokens = useQuery(trpc.users.tokens.queryOptions());
  const refresh = () => qc.invalidateQueries(trpc.users.tokens.queryFilter());
  const create = useMutation(trpc.users.createToken.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.users.revokeToken.mutationOptions({ onSuccess: refresh }));
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('read');
  const [role, setRole] = useState<Role>('viewer');

  return (
    <>
      <div className={`${styles.panel} ${styles.row}`}>
        <label className={styles.form}>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className={styles.form}>
          Scope
          <select value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
            {SCOPES.map(([s, label]) => (
              <option key={s} value={s}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {scope === 'api' && (
          <label className={styles.form}>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option>viewer</option>
              <option>editor</option>
              <option>admin</option>
            </select>
          </label>
        )}
        <button
          type="button"
          disabled={!name}
          onClick={() => create.mutate({ name, scope, role: scope === 'api' ? role : 'viewer' })}
        >
          Create token
        </button>
      </div>
      {create.data && (
        <p className={styles.panel}>
          New token (shown once): <code data-testid="new-token">{create.data.token}</code>
        </p>
      )}
      <table className={styles.table} data-testid="tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Scope</th>
            <th>Role</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(tokens.data ?? []).map((t) => (
            <tr key={t.id} className={t.revoked ? 'muted' : undefined}>
              <td>{t.name}</td>
              <td>{t.scope}</td>
              <td>{t.role}</td>
              <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'}</td>
              <td>
                {t.revoked ? (
                  'revoked'
                ) : (
                  <button type="button" onClick={() => revoke.mutate({ id: t.id })}>
                    Revoke
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
