"""Fixtures of the workspace tests: a daytime clock for the gate (the tests must not depend on when they
run: at night the gate refuses every call), and cases in a collector's queue."""

from __future__ import annotations

import pytest

from tests.web.conftest import (  # noqa: F401  (fixtures shared with the web tests)
    collector_client,
    login,
    past_local,
    secrets_of,
    supervisor_client,
)

MODULES = ("qingzhai.contact.selectors.workspace", "qingzhai.contact.services.workspace")


@pytest.fixture
def daytime(monkeypatch):
    """The workspace's clock at the latest 10:30 Shanghai time already past; returns that moment."""
    moment = past_local(10, 30)
    for module in MODULES:
        monkeypatch.setattr(f"{module}.now", lambda: moment)
    return moment


@pytest.fixture
def night(monkeypatch):
    moment = past_local(23, 30)
    for module in MODULES:
        monkeypatch.setattr(f"{module}.now", lambda: moment)
    return moment
