"""The one access check of the compliance room's services and selectors."""

from __future__ import annotations

from typing import Any

from qingzhai.core.errors import AccessDenied


def may(user: Any, capability: str) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.can(capability)


def require(user: Any, capability: str) -> None:
    if not may(user, capability):
        raise AccessDenied()
