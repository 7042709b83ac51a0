'use client';
import { useCallback, useEffect, useState } from 'react';
import { type Refresh, refreshMs } from './time-range';

/**
 * The moment relative ranges end at: set when `anchor` changes (e.g. a new range is picked),
 * advanced every auto-refresh period and by `bump()` (the refresh button).
 */
export function useNow(refresh: Refresh, anchor: string): [number, () => void] {
  const [now, setNow] = useState(() => Date.now());
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-anchor whenever the range changes
  useEffect(() => setNow(Date.now()), [anchor]);
  useEffect(() => {
    const ms = refreshMs(refresh);
    if (ms === undefined) return;
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [refresh]);
  const bump = useCallback(() => setNow(Date.now()), []);
  return [now, bump];
}
