"""A local SMS gateway for tests, demos and the benchmark (stdlib only; pure: no Django).

It speaks the gateway contract of docs/contact-channels.md: POST /messages takes one JSON message and
answers its id; the same idempotency key always answers the same id and sends nothing again. It can be
told to fail a share of requests (seeded, so runs repeat), to fail the next n requests with a given
status, or to answer slowly. Each accepted message gets a delivery receipt at once, kept for polling
(GET /receipts?after=N) and POSTed to the message's callback_url (or the gateway's) when there is one.

    python -m qingzhai.contact.channels.test_gateway --port 8025 [--api-key K] [--fail-rate 0.1]
        [--fail-status 503] [--delay 0.2] [--seed 7] [--callback-url http://...]

Other endpoints: GET /messages/<id>, GET /replies?after=N, POST /replies {"from", "text"} (an inbound
SMS, also POSTed to --reply-url), POST /control {"fail_rate", "fail_status", "delay", "fail_next"},
GET /health.
"""

from __future__ import annotations

import argparse
import json
import queue
import random
import threading
import time
import urllib.request
from contextlib import suppress
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class LocalGateway:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = "",
        fail_rate: float = 0.0,
        fail_status: int = 503,
        delay: float = 0.0,
        seed: int = 0,
        callback_url: str = "",
        reply_url: str = "",
        undeliverable: frozenset[str] = frozenset(),
    ) -> None:
        self.api_key = api_key
        self.fail_rate = fail_rate
        self.fail_status = fail_status
        self.delay = delay
        self.callback_url = callback_url
        self.reply_url = reply_url
        self.undeliverable = set(undeliverable)
        self.fail_next: list[int] = []  # statuses the next requests answer, first to last
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.messages: dict[str, dict[str, Any]] = {}
        self.ids_by_key: dict[str, str] = {}
        self.receipts: list[dict[str, Any]] = []
        self.replies: list[dict[str, Any]] = []
        self.requests = 0  # POST /messages received, failed ones included
        self.callbacks_sent = 0
        self.callback_errors = 0
        self._outbox: queue.Queue[tuple[str, dict[str, Any]] | None] = queue.Queue()
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        self.server.daemon_threads = True
        self._threads: list[threading.Thread] = []

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def url(self) -> str:
        return self.base_url + "/messages"

    def start(self) -> LocalGateway:
        for target in (lambda: self.server.serve_forever(poll_interval=0.05), self._post_callbacks):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._outbox.put(None)
        self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> LocalGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- behaviour ---------------------------------------------------------------------------------

    def configure(self, **options: Any) -> None:
        with self.lock:
            for name in ("fail_rate", "fail_status", "delay", "callback_url", "reply_url"):
                if name in options:
                    setattr(self, name, options[name])
            if "fail_next" in options:
                self.fail_next = [int(s) for s in options["fail_next"]]

    def _failure(self) -> int:
        with self.lock:
            self.requests += 1
            if self.fail_next:
                return self.fail_next.pop(0)
            if self.fail_rate and self.rng.random() < self.fail_rate:
                return self.fail_status
        return 0

    def accept(self, body: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
        to, text = str(body.get("to") or ""), str(body.get("text") or "")
        if not to or not text:
            return 400, _error("invalid", "to and text are required")
        if not (len(to) == 11 and to.isdigit()):
            return 422, _error("bad_number", f"not a mobile number: {to}")
        with self.lock:
            if key and key in self.ids_by_key:
                message_id = self.ids_by_key[key]
                return 200, {
                    "id": message_id,
                    "status": "accepted",
                    "duplicate": True,
                    "segments": self.messages[message_id]["segments"],
                }
            message_id = f"gw-{len(self.messages) + 1:08d}"
            segments = int(body.get("segments") or 1)
            self.messages[message_id] = {
                "id": message_id, "to": to, "text": text, "sender": body.get("sender", ""),
                "idempotency_key": key, "segments": segments, "accepted_at": _now(),
            }  # fmt: skip
            if key:
                self.ids_by_key[key] = message_id
            receipt = {
                "id": message_id, "status": "failed" if to in self.undeliverable else "delivered",
                "at": _now(), "to": to, "idempotency_key": key,
            }  # fmt: skip
            self.receipts.append(receipt)
            callback = str(body.get("callback_url") or self.callback_url)
        if callback:
            self._outbox.put((callback, receipt))
        return 202, {"id": message_id, "status": "accepted", "duplicate": False, "segments": segments}

    def add_reply(self, from_: str, text: str) -> dict[str, Any]:
        with self.lock:
            reply = {"id": f"mo-{len(self.replies) + 1:08d}", "from": from_, "text": text, "at": _now()}
            self.replies.append(reply)
            url = self.reply_url
        if url:
            self._outbox.put((url, reply))
        return reply

    def _post_callbacks(self) -> None:
        while (item := self._outbox.get()) is not None:
            url, payload = item
            if not url.startswith(("http://", "https://")):
                self.callback_errors += 1
                continue
            request = urllib.request.Request(  # noqa: S310 (http(s) only)
                url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (local callback)
                    response.read()
                self.callbacks_sent += 1
            except OSError:
                self.callback_errors += 1

    def wait_for_callbacks(self, count: int, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while self.callbacks_sent + self.callback_errors < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.callbacks_sent + self.callback_errors >= count


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def _since(items: list[dict[str, Any]], query: str, name: str) -> dict[str, Any]:
    after = int((parse_qs(query).get("after") or ["0"])[0] or 0)
    return {name: items[after:], "next": len(items)}


def _handler(gateway: LocalGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive
        disable_nagle_algorithm = True  # headers and body leave as separate writes
        timeout = 30

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> dict[str, Any] | None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                return None
            return body if isinstance(body, dict) else None

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/health":
                self._answer(200, {"ok": True, "messages": len(gateway.messages)})
            elif parts.path == "/receipts":
                with gateway.lock:
                    self._answer(200, _since(gateway.receipts, parts.query, "receipts"))
            elif parts.path == "/replies":
                with gateway.lock:
                    self._answer(200, _since(gateway.replies, parts.query, "replies"))
            elif parts.path.startswith("/messages/") and parts.path[10:] in gateway.messages:
                self._answer(200, gateway.messages[parts.path[10:]])
            else:
                self._answer(404, _error("not_found", parts.path))

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            body = self._body()
            if path == "/messages":
                self._message(body)
            elif path == "/replies" and body is not None:
                self._answer(201, gateway.add_reply(str(body.get("from", "")), str(body.get("text", ""))))
            elif path == "/control" and body is not None:
                gateway.configure(**body)
                self._answer(200, {"ok": True})
            else:
                self._answer(404 if body is not None else 400, _error("not_found", path))

        def _message(self, body: dict[str, Any] | None) -> None:
            if gateway.delay:
                time.sleep(gateway.delay)
            if gateway.api_key and self.headers.get("X-Api-Key") != gateway.api_key:
                self._answer(401, _error("auth", "missing or wrong X-Api-Key"))
                return
            failure = gateway._failure()
            if failure:
                self._answer(failure, _error("injected", f"injected failure {failure}"))
            elif body is None:
                self._answer(400, _error("invalid_json", "the body is not a JSON object"))
            else:
                key = self.headers.get("Idempotency-Key") or str(body.get("idempotency_key") or "")
                self._answer(*gateway.accept(body, key))

    return Handler


def parse_args(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="Local SMS gateway for tests and benchmarks")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--api-key", default="")
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument("--fail-status", type=int, default=503)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--callback-url", default="")
    parser.add_argument("--reply-url", default="")
    return vars(parser.parse_args(argv))


def main(argv: list[str] | None = None) -> None:
    options = parse_args(argv)
    gateway = LocalGateway(options.pop("host"), options.pop("port"), **options).start()
    print(f"SMS test gateway listening on {gateway.url}", flush=True)
    with suppress(KeyboardInterrupt):
        while True:
            time.sleep(3600)
    gateway.stop()


if __name__ == "__main__":
    main()
