import { ensureBuilt } from '@zeroscope/bpf';

/** Builds the BPF objects and the addon (skipped when up to date). */
export default function setup(): void {
  ensureBuilt();
}
