/**
 * A lease in the resource DB (LeaderLock row) so that, with several API instances, exactly
 * one evaluates alert rules. Taking or renewing it is one conditional UPDATE (free, expired,
 * or already ours), atomic on MySQL and SQLite alike; a crashed holder's lease simply expires.
 */
import type { Db } from '../resources/db';

export class Lease {
  constructor(
    private readonly db: Db,
    readonly name: string,
    readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** True when this owner holds the lease until now + ttl. */
  async acquire(now = Date.now()): Promise<boolean> {
    const expiresAt = new Date(now + this.ttlMs);
    const r = await this.db.leaderLock.updateMany({
      where: { name: this.name, OR: [{ owner: this.owner }, { expiresAt: { lt: new Date(now) } }] },
      data: { owner: this.owner, expiresAt },
    });
    if (r.count === 1) return true;
    try {
      await this.db.leaderLock.create({ data: { name: this.name, owner: this.owner, expiresAt } });
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') return false; // someone else holds it
      throw err;
    }
  }

  /** Gives the lease up (clean shutdown), so another instance takes over at once. */
  async release(): Promise<void> {
    await this.db.leaderLock.deleteMany({ where: { name: this.name, owner: this.owner } });
  }
}
