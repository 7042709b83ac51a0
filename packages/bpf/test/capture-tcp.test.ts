import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { DataEvent, TcpEvent } from '@zeroscope/bpf/capture';
import { Capture } from '@zeroscope/bpf/capture';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_SERVER, isRoot, SKIP_REASON, waitFor } from './helpers';
import { createNetns } from './netns';

const PORT = 18931;

describe.skipIf(!isRoot)(`TCP events${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const ns = isRoot ? createNetns(`zs-rt-${process.pid}`) : undefined;
  let server: ReturnType<typeof spawn>;
  let cap: Capture;
  const tcp: TcpEvent[] = [];
  const data: DataEvent[] = [];

  beforeAll(async () => {
    if (!ns) return;
    const script = HTTP_SERVER.replace('listen(0,', `listen(${PORT},`);
    server = spawn(ns.exec[0] ?? 'ip', [...ns.exec.slice(1), process.execPath, '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(server.stdout as NodeJS.ReadableStream, 'data');
    cap = Capture.start({ ports: [PORT], onTcp: (e) => tcp.push(e), onData: (e) => data.push(e) });
  });

  afterAll(() => {
    cap?.stop();
    server?.kill();
    ns?.destroy();
  });

  it('reports a retransmission forced by dropping data segments in a network namespace', async () => {
    if (!ns) return;
    // drop data segments (PSH) on arrival: the handshake completes and the request is retransmitted
    // (dropping at output would fail the transmit itself, which the tracepoint does not report)
    ns.nft(
      `table inet zsrt {\n chain in {\n  type filter hook input priority 0;\n  tcp dport ${PORT} tcp flags & psh != 0 drop\n }\n}\n`,
    );
    const curl = spawn(
      ns.exec[0] ?? 'ip',
      [...ns.exec.slice(1), 'curl', '-s', '-m', '10', `http://127.0.0.1:${PORT}/retry`],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let body = '';
    curl.stdout.on('data', (b: Buffer) => {
      body += b.toString();
    });
    const retrans = await waitFor(
      () => tcp.find((e) => e.kind === 'retransmit' && e.tuple.remotePort === PORT),
      () => cap.drain(),
      8000,
    );
    ns.nft('delete table inet zsrt');
    await once(curl, 'exit');
    expect(body).toContain('hello from server');
    expect(retrans.tuple.localIp).toBe('127.0.0.1');
    expect(retrans.side).toBe('client');
    // the retransmitted segment is the request the client wrote
    const sent = await waitFor(
      () => data.find((e) => e.comm === 'curl' && e.direction === 'egress'),
      () => cap.drain(),
    );
    expect(retrans.sockId).toBe(sent.sockId);
    expect(retrans.seq).toBe(sent.tcpSeq);

    const connect = tcp.find((e) => e.kind === 'connect' && e.sockId === sent.sockId);
    expect(connect?.comm).toBe('curl');
    expect(connect?.fd).toBe(sent.fd);
    const states = tcp
      .filter((e) => e.sockId === sent.sockId && e.kind === 'tcp_state')
      .map((e) => e.newState);
    expect(states).toContain(1); // ESTABLISHED
  });
});
