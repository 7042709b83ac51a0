/**
 * The agent's whole path on live traffic: kernel ring -> decode -> StreamChunk -> parser ->
 * session -> record, under wrk against a trivial Node HTTP server on this host (both ends
 * are captured, so each HTTP request makes two records). Needs root; wrk from Debian.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startEbpfCapture } from '@zeroscope/agent/ebpf';
import { createPipeline } from '@zeroscope/agent/pipeline';

const SERVER = `require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

export interface LiveResult {
  requests: number;
  records: number;
  chunks: number;
  drops: number;
  /** this process's CPU (all threads) per record, µs */
  cpuUsPerRecord: number;
}

export async function liveHttp(seconds = 4): Promise<LiveResult> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(server.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    const port = Number.parseInt(line.toString(), 10);
    let records = 0;
    const pipeline = createPipeline({ onRecord: () => records++ });
    const cap = await startEbpfCapture({ ports: [port], onChunk: (c) => pipeline.push(c) });
    try {
      const c0 = process.cpuUsage();
      const wrk = spawn('wrk', ['-t1', '-c32', `-d${seconds}s`, `http://127.0.0.1:${port}/`], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      wrk.stdout.on('data', (b: Buffer) => {
        out += b.toString();
      });
      await once(wrk, 'exit');
      await new Promise((r) => setTimeout(r, 50)); // the last drain
      const c = process.cpuUsage(c0);
      const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
      if (!m) throw new Error(`wrk output not understood:\n${out}`);
      const st = cap.stats();
      return {
        requests: Math.round(Number(m[1]) * seconds),
        records,
        chunks: st.chunks,
        drops: st.drops,
        cpuUsPerRecord: (c.user + c.system) / records,
      };
    } finally {
      await cap.stop();
    }
  } finally {
    server.kill();
  }
}
