"""The indicator catalogue: every category module's indicators, in a fixed order. Pure module."""

from __future__ import annotations

from collections import Counter

from . import (
    cat_assets,
    cat_cash_flow,
    cat_consumption,
    cat_contact,
    cat_credit,
    cat_enterprise,
    cat_identity,
    cat_income,
    cat_legal,
    cat_liabilities,
    cat_relations,
    cat_willingness,
)
from .model import CATEGORIES, Indicator

_ALL: tuple[Indicator, ...] = (
    *cat_identity.INDICATORS,
    *cat_income.INDICATORS,
    *cat_consumption.INDICATORS,
    *cat_cash_flow.INDICATORS,
    *cat_liabilities.INDICATORS,
    *cat_assets.INDICATORS,
    *cat_enterprise.INDICATORS,
    *cat_legal.INDICATORS,
    *cat_credit.INDICATORS,
    *cat_contact.INDICATORS,
    *cat_relations.INDICATORS,
    *cat_willingness.INDICATORS,
)
BY_CODE: dict[str, Indicator] = {i.code: i for i in _ALL}
if len(BY_CODE) != len(_ALL):  # pragma: no cover - a catalogue bug, caught at import
    counts = Counter(i.code for i in _ALL)
    raise RuntimeError(f"duplicate indicator codes: {sorted(c for c, n in counts.items() if n > 1)}")


def catalogue() -> list[Indicator]:
    """All indicators, grouped by category in `categories()` order."""
    return list(_ALL)


def categories() -> dict[str, tuple[str, str]]:
    """Category key -> (Chinese name, English name), in display order."""
    return dict(CATEGORIES)


def get(code: str) -> Indicator:
    return BY_CODE[code]
