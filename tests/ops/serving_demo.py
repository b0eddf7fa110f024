"""`herd demo --serve` run from a test: start it, read its endpoint's URL, GET from it, stop it."""
import http.client
import queue
import re
import signal
import subprocess
import threading
import time

SERVE_TIMEOUT_S = 120


class Failure(Exception):
    """A check that failed, with a message for the operator."""


def http_get(base, path):
    """GET base+path; returns (status, content type, body text)."""
    host, port = re.match(r"http://([^:/]+):(\d+)$", base).groups()
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        conn.close()


class Demo:
    """`herd demo --serve` in the background: its stdout lines arrive on a queue."""

    def __init__(self, herd, db):
        self.command = [herd, "demo", "--serve", "--listen", "127.0.0.1:0", "--tasks", "300",
                        "--agents", "8", "--db", db, "--quiet"]
        self.proc = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.lines = queue.Queue()
        self.seen = []
        self.errors = []  # stderr, drained so that the demo never blocks on a full pipe
        self.readers = [threading.Thread(target=self._read, daemon=True),
                        threading.Thread(target=self._drain_stderr, daemon=True)]
        for reader in self.readers:
            reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _drain_stderr(self):
        for line in self.proc.stderr:
            self.errors.append(line)

    def stderr(self):
        self.readers[1].join(timeout=5)
        return "".join(self.errors)[-2000:]

    def url(self):
        deadline = time.monotonic() + SERVE_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            if line is None:
                raise Failure(f"{' '.join(self.command)} exited with {self.proc.wait()} before "
                              f"serving:\n{''.join(self.seen)}{self.stderr()}")
            self.seen.append(line)
            match = re.search(r"serving on (http://[^\s/]+)", line)
            if match:
                return match.group(1)
        raise Failure(f"no 'serving on http://HOST:PORT' line within {SERVE_TIMEOUT_S} s:\n"
                      f"{''.join(self.seen)}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise Failure("herd demo --serve did not stop within 30 s of SIGTERM")
        if self.proc.returncode != 0:
            raise Failure(f"herd demo --serve exited with {self.proc.returncode} after SIGTERM:\n"
                          f"{self.stderr()}")
