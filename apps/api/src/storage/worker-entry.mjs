// Plain-JS entry for the storage worker: registers the TypeScript loader in this thread
// (workers do not reliably inherit it from vitest or tsx), then loads the real worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
