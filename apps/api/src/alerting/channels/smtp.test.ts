import { describe, expect, it } from 'vitest';
import { dataSection, formatMessage } from './smtp';

describe('SMTP message text', () => {
  it('dot-stuffs lines and ends DATA with a lone dot', () => {
    expect(dataSection('a\n.b\n.\nc')).toBe('a\r\n..b\r\n..\r\nc\r\n.');
  });

  it('keeps header injection out and encodes non-ASCII subjects', () => {
    const m = formatMessage({
      from: 'a@example.com',
      to: ['b@example.com\r\nBcc: evil@example.com'],
      subject: 'ü\r\nX-Evil: 1',
      text: 'hi',
      date: new Date(0),
    });
    expect(m.split('\r\n').filter((l) => /^(Bcc|X-Evil):/.test(l))).toEqual([]);
    expect(m).toContain('Subject: =?UTF-8?B?');
    expect(m.endsWith(Buffer.from('hi').toString('base64'))).toBe(true);
  });
});
