"""One debtor's profile as the page, the PDF, the API and the CLI show it: indicators with their missing
reasons, flags with evidence, monthly flows and the category breakdown, assets and relations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from qingzhai.profiling import indicators as ind
from qingzhai.profiling.flags import evaluate
from qingzhai.profiling.frames import Frames
from qingzhai.profiling.selectors import frames_for

HEADLINE = (
    "inc_avg_monthly_12m",
    "cons_avg_monthly_12m",
    "inc_cons_gap_ratio_36m",
    "liab_outstanding_total",
    "ast_property_count",
    "leg_enforcement_open",
)


@dataclass
class Profile:
    debtor_id: int
    as_of: date
    frames: Frames
    values: dict[str, Any]  # code -> JSON-ready value or None
    reasons: dict[str, str]  # code -> why it is missing (no_data / not_permitted / undefined)
    flags: list[dict[str, Any]]
    months: list[dict[str, Any]] = field(default_factory=list)
    categories_out: list[dict[str, Any]] = field(default_factory=list)


def build(debtor_id: int, *, as_of: date | None = None) -> Profile:
    frames = frames_for([debtor_id], as_of=as_of)
    result = ind.compute(frames)
    found = ind.for_debtor(result, debtor_id)
    values = {code: ind.to_json_ready(v.value) for code, v in found.items()}
    reasons = {code: v.reason for code, v in found.items() if v.value is None and v.reason}
    allowed = frames.purposes.get(debtor_id, frozenset())
    # A flag serves one purpose; without a legal basis covering it, it is not raised (PIPL art. 6).
    flags = [f.as_dict() for f in evaluate(frames).get(debtor_id, []) if f.purpose in allowed]
    profile = Profile(debtor_id, frames.as_of, frames, values, reasons, flags)
    profile.months = monthly_flows(frames.txns, frames.as_of)
    profile.categories_out = spending_by_category(frames.txns, frames.as_of)
    return profile


def monthly_flows(txns: pl.DataFrame, as_of: date, months: int = 36) -> list[dict[str, Any]]:
    """[{month: 'YYYY-MM', in_fen, out_fen, neutral_fen}] for CNY rows, the last `months` months with data."""
    if txns.is_empty():
        return []
    frame = (
        txns.filter((pl.col("currency") == "CNY") & (pl.col("time").dt.date() <= as_of))
        .with_columns(pl.col("time").dt.strftime("%Y-%m").alias("month"))
        .group_by("month")
        .agg(
            pl.col("amount_fen").filter(pl.col("direction") == "in").sum().alias("in_fen"),
            (pl.col("amount_fen") - pl.col("refunded_fen"))
            .filter(pl.col("direction") == "out")
            .sum()
            .alias("out_fen"),
            pl.col("amount_fen").filter(pl.col("direction") == "neutral").sum().alias("neutral_fen"),
        )
        .sort("month")
        .tail(months)
    )
    return frame.to_dicts()


def spending_by_category(txns: pl.DataFrame, as_of: date, top: int = 8) -> list[dict[str, Any]]:
    """[{category, out_fen}] of spending by the source's own category, the largest `top` and the rest."""
    if txns.is_empty():
        return []
    frame = (
        txns.filter(
            (pl.col("currency") == "CNY")
            & (pl.col("direction") == "out")
            & (pl.col("time").dt.date() <= as_of)
        )
        .with_columns(
            pl.when(pl.col("category") == "")
            .then(pl.lit("其他"))
            .otherwise(pl.col("category"))
            .alias("category")
        )
        .group_by("category")
        .agg((pl.col("amount_fen") - pl.col("refunded_fen")).sum().alias("out_fen"))
        .sort("out_fen", descending=True)
    )
    rows = frame.to_dicts()
    if len(rows) > top:
        rest = sum(r["out_fen"] for r in rows[top:])
        rows = [*rows[:top], {"category": "其他（合并）", "out_fen": rest}]
    return rows


def records_of(frames: Frames, kind: str) -> list[dict[str, Any]]:
    return frames.record(kind).sort("row").to_dicts()
