'use client';
/** /alerts: rules (with editor, templates, YAML), current states, history, silences, channels. */
import { useUrlParams } from '@/lib/use-url-params';
import styles from './alerts.module.css';
import { ChannelsTab } from './ChannelsTab';
import { HistoryTab } from './HistoryTab';
import { RulesTab } from './RulesTab';
import { SilencesTab } from './SilencesTab';
import { StatesTab } from './StatesTab';
import { TemplatesTab } from './TemplatesTab';

const TABS = [
  ['rules', 'Rules'],
  ['states', 'Firing'],
  ['history', 'History'],
  ['silences', 'Silences'],
  ['channels', 'Channels'],
  ['templates', 'Templates'],
] as const;
type Tab = (typeof TABS)[number][0];

export function AlertsView() {
  const [params, update] = useUrlParams();
  const tab = (TABS.find(([t]) => t === params.get('tab'))?.[0] ?? 'rules') as Tab;
  const go = (t: Tab, extra?: Record<string, string>) =>
    update((p) => {
      p.set('tab', t);
      p.delete('rule');
      p.delete('template');
      for (const [k, v] of Object.entries(extra ?? {})) p.set(k, v);
    });

  return (
    <div className={styles.view}>
      <div className={styles.tabs} role="tablist">
        {TABS.map(([t, label]) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => go(t)}>
            {label}
          </button>
        ))}
      </div>
      {tab === 'rules' && <RulesTab />}
      {tab === 'states' && <StatesTab />}
      {tab === 'history' && <HistoryTab />}
      {tab === 'silences' && <SilencesTab />}
      {tab === 'channels' && <ChannelsTab />}
      {tab === 'templates' && <TemplatesTab onUse={(id) => go('rules', { rule: 'new', template: id })} />}
    </div>
  );
}
