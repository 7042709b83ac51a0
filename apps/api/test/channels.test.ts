/** The notification channels against real local peers: SMTP (AUTH, dot-stuffing, refusals), webhook, Slack format. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  annotations: { summary: 'More than 5% of requests fail', detail: '{{labels.auto_service}} at {{value}}' },
  condition: { op: '>', threshold: 0.05, noData: 'ok' },
  alerts: [
    {
      labels: { auto_service: 'cart' },
      value: 0.25,
      status: 'firing',
      startsAt: '2026-01-01T00:00:00.000Z',
      annotations: { detail: 'cart at 0.25' },
    },
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

  it('upgrades with STARTTLS to a server whose certificate a private CA signed, and never falls back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-smtp-tls-'));
    try {
      // a throwaway CA and a server certificate for 127.0.0.1
      const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { cwd: dir, stdio: 'pipe' });
      sh('openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=zs-test-ca');
      sh('openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=127.0.0.1');
      sh('printf "subjectAltName=IP:127.0.0.1" > ext.cnf');
      sh(
        'openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 1 -extfile ext.cnf',
      );
      const read = (f: string) => readFileSync(join(dir, f), 'utf8');
      const tlsSmtp = await startSmtpServer({
        user: 'zs',
        password: 'pw',
        tls: { key: read('srv.key'), cert: read('srv.pem') },
      });
      try {
        const o = {
          host: '127.0.0.1',
          port: tlsSmtp.port,
          from: 'a@example.com',
          to: ['b@example.com'],
          username: 'zs',
          password: 'pw',
        };
        await sendMail({ ...o, starttls: true, ca: read('ca.pem') }, 'over tls', 'secret');
        expect(tlsSmtp.mails.at(-1)).toMatchObject({ secure: true, body: 'secret' });
        // an unknown CA fails the handshake instead of sending in the clear
        await expect(sendMail({ ...o, starttls: true }, 's', 't')).rejects.toBeInstanceOf(ChannelError);
        expect(tlsSmtp.mails).toHaveLength(1);
      } finally {
        await tlsSmtp.close();
      }
      // a server without STARTTLS is refused when TLS was asked for
      await expect(
        sendMail(
          {
            host: '127.0.0.1',
            port: smtp.port,
            from: 'a@example.com',
            to: ['b@example.com'],
            starttls: true,
          },
          's',
          't',
        ),
      ).rejects.toThrow(/does not offer STARTTLS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
    expect(m.body).toContain('summary: More than 5% of requests fail');
    expect(m.body).toContain('  detail: cart at 0.25');
    expect(m.body).not.toContain('{{');
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
