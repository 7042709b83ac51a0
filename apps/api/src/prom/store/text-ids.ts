/**
 * Text <-> small integer ids (SmartEncoding): metric names, label names and label values
 * each get one id, assigned here in order and persisted before any row uses it. One API
 * process owns the allocation (the ids of a restart are read back first).
 */
export class TextIds {
  private readonly ids = new Map<string, number>();
  private readonly texts = new Map<number, string>();
  private next = 1;
  /** assigned but not yet written to ClickHouse */
  pending: { id: number; text: string }[] = [];

  load(rows: readonly { id: number; text: string }[]): void {
    for (const r of rows) {
      this.ids.set(r.text, r.id);
      this.texts.set(r.id, r.text);
      if (r.id >= this.next) this.next = r.id + 1;
    }
  }

  idOf(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(text, id);
      this.texts.set(id, text);
      this.pending.push({ id, text });
    }
    return id;
  }

  find(text: string): number | undefined {
    return this.ids.get(text);
  }

  text(id: number): string {
    return this.texts.get(id) ?? '';
  }

  get size(): number {
    return this.ids.size;
  }

  takePending(): { id: number; text: string }[] {
    const p = this.pending;
    this.pending = [];
    return p;
  }
}
