import { TracesView } from './TracesView';

export const metadata = { title: 'Traces · Zeroscope' };

export default function TracesPage() {
  return <TracesView />;
}
