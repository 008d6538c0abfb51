"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from qingzhai.accounts import roles
from qingzhai.accounts.middleware import needs_second_factor


def navigation(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    if needs_second_factor(user):
        # Until the second factor is verified, the only way on is the verification page.
        return {"second_factor_pending": True}
    return {
        "can_assign": user.can(roles.ASSIGN),
        "can_import": user.can(roles.IMPORT),
        "can_view_audit": user.can(roles.VIEW_AUDIT),
        "can_view_compliance": user.can(roles.COMPLIANCE_VIEW),
        "can_audit_evidence": user.can(roles.EVIDENCE_AUDIT),
        "can_view_profile": user.can(roles.PROFILE_VIEW),
    }
