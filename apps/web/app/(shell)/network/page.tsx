import { NetworkView } from './NetworkView';

export const metadata = { title: 'Network · Zeroscope' };

export default function NetworkPage() {
  return <NetworkView />;
}
