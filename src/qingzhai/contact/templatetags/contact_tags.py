"""Template helpers of the contact pages: {% contact_nav as nav %} for the navigation (no query: the
capabilities are read off the role)."""

from __future__ import annotations

from typing import Any

from django import template

from qingzhai.accounts import roles

register = template.Library()


@register.simple_tag(takes_context=True)
def contact_nav(context: template.Context) -> dict[str, bool]:
    """Which contact-centre pages the signed-in user may open."""
    user: Any = getattr(context.get("request"), "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"workspace": False, "campaigns": False, "wall": False}
    return {
        "workspace": bool(user.can(roles.WORK_CASE)),
        "campaigns": bool(user.can(roles.CAMPAIGN_VIEW)),
        "wall": bool(user.can(roles.CONTACT_WALL)),
    }
