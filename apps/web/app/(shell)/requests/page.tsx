import { RequestsView } from './RequestsView';

export const metadata = { title: 'Requests · Zeroscope' };

export default function RequestsPage() {
  return <RequestsView />;
}
