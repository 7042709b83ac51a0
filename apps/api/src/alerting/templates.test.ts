import { compileQuery } from '@zeroscope/query';
import { describe, expect, it } from 'vitest';
import { TEMPLATES } from './templates';

describe('built-in templates', () => {
  it('offers at least 30, with unique ids', () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(TEMPLATES.map((x) => x.id)).size).toBe(TEMPLATES.length);
  });

  it.each(TEMPLATES.map((x) => [x.id, x.spec.query]))('%s compiles', (_id, query) => {
    const r = compileQuery(query, { start: 1_700_000_000, end: 1_700_000_300 });
    expect(r.kind).toBe('sql');
  });
});
