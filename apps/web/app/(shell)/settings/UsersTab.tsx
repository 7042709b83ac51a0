'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import styles from '../alerts/alerts.module.css';

type Role = 'viewer' | 'editor' | 'admin';
const ROLES: Role[] = ['viewer', 'editor', 'admin'];

export function UsersTab() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions());
  const refresh = () => qc.invalidateQueries(trpc.users.list.queryFilter());
  const create = useMutation(trpc.users.create.mutationOptions({ onSuccess: refresh }));
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.users.remove.mutationOptions({ onSuccess: refresh }));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setNewRole] = useState<Role>('viewer');
  const error = create.error ?? setRole.error ?? remove.error;

  return (
    <>
      <div className={`${styles.panel} ${styles.row}`}>
        <label className={styles.form}>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className={styles.form}>
          Password (8+)
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label className={styles.form}>
          Role
          <select value={role} onChange={(e) => setNewRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => create.mutate({ username, password, role })}
          disabled={!username}
        >
          Add user
        </button>
      </div>
      {error && (
        <p className="tone-error" role="alert">
          {error.message}
        </p>
      )}
      <table className={styles.table} data-testid="users">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>
                <select
                  value={u.role}
                  onChange={(e) => setRole.mutate({ id: u.id, role: e.target.value as Role })}
                >
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </td>
              <td>{new Date(u.createdAt).toLocaleString()}</td>
              <td>
                <button
                  type="button"
                  onClick={() => window.confirm(`Delete user ${u.username}?`) && remove.mutate({ id: u.id })}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
