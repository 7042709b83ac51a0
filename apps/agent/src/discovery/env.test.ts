import { describe, expect, it } from 'vitest';
import { envFilter, selectEnv } from './env';

describe('selectEnv', () => {
  const environ = [
    'PATH=/usr/bin',
    'OTEL_SERVICE_NAME=checkout',
    'ZEROSCOPE_TAG_team=payments',
    'ZEROSCOPE_TAG_API_TOKEN=abc',
    'DB_PASSWORD=hunter2',
    'MY_SECRET_ID=x',
    'AWS_ACCESS_KEY_ID=AKIA',
    'CUSTOM=1',
    'EMPTY=',
    '=junk',
    'noequals',
    '',
  ].join('\0');

  it('keeps allowlisted names and prefixes, never secret-looking names', () => {
    expect(selectEnv(Buffer.from(environ), envFilter())).toEqual({
      OTEL_SERVICE_NAME: 'checkout',
      ZEROSCOPE_TAG_team: 'payments',
    });
  });

  it('extra names extend the allowlist but cannot admit secrets', () => {
    const f = envFilter(['CUSTOM', 'EMPTY', 'DB_PASSWORD']);
    expect(selectEnv(environ, f)).toEqual({
      OTEL_SERVICE_NAME: 'checkout',
      ZEROSCOPE_TAG_team: 'payments',
      CUSTOM: '1',
      EMPTY: '',
    });
  });

  it('bounds value length', () => {
    expect(selectEnv(`LANG=${'x'.repeat(5000)}`, envFilter()).LANG).toHaveLength(1024);
  });
});
