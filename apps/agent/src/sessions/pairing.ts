/**
 * Pairs the requests and responses of one connection: by `streamId` when the protocol has
 * one (HTTP/2, Kafka, DNS), in FIFO order otherwise (HTTP/1 pipelining, Redis, MySQL).
 * Honours `oneWay` (no response expected), `unsolicited` (response to no request) and
 * `more` (partial response; the exchange stays open). Unanswered requests expire.
 */
import { addResponse, type Exchange, newExchange, type PlacedMessage } from './exchange';

/** Bound on open exchanges per connection; the oldest is expired past it. */
export const MAX_PENDING = 1024;

export type ExchangeSink = (ex: Exchange, timedOut: boolean) => void;

export class Pairing {
  private readonly byStream = new Map<number, Exchange>();
  private readonly fifo: Exchange[] = [];

  constructor(private readonly emit: ExchangeSink) {}

  get pending(): number {
    return this.byStream.size + this.fifo.length;
  }

  add(p: PlacedMessage): void {
    const m = p.msg;
    if (m.direction === 'request') {
      const ex = newExchange(p);
      if (m.oneWay) {
        this.emit(ex, false);
        return;
      }
      if (m.streamId !== undefined) {
        const old = this.byStream.get(m.streamId);
        if (old) {
          this.byStream.delete(m.streamId);
          this.emit(old, true);
        }
        this.byStream.set(m.streamId, ex);
      } else {
        this.fifo.push(ex);
      }
      if (this.pending > MAX_PENDING) this.expireOldest();
      return;
    }
    if (m.unsolicited) {
      this.emit(newExchange(p), false);
      return;
    }
    const ex = m.streamId !== undefined ? this.byStream.get(m.streamId) : this.fifo[0];
    if (!ex) {
      // capture started after the request, or the request was lost
      if (!m.more) this.emit(newExchange(p), false);
      return;
    }
    addResponse(ex, p);
    if (m.more) return;
    if (m.streamId !== undefined) this.byStream.delete(m.streamId);
    else this.fifo.shift();
    this.emit(ex, false);
  }

  /** Emit exchanges whose request is older than `deadline` (µs) as timed out. */
  expire(deadline: number): void {
    for (const [id, ex] of this.byStream) {
      if (ex.start < deadline) {
        this.byStream.delete(id);
        this.emit(ex, true);
      }
    }
    while (this.fifo.length > 0 && this.fifo[0]!.start < deadline) this.emit(this.fifo.shift()!, true);
  }

  /** The connection ended: whatever is still open was never answered. */
  flush(): void {
    this.expire(Number.POSITIVE_INFINITY);
  }

  private expireOldest(): void {
    const head = this.fifo[0];
    const firstStream = this.byStream.entries().next();
    if (head && (firstStream.done || head.start <= firstStream.value[1].start)) {
      this.emit(this.fifo.shift()!, true);
    } else if (!firstStream.done) {
      this.byStream.delete(firstStream.value[0]);
      this.emit(firstStream.value[1], true);
    }
  }
}
