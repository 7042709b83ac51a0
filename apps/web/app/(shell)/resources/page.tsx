import { ResourcesView } from './ResourcesView';

export const metadata = { title: 'Resources · Zeroscope' };

export default function ResourcesPage() {
  return <ResourcesView />;
}
