#!/usr/bin/env python3
"""bench/baseline_receiver.py with group commit: the fairer Python baseline for `listen`.

Handlers queue their record and wait; one writer thread appends whatever has queued up, fsyncs
once for all of it, and then releases each waiting handler to answer 200 (the promise `listen`
makes: no 200 before the record is on disk, one fsync per batch).

    python3 bench/baseline_group_receiver.py PORT LOGFILE    # KIRIMINAJA_API_KEY holds the key
"""
import hmac
import json
import os
import queue
import sys
import threading
from datetime import datetime, timezone, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = os.environ["KIRIMINAJA_API_KEY"].encode()
WIB = timezone(timedelta(hours=7))
PENDING = queue.Queue()


def writer(log):
    while True:
        batch = [PENDING.get()]
        while True:
            try:
                batch.append(PENDING.get_nowait())
            except queue.Empty:
                break
        log.write(b"".join(record for record, _ in batch))
        log.flush()
        os.fsync(log.fileno())
        for _, done in batch:
            done.set()


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
        done = threading.Event()
        PENDING.put((record.encode(), done))
        done.wait()
        self.answer(200)

    def answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port, path = int(sys.argv[1]), sys.argv[2]
    threading.Thread(target=writer, args=(open(path, "ab"),), daemon=True).start()
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 1024
    server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
