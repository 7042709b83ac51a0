'use client';
/**
 * Scrubs and plays the map minute by minute over the range (one frame per step of
 * map.timeline), and picks two moments A and B to diff. The frame lives in the URL (`t`),
 * the diff too (`a`, `b`); playing advances `t` with history replace.
 */
import { useEffect, useState } from 'react';
import { formatClock } from '@/lib/format';
import styles from './map.module.css';
import { frameIndex, type Timeline } from './timeline';

interface Props {
  timeline: Timeline | undefined;
  loading: boolean;
  frame: number | undefined;
  diff: { a: number; b: number } | undefined;
  onFrame: (t: number | undefined, mode: 'push' | 'replace') => void;
  onDiff: (d: { a: number; b: number } | undefined) => void;
}

const PLAY_MS = 700;

export function TimeSlider({ timeline: tl, loading, frame, diff, onFrame, onDiff }: Props) {
  const [playing, setPlaying] = useState(false);
  const times = tl?.times ?? [];
  const at = tl && frame !== undefined ? frameIndex(tl, frame) : -1;
  const [a, setA] = useState<number | undefined>(diff?.a);
  const [b, setB] = useState<number | undefined>(diff?.b);

  useEffect(() => {
    if (!playing || !times.length) return;
    const id = setTimeout(() => {
      const next = at + 1;
      if (next >= times.length) setPlaying(false);
      else onFrame(times[next], 'replace');
    }, PLAY_MS);
    return () => clearTimeout(id);
  }, [playing, at, times, onFrame]);

  if (!tl)
    return (
      <div className={styles.slider}>{loading ? <span className="muted">Loading timeline…</span> : null}</div>
    );
  const busy = tl.frames.map((f, i) => (f.length ? i : -1)).filter((i) => i >= 0);
  const defaultA = times[busy[0] ?? 0];
  const defaultB = times[busy.at(-1) ?? times.length - 1];
  const pickA = a ?? defaultA;
  const pickB = b ?? defaultB;

  return (
    <div className={styles.slider} data-testid="time-slider">
      <button
        type="button"
        aria-label={playing ? 'Pause' : 'Play'}
        onClick={() => {
          if (!playing && (at < 0 || at >= times.length - 1)) onFrame(times[0], 'push');
          setPlaying(!playing);
        }}
      >
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <input
        type="range"
        aria-label="Time slider"
        min={0}
        max={Math.max(0, times.length - 1)}
        value={at < 0 ? times.length - 1 : at}
        onChange={(e) => onFrame(times[Number(e.target.value)], 'replace')}
      />
      <span data-testid="frame-label" className="mono">
        {at < 0 ? 'whole range' : `${formatClock(times[at]!)} (+${tl.step / 60} min)`}
      </span>
      <button
        type="button"
        disabled={at < 0 && !diff}
        onClick={() => {
          setPlaying(false);
          onFrame(undefined, 'push');
        }}
      >
        All
      </button>
      <span className="muted">Diff:</span>
      <label>
        A{' '}
        <select aria-label="Moment A" value={pickA} onChange={(e) => setA(Number(e.target.value))}>
          {times.map((t, i) => (
            <option key={t} value={t}>
              {formatClock(t)}
              {tl.frames[i]!.length ? '' : ' (idle)'}
            </option>
          ))}
        </select>
      </label>
      <label>
        B{' '}
        <select aria-label="Moment B" value={pickB} onChange={(e) => setB(Number(e.target.value))}>
          {times.map((t, i) => (
            <option key={t} value={t}>
              {formatClock(t)}
              {tl.frames[i]!.length ? '' : ' (idle)'}
            </option>
          ))}
        </select>
      </label>
      {diff ? (
        <button type="button" onClick={() => onDiff(undefined)}>
          Exit diff
        </button>
      ) : (
        <button
          type="button"
          disabled={pickA === undefined || pickB === undefined || pickA === pickB}
          onClick={() => {
            setPlaying(false);
            onDiff({ a: pickA!, b: pickB! });
          }}
        >
          Compare
        </button>
      )}
    </div>
  );
}
