"""Local servers for the channel tests: all bound to 127.0.0.1 on a free port and stopped afterwards."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from qingzhai.contact.channels.test_gateway import LocalGateway


@pytest.fixture
def gateway() -> Iterator[LocalGateway]:
    with LocalGateway("127.0.0.1", 0, api_key="test-key") as server:
        yield server


class Inbox:
    """An HTTP endpoint that keeps every JSON body POSTed to it (receipt and reply callbacks)."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.arrived = threading.Condition()
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with inbox.arrived:
                    inbox.items.append(body)
                    inbox.arrived.notify_all()
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=lambda: self.server.serve_forever(poll_interval=0.05), daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/callback"

    def wait(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.items) >= count, timeout)
            return list(self.items)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox()
    yield box
    box.close()
