import { describe, expect, it } from 'vitest';
import { ArgsError, parseRunArgs } from './args';

describe('parseRunArgs', () => {
  it('reads server, token and interfaces', () => {
    const a = parseRunArgs(['--server', 'ws://h:4000', '--token=t', '--interfaces', 'lo,eth0'], {});
    expect(a).toEqual({
      server: 'ws://h:4000',
      token: 't',
      interfaces: ['lo', 'eth0'],
      noEbpf: false,
      maxCpuPercent: 100,
      maxMemoryMiB: 1024,
    });
  });

  it('reads the CPU and memory budgets from flags or the environment, and rejects bad ones', () => {
    const base = ['--server', 'ws://h:1', '--token', 't'];
    expect(parseRunArgs([...base, '--max-cpu', '40', '--max-memory=256'], {})).toMatchObject({
      maxCpuPercent: 40,
      maxMemoryMiB: 256,
    });
    expect(parseRunArgs(base, { ZEROSCOPE_MAX_CPU: '0' }).maxCpuPercent).toBe(0);
    expect(() => parseRunArgs([...base, '--max-cpu', 'lots'], {})).toThrow(/--max-cpu must be a number/);
    expect(() => parseRunArgs([...base, '--max-memory', '-1'], {})).toThrow(ArgsError);
  });

  it('falls back to the environment for the token', () => {
    expect(parseRunArgs(['--server', 'ws://h:1'], { ZEROSCOPE_AGENT_TOKEN: 'x' }).token).toBe('x');
  });

  it('rejects a missing or malformed server', () => {
    expect(() => parseRunArgs(['--token', 't'], {})).toThrow(ArgsError);
    expect(() => parseRunArgs(['--server', 'http://h', '--token', 't'], {})).toThrow(/ws:\/\//);
  });
});
