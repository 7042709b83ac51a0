/**
 * Keyboard handling for clickable table rows (tabIndex 0): ↑/↓ move focus between rows,
 * Enter or Space activates.
 */
export function onRowKey(e: React.KeyboardEvent<HTMLElement>, activate: () => void): void {
  const row = e.currentTarget;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    activate();
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const next = (
      e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling
    ) as HTMLElement | null;
    next?.focus();
  }
}
