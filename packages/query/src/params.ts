/** Bound parameters: every user value leaves the compiler as `{pN:Type}` plus an entry here. */
export type ParamType = 'String' | 'Int64' | 'UInt64' | 'Float64';

export class Params {
  readonly values: Record<string, unknown> = {};
  private readonly seen = new Map<string, string>();

  /** Equal values of one type share a placeholder, so repeated clauses emit identical SQL. */
  bind(value: string | number, type: ParamType): string {
    const id = `${type}:${typeof value}:${value}`;
    let ph = this.seen.get(id);
    if (!ph) {
      const name = `p${this.seen.size}`;
      this.values[name] = value;
      ph = `{${name}:${type}}`;
      this.seen.set(id, ph);
    }
    return ph;
  }

  /** A number as Int64 when it is a safe integer, else Float64. */
  number(value: number): string {
    return Number.isSafeInteger(value) ? this.bind(value, 'Int64') : this.bind(value, 'Float64');
  }
}
