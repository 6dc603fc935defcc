#!/usr/bin/env python3
"""The receiver a user would write themselves, for bench/listen.sh: Python's http.server,
one thread per connection, the bearer checked, each body appended to a JSON Lines file and
fsync'd before the 200 (the same promise `kiriminaja listen` makes).

    python3 bench/baseline_receiver.py PORT LOGFILE    # KIRIMINAJA_API_KEY holds the key
"""
import hmac
import json
import os
import sys
import threading
from datetime import datetime, timezone, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = os.environ["KIRIMINAJA_API_KEY"].encode()
WIB = timezone(timedelta(hours=7))
LOCK = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as wrk expects

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        token = self.headers.get("Authorization", "").removeprefix("Bearer ").encode()
        if not hmac.compare_digest(token, KEY):
            self.answer(401)
            return
        record = json.dumps({
            "received_at": datetime.now(WIB).isoformat(),
            "remote": "%s:%d" % self.client_address,
            "path": self.path,
            "payload": json.loads(body),
        }) + "\n"
        with LOCK:
            LOG.write(record.encode())
            LOG.flush()
            os.fsync(LOG.fileno())
        self.answer(200)

    def answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port, path = int(sys.argv[1]), sys.argv[2]
    LOG = open(path, "ab")
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 1024
    server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
