"""Template helpers: {% bi "中文" "English" %}, |fen (¥1,234.56), |stage_label, |role_label,
|label:"group" for stored choice values, |ymd and |ymd_hm for dates, {% other_language %} for the
language switch, |change_lines for audit events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template

from qingzhai.accounts.roles import ROLE_LABELS, Role
from qingzhai.core.clock import business_tz
from qingzhai.core.i18n import bi as pick
from qingzhai.core.i18n import is_english
from qingzhai.core.money import format_fen
from qingzhai.portfolio.stages import STAGE_LABELS, Stage
from qingzhai.web.labels import label as choice_label

register = template.Library()


@register.simple_tag
def bi(zh: str, en: str, **params: Any) -> str:
    """The text in the active language; {placeholders} filled from keyword arguments."""
    return pick(zh, en, **params)


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


@register.filter
def label(value: Any, group: str) -> str:
    return choice_label(group, value)


@register.filter
def ymd(value: date | datetime | None) -> str:
    """YYYY-MM-DD; a datetime is shown as its business-zone date."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(business_tz()).date()
    return value.isoformat()


@register.filter
def ymd_hm(value: datetime | None) -> str:
    """YYYY-MM-DD HH:MM in the business time zone."""
    if value is None or value == "":
        return ""
    return value.astimezone(business_tz()).strftime("%Y-%m-%d %H:%M")


@register.simple_tag(takes_context=True)
def other_language(context: template.Context) -> dict[str, str]:
    """The language the switch offers: English while Chinese is active, and the other way round."""
    current = context.get("LANGUAGE_CODE") or "zh-hans"
    if is_english(current):
        return {"code": "zh-hans", "name": "中文"}
    return {"code": "en", "name": "English"}


def _plain(value: Any) -> str:
    return "∅" if value is None or value == "" else str(value)


@register.filter
def change_lines(changes: Any) -> list[tuple[str, str]]:
    """An audit event's changes as (field, "old → new") lines."""
    if not isinstance(changes, dict):
        return [("", _plain(changes))] if changes else []
    lines = []
    for key, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            lines.append((str(key), f"{_plain(value[0])} → {_plain(value[1])}"))
        else:
            lines.append((str(key), _plain(value)))
    return lines
