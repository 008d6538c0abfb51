"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from qingzhai.accounts import roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {
        "can_assign": user.can(roles.ASSIGN),
        "can_import": user.can(roles.IMPORT),
        "can_view_audit": user.can(roles.VIEW_AUDIT),
    }
