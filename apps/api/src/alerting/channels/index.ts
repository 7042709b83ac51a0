/** Delivers one notification to one channel; failures come back as ChannelError. */
import { EmailConfig, SlackConfig, WebhookConfig } from '../schema';
import type { Notification } from '../types';
import { ChannelError, sendSlack, sendWebhook } from './http';
import { bodyText, subject } from './message';
import { sendMail } from './smtp';

export { ChannelError };

export interface ChannelRow {
  id: number;
  name: string;
  kind: string;
  config: unknown;
  enabled: boolean;
}

export async function deliver(channel: ChannelRow, n: Notification): Promise<void> {
  switch (channel.kind) {
    case 'webhook':
      return sendWebhook(WebhookConfig.parse(channel.config), n);
    case 'slack':
      return sendSlack(SlackConfig.parse(channel.config), n);
    case 'email': {
      const cfg = EmailConfig.parse(channel.config);
      return sendMail(cfg, subject(n), bodyText(n));
    }
    default:
      throw new ChannelError(`unknown channel kind '${channel.kind}'`);
  }
}
