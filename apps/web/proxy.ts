/**
 * Forwards /trpc/* and /auth/* to the API. This is a proxy rather than a next.config
 * rewrite because `next build` freezes rewrites into the routes manifest, and the API port
 * (ZEROSCOPE_API_PORT) must be read when `next start` runs.
 */
import { type NextRequest, NextResponse } from 'next/server';
import { readWebEnv } from './env';

const { apiOrigin } = readWebEnv();

export function proxy(req: NextRequest) {
  return NextResponse.rewrite(new URL(req.nextUrl.pathname + req.nextUrl.search, apiOrigin));
}

export const config = { matcher: ['/trpc/:path*', '/auth/:path*', '/v1/profile/:path*'] };
