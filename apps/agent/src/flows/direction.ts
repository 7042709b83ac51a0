/**
 * Which end of a flow is the server when the handshake was not seen: a listening endpoint
 * seen answering a SYN wins; otherwise a well-known or service port beats a registered port,
 * which beats an ephemeral one (Linux hands out 32768-60999).
 */
const SERVICE_PORTS = new Set([
  1433, 1521, 1883, 2181, 2379, 3000, 3306, 4000, 4222, 5432, 5671, 5672, 6379, 6443, 8000, 8080, 8081, 8443,
  8883, 9000, 9042, 9090, 9092, 9200, 9300, 11211, 15672, 27017,
]);

export function portRank(port: number): number {
  if (port > 0 && (port < 1024 || SERVICE_PORTS.has(port))) return 3;
  if (port < 32768) return 2;
  return 1;
}

/**
 * true when the packet's destination looks like the server. `undefined` when the ports give
 * no hint (equal rank and equal port); callers then fall back to "first sender is the client".
 */
export function dstLooksLikeServer(
  srcPort: number,
  dstPort: number,
  lowerWins: boolean,
): boolean | undefined {
  const rs = portRank(srcPort);
  const rd = portRank(dstPort);
  if (rs !== rd) return rd > rs;
  if (!lowerWins || srcPort === dstPort) return undefined;
  return dstPort < srcPort;
}

/** Bounded memory of endpoints seen sending a SYN-ACK (i.e. listening). */
export class ListenerSet {
  private readonly seen = new Set<string>();
  constructor(private readonly max = 4096) {}

  add(ip: string, port: number): void {
    const k = `${ip}|${port}`;
    if (this.seen.has(k)) return;
    if (this.seen.size >= this.max) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.add(k);
  }

  has(ip: string, port: number): boolean {
    return this.seen.has(`${ip}|${port}`);
  }
}
