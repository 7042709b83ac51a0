'use client';
/** Any-tag filters (`pod=cart-1`, `k8s.label.app=shop`) as removable chips plus one input. */
import { useState } from 'react';
import styles from './profiles.module.css';
import type { TagFilter } from './view-state';

const TAG_RE = /^([A-Za-z0-9_.\-/]{1,128})\s*[=:]\s*(.+)$/;

/** `tag=value` or `tag:value` -> a filter, else undefined. Pure. */
export function parseTagFilter(text: string): TagFilter | undefined {
  const m = TAG_RE.exec(text.trim());
  return m ? { tag: m[1]!, value: m[2]!.trim().slice(0, 512) } : undefined;
}

export function TagFilters({ tags, onChange }: { tags: TagFilter[]; onChange(tags: TagFilter[]): void }) {
  const [text, setText] = useState('');
  const parsed = parseTagFilter(text);
  return (
    <form
      className={styles.tags}
      onSubmit={(e) => {
        e.preventDefault();
        if (!parsed) return;
        onChange([...tags.filter((t) => t.tag !== parsed.tag), parsed]);
        setText('');
      }}
    >
      {tags.map((t) => (
        <button
          key={t.tag}
          type="button"
          className={styles.chip}
          title="Remove this filter"
          onClick={() => onChange(tags.filter((x) => x !== t))}
        >
          {t.tag}={t.value} ✕
        </button>
      ))}
      <input
        aria-label="Tag filter"
        placeholder="tag=value (pod, host, k8s.label.app…)"
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={text.trim() !== '' && !parsed}
      />
    </form>
  );
}
