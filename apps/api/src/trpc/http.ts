/** Mounts tRPC at /trpc/* on the API's router (PRODUCT.md §3.3). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import type { ApiContext } from '../context';
import type { Router } from '../http/router';
import { createTrpcContext } from './init';
import { appRouter } from './router';

const PREFIX = '/trpc/';
const MAX_BODY = 1024 * 1024;

export function registerTrpc(router: Router, ctx: ApiContext): void {
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    await nodeHTTPRequestHandler({
      router: appRouter,
      req,
      res,
      path: pathname.startsWith(PREFIX) ? pathname.slice(PREFIX.length) : '',
      maxBodySize: MAX_BODY,
      createContext: ({ req }) => createTrpcContext(ctx, req),
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          process.stderr.write(`trpc ${path ?? '?'} failed: ${String(error.cause ?? error.message)}\n`);
      },
    });
  };
  router.on('GET', '/trpc/*', handler);
  router.on('POST', '/trpc/*', handler);
}
