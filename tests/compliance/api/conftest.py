"""Fixtures for the compliance API tests: the portfolio API's world of two creditors and token clients, and
helpers for moments inside and outside the lawful contact hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from qingzhai.core.clock import business_tz, now
from tests.portfolio.api.conftest import (  # noqa: F401  (fixtures used by the tests here)
    _fresh_throttles,
    _uploads_in_tmp,
    api_for,
    world,
)


def night() -> datetime:
    """The latest 23:00 Beijing time that is not in the future: inside the night window (22:00–08:00)."""
    local = now().astimezone(business_tz())
    at = local.replace(hour=23, minute=0, second=0, microsecond=0)
    return at if at <= local else at - timedelta(days=1)
