/** Debian's Chromium as every browser test launches it (PLATFORM.md: no browser downloads here). */
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps dialing out of this closed network. */
export const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Polls until the assertion holds; generous, since every suite shares two cores under `npm test`. */
export const eventually = <T>(fn: () => Promise<T>, timeout = 20_000) =>
  expect.poll(fn, { timeout, interval: 200 });
