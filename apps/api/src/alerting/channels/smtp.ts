/**
 * A minimal SMTP client (RFC 5321) over node:net: EHLO, optional STARTTLS (RFC 3207) and
 * AUTH PLAIN (RFC 4954), one message, QUIT. Replies are read line by line; a multi-line reply
 * ends at the line whose code is followed by a space. Every step is bounded in time.
 */
import net from 'node:net';
import tls from 'node:tls';
import { ChannelError } from './http';

export interface SmtpOptions {
  host: string;
  port: number;
  from: string;
  to: string[];
  username?: string;
  password?: string;
  starttls?: boolean;
  /** PEM CA for the server's certificate; the system store otherwise */
  ca?: string;
  /** name sent in EHLO */
  helo?: string;
  timeoutMs?: number;
}

interface Reply {
  code: number;
  lines: string[];
}

class Conversation {
  private buf = '';
  private waiting: ((r: Reply | Error) => void) | undefined;
  private replies: (Reply | Error)[] = [];
  private lines: string[] = [];

  constructor(private sock: net.Socket) {
    this.attach(sock);
  }

  attach(sock: net.Socket): void {
    this.sock = sock;
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => this.onData(d));
    sock.on('error', (e) => this.push(e));
    sock.on('close', () => this.push(new ChannelError('SMTP server closed the connection')));
  }

  private onData(d: string): void {
    this.buf += d;
    let i = this.buf.indexOf('\n');
    while (i >= 0) {
      const line = this.buf.slice(0, i).replace(/\r$/, '');
      this.buf = this.buf.slice(i + 1);
      this.lines.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        this.push({ code: Number(line.slice(0, 3)), lines: this.lines });
        this.lines = [];
      }
      i = this.buf.indexOf('\n');
    }
  }

  private push(r: Reply | Error): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w(r);
    } else this.replies.push(r);
  }

  read(timeoutMs: number): Promise<Reply> {
    const queued = this.replies.shift();
    if (queued) return queued instanceof Error ? Promise.reject(queued) : Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new ChannelError('SMTP server did not answer in time'));
      }, timeoutMs);
      this.waiting = (r) => {
        clearTimeout(timer);
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
    });
  }

  write(line: string): void {
    this.sock.write(`${line}\r\n`);
  }

  get socket(): net.Socket {
    return this.sock;
  }
}

/** Dot-stuffing and CRLF line ends for the DATA section. */
export function dataSection(message: string): string {
  return `${message
    .replace(/\r?\n/g, '\r\n')
    .split('\r\n')
    .map((l) => (l.startsWith('.') ? `.${l}` : l))
    .join('\r\n')}\r\n.`;
}

const encodeHeader = (s: string) =>
  /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;
const clean = (s: string) => s.replace(/[\r\n]/g, ' ');

export function formatMessage(o: {
  from: string;
  to: string[];
  subject: string;
  text: string;
  date?: Date;
}): string {
  return [
    `From: ${clean(o.from)}`,
    `To: ${o.to.map(clean).join(', ')}`,
    `Subject: ${encodeHeader(clean(o.subject))}`,
    `Date: ${(o.date ?? new Date()).toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(o.text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n'),
  ].join('\r\n');
}

export async function sendMail(o: SmtpOptions, subject: string, text: string): Promise<void> {
  const timeout = o.timeoutMs ?? 10_000;
  const sock = net.connect({ host: o.host, port: o.port });
  sock.setTimeout(timeout, () => sock.destroy(new ChannelError('SMTP connection timed out')));
  const c = new Conversation(sock);
  const expect = async (ok: (code: number) => boolean, what: string) => {
    const r = await c.read(timeout);
    if (!ok(r.code)) throw new ChannelError(`SMTP ${what}: ${r.lines.join(' | ')}`);
    return r;
  };
  try {
    await expect((x) => x === 220, 'greeting');
    const helo = o.helo ?? 'zeroscope';
    c.write(`EHLO ${helo}`);
    let ehlo = await expect((x) => x === 250, 'EHLO');
    if (o.starttls) {
      // asked for TLS: never fall back to plaintext (credentials would travel in the clear)
      if (!ehlo.lines.some((l) => /^250[ -]STARTTLS/i.test(l)))
        throw new ChannelError('SMTP server does not offer STARTTLS');
      c.write('STARTTLS');
      await expect((x) => x === 220, 'STARTTLS');
      sock.removeAllListeners('data');
      sock.removeAllListeners('error');
      sock.removeAllListeners('close');
      const secure = tls.connect({
        socket: sock,
        host: o.host,
        servername: net.isIP(o.host) ? undefined : o.host,
        ...(o.ca ? { ca: o.ca } : {}),
      });
      await new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', () => resolve());
        secure.once('error', reject);
      });
      c.attach(secure);
      c.write(`EHLO ${helo}`);
      ehlo = await expect((x) => x === 250, 'EHLO after STARTTLS');
    }
    if (o.username !== undefined) {
      const token = Buffer.from(`\0${o.username}\0${o.password ?? ''}`).toString('base64');
      c.write(`AUTH PLAIN ${token}`);
      await expect((x) => x === 235, 'AUTH');
    }
    c.write(`MAIL FROM:<${clean(o.from)}>`);
    await expect((x) => x === 250, 'MAIL FROM');
    for (const rcpt of o.to) {
      c.write(`RCPT TO:<${clean(rcpt)}>`);
      await expect((x) => x === 250 || x === 251, `RCPT TO ${rcpt}`);
    }
    c.write('DATA');
    await expect((x) => x === 354, 'DATA');
    c.write(dataSection(formatMessage({ from: o.from, to: o.to, subject, text })));
    await expect((x) => x === 250, 'message');
    c.write('QUIT');
    await c.read(timeout).catch(() => undefined);
  } catch (err) {
    throw err instanceof ChannelError
      ? err
      : new ChannelError(`SMTP ${o.host}:${o.port}: ${(err as Error).message}`);
  } finally {
    c.socket.destroy();
    sock.destroy();
  }
}
