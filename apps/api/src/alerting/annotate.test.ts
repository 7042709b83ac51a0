import { describe, expect, it } from 'vitest';
import { renderAnnotations } from './annotate';

describe('annotation templates', () => {
  it('fills value, threshold and labels per alert, and leaves the rest alone', () => {
    expect(
      renderAnnotations(
        {
          summary: '{{labels.auto_service}} fails {{ value }} (> {{threshold}})',
          runbook: 'https://wiki/{{labels.nope}}',
          plain: 'x',
        },
        { auto_service: 'cart' },
        0.123456,
        0.05,
      ),
    ).toEqual({ summary: 'cart fails 0.1235 (> 0.05)', runbook: 'https://wiki/{{labels.nope}}', plain: 'x' });
    expect(renderAnnotations({ s: '{{value}}' }, {}, null, 1)).toEqual({ s: 'no data' });
  });
});
