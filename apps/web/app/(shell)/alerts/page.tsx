import { AlertsView } from './AlertsView';

export const metadata = { title: 'Alerts · Zeroscope' };

export default function AlertsPage() {
  return <AlertsView />;
}
