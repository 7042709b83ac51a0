/**
 * Why a flow ended (PRODUCT.md §2.3). Handshake failures are judged before resets, so a client
 * that gives up on an unanswered SYN with a RST is `server_syn_miss`, not `client_rst`.
 */
import type { CloseType } from '@zeroscope/wire';
import type { Flow } from './flow';
import { RST, SYN } from './tcp-perf';

export type EndReason = 'idle' | 'closed' | 'flush' | 'evict' | 'reuse';

export function closeTypeOf(f: Flow, reason: EndReason): CloseType {
  // an evicted flow did not end: its close is not known
  if (reason === 'evict') return 'unknown';
  const t = f.tcp;
  if (!t) return 'timeout';
  const c = f.clientIdx;
  const s = c === 0 ? 1 : 0;
  if (t.synFrom === c && f.total[s] === 0) return 'server_syn_miss';
  if (t.synFrom === c && t.firstFlags[s] >= 0 && t.firstFlags[s] & RST && !(t.firstFlags[s] & SYN)) {
    return 'server_rst';
  }
  if (t.synAckFrom === s && !t.established) return 'client_ack_miss';
  if (t.firstRstFrom >= 0) return t.firstRstFrom === c ? 'client_rst' : 'server_rst';
  if (t.fin[0] && t.fin[1]) return 'normal';
  if (t.fin[0] || t.fin[1]) return 'half_close';
  return 'timeout';
}

/** A close type that counts as a failed connection attempt. */
export function isConnectionFailure(f: Flow, ct: CloseType): boolean {
  if (ct === 'server_syn_miss' || ct === 'client_ack_miss') return true;
  return ct === 'server_rst' && f.tcp !== undefined && !f.tcp.established;
}
