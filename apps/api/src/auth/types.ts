/** Access control contract used by every route and by the agent link. */
import type { IncomingMessage } from 'node:http';
import type { Handler } from '../http/router';

export type Role = 'admin' | 'editor' | 'viewer';
/**
 * api: full API per role; read: read-only API (queries, viewer level, whatever the role);
 * agent: the agent WebSocket (and ingest); ingest: ingest endpoints only
 */
export type Scope = 'api' | 'read' | 'agent' | 'ingest';

export interface Principal {
  kind: 'user' | 'token';
  id: string;
  name: string;
  role: Role;
  scope: Scope;
}

export interface Auth {
  /** The principal behind a request (Bearer token or the UI's session cookie), if any. */
  authenticate(req: IncomingMessage): Promise<Principal | undefined>;
  /** Checks a raw token, e.g. from the agent WebSocket handshake. */
  verifyToken(token: string): Promise<Principal | undefined>;
  /**
   * Wraps a handler: 401 without a valid principal, 403 when its scope or role is not enough.
   * The returned handler carries its requirement (accessOf) so route listings can show it.
   */
  guard(handler: Handler, opts?: { scopes?: Scope[]; minRole?: Role }): Handler;
}
