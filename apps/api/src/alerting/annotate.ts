/**
 * Annotation templates: `{{value}}`, `{{threshold}}` and `{{labels.NAME}}` in a rule's
 * annotations are filled in per alert (e.g. `summary: {{labels.auto_service}} fails {{value}}`).
 * Unknown placeholders stay as written; nothing is evaluated.
 */

function fmt(v: number | null): string {
  if (v === null) return 'no data';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

export function renderAnnotations(
  annotations: Record<string, string>,
  labels: Record<string, string>,
  value: number | null,
  threshold: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, text] of Object.entries(annotations))
    out[k] = text.replace(
      /\{\{\s*(value|threshold|labels\.([A-Za-z0-9_.\-/]+))\s*\}\}/g,
      (all, what: string, name?: string) => {
        if (what === 'value') return fmt(value);
        if (what === 'threshold') return fmt(threshold);
        return name !== undefined && name in labels ? labels[name]! : all;
      },
    );
  return out;
}
