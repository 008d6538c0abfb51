from __future__ import annotations

import pytest

from tests.evidence.tsa_server import LocalTsa


@pytest.fixture
def tsa():
    """A local RFC 3161 TSA on 127.0.0.1: ``.url``, ``.chain_pem``, ``.requests``; set ``.mode`` to misbehave."""
    server = LocalTsa().start()
    try:
        yield server
    finally:
        server.stop()
