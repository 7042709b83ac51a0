import { describe, expect, it } from 'vitest';
import { parseListenPorts } from './listen';

const PROC_NET_TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 21400 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:D3A2 01 00000000:00000000 00:00000000 00000000     0        0 0 1 0000000000000000 20 4 30 10 -1
`;

describe('parseListenPorts', () => {
  it('keeps only LISTEN sockets', () => {
    expect(parseListenPorts(PROC_NET_TCP)).toEqual([3306]);
  });
});
