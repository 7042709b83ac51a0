import { SettingsView } from './SettingsView';

export const metadata = { title: 'Settings · Zeroscope' };

export default function SettingsPage() {
  return <SettingsView />;
}
