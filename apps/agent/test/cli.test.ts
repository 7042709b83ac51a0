/** `agent replay --pcap FILE` as a user runs it: one JSON object per line with every §3.1 field. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { REQUEST_LOG_COLUMNS, TAG_ID_COLUMNS } from '@zeroscope/wire/columns';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const pcap = fileURLToPath(new URL('./captures/http1.pcap', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

describe('agent replay CLI', () => {
  it('prints request_log lines carrying every non-tag column', { timeout: 30_000 }, async () => {
    const { stdout } = await run(tsx, [cli, 'replay', '--pcap', pcap]);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const logs = lines.filter((l) => l.kind === 'request_log');
    expect(logs.length).toBe(9);
    const tagCols = new Set(TAG_ID_COLUMNS.map((c) => c.name));
    for (const c of REQUEST_LOG_COLUMNS) {
      if (!tagCols.has(c.name)) expect(logs[0], c.name).toHaveProperty(c.name);
    }
    expect(logs[0]).toMatchObject({ signal_source: 'packet', l7_protocol: 'http1', request_type: 'GET' });
  });

  it('a missing file and an unknown command fail with a message, not a stack trace', {
    timeout: 30_000,
  }, async () => {
    const missing = await run(tsx, [cli, 'replay', '--pcap', '/nonexistent.pcap']).catch((e) => e);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
    const bogus = await run(tsx, [cli, 'bogus']).catch((e) => e);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('usage');
  });

  it('a file that is not a capture is reported with its error code', { timeout: 30_000 }, async () => {
    const notPcap = fileURLToPath(new URL('./captures/scenarios.ts', import.meta.url));
    const r = await run(tsx, [cli, 'replay', '--pcap', notPcap]).catch((e) => e);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad_magic');
  });
});
