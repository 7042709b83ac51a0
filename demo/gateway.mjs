// Demo gateway (Node): forwards /api/items/:id to the catalog service with an X-Request-ID.
import { randomUUID } from 'node:crypto';
import http from 'node:http';

const port = Number(process.env.DEMO_GATEWAY_PORT || 18080);
const catalog = process.env.DEMO_CATALOG_URL || `http://127.0.0.1:${process.env.DEMO_CATALOG_PORT || 18081}`;
const agent = new http.Agent({ keepAlive: true });

http
  .createServer((req, res) => {
    const m = /^\/api\/items\/(\d+)/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404).end('not found');
      return;
    }
    const upstream = http.get(
      `${catalog}/items/${m[1]}`,
      { agent, headers: { 'x-request-id': randomUUID() } },
      (r) => {
        const chunks = [];
        r.on('data', (c) => chunks.push(c));
        r.on('end', () => {
          res.writeHead(r.statusCode ?? 502, { 'content-type': 'application/json' });
          res.end(Buffer.concat(chunks));
        });
      },
    );
    upstream.on('error', (e) => res.writeHead(502).end(String(e.message)));
  })
  .listen(port, '127.0.0.1');
