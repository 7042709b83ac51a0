import type { Metadata } from 'next';
import { THEME_BOOT } from '@/lib/theme';
import './globals.css';
import { Providers } from './providers';

export const metadata: Metadata = { title: 'Zeroscope', description: 'Zero-instrumentation observability' };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // data-theme is set before hydration by THEME_BOOT
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no user input */}
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT }} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
