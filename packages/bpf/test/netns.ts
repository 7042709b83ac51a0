import { execFileSync } from 'node:child_process';

/** A throwaway network namespace with loopback up; removed by `destroy()`. */
export function createNetns(name: string): {
  name: string;
  exec: string[];
  nft(rules: string): void;
  destroy(): void;
} {
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return {
    name,
    exec: ['ip', 'netns', 'exec', name],
    nft: (rules) => {
      execFileSync('ip', ['netns', 'exec', name, 'nft', '-f', '-'], { input: rules });
    },
    destroy: () => {
      try {
        execFileSync('ip', ['netns', 'del', name]);
      } catch {}
    },
  };
}
