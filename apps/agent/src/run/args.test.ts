import { describe, expect, it } from 'vitest';
import { ArgsError, parseRunArgs } from './args';

describe('parseRunArgs', () => {
  it('reads server, token and interfaces', () => {
    const a = parseRunArgs(['--server', 'ws://h:4000', '--token=t', '--interfaces', 'lo,eth0'], {});
    expect(a).toEqual({ server: 'ws://h:4000', token: 't', interfaces: ['lo', 'eth0'], noEbpf: false });
  });

  it('falls back to the environment for the token', () => {
    expect(parseRunArgs(['--server', 'ws://h:1'], { ZEROSCOPE_AGENT_TOKEN: 'x' }).token).toBe('x');
  });

  it('rejects a missing or malformed server', () => {
    expect(() => parseRunArgs(['--token', 't'], {})).toThrow(ArgsError);
    expect(() => parseRunArgs(['--server', 'http://h', '--token', 't'], {})).toThrow(/ws:\/\//);
  });
});
