"""Template helpers of the evidence pages: {% evidence_panel %} on the case page, |kind_label for an
evidence type, |ymd_hms for a moment in the business time zone, |short_hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from qingzhai.core.clock import business_tz
from qingzhai.core.i18n import bi
from qingzhai.evidence.case_feed import kind_label as labels

register = template.Library()


@register.inclusion_tag("evidence/case/_panel.html", takes_context=True)
def evidence_panel(context: template.Context) -> dict[str, Any]:
    """The evidence panel of the case in the context, at the page the case page's `evidence_page` asks."""
    from qingzhai.evidence.views.panel import evidence_case_context

    request = context["request"]
    return evidence_case_context(request, context["case"], request.GET.get("evidence_page"))


@register.filter
def kind_label(kind: str) -> str:
    return bi(*labels(kind))


@register.filter
def ymd_hms(value: datetime | None) -> str:
    if value is None or value == "":
        return ""
    return value.astimezone(business_tz()).strftime("%Y-%m-%d %H:%M:%S")


@register.filter
def short_hash(value: str | bytes | None, length: int = 12) -> str:
    if not value:
        return ""
    text = value.hex() if isinstance(value, bytes) else str(value)
    return text[:length] + "…" if len(text) > length else text
