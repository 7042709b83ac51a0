import { expect, it } from 'vitest';
import { RecordFilter } from './record-filter';

it('keeps the configured fraction and counts the rest', () => {
  const f = new RecordFilter();
  f.apply({ protocols: [], sampling: 0.25 });
  let kept = 0;
  for (let i = 0; i < 1000; i++) if (f.keep({ l7_protocol: 'http1' })) kept++;
  expect(kept).toBe(250);
  expect(f.dropped).toBe(750);
});

it('drops protocols that are not enabled', () => {
  const f = new RecordFilter();
  f.apply({ protocols: ['redis'], sampling: 1 });
  expect(f.keep({ l7_protocol: 'http1' })).toBe(false);
  expect(f.keep({ l7_protocol: 'redis' })).toBe(true);
  expect(f.dropped).toBe(1);
});
