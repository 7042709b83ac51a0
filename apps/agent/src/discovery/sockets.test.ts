import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { decodeProcAddress, parseListening } from './sockets';

// Literal /proc/net/tcp{,6} lines as a little-endian kernel prints them.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41234 1 0000000000000000 100 0 0 10 0
   1: 00000000:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 41235 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1F90 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000  1000        0 41236 1 0000000000000000 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1538 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 51000 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 51001 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 51002 1 0000000000000000 100 0 0 10 0
`;

describe.skipIf(os.endianness() !== 'LE')('parseListening (little-endian layout)', () => {
  it('keeps LISTEN rows only, keyed by inode, with decoded addresses', () => {
    expect([...parseListening(TCP, 'tcp')]).toEqual([
      [41234, { proto: 'tcp', ip: '127.0.0.1', port: 8080 }],
      [41235, { proto: 'tcp', ip: '0.0.0.0', port: 3306 }],
    ]);
    expect([...parseListening(TCP6, 'tcp6').values()]).toEqual([
      { proto: 'tcp6', ip: '::', port: 5432 },
      { proto: 'tcp6', ip: '::1', port: 80 },
      { proto: 'tcp6', ip: '::ffff:127.0.0.1', port: 8081 },
    ]);
  });

  it('compresses the longest zero run of an IPv6 address', () => {
    // fe80::1:2 -> words fe80 0000 | 0000 0000 | 0000 0000 | 0001 0002 per 32-bit word
    expect(decodeProcAddress('000080FE000000000000000002000100')).toBe('fe80::1:2');
    expect(decodeProcAddress('B80D0120000000000000000001000000')).toBe('2001:db8::1');
  });

  it('ignores junk', () => {
    expect(parseListening('header\ngarbage line\n\n   0: zz:zz', 'tcp').size).toBe(0);
  });
});
