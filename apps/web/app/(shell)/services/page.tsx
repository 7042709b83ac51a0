import { ServicesView } from './ServicesView';

export const metadata = { title: 'Services · Zeroscope' };

export default function ServicesPage() {
  return <ServicesView />;
}
