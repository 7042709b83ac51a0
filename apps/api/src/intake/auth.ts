/**
 * Credentials other tools send, mapped onto the API's Bearer tokens: Prometheus and Grafana
 * may send HTTP Basic (any user, the token as password), Telegraf's InfluxDB v2 output sends
 * `Authorization: Token <token>`. The token is then checked by the normal guard.
 */
import type { IncomingMessage } from 'node:http';
import { accessOf, setAccess } from '../auth/access';
import type { Handler } from '../http/router';

export function normalizeAuthorization(req: IncomingMessage): void {
  const h = req.headers.authorization;
  if (!h) return;
  const token = /^Token\s+(\S+)\s*$/i.exec(h);
  if (token) {
    req.headers.authorization = `Bearer ${token[1]}`;
    return;
  }
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(h);
  if (basic) {
    const text = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    const password = colon >= 0 ? text.slice(colon + 1) : '';
    if (password !== '' && !/\s/.test(password)) req.headers.authorization = `Bearer ${password}`;
  }
}

/** Scopes that may write through the intake endpoints (PRODUCT.md §3.3). */
export const INGEST_SCOPES = ['ingest', 'agent'] as const;

/**
 * Wraps a guarded handler so the credentials above are accepted; the wrapper keeps the
 * guard's access requirement so route listings still see the route as guarded.
 */
export function withToolAuth(guarded: Handler): Handler {
  const wrapper: Handler = (req, res, params) => {
    normalizeAuthorization(req);
    return guarded(req, res, params);
  };
  const access = accessOf(guarded);
  if (access) setAccess(wrapper, access);
  return wrapper;
}
