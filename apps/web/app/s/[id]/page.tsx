import { OpenLink } from './OpenLink';

export const metadata = { title: 'Shared view · Zeroscope' };

export default async function SharedLinkPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <OpenLink id={id} />;
}
