/**
 * Request bodies for the intake endpoints: size-capped before and after decompression
 * (gzip/deflate by Content-Encoding, snappy for remote write), so a small compressed bomb
 * cannot expand past the limit.
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { unsnappy } from '../prom/snappy';
import { IntakeError } from './errors';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);

export interface BodyLimits {
  /** bytes on the wire */
  maxWireBytes: number;
  /** bytes after decompression */
  maxBytes: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxWireBytes: 16 * 1024 * 1024, maxBytes: 64 * 1024 * 1024 };

async function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    throw new IntakeError('body_too_large', `request body of ${declared} bytes exceeds ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume(); // drain the rest without keeping it
      throw new IntakeError('body_too_large', `request body exceeds ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The decoded body; `snappy` forces snappy block decompression (remote write). */
export async function readIntakeBody(
  req: IncomingMessage,
  lim: BodyLimits,
  opts: { snappy?: boolean } = {},
): Promise<Uint8Array> {
  const raw = await readRaw(req, lim.maxWireBytes);
  const enc = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  let body: Uint8Array = raw;
  try {
    if (enc === 'gzip' || enc === 'x-gzip') body = await gunzip(raw, { maxOutputLength: lim.maxBytes });
    else if (enc === 'deflate') body = await inflate(raw, { maxOutputLength: lim.maxBytes });
    else if (enc !== '' && enc !== 'identity' && enc !== 'snappy')
      throw new IntakeError('bad_encoding', `unsupported Content-Encoding '${enc.slice(0, 40)}'`);
  } catch (err) {
    if (err instanceof IntakeError) throw err;
    const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw tooBig
      ? new IntakeError('body_too_large', `decompressed body exceeds ${lim.maxBytes} bytes`)
      : new IntakeError('bad_encoding', `body is not valid ${enc} data`);
  }
  if (opts.snappy || enc === 'snappy') {
    const r = unsnappy(body, lim.maxBytes);
    if (!r.ok)
      throw new IntakeError(
        r.error.startsWith('decompressed size') ? 'body_too_large' : 'bad_encoding',
        r.error,
      );
    body = r.value;
  }
  return body;
}
