/**
 * Map keys for addresses: an IPv4 (or IPv4-mapped IPv6) address is its 32-bit value, so the
 * hot path reads four bytes of a row's 16-byte IPv6 cell and looks up a number; any other
 * IPv6 address is its textual form.
 */
import { bytesToIp, ipToBytes } from '@zeroscope/wire/codec';

const scratch = new Uint8Array(16);

export function ipKey(ip: string): number | string | undefined {
  scratch.fill(0);
  if (!ipToBytes(ip, scratch, 0)) return undefined;
  return ipKeyAt(scratch, 0);
}

/** Key of the 16-byte address at `at`. */
export function ipKeyAt(b: Uint8Array, at: number): number | string {
  if (
    b[at + 10] === 0xff &&
    b[at + 11] === 0xff &&
    b[at] === 0 &&
    b[at + 1] === 0 &&
    b[at + 2] === 0 &&
    b[at + 3] === 0 &&
    b[at + 4] === 0 &&
    b[at + 5] === 0 &&
    b[at + 6] === 0 &&
    b[at + 7] === 0 &&
    b[at + 8] === 0 &&
    b[at + 9] === 0
  )
    return ((b[at + 12]! << 24) | (b[at + 13]! << 16) | (b[at + 14]! << 8) | b[at + 15]!) >>> 0;
  return bytesToIp(b, at);
}

/** 127.0.0.0/8 and ::1. */
export function isLoopbackKey(key: number | string): boolean {
  return typeof key === 'number' ? key >>> 24 === 127 : key === '::1';
}
