import { Suspense } from 'react';
import { Shell } from './Shell';

export default function ShellLayout({ children }: { children: React.ReactNode }) {
  return (
    <Suspense>
      <Shell>{children}</Shell>
    </Suspense>
  );
}
