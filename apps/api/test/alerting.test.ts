/**
 * Alerting end to end: a real Node HTTP service starts failing, its traffic is captured
 * (tapping proxy -> the agent's parsers -> agent link -> the real API in a child process ->
 * chDB), the rule's evaluator (200 ms interval) fires, and the notification arrives on a
 * local webhook receiver and a local SMTP server within the rule's window; the service
 * recovers and the resolve arrives on both. History and state are checked through tRPC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Hook,
  type Mail,
  startCaptureProxy,
  startSmtpServer,
  startWebhookReceiver,
  trpc,
} from './alert-helpers';
import { ADMIN_TOKEN, AGENT_TOKEN, type ApiProcess, freePort, startApi } from './link-helpers';

const FOR_S = 1;
const WINDOW_S = 3;

describe('alerting end to end', () => {
  let dir: string;
  let api: ApiProcess;
  let base: string;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let service: http.Server;
  let failing = true;
  let proxy: Awaited<ReturnType<typeof startCaptureProxy>>;
  const admin = { token: ADMIN_TOKEN };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-alert-'));
    smtp = await startSmtpServer();
    hook = await startWebhookReceiver();
    const port = await freePort();
    process.env.ZEROSCOPE_ALERT_INTERVAL_MS = '200';
    api = await startApi(dir, port);
    delete process.env.ZEROSCOPE_ALERT_INTERVAL_MS;
    base = `http://127.0.0.1:${port}`;
    service = http.createServer((req, res) => {
      const code = failing ? 500 : 200;
      res.writeHead(code, { 'content-type': 'text/plain' }).end(failing ? 'boom' : 'ok');
      req.resume();
    });
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
    proxy = await startCaptureProxy((service.address() as AddressInfo).port, {
      url: `ws://127.0.0.1:${port}`,
      token: AGENT_TOKEN,
    });
  });

  afterAll(async () => {
    await proxy?.close();
    service?.closeAllConnections();
    await new Promise<void>((r) => (service ? service.close(() => r()) : r()));
    await hook?.close();
    await smtp?.close();
    api?.proc.kill('SIGTERM');
    await api?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Requests through the proxy until `until()` holds; returns when it does. */
  async function traffic(until: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!until()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}\n${api.output().slice(-3000)}`);
      await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          fetch(`http://127.0.0.1:${proxy.port}/checkout?i=${i}`).then((r) => r.text()),
        ),
      );
      await proxy.flush();
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('notifies webhook and SMTP when errors start, and again when they stop', async () => {
    const webhook = await trpc<{ id: number }>(base, admin, 'alerts.createChannel', 'mutation', {
      name: 'ops-webhook',
      kind: 'webhook',
      config: { url: hook.url },
    });
    const email = await trpc<{ id: number }>(base, admin, 'alerts.createChannel', 'mutation', {
      name: 'oncall-mail',
      kind: 'email',
      config: {
        host: '127.0.0.1',
        port: smtp.port,
        from: 'zeroscope@example.com',
        to: ['oncall@example.com'],
      },
    });
    const rule = await trpc<{ id: number }>(base, admin, 'alerts.createRule', 'mutation', {
      name: 'checkout errors',
      query: `SELECT server_port, error_ratio FROM l7_flow_log WHERE server_port = ${proxy.port} GROUP BY server_port`,
      condition: { op: '>', threshold: 0.5, noData: 'ok' },
      forSeconds: FOR_S,
      windowSeconds: WINDOW_S,
      severity: 'critical',
      labels: { team: 'shop' },
      annotations: { summary: 'checkout fails', detail: 'port {{labels.server_port}} at {{value}}' },
      channelIds: [webhook.id, email.id],
    });

    // errors start
    const errorsFrom = Date.now();
    const firing = (h: Hook) => h.body.status === 'firing';
    const firingMail = (m: Mail) => m.subject.startsWith('[FIRING');
    await traffic(
      () => hook.hooks.some(firing) && smtp.mails.some(firingMail),
      30_000,
      'the firing notifications',
    );
    const hookAt = hook.hooks.find(firing)!.at;
    const mailAt = smtp.mails.find(firingMail)!.at;
    // pending for FOR_S, then the next evaluation: well inside the rule's window after errors began
    expect(hookAt - errorsFrom).toBeLessThan((FOR_S + WINDOW_S) * 1000 + 3000);
    expect(mailAt - errorsFrom).toBeLessThan((FOR_S + WINDOW_S) * 1000 + 3000);
    expect(proxy.records.some((r) => r.response_code === 500 && r.response_status === 'server_error')).toBe(
      true,
    );

    const payload = hook.hooks.find(firing)!.body as {
      rule: { id: number; name: string; severity: string };
      alerts: {
        labels: Record<string, string>;
        value: number;
        status: string;
        annotations: Record<string, string>;
      }[];
      annotations: Record<string, string>;
    };
    expect(payload.rule).toMatchObject({ id: rule.id, name: 'checkout errors', severity: 'critical' });
    expect(payload.annotations.summary).toBe('checkout fails');
    expect(payload.alerts).toHaveLength(1);
    expect(payload.alerts[0]).toMatchObject({
      status: 'firing',
      labels: { team: 'shop', server_port: String(proxy.port) },
    });
    expect(payload.alerts[0]!.value).toBeGreaterThan(0.5);
    expect(payload.alerts[0]!.annotations.detail).toMatch(new RegExp(`^port ${proxy.port} at (1|0\\.\\d+)$`));
    const mail = smtp.mails.find(firingMail)!;
    expect(mail.to).toEqual(['oncall@example.com']);
    expect(mail.subject).toContain('checkout errors');
    expect(mail.body).toContain(`server_port=${proxy.port}`);

    const states = await trpc<{ ruleId: number; state: string }[]>(base, admin, 'alerts.states', 'query');
    expect(states).toContainEqual(expect.objectContaining({ ruleId: rule.id, state: 'firing' }));

    // deduplication: while it keeps firing, no second firing notification
    const firingHooks = hook.hooks.filter(firing).length;

    // the service recovers; once the failing requests leave the window the alert resolves
    failing = false;
    const resolved = (h: Hook) => h.body.status === 'resolved';
    const resolvedMail = (m: Mail) => m.subject.startsWith('[RESOLVED]');
    await traffic(
      () => hook.hooks.some(resolved) && smtp.mails.some(resolvedMail),
      30_000,
      'the resolve notifications',
    );
    expect(hook.hooks.filter(firing).length).toBe(firingHooks);
    expect(hook.hooks.find(resolved)!.body).toMatchObject({ alerts: [{ status: 'resolved' }] });

    // the evaluator records a pass's events after it has sent its notifications
    const historyTypes = async () => {
      const history = await trpc<{ type: string; ruleId: number }[]>(base, admin, 'alerts.history', 'query', {
        start: errorsFrom / 1000 - 60,
        end: Date.now() / 1000 + 60,
        ruleId: rule.id,
      });
      return new Set(history.map((e) => e.type));
    };
    const wanted = ['pending', 'firing', 'resolved', 'notified'];
    let types = await historyTypes();
    for (let i = 0; i < 50 && !wanted.every((t) => types.has(t)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      types = await historyTypes();
    }
    for (const t of wanted) expect(types, t).toContain(t);
    const after = await trpc<{ ruleId: number }[]>(base, admin, 'alerts.states', 'query');
    expect(after.filter((s) => s.ruleId === rule.id)).toEqual([]);

    const audit = await trpc<{ action: string }[]>(base, admin, 'users.audit', 'query', {});
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['alert.channel.create', 'alert.rule.create']),
    );
    const status = await trpc<{ thisInstance: null; lease: { owner: string } }>(
      base,
      admin,
      'alerts.status',
      'query',
    );
    expect(status.lease?.owner).toBeTruthy();
  }, 120_000);
});
