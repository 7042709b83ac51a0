'use client';
/** /settings: incident links (everyone), users, API tokens and the audit log (admins), own password. */
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';
import styles from '../alerts/alerts.module.css';
import { AccountTab } from './AccountTab';
import { AuditTab } from './AuditTab';
import { LinksTab } from './LinksTab';
import { TokensTab } from './TokensTab';
import { UsersTab } from './UsersTab';

const TABS = [
  ['links', 'Shared links', false],
  ['users', 'Users', true],
  ['tokens', 'API tokens', true],
  ['audit', 'Audit log', true],
  ['account', 'My account', false],
] as const;
type Tab = (typeof TABS)[number][0];

export function SettingsView() {
  const trpc = useTRPC();
  const me = useQuery(trpc.users.me.queryOptions());
  const [params, update] = useUrlParams();
  const isAdmin = me.data?.role === 'admin';
  const tabs = TABS.filter(([, , admin]) => !admin || isAdmin);
  const tab = (tabs.find(([t]) => t === params.get('tab'))?.[0] ?? 'links') as Tab;

  return (
    <div className={styles.view}>
      <div className={styles.tabs} role="tablist">
        {tabs.map(([t, label]) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            onClick={() => update((p) => p.set('tab', t))}
          >
            {label}
          </button>
        ))}
        {me.data && (
          <span className="muted" style={{ marginLeft: 'auto', alignSelf: 'center' }}>
            {me.data.name} · {me.data.role}
          </span>
        )}
      </div>
      {tab === 'links' && <LinksTab />}
      {tab === 'users' && <UsersTab />}
      {tab === 'tokens' && <TokensTab />}
      {tab === 'audit' && <AuditTab />}
      {tab === 'account' && <AccountTab />}
    </div>
  );
}
