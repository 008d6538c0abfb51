"""Template helpers of the legal pages: {% legal_visible as flag %} for the navigation and the case page's
link (no query: the capability is read off the role)."""

from __future__ import annotations

from typing import Any

from django import template

from qingzhai.accounts import roles

register = template.Library()


@register.simple_tag(takes_context=True)
def legal_visible(context: template.Context) -> bool:
    """Whether the signed-in user may see the legal workspace (legal.view)."""
    user: Any = getattr(context.get("request"), "user", None)
    return bool(getattr(user, "is_authenticated", False) and user.can(roles.LEGAL_VIEW))
