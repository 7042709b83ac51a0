/** Validation of rules, channels and silences at the API edge (tRPC and YAML import). */
import { z } from 'zod';
import { MATCH_OPS } from './silences';
import { NO_DATA, OPS, SEVERITIES } from './types';

const labelName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.\-/]{0,127}$/, 'label names: letters, digits, _ . - /');
const labelMap = z.record(labelName, z.string().max(1024));

export const ConditionSchema = z.object({
  op: z.enum(OPS),
  threshold: z.number().finite(),
  noData: z.enum(NO_DATA).default('ok'),
});

export const RuleSpecSchema = z.object({
  name: z.string().trim().min(1).max(191),
  description: z.string().max(4000).optional(),
  query: z.string().trim().min(1).max(10_000),
  condition: ConditionSchema,
  forSeconds: z.number().int().min(0).max(86_400).default(0),
  windowSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(300),
  repeatSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(3600),
  severity: z.enum(SEVERITIES).default('warning'),
  labels: labelMap.default({}),
  annotations: labelMap.default({}),
  groupBy: z.array(labelName).max(20).default([]),
  channelIds: z.array(z.number().int().positive()).max(50).default([]),
  template: z.string().max(191).optional(),
  enabled: z.boolean().default(true),
});

export const CHANNEL_KINDS = ['webhook', 'slack', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'an http:// or https:// URL');

export const WebhookConfig = z.object({
  url: httpUrl,
  headers: z.record(z.string(), z.string()).optional(),
});
export const SlackConfig = z.object({ url: httpUrl, channel: z.string().max(191).optional() });
export const EmailConfig = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(25),
  from: z.string().email(),
  to: z.array(z.string().email()).min(1).max(50),
  username: z.string().max(255).optional(),
  password: z.string().max(255).optional(),
  /** upgrade with STARTTLS when the server offers it */
  starttls: z.boolean().default(false),
  /** PEM of a private CA that signed the server's certificate (STARTTLS) */
  ca: z
    .string()
    .max(64 * 1024)
    .optional(),
});

export const ChannelSchema = z.discriminatedUnion('kind', [
  z.object({
    name: z.string().trim().min(1).max(191),
    kind: z.literal('webhook'),
    config: WebhookConfig,
    enabled: z.boolean().default(true),
  }),
  z.object({
    name: z.string().trim().min(1).max(191),
    kind: z.literal('slack'),
    config: SlackConfig,
    enabled: z.boolean().default(true),
  }),
  z.object({
    name: z.string().trim().min(1).max(191),
    kind: z.literal('email'),
    config: EmailConfig,
    enabled: z.boolean().default(true),
  }),
]);
export type ChannelSpec = z.infer<typeof ChannelSchema>;

export const MatcherSchema = z.object({
  name: labelName,
  op: z.enum(MATCH_OPS).default('='),
  value: z.string().max(1024),
});

export const SilenceSchema = z
  .object({
    matchers: z.array(MatcherSchema).min(1).max(20),
    startsAt: z.number().finite(),
    endsAt: z.number().finite(),
    comment: z.string().max(4000).optional(),
    kind: z.enum(['silence', 'maintenance']).default('silence'),
    schedule: z
      .object({
        days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
        start: z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/),
        minutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 1440),
      })
      .optional(),
  })
  .refine((s) => s.endsAt > s.startsAt, 'endsAt must be after startsAt');
export type SilenceSpec = z.infer<typeof SilenceSchema>;
