/** Struct layouts read from a loaded object's BTF: the C header is the only definition. */
import { BpfError } from './errors';
import type { NativeLayout } from './native';

export interface Field {
  offset: number;
  size: number;
}

export class StructLayout {
  readonly size: number;
  private readonly fields = new Map<string, Field>();

  constructor(
    readonly name: string,
    raw: NativeLayout,
  ) {
    this.size = raw.size;
    for (const [field, offset, size] of raw.fields) this.fields.set(field, { offset, size });
  }

  field(name: string): Field {
    const f = this.fields.get(name);
    if (!f) throw new BpfError('layout', 2, `struct ${this.name} has no field ${name}`);
    return f;
  }

  offset(name: string): number {
    return this.field(name).offset;
  }

  /** Offset of `outer.inner` for an embedded struct, given the inner struct's layout. */
  nested(name: string, inner: StructLayout, innerField: string): number {
    return this.offset(name) + inner.offset(innerField);
  }
}
