"""Template helpers of the compliance pages: |clabel:"group" for the compliance vocabulary, |highlighted for a
screened sentence with its violations marked, |pretty_json for stored inputs."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from qingzhai.compliance.highlight import pieces
from qingzhai.compliance.labels import label

register = template.Library()


@register.filter
def clabel(value: Any, group: str) -> str:
    return label(group, value)


@register.filter
def highlighted(utterance: Any) -> SafeString:
    """The sentence with every violating run in a <mark> naming its categories (shown after it by the
    stylesheet, so that the sentence itself reads and copies as it was said)."""
    parts = []
    for piece in pieces(utterance.text, utterance.violations or []):
        if not piece.flagged:
            parts.append(format_html("{}", piece.text))
            continue
        names = "、".join(label("category", c) for c in piece.categories)
        parts.append(
            format_html(
                '<mark class="viol sev-{}" data-categories="{}" data-label="{}" title="{}">{}</mark>',
                piece.severity or "low",
                " ".join(piece.categories),
                names,
                names,
                piece.text,
            )
        )
    return format_html_join("", "{}", ((p,) for p in parts))


@register.filter
def pretty_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


@register.filter
def categories_label(values: Any) -> str:
    return "、".join(label("category", v) for v in values or [])
