"""Template helpers of the scoring pages: {% scoring_visible as flag %} for the main navigation."""

from __future__ import annotations

from typing import Any

from django import template

from qingzhai.accounts import roles

register = template.Library()


@register.simple_tag(takes_context=True)
def scoring_visible(context: template.Context) -> bool:
    """Whether the signed-in user may see the model registry (scoring.view)."""
    user: Any = getattr(context.get("request"), "user", None)
    return bool(getattr(user, "is_authenticated", False) and user.can(roles.SCORING_VIEW))
