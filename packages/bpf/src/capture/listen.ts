/** Local listening TCP ports from /proc/net/tcp{,6}: seeds the kernel's table so that
 * sockets accepted before the agent started still get the right side. */
import { readFileSync } from 'node:fs';

const LISTEN = '0A';

export function parseListenPorts(text: string): number[] {
  const ports = new Set<number>();
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[3] !== LISTEN) continue;
    const port = Number.parseInt(cols[1]?.split(':')[1] ?? '', 16);
    if (Number.isInteger(port) && port > 0) ports.add(port);
  }
  return [...ports];
}

export function listeningPorts(): number[] {
  const out = new Set<number>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const p of parseListenPorts(readFileSync(f, 'utf8'))) out.add(p);
    } catch {
      // the file is absent without IPv6; nothing to seed from it
    }
  }
  return [...out];
}
