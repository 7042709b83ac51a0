import { describe, expect, it } from 'vitest';
import { loginUrl, safeNext } from './login-redirect';

describe('login redirect', () => {
  it('only follows same-origin paths', () => {
    expect(safeNext('/requests?range=1h')).toBe('/requests?range=1h');
    expect(safeNext('https://evil.example')).toBe('/requests');
    expect(safeNext('//evil.example/x')).toBe('/requests');
    expect(safeNext('/\\evil.example')).toBe('/requests');
    expect(safeNext('/login?next=/x')).toBe('/requests');
    expect(safeNext(null)).toBe('/requests');
  });

  it('carries the current view to the login page', () => {
    expect(loginUrl('/requests?proto=http1&q=a b')).toBe(
      '/login?next=%2Frequests%3Fproto%3Dhttp1%26q%3Da%20b',
    );
  });
});
