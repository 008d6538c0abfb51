"""Reasons behind a score: the features that moved it most, as sentences in Chinese and English.

Pure (no Django). `contrib_points` are each feature's effect in score points (positive raises the score,
i.e. raises P(label == 1)); the caller converts log-odds contributions to points with the PDO scale.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .spec import FeatureInfo, Reason

MIN_POINTS = 0.5
RATIO_UNITS = frozenset({"ratio", "share", "rate", "fraction"})
MISSING_ZH = "缺失"
MISSING_EN = "missing"


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT


def _number(x: float) -> str:
    """Thousands separators, at most 2 decimals, no trailing zeros."""
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value: Any, unit: str = "") -> str | None:
    """The value as a person reads it; None when missing."""
    if _is_missing(value):
        return None
    if isinstance(value, np.generic) and not isinstance(value, np.bool_):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    x = float(value)
    if not math.isfinite(x):
        return str(value)
    if unit == "fen":
        yuan = x / 100.0
        text = f"{abs(yuan):,.2f}" if yuan != int(yuan) else f"{abs(yuan):,.0f}"
        return f"{'-' if yuan < 0 else ''}¥{text}"
    if unit == "%":
        return f"{_number(x)}%"
    if unit.lower() in RATIO_UNITS:
        return f"{_number(x * 100.0)}%"
    text = _number(x)
    return f"{text} {unit}" if unit else text


def _whole(points: float) -> int:
    return max(1, math.floor(abs(points) + 0.5))


def reasons(
    features: list[FeatureInfo],
    values: dict[str, Any],
    contrib_points: dict[str, float],
    *,
    top: int = 3,
) -> list[Reason]:
    """The `top` features with the largest |points| (at least 0.5), largest first."""
    effects = [
        (f, float(contrib_points[f.name]))
        for f in features
        if f.name in contrib_points and math.isfinite(float(contrib_points[f.name]))
    ]
    effects = [(f, p) for f, p in effects if abs(p) >= MIN_POINTS]
    effects.sort(key=lambda fp: -abs(fp[1]))
    out: list[Reason] = []
    for f, points in effects[: max(0, top)]:
        shown = format_value(values.get(f.name), f.unit)
        shown_zh = shown_en = shown
        if f.unit == "bool" and shown is not None:
            yes = float(values[f.name]) != 0.0
            shown_zh, shown_en = ("是", "yes") if yes else ("否", "no")
        n = _whole(points)
        if points > 0:
            zh_verb, en_verb = "提高", "raises"
        else:
            zh_verb, en_verb = "降低", "lowers"
        text_zh = f"「{f.label('zh')}」为 {shown_zh if shown_zh is not None else MISSING_ZH}，使评分{zh_verb} {n} 分"
        text_en = (
            f"{f.label('en')} is {shown_en if shown_en is not None else MISSING_EN}, "
            f"which {en_verb} the score by {n} point{'s' if n != 1 else ''}"
        )
        out.append(Reason(feature=f.name, value=shown, points=points, text_zh=text_zh, text_en=text_en))
    return out
