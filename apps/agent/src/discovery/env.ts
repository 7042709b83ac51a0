/**
 * Which environment variables of a process become tags (`os.env.NAME`). Only names on the
 * allowlist or with an allowed prefix are kept; a name that looks like a secret is never
 * kept, whatever the allowlist says (the API drops them again on receipt).
 */
import { RESOURCE_LIMITS, SECRET_ENV_RE } from '@zeroscope/wire/resources';

export const DEFAULT_ENV_NAMES: readonly string[] = [
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'SERVICE_NAME',
  'SERVICE_VERSION',
  'APP_NAME',
  'APP_VERSION',
  'APP_ENV',
  'ENV',
  'ENVIRONMENT',
  'NODE_ENV',
  'RAILS_ENV',
  'SPRING_PROFILES_ACTIVE',
  'DD_SERVICE',
  'DD_ENV',
  'DD_VERSION',
  'LANG',
  'HOSTNAME',
];
export const DEFAULT_ENV_PREFIXES: readonly string[] = ['ZEROSCOPE_TAG_'];

export interface EnvFilter {
  names: ReadonlySet<string>;
  prefixes: readonly string[];
}

export function envFilter(
  extraNames: readonly string[] = [],
  extraPrefixes: readonly string[] = [],
): EnvFilter {
  return {
    names: new Set([...DEFAULT_ENV_NAMES, ...extraNames]),
    prefixes: [...DEFAULT_ENV_PREFIXES, ...extraPrefixes],
  };
}

const MAX_ENTRIES = 64;

/** Picks allowed entries out of /proc/<pid>/environ (NUL-separated NAME=value). */
export function selectEnv(environ: Buffer | string, filter: EnvFilter): Record<string, string> {
  const text = typeof environ === 'string' ? environ : environ.toString('utf8');
  const out: Record<string, string> = {};
  let n = 0;
  for (const entry of text.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    if (name.length > RESOURCE_LIMITS.string || SECRET_ENV_RE.test(name)) continue;
    if (!filter.names.has(name) && !filter.prefixes.some((p) => name.startsWith(p))) continue;
    out[name] = entry.slice(eq + 1, eq + 1 + RESOURCE_LIMITS.string);
    if (++n >= MAX_ENTRIES) break;
  }
  return out;
}
