// Extended-query protocol by hand (psql 15 only speaks simple query): Parse/Bind/Describe/
// Execute/Sync for a named statement, then one that fails.
import net from 'node:net';

const msg = (type, ...parts) => {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const cstr = (s) => Buffer.from(`${s}\0`);
const i16 = (n) => Buffer.from([n >> 8, n & 255]);
const i32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const param = (s) => Buffer.concat([i32(Buffer.byteLength(s)), Buffer.from(s)]);

const sock = net.connect(5432, '127.0.0.1');
let buf = Buffer.alloc(0);
const readyWaiters = [];
sock.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  while (buf.length >= 5 && buf.length >= 1 + buf.readInt32BE(1)) {
    const type = String.fromCharCode(buf[0]);
    buf = buf.subarray(1 + buf.readInt32BE(1));
    if (type === 'Z') readyWaiters.shift()?.();
  }
});
const ready = () => new Promise((r) => readyWaiters.push(r));
await new Promise((r) => sock.once('connect', r));
const params = Buffer.concat([
  cstr('user'),
  cstr('postgres'),
  cstr('database'),
  cstr('postgres'),
  Buffer.from([0]),
]);
sock.write(Buffer.concat([i32(params.length + 8), i32(196608), params]));
await ready();
sock.write(
  Buffer.concat([
    msg('P', cstr('zs_stmt'), cstr('SELECT $1::int + 1 AS n'), i16(0)),
    msg('B', cstr(''), cstr('zs_stmt'), i16(0), i16(1), param('41'), i16(0)),
    msg('D', Buffer.from('P'), cstr('')),
    msg('E', cstr(''), i32(0)),
    msg('S'),
  ]),
);
await ready();
sock.write(
  Buffer.concat([
    msg('P', cstr(''), cstr('SELECT * FROM zs_missing_table WHERE id = $1'), i16(0)),
    msg('B', cstr(''), cstr(''), i16(0), i16(1), param('1'), i16(0)),
    msg('E', cstr(''), i32(0)),
    msg('S'),
  ]),
);
await ready();
sock.end(msg('X'));
