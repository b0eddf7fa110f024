#!/usr/bin/env python3
"""An HTTP server herd did not write, for herd's HTTP client tests.

Python's standard http.server answers by path:
  /429            429 with "Retry-After: 2" (delta seconds)
  /429-date       429 with Retry-After as an HTTP date 3 seconds after the request
  /503            503 with "Retry-After: 1"
  /ok             200 with a small JSON body
It binds 127.0.0.1 on a free port, prints "port N" on one line and serves until stdin closes.
"""
import email.utils
import http.server
import json
import sys
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def answer(self, status, headers, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.path == "/429":
            self.answer(429, [("Retry-After", "2")], {"error": {"message": "slow down"}})
        elif self.path == "/429-date":
            when = email.utils.formatdate(time.time() + 3, usegmt=True)
            self.answer(429, [("Retry-After", when)], {"error": {"message": "slow down"}})
        elif self.path == "/503":
            self.answer(503, [("Retry-After", "1")], {"error": {"message": "overloaded"}})
        elif self.path == "/ok":
            self.answer(200, [], {"ok": True})
        else:
            self.answer(404, [], {"error": {"message": "no such path"}})

    do_GET = route
    do_POST = route

    def log_message(self, *args):
        pass


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("port", server.server_address[1], flush=True)
    sys.stdin.read()  # the test closes our stdin when it is done
    server.shutdown()


if __name__ == "__main__":
    main()
