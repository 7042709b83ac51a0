// Demo stock service (Node): counts item views in Redis and reads MariaDB, when they run here.
import http from 'node:http';
import net from 'node:net';

const port = Number(process.env.DEMO_STOCK_PORT || 18082);

/** One RESP command over a fresh connection; resolves undefined when Redis is not there. */
function redis(...args) {
  return new Promise((resolve) => {
    const s = net.connect(6379, '127.0.0.1');
    let out = '';
    s.setTimeout(500, () => s.destroy());
    s.on('error', () => resolve(undefined));
    s.on('close', () => resolve(out || undefined));
    s.on('data', (d) => {
      out += d.toString();
      s.end();
    });
    s.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`);
  });
}

let mysql;
try {
  const { createPool } = await import('mysql2/promise');
  mysql = createPool({ host: '127.0.0.1', user: 'root', database: 'test', connectionLimit: 2 });
  await mysql.query('SELECT 1');
} catch {
  mysql = undefined;
}

http
  .createServer(async (req, res) => {
    const m = /^\/stock\/(\d+)/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404).end('{"error":"unknown"}');
      return;
    }
    const id = Number(m[1]);
    const views = await redis('INCR', `demo:views:${id}`);
    let level = id * 7;
    if (mysql) {
      const [rows] = await mysql.query('SELECT ? * 7 AS level', [id]).catch(() => [[{ level }]]);
      level = rows[0]?.level ?? level;
    }
    if (id >= 20) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(`{"error":"no stock for ${id}"}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, level, views: views ? Number(views.slice(1)) : null }));
  })
  .listen(port, '127.0.0.1');
