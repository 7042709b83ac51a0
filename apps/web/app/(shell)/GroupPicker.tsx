'use client';
/**
 * "Group by": the presets of the map, or any other tag typed in (e.g. `k8s.label.app`,
 * `pod`, `pod_cluster`); the API rejects a tag its catalog does not know.
 */
import { useState } from 'react';
import { GROUPS } from './map/view-state';

const OTHER = '__other__';

export function GroupPicker({ value, onChange }: { value: string; onChange: (g: string) => void }) {
  const preset = (GROUPS as readonly string[]).includes(value);
  const [typing, setTyping] = useState(!preset);
  const [text, setText] = useState(preset ? '' : value);
  return (
    <label style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
      <span className="muted">Group by</span>
      <select
        aria-label="Group by"
        value={typing ? OTHER : value}
        onChange={(e) => {
          if (e.target.value === OTHER) return setTyping(true);
          setTyping(false);
          onChange(e.target.value);
        }}
      >
        {GROUPS.map((g) => (
          <option key={g} value={g}>
            {g}
          </option>
        ))}
        <option value={OTHER}>other tag…</option>
      </select>
      {typing && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (/^[A-Za-z0-9_.\-/]{1,128}$/.test(text.trim())) onChange(text.trim());
          }}
        >
          <input
            aria-label="Group by tag"
            placeholder="k8s.label.app"
            value={text}
            list="group-tags"
            onChange={(e) => setText(e.target.value)}
            style={{ width: 160 }}
          />
          <datalist id="group-tags">
            {['pod', 'pod_cluster', 'pod_node', 'container', 'k8s.label.app', 'k8s.label.version'].map(
              (t) => (
                <option key={t} value={t} />
              ),
            )}
          </datalist>
        </form>
      )}
    </label>
  );
}
