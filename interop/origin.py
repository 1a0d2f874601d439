#!/usr/bin/env python3
"""The interop suite's origin: HTTP and HTTPS on loopback (or on the address given fifth).

GET /bytes/N        N bytes of a fixed pattern (so sizes and contents can be checked)
POST|PUT /upload    reads the body (Content-Length or chunked) and answers "got N bytes"
"""
import http.server
import ssl
import sys
import threading

PATTERN = bytes(range(256)) * 256  # 64 KiB


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if not self.path.startswith("/bytes/"):
            self.send_error(404)
            return
        n = int(self.path.split("/")[2].split("?")[0])
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        while n > 0:
            chunk = PATTERN[: min(n, len(PATTERN))]
            self.wfile.write(chunk)
            n -= len(chunk)

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            total = 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return total
                total += len(self.rfile.read(size))
                self.rfile.readline()
        n = int(self.headers.get("Content-Length", "0"))
        total = 0
        while total < n:
            total += len(self.rfile.read(min(65536, n - total)))
        return total

    def do_POST(self):
        body = ("got %d bytes" % self.read_body()).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_POST


def serve(port, context=None, address="127.0.0.1"):
    server = http.server.ThreadingHTTPServer((address, port), Handler)
    if context:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    http_port, https_port, cert, key = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    address = sys.argv[5] if len(sys.argv) > 5 else "127.0.0.1"
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    threading.Thread(target=serve, args=(https_port, context, address), daemon=True).start()
    serve(http_port, None, address)
