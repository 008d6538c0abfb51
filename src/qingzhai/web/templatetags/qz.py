"""Template helpers: {% bi "中文" "English" %}, |fen (¥1,234.56), |stage_label, |role_label."""

from __future__ import annotations

from django import template

from qingzhai.accounts.roles import ROLE_LABELS, Role
from qingzhai.core.i18n import bi as pick
from qingzhai.core.money import format_fen
from qingzhai.portfolio.stages import STAGE_LABELS, Stage

register = template.Library()


@register.simple_tag
def bi(zh: str, en: str) -> str:
    return pick(zh, en)


@register.filter
def fen(value: int | None) -> str:
    return "" if value is None else format_fen(int(value))


@register.filter
def stage_label(value: str) -> str:
    try:
        return pick(*STAGE_LABELS[Stage(value)])
    except ValueError:
        return value


@register.filter
def role_label(value: str) -> str:
    try:
        return pick(*ROLE_LABELS[Role(value)])
    except ValueError:
        return value
