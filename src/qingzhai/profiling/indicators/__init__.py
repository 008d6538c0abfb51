"""Debtor indicator catalogue and engine (12 categories, 200+ indicators). Pure package (no Django).

Public API:

    catalogue() -> list[Indicator]                 # every indicator, in category order
    categories() -> dict[str, tuple[str, str]]     # key -> (Chinese name, English name)
    compute(frames, *, codes=None) -> IndicatorResult
    for_debtor(result, debtor_id) -> dict[str, Value]   # Value(value, reason)
    to_json_ready(value) -> JSON-ready value (fen int, ratio float to 4 places, ISO dates)

Windows, missing-value reasons (no_data, not_permitted, undefined) and units: see model.py.
"""

from __future__ import annotations

from .catalogue import catalogue, categories, get
from .engine import IndicatorResult, Value, compute, for_debtor, to_json_ready
from .model import CATEGORIES, REASONS, UNITS, WINDOWS, Indicator

__all__ = [
    "CATEGORIES",
    "REASONS",
    "UNITS",
    "WINDOWS",
    "Indicator",
    "IndicatorResult",
    "Value",
    "catalogue",
    "categories",
    "compute",
    "for_debtor",
    "get",
    "to_json_ready",
]
