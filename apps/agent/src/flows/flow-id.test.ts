import { describe, expect, it } from 'vitest';
import type { FiveTuple } from '../capture/types';
import { flowIdOf, flowKeyOf } from './flow-id';

const t: FiveTuple = { protocol: 'tcp', srcIp: '10.0.0.1', srcPort: 40000, dstIp: '10.0.0.2', dstPort: 80 };
const rev: FiveTuple = { protocol: 'tcp', srcIp: '10.0.0.2', srcPort: 80, dstIp: '10.0.0.1', dstPort: 40000 };

describe('flow identity', () => {
  it('keys both directions of a connection alike', () => {
    expect(flowKeyOf(t)).toBe(flowKeyOf(rev));
    expect(flowKeyOf({ ...t, protocol: 'udp' })).not.toBe(flowKeyOf(t));
  });

  it('flowIdOf is stable, a safe integer, and distinct per tuple', () => {
    expect(flowIdOf(t)).toBe(flowIdOf({ ...t }));
    const ids = new Set<number>();
    for (let port = 1; port <= 5000; port++) {
      const id = flowIdOf({ ...t, srcPort: port });
      expect(Number.isSafeInteger(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(5000);
  });
});
