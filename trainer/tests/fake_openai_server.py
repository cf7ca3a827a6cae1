"""A fake OpenAI-compatible endpoint on loopback for tests: POST /v1/chat/completions in one of several modes."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODES = ("ok", "500-then-ok", "always-500", "garbage", "no-choices", "slow")


class FakeOpenAi:
    """Serves in `mode`; records each request's JSON body and Authorization header. `reply(messages)` is the text."""

    def __init__(self, mode: str = "ok", slow_seconds: float = 3.0):
        assert mode in MODES, mode
        self.mode = mode
        self.slow_seconds = slow_seconds
        self.requests: list[dict[str, Any]] = []
        self.auth: list[str] = []
        self.calls = 0
        self._lock = threading.Lock()
        self._release = threading.Event()  # set on close: a "slow" handler stops waiting
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @staticmethod
    def reply(messages: list[dict[str, str]]) -> str:
        return "echo: " + messages[-1]["content"]

    def __enter__(self) -> "FakeOpenAi":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                with fake._lock:
                    fake.calls += 1
                    call = fake.calls
                    fake.requests.append(body)
                    fake.auth.append(self.headers.get("Authorization", ""))
                mode = fake.mode
                if mode == "always-500" or (mode == "500-then-ok" and call == 1):
                    return self._send(500, b'{"error": {"message": "boom"}}')
                if mode == "garbage":
                    return self._send(200, b"<html>not json", "text/html")
                if mode == "no-choices":
                    return self._send(200, json.dumps({"id": "x", "object": "chat.completion"}).encode())
                if mode == "slow":
                    fake._release.wait(fake.slow_seconds)
                text = FakeOpenAi.reply(body["messages"])
                completion = {
                    "id": f"c{call}",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [
                        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}
                    ],
                }
                try:
                    self._send(200, json.dumps(completion).encode())
                except OSError:  # the client gave up (timeout) and closed the connection
                    pass

        return Handler
