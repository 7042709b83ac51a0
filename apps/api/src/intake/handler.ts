/** One wrapper for every intake route: errors become counted 4xx/5xx JSON answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/router';
import { StorageError } from '../storage/types';
import { IntakeError } from './errors';
import type { IntakeStats } from './stats';

export function intakeRoute(
  stats: IntakeStats,
  fn: (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<void>,
) {
  return async (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => {
    stats.request();
    try {
      await fn(req, res, params);
    } catch (err) {
      const e =
        err instanceof IntakeError
          ? err
          : err instanceof StorageError
            ? new IntakeError('storage_failed', `storage unavailable: ${err.message.slice(0, 200)}`)
            : undefined;
      if (!e) throw err;
      stats.reject(e.code);
      if (!res.headersSent) sendJson(res, e.status, { error: e.code, message: e.message });
    }
  };
}

/** The media type of the request without parameters, lowercased. */
export function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
}
