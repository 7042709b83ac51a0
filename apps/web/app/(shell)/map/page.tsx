import { MapView } from './MapView';

export const metadata = { title: 'Service map · Zeroscope' };

export default function MapPage() {
  return <MapView />;
}
