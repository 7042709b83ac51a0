/** Webhook and Slack-compatible webhook delivery: one JSON POST, bounded in time. */

import type { Notification } from '../types';
import { bodyText } from './message';

export class ChannelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelError';
  }
}

const TIMEOUT_MS = 10_000;

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (err) {
    throw new ChannelError(`POST ${url} failed: ${(err as Error).message}`);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new ChannelError(`POST ${url} answered ${res.status}`);
}

/** The generic webhook payload: machine-readable, one group of alerts. */
export function webhookPayload(n: Notification) {
  return {
    version: 1,
    status: n.status,
    rule: { id: n.ruleId, name: n.ruleName, severity: n.severity, condition: n.condition },
    groupKey: n.groupKey,
    groupLabels: n.groupLabels,
    annotations: n.annotations,
    alerts: n.alerts,
  };
}

export function sendWebhook(
  cfg: { url: string; headers?: Record<string, string> },
  n: Notification,
): Promise<void> {
  return post(cfg.url, webhookPayload(n), cfg.headers);
}

/** Slack incoming-webhook format (`text`, optional `channel`), which Mattermost and others accept too. */
export function slackPayload(n: Notification, channel?: string) {
  const icon =
    n.status === 'firing' ? (n.severity === 'critical' ? ':red_circle:' : ':warning:') : ':white_check_mark:';
  return { ...(channel ? { channel } : {}), text: `${icon} ${bodyText(n)}` };
}

export function sendSlack(cfg: { url: string; channel?: string }, n: Notification): Promise<void> {
  return post(cfg.url, slackPayload(n, cfg.channel));
}
