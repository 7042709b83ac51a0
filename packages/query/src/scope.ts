/** Name resolution against one table of the catalog, shared by every clause of a query. */
import { findMetric, findTag, listTags, type MetricDef, type TableDef, type TagDef } from '@zeroscope/tags';
import { QueryError, show } from './errors';
import type { Params } from './params';
import { type EndTag, keyParts } from './tagsql';

export class Scope {
  private readonly keys = new Map<string, string[]>();
  constructor(
    readonly table: TableDef,
    readonly params: Params,
  ) {}

  tag(name: string): TagDef | undefined {
    return findTag(this.table, name);
  }

  metric(name: string): MetricDef | undefined {
    return findMetric(this.table, name);
  }

  /** Key expressions of a tag, built once so every clause uses identical SQL text. */
  keyParts(t: EndTag): string[] {
    let k = this.keys.get(t.name);
    if (!k) {
      k = keyParts(t, this.params);
      this.keys.set(t.name, k);
    }
    return k;
  }

  unknown(name: string, pos: number): QueryError {
    const near = namesOf(this.table)
      .filter((n) => similar(n, name))
      .slice(0, 5);
    return new QueryError(
      'resolve',
      pos,
      `${show(name)} is not a tag or metric of ${this.table.name}${near.length ? `; did you mean ${near.join(', ')}?` : ''}`,
      near,
    );
  }
}

const names = new WeakMap<TableDef, string[]>();
function namesOf(t: TableDef): string[] {
  let n = names.get(t);
  if (!n) {
    n = [...listTags(t).map((x) => x.name), ...t.metrics.map((m) => m.name)];
    names.set(t, n);
  }
  return n;
}

function similar(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (y.length >= 3 && (x.startsWith(y) || y.startsWith(x))) return true;
  return (
    y.length < 40 &&
    Math.abs(x.length - y.length) <= 3 &&
    distance(x, y) <= Math.max(1, Math.floor(y.length / 4))
  );
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
