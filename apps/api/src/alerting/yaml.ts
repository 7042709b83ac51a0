/**
 * Rules as YAML (PRODUCT.md §2.9): `rules:` list, channels referred to by name so a file moves
 * between installations. Import validates everything first and reports every problem with
 * the rule's position; nothing is written when one rule is bad.
 */
import { parse, stringify } from 'yaml';
import { RuleSpecSchema } from './schema';
import type { RuleSpec } from './types';

export class RuleFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'RuleFileError';
  }
}

export function exportRules(
  rules: readonly RuleSpec[],
  channelName: (id: number) => string | undefined,
): string {
  const out = rules.map((r) => {
    const { channelIds, description, template, ...rest } = r;
    return {
      name: rest.name,
      ...(description ? { description } : {}),
      query: rest.query,
      condition: rest.condition,
      forSeconds: rest.forSeconds,
      windowSeconds: rest.windowSeconds,
      repeatSeconds: rest.repeatSeconds,
      severity: rest.severity,
      labels: rest.labels,
      annotations: rest.annotations,
      groupBy: rest.groupBy,
      channels: channelIds.map((id) => channelName(id)).filter((n): n is string => n !== undefined),
      ...(template ? { template } : {}),
      enabled: rest.enabled,
    };
  });
  return stringify({ rules: out });
}

const MAX_RULES = 1000;

export function importRules(text: string, channelId: (name: string) => number | undefined): RuleSpec[] {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new RuleFileError([`not YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  const list = (doc as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list)) throw new RuleFileError(['expected a top-level `rules:` list']);
  if (list.length > MAX_RULES) throw new RuleFileError([`at most ${MAX_RULES} rules per file`]);
  const problems: string[] = [];
  const specs: RuleSpec[] = [];
  const names = new Set<string>();
  list.forEach((raw, i) => {
    const where = `rules[${i}]${typeof raw?.name === 'string' ? ` (${raw.name})` : ''}`;
    if (typeof raw !== 'object' || raw === null) {
      problems.push(`${where}: expected a mapping`);
      return;
    }
    const { channels, ...rest } = raw as Record<string, unknown>;
    const ids: number[] = [];
    if (channels !== undefined) {
      if (!Array.isArray(channels)) problems.push(`${where}: channels must be a list of channel names`);
      else
        for (const c of channels) {
          const id = typeof c === 'string' ? channelId(c) : undefined;
          if (id === undefined) problems.push(`${where}: unknown channel ${JSON.stringify(c)}`);
          else ids.push(id);
        }
    }
    const parsed = RuleSpecSchema.safeParse({ ...rest, channelIds: ids });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${where}.${issue.path.join('.')}: ${issue.message}`);
      return;
    }
    if (names.has(parsed.data.name)) problems.push(`${where}: duplicate name`);
    names.add(parsed.data.name);
    specs.push(parsed.data as RuleSpec);
  });
  if (problems.length > 0) throw new RuleFileError(problems);
  return specs;
}
