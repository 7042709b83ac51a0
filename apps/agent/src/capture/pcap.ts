/**
 * Readers for libpcap (µs and ns timestamps, either byte order) and pcapng capture files.
 * They yield link-layer frames; packet.ts decodes them. A truncated or corrupt file ends
 * the iteration and is reported through `stats.error`, never thrown mid-stream.
 */

export interface Frame {
  /** capture time, µs since epoch */
  ts: number;
  /** LINKTYPE_* of the interface that captured the frame */
  linkType: number;
  data: Uint8Array;
  /** length on the wire (>= data.length when the snaplen cut it) */
  origLength: number;
}

export type CaptureErrorCode = 'bad_magic' | 'truncated' | 'bad_block';

export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

export interface ReadStats {
  frames: number;
  /** set when reading stopped early on a corrupt file */
  error?: CaptureError;
}

const PCAP_US = 0xa1b2c3d4;
const PCAP_NS = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: µs timestamps, 8 more bytes per record header */
const PCAP_KUZNETZOV = 0xa1b2cd34;
const PCAPNG_SHB = 0x0a0d0d0a;
const MAX_FRAME = 256 * 1024;

/** Frames of a whole capture file held in memory. Unknown formats throw `CaptureError('bad_magic')`. */
export function* readCapture(bytes: Uint8Array, stats: ReadStats = { frames: 0 }): Generator<Frame> {
  if (bytes.length < 4) throw new CaptureError('bad_magic', 'file too short to be a capture');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicBE = view.getUint32(0, false);
  if (magicBE === PCAPNG_SHB) {
    yield* readPcapng(bytes, view, stats);
    return;
  }
  const magicLE = view.getUint32(0, true);
  for (const [magic, le] of [
    [magicLE, true],
    [magicBE, false],
  ] as const) {
    if (magic === PCAP_US || magic === PCAP_NS || magic === PCAP_KUZNETZOV) {
      yield* readPcap(bytes, view, le, magic === PCAP_NS, stats, magic === PCAP_KUZNETZOV ? 24 : 16);
      return;
    }
  }
  throw new CaptureError('bad_magic', `not a pcap or pcapng file (magic 0x${magicBE.toString(16)})`);
}

function* readPcap(
  bytes: Uint8Array,
  view: DataView,
  le: boolean,
  nanos: boolean,
  stats: ReadStats,
  recordHeader: number,
): Generator<Frame> {
  if (bytes.length < 24) {
    stats.error = new CaptureError('truncated', 'pcap global header truncated');
    return;
  }
  const linkType = view.getUint32(20, le) & 0x0fffffff;
  let pos = 24;
  while (pos + recordHeader <= bytes.length) {
    const sec = view.getUint32(pos, le);
    const frac = view.getUint32(pos + 4, le);
    const incl = view.getUint32(pos + 8, le);
    const orig = view.getUint32(pos + 12, le);
    pos += recordHeader;
    if (incl > MAX_FRAME || pos + incl > bytes.length) {
      stats.error = new CaptureError(
        'truncated',
        `record at offset ${pos - recordHeader} runs past the file end`,
      );
      return;
    }
    const ts = sec * 1_000_000 + (nanos ? Math.floor(frac / 1000) : frac);
    stats.frames++;
    yield { ts, linkType, data: bytes.subarray(pos, pos + incl), origLength: Math.max(orig, incl) };
    pos += incl;
  }
  if (pos !== bytes.length) stats.error = new CaptureError('truncated', 'trailing partial record header');
}

interface NgInterface {
  linkType: number;
  /** timestamp units per second */
  tsPerSec: number;
}

function* readPcapng(bytes: Uint8Array, view: DataView, stats: ReadStats): Generator<Frame> {
  let pos = 0;
  let le = true;
  let ifaces: NgInterface[] = [];
  while (pos + 12 <= bytes.length) {
    const type = view.getUint32(pos, le);
    if (type === PCAPNG_SHB) {
      const bom = view.getUint32(pos + 8, true);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else {
        stats.error = new CaptureError('bad_block', 'pcapng section header has a bad byte-order magic');
        return;
      }
      ifaces = [];
    }
    const len = view.getUint32(pos + 4, le);
    if (len < 12 || len % 4 !== 0 || pos + len > bytes.length) {
      stats.error = new CaptureError('bad_block', `pcapng block at offset ${pos} has bad length ${len}`);
      return;
    }
    const body = pos + 8;
    const end = pos + len - 4;
    if (type === 1 && end - body >= 8) {
      ifaces.push({
        linkType: view.getUint16(body, le),
        tsPerSec: ifTsResol(bytes, view, body + 8, end, le),
      });
    } else if (type === 6 && end - body >= 20) {
      const iface = ifaces[view.getUint32(body, le)];
      const incl = view.getUint32(body + 12, le);
      const orig = view.getUint32(body + 16, le);
      if (iface && body + 20 + incl <= end) {
        const raw = view.getUint32(body + 4, le) * 2 ** 32 + view.getUint32(body + 8, le);
        stats.frames++;
        yield {
          ts: Math.floor((raw * 1_000_000) / iface.tsPerSec),
          linkType: iface.linkType,
          data: bytes.subarray(body + 20, body + 20 + incl),
          origLength: Math.max(orig, incl),
        };
      }
    } else if (type === 3 && end - body >= 4 && ifaces[0]) {
      // simple packet block: always interface 0, no timestamp
      const orig = view.getUint32(body, le);
      const incl = Math.min(orig, end - body - 4);
      stats.frames++;
      yield {
        ts: 0,
        linkType: ifaces[0].linkType,
        data: bytes.subarray(body + 4, body + 4 + incl),
        origLength: orig,
      };
    }
    pos += len;
  }
}

/** if_tsresol option (code 9): 10^-n or 2^-n seconds; default µs. */
function ifTsResol(bytes: Uint8Array, view: DataView, pos: number, end: number, le: boolean): number {
  while (pos + 4 <= end) {
    const code = view.getUint16(pos, le);
    const len = view.getUint16(pos + 2, le);
    if (code === 0) break;
    if (code === 9 && len >= 1 && pos + 4 < end) {
      const v = bytes[pos + 4]!;
      return v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
    }
    pos += 4 + ((len + 3) & ~3);
  }
  return 1_000_000;
}
