/**
 * Text <-> integer ids (SmartEncoding) for metric names, label names and label values. Ids
 * are content hashes (hash.ts), so every API instance agrees without coordination; each text
 * is written once per instance (ReplacingMergeTree folds repeats). A second text hashing to a
 * taken id is refused rather than silently merged (at 53 bits: ~1 in 10^4 at 10^6 texts).
 */
import { hash53 } from './hash';

export class TextIds {
  private readonly ids = new Map<string, number>();
  private readonly texts = new Map<number, string>();
  /** known here but not yet written to ClickHouse by this instance */
  pending: { id: number; text: string }[] = [];

  load(rows: readonly { id: number; text: string }[]): void {
    for (const r of rows) {
      const id = Number(r.id);
      if (this.texts.has(id)) continue;
      this.ids.set(r.text, id);
      this.texts.set(id, r.text);
    }
  }

  /** The id of `text`, or undefined when its hash is taken by another text (a collision). */
  idOf(text: string): number | undefined {
    const known = this.ids.get(text);
    if (known !== undefined) return known;
    const id = hash53(text);
    const other = this.texts.get(id);
    if (other !== undefined && other !== text) return undefined;
    this.ids.set(text, id);
    this.texts.set(id, text);
    this.pending.push({ id, text });
    return id;
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
