"""A screened sentence cut into plain and violating pieces, for showing the violations in place. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SEVERITY_ORDER = {"high": 3, "medium": 2, "low": 1}


@dataclass
class Piece:
    text: str
    categories: list[str] = field(default_factory=list)  # empty: nothing wrong in this piece
    severity: str = ""

    @property
    def flagged(self) -> bool:
        return bool(self.categories)


def pieces(text: str, violations: Iterable[Mapping[str, Any]]) -> list[Piece]:
    """`text` in order, with each run of overlapping violation spans as one flagged piece carrying the
    categories found there and the highest severity. Spans outside the text are clipped; empty ones ignored."""
    spans: list[tuple[int, int, str, str]] = []
    for v in violations:
        try:
            start, end = int(v["span"][0]), int(v["span"][1])
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        start, end = max(0, start), min(len(text), end)
        if start < end:
            spans.append((start, end, str(v.get("category", "")), str(v.get("severity", ""))))
    spans.sort()
    out: list[Piece] = []
    cursor = 0
    i = 0
    while i < len(spans):
        start, end, category, severity = spans[i]
        categories = [category]
        worst = severity
        j = i + 1
        while j < len(spans) and spans[j][0] < end:
            end = max(end, spans[j][1])
            if spans[j][2] not in categories:
                categories.append(spans[j][2])
            if SEVERITY_ORDER.get(spans[j][3], 0) > SEVERITY_ORDER.get(worst, 0):
                worst = spans[j][3]
            j += 1
        if start > cursor:
            out.append(Piece(text[cursor:start]))
        out.append(Piece(text[start:end], categories, worst))
        cursor = end
        i = j
    if cursor < len(text):
        out.append(Piece(text[cursor:]))
    return out
