/** label_replace(v, dst, replacement, src, regex): the regex is anchored; $1 / ${name} expand. */
import type { Labels } from '../series';
import { PromQLError } from './ast';
import type { Sample } from './eval';
import { get } from './labels';

export function labelReplace(
  input: readonly Sample[],
  dst: string,
  repl: string,
  src: string,
  pattern: string,
): Sample[] {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(dst)) throw new PromQLError(`invalid destination label name '${dst}'`);
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`, 's');
  } catch (err) {
    throw new PromQLError(`invalid regex '${pattern}': ${err instanceof Error ? err.message : String(err)}`);
  }
  return input.map((s) => {
    const m = re.exec(get(s.labels, src) ?? '');
    if (!m) return s;
    const value = repl.replace(
      /\$(?:\{(\w+)\}|(\w+))/g,
      (_, a: string | undefined, b: string | undefined) => {
        const key = a ?? b ?? '';
        return (/^\d+$/.test(key) ? m[Number(key)] : m.groups?.[key]) ?? '';
      },
    );
    const rest = s.labels.filter(([n]) => n !== dst);
    const labels: Labels = value === '' ? rest : [...rest, [dst, value] as [string, string]];
    return { labels: labels.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)), v: s.v };
  });
}
