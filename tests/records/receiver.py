"""A webhook receiver for tests: http.server on 127.0.0.1 at a port the OS chooses, in a
thread; it answers with the statuses it is given, in turn, and keeps what it was sent."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    port: int = 0
    # (status, body, extra headers) for each request in turn; the last one repeats.
    answers: list[tuple[int, bytes, dict]] = field(default_factory=lambda: [(200, b"ok", {})])
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/decisions"

    def answer(self, *statuses: int, body: bytes = b"ok", headers: dict | None = None) -> None:
        self.answers = [(status, body, headers or {}) for status in statuses]


def start() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            index = min(len(receiver.requests) - 1, len(receiver.answers) - 1)
            status, answer, extra = receiver.answers[index]
            if receiver.delay:
                time.sleep(receiver.delay)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:  # quiet test output
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server
