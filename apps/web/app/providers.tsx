'use client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, isTRPCClientError } from '@trpc/client';
import { useState } from 'react';
import type { AppRouter } from '@/lib/api-types';
import { loginUrl } from '@/lib/login-redirect';
import { snapshotLink } from '@/lib/snapshot-link';
import { TRPCProvider } from '@/lib/trpc';

function isUnauthorized(err: unknown): boolean {
  return isTRPCClientError(err) && (err.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED';
}

function toLogin(err: unknown): void {
  if (!isUnauthorized(err) || typeof window === 'undefined') return;
  window.location.assign(loginUrl(window.location.pathname + window.location.search));
}

export function Providers({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: toLogin }),
        mutationCache: new MutationCache({ onError: toLogin }),
        defaultOptions: {
          queries: {
            staleTime: 5_000,
            refetchOnWindowFocus: false,
            // Retry only transport failures; an answer from the API (e.g. BAD_REQUEST) will not change.
            retry: (n, err) => n < 2 && !(isTRPCClientError(err) && err.data),
          },
        },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      // snapshotLink answers frozen incident-link views (?snap=<id>) from their stored snapshot
      links: [snapshotLink(), httpBatchLink({ url: '/trpc', maxURLLength: 4000 })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
