'use client';
/** Notification channels: webhook, Slack-compatible webhook, email over SMTP. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import styles from './alerts.module.css';

type Kind = 'webhook' | 'slack' | 'email';

export function ChannelsTab() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.alerts.listChannels.queryOptions());
  const refresh = () => qc.invalidateQueries(trpc.alerts.listChannels.queryFilter());
  const create = useMutation(trpc.alerts.createChannel.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.alerts.deleteChannel.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(trpc.alerts.testChannel.mutationOptions());
  const toggle = useMutation(trpc.alerts.setChannelEnabled.mutationOptions({ onSuccess: refresh }));
  const [kind, setKind] = useState<Kind>('webhook');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [slackChannel, setSlackChannel] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('25');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [starttls, setStarttls] = useState(false);
  const [ca, setCa] = useState('');

  const submit = () => {
    if (kind === 'webhook') create.mutate({ name, kind, config: { url } });
    else if (kind === 'slack')
      create.mutate({ name, kind, config: { url, channel: slackChannel || undefined } });
    else
      create.mutate({
        name,
        kind,
        config: {
          host,
          port: Number(port),
          from,
          to: to
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          username: username || undefined,
          password: password || undefined,
          starttls,
          ca: starttls && ca.trim() ? ca : undefined,
        },
      });
  };

  return (
    <>
      <div className={`${styles.panel} ${styles.form}`}>
        <div className={styles.row}>
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Kind
            <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="webhook">Webhook (JSON)</option>
              <option value="slack">Slack-compatible webhook</option>
              <option value="email">Email (SMTP)</option>
            </select>
          </label>
        </div>
        {kind !== 'email' ? (
          <div className={styles.row}>
            <label>
              URL
              <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" />
            </label>
            {kind === 'slack' && (
              <label>
                Channel (optional)
                <input value={slackChannel} onChange={(e) => setSlackChannel(e.target.value)} />
              </label>
            )}
          </div>
        ) : (
          <>
            <div className={styles.row}>
              <label>
                SMTP host
                <input value={host} onChange={(e) => setHost(e.target.value)} />
              </label>
              <label>
                Port
                <input value={port} onChange={(e) => setPort(e.target.value)} />
              </label>
              <label style={{ flexDirection: 'row', gap: 6, alignItems: 'center' }}>
                <input type="checkbox" checked={starttls} onChange={(e) => setStarttls(e.target.checked)} />
                STARTTLS
              </label>
            </div>
            <div className={styles.row}>
              <label>
                From
                <input value={from} onChange={(e) => setFrom(e.target.value)} />
              </label>
              <label>
                To (comma separated)
                <input value={to} onChange={(e) => setTo(e.target.value)} />
              </label>
            </div>
            <div className={styles.row}>
              <label>
                Username (optional)
                <input value={username} onChange={(e) => setUsername(e.target.value)} />
              </label>
              <label>
                Password
                <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
              </label>
            </div>
            {starttls && (
              <label>
                CA certificate for the server (PEM, optional)
                <textarea rows={3} value={ca} onChange={(e) => setCa(e.target.value)} />
              </label>
            )}
          </>
        )}
        {create.isError && <p className="tone-error">{create.error.message}</p>}
        <div className={styles.toolbar}>
          <button type="button" onClick={submit} disabled={create.isPending || !name.trim()}>
            Add channel
          </button>
        </div>
      </div>
      <table className={styles.table} data-testid="channels">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Target</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((c) => (
            <tr key={c.id}>
              <td>
                {c.name}
                {!c.enabled && <span className="muted"> (paused)</span>}
              </td>
              <td>{c.kind}</td>
              <td className={styles.mono}>
                {String(
                  c.config.url ??
                    `${c.config.host}:${c.config.port} → ${(c.config.to as string[] | undefined)?.join(', ')}`,
                )}
              </td>
              <td>
                <button type="button" onClick={() => test.mutate({ id: c.id })}>
                  Send test
                </button>{' '}
                <button type="button" onClick={() => toggle.mutate({ id: c.id, enabled: !c.enabled })}>
                  {c.enabled ? 'Pause' : 'Resume'}
                </button>{' '}
                <button
                  type="button"
                  onClick={() => window.confirm(`Delete channel "${c.name}"?`) && remove.mutate({ id: c.id })}
                >
                  Delete
                </button>
                {test.variables?.id === c.id && test.data && (
                  <span className={test.data.ok ? 'muted' : 'tone-error'}>
                    {' '}
                    {test.data.ok ? 'delivered' : test.data.error}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
