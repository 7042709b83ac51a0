/** The web app's environment, read and validated once (STYLE.md rule 3), when the server starts. */
export interface WebEnv {
  /** where /trpc and /auth are forwarded */
  apiOrigin: string;
}

function port(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535)
    throw new Error(`${name} must be a TCP port, got '${raw}'`);
  return n;
}

export function readWebEnv(source: NodeJS.ProcessEnv = process.env): WebEnv {
  return { apiOrigin: `http://127.0.0.1:${port('ZEROSCOPE_API_PORT', source.ZEROSCOPE_API_PORT, 4000)}` };
}
