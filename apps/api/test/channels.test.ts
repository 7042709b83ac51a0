/** The notification channels against real local peers: SMTP (AUTH, dot-stuffing, refusals), webhook, Slack format. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelError, deliver } from '../src/alerting/channels';
import { sendMail } from '../src/alerting/channels/smtp';
import type { Notification } from '../src/alerting/types';
import { startSmtpServer, startWebhookReceiver } from './alert-helpers';

const n: Notification = {
  ruleId: 3,
  ruleName: 'Service error rate',
  severity: 'critical',
  status: 'firing',
  groupKey: '3:auto_service=cart',
  groupLabels: { auto_service: 'cart' },
  annotations: { summary: 'More than 5% of requests fail' },
  condition: { op: '>', threshold: 0.05, noData: 'ok' },
  alerts: [
    { labels: { auto_service: 'cart' }, value: 0.25, status: 'firing', startsAt: '2026-01-01T00:00:00.000Z' },
  ],
};

describe('channels', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    smtp = await startSmtpServer({ user: 'zs', password: 's3cret', rejectRcpt: 'nobody@example.com' });
    hook = await startWebhookReceiver();
  });
  afterAll(async () => {
    await smtp.close();
    await hook.close();
  });

  it('sends mail with AUTH PLAIN, a UTF-8 subject and dot-stuffed lines', async () => {
    const o = {
      host: '127.0.0.1',
      port: smtp.port,
      from: 'a@example.com',
      to: ['b@example.com', 'c@example.com'],
      username: 'zs',
      password: 's3cret',
    };
    await sendMail(o, 'Störung: cart', 'line one\n.leading dot\n.\nend');
    const m = smtp.mails.at(-1)!;
    expect(m.to).toEqual(['b@example.com', 'c@example.com']);
    expect(m.subject).toBe(`=?UTF-8?B?${Buffer.from('Störung: cart').toString('base64')}?=`);
    // the body travels base64-encoded; a lone '.' line inside it cannot end the DATA section
    expect(m.body).toBe('line one\n.leading dot\n.\nend');
  });

  it('reports refusals as ChannelError, never hangs', async () => {
    const base = { host: '127.0.0.1', port: smtp.port, from: 'a@example.com', to: ['b@example.com'] };
    await expect(sendMail({ ...base, username: 'zs', password: 'wrong' }, 's', 't')).rejects.toThrow(
      /AUTH: 535/,
    );
    await expect(sendMail({ ...base, to: ['nobody@example.com'] }, 's', 't')).rejects.toThrow(
      /RCPT TO nobody@example.com: 550/,
    );
    await expect(sendMail({ ...base, port: 9 }, 's', 't')).rejects.toBeInstanceOf(ChannelError);
  });

  it('delivers the email channel as text naming the series and the condition', async () => {
    await deliver(
      {
        id: 1,
        name: 'mail',
        kind: 'email',
        enabled: true,
        config: { host: '127.0.0.1', port: smtp.port, from: 'a@example.com', to: ['b@example.com'] },
      },
      n,
    );
    const m = smtp.mails.at(-1)!;
    expect(m.subject).toBe('[FIRING:1] Service error rate (auto_service=cart)');
    expect(m.body).toContain('condition: value > 0.05');
    expect(m.body).toContain('- FIRING auto_service=cart value=0.2500');
  });

  it('posts the webhook JSON and the Slack text format', async () => {
    await deliver({ id: 2, name: 'hook', kind: 'webhook', enabled: true, config: { url: hook.url } }, n);
    expect(hook.hooks.at(-1)!.body).toMatchObject({
      version: 1,
      status: 'firing',
      rule: { id: 3 },
      alerts: [{ value: 0.25 }],
    });
    await deliver(
      { id: 3, name: 'slack', kind: 'slack', enabled: true, config: { url: hook.url, channel: '#ops' } },
      n,
    );
    const slack = hook.hooks.at(-1)!.body as { channel: string; text: string };
    expect(slack.channel).toBe('#ops');
    expect(slack.text).toMatch(/^:red_circle: \[FIRING:1\] Service error rate/);
    await expect(
      deliver(
        {
          id: 4,
          name: 'x',
          kind: 'webhook',
          enabled: true,
          config: { url: `${hook.url.replace('/hook', '')}:1/x` },
        },
        n,
      ),
    ).rejects.toBeInstanceOf(Error);
  });
});
