"""Demo catalog service (Python, standard library only): asks the stock service, reads PostgreSQL."""
import http.server
import json
import os
import socket
import struct
import urllib.error
import urllib.request

PORT = int(os.environ.get("DEMO_CATALOG_PORT", "18081"))
STOCK = f"http://127.0.0.1:{os.environ.get('DEMO_STOCK_PORT', '18082')}"


def pg_query(sql):
    """Runs one simple query on the local PostgreSQL (trust auth); None when it is not there."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5) as s:
            params = b"user\0postgres\0database\0postgres\0\0"
            s.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
            q = sql.encode() + b"\0"
            sent = False
            value = None
            while True:
                head = s.recv(5, socket.MSG_WAITALL)
                if len(head) < 5:
                    return value
                kind, length = head[:1], struct.unpack("!i", head[1:])[0]
                body = s.recv(length - 4, socket.MSG_WAITALL) if length > 4 else b""
                if kind == b"R" and struct.unpack("!i", body[:4])[0] != 0:
                    return None  # the server wants a password
                if kind == b"Z" and not sent:
                    s.sendall(b"Q" + struct.pack("!i", 4 + len(q)) + q)
                    sent = True
                elif kind == b"D":
                    n = struct.unpack("!i", body[2:6])[0]
                    value = body[6 : 6 + n].decode()
                elif kind == b"Z" and sent:
                    s.sendall(b"X\0\0\0\4")
                    return value
                elif kind == b"E":
                    return None
    except OSError:
        return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 2 or parts[0] != "items" or not parts[1].isdigit():
            return self.reply(404, {"error": "unknown path"})
        item = int(parts[1])
        name = pg_query(f"SELECT 'item-' || {item}") or f"item-{item}"
        headers = {"x-request-id": self.headers.get("x-request-id", "")}
        try:
            with urllib.request.urlopen(urllib.request.Request(f"{STOCK}/stock/{item}", headers=headers), timeout=2) as r:
                stock = json.loads(r.read())
                status = 200
        except urllib.error.HTTPError as e:
            stock, status = {"error": e.read().decode()}, e.code
        except OSError as e:
            stock, status = {"error": str(e)}, 502
        self.reply(status, {"id": item, "name": name, "stock": stock})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
