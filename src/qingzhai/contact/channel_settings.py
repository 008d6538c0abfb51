"""The channel adapters' configuration: every QINGZHAI_* name from Django's settings, overridden by the
environment (docs/contact-channels.md lists the names)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings


def channel_settings() -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(settings, name) for name in dir(settings) if name.startswith("QINGZHAI_")
    }
    values.update({k: v for k, v in os.environ.items() if k.startswith("QINGZHAI_")})
    return values
