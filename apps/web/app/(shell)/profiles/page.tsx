import { ProfilesView } from './ProfilesView';

export const metadata = { title: 'Profiles · Zeroscope' };

export default function ProfilesPage() {
  return <ProfilesView />;
}
