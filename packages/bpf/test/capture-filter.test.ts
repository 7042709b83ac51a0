import type { DataEvent } from '@zeroscope/bpf/capture';
import { Capture } from '@zeroscope/bpf/capture';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, HTTP_SERVER, isRoot, run, SKIP_REASON, startNode, waitFor } from './helpers';

describe.skipIf(!isRoot)(`in-kernel filters${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let server: Child;

  beforeAll(async () => {
    server = await startNode(HTTP_SERVER);
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function capture(opts: Parameters<typeof Capture.start>[0]) {
    const events: DataEvent[] = [];
    const cap = Capture.start({ ...opts, onData: (e) => events.push(e) });
    try {
      const curl = await run('curl', ['-s', `http://127.0.0.1:${server.port}/f`]);
      // the client side proves capture ran; then give the server side time to show up
      await waitFor(
        () => events.find((e) => e.pid === curl.pid && e.direction === 'ingress'),
        () => cap.drain(),
      );
      await new Promise((r) => setTimeout(r, 100));
      cap.drain();
      return { events, curl, stats: cap.stats() };
    } finally {
      cap.stop();
    }
  }

  it('an excluded pid produces nothing', async () => {
    const { events, stats } = await capture({ ports: [server.port], excludePids: [server.pid] });
    expect(events.filter((e) => e.pid === server.pid)).toHaveLength(0);
    expect(stats.events).toBeGreaterThan(0);
  });

  it('a pid filter captures only that process', async () => {
    const events: DataEvent[] = [];
    const cap = Capture.start({ pids: [server.pid], onData: (e) => events.push(e) });
    try {
      const curl = await run('curl', ['-s', `http://127.0.0.1:${server.port}/p`]);
      await waitFor(
        () => events.find((e) => e.pid === server.pid && e.direction === 'egress'),
        () => cap.drain(),
      );
      expect(events.every((e) => e.pid === server.pid)).toBe(true);
      expect(events.some((e) => e.pid === curl.pid)).toBe(false);
    } finally {
      cap.stop();
    }
  });

  it('a comm filter drops other processes, counting them', async () => {
    const { events, curl, stats } = await capture({ ports: [server.port], comms: ['curl'] });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.pid === curl.pid)).toBe(true);
    expect(stats.filtered).toBeGreaterThan(0);
  });

  it('bytes that are not a known L7 protocol are not copied', async () => {
    const events: DataEvent[] = [];
    const cap = Capture.start({ onData: (e) => events.push(e) });
    try {
      const raw = await startNode(`
const net = require('node:net');
const srv = net.createServer((s) => s.on('data', (d) => s.end(d)));
srv.listen(0, '127.0.0.1', () => {
  console.log(srv.address().port);
  const c = net.connect(srv.address().port, '127.0.0.1', () => c.write(Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5])));
});`);
      await new Promise((r) => setTimeout(r, 300));
      cap.drain();
      expect(events.filter((e) => e.pid === raw.pid)).toHaveLength(0);
      expect(cap.stats().notL7).toBeGreaterThan(0);
      await raw.stop();
    } finally {
      cap.stop();
    }
  });
});
