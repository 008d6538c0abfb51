"""The indicator engine: every (or chosen) indicator for every debtor in `Frames.debtors`, with polars.

Pure module (no Django). For each prepared frame and purpose, one ``group_by("debtor_id")`` computes all
that frame's indicators at once for every debtor whose legal bases cover the purpose; derived indicators
are then computed column-wise. Nothing loops over debtors. Missing values and windows: see model.py.

    result = compute(frames)                       # all indicators
    result = compute(frames, codes=["inc_total_12m", "inc_cons_gap_ratio_36m"])
    result.values                                  # pl.DataFrame: debtor_id + one column per code
    for_debtor(result, 42)                         # {code: Value(value, reason)}
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl

from qingzhai.profiling.frames import Frames
from qingzhai.profiling.purposes import ALWAYS, PURPOSES

from .catalogue import BY_CODE, catalogue
from .model import DERIVED, FLOAT_UNITS, INT_UNITS, OWN_RECORDS, Indicator
from .prepare import Prepared

Scalar = int | float | bool | None

# Frames attribute of each raw source a `source` string may name.
_RAW = {"txns", "debtors", "debts", "payments", "promises", "activities", "contacts", "disputes"}


@dataclass(frozen=True)
class Value:
    """One indicator value for one debtor. `reason` is None when `value` is set, else one of
    model.REASONS: no_data, not_permitted, undefined."""

    value: Scalar
    reason: str | None = None


@dataclass
class IndicatorResult:
    as_of: date
    values: pl.DataFrame  # debtor_id + one column per computed code (nulls where missing)
    indicators: list[Indicator]
    purposes: dict[int, frozenset[str]] = field(default_factory=dict)
    sources_seen: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    def _row(self, debtor_id: int) -> dict[str, Any]:
        rows = self.values.filter(pl.col("debtor_id") == debtor_id)
        if rows.height == 0:
            raise KeyError(debtor_id)
        return rows.row(0, named=True)

    def missing_reason(self, indicator: Indicator, debtor_id: int, value: Scalar) -> str | None:
        """Why `value` is None (None when it is not)."""
        if indicator.purpose not in (self.purposes.get(debtor_id, frozenset()) | ALWAYS):
            return "not_permitted"
        seen = self.sources_seen.get(debtor_id, frozenset())
        if any(not any(k in seen for k in alts) for alts in indicator.requires):
            return "no_data"
        return "undefined" if value is None else None

    def debtor(self, debtor_id: int) -> dict[str, Value]:
        """{code: Value} for one debtor, in catalogue order. Raises KeyError for an unknown debtor."""
        row = self._row(debtor_id)
        out = {}
        for ind in self.indicators:
            value = row[ind.code]
            out[ind.code] = Value(value, self.missing_reason(ind, debtor_id, value))
        return out

    def debtor_json(self, debtor_id: int) -> dict[str, dict[str, Any]]:
        """{code: {"value": ..., "reason": ...}}, JSON-ready."""
        return {code: to_json_ready(v) for code, v in self.debtor(debtor_id).items()}


def for_debtor(result: IndicatorResult, debtor_id: int) -> dict[str, Value]:
    """{code: Value(value, reason)} for one debtor of `result` (see IndicatorResult.debtor)."""
    return result.debtor(debtor_id)


def to_json_ready(value: Any) -> Any:
    """Money stays integer fen, ratios are floats rounded to 4 places, dates ISO strings; a Value becomes
    {"value": ..., "reason": ...}; mappings and sequences are converted recursively."""
    if isinstance(value, Value):
        return {"value": to_json_ready(value.value), "reason": value.reason}
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json_ready(v) for v in value]
    raise TypeError(f"not JSON-ready: {type(value).__name__}")


def _closure(codes: Iterable[str] | None) -> tuple[list[Indicator], list[Indicator]]:
    """(requested indicators, everything to compute in dependency order)."""
    if codes is None:
        requested = catalogue()
    else:
        names = list(dict.fromkeys(codes))
        unknown = [c for c in names if c not in BY_CODE]
        if unknown:
            raise ValueError(f"unknown indicator codes: {', '.join(unknown)}")
        requested = [BY_CODE[c] for c in names]
    order: list[Indicator] = []
    done: set[str] = set()

    def visit(ind: Indicator) -> None:
        if ind.code in done:
            return
        done.add(ind.code)
        for dep in ind.deps:
            visit(BY_CODE[dep])
        order.append(ind)

    for ind in requested:
        visit(ind)
    return requested, order


def _raw_sources(ind: Indicator) -> set[str]:
    return {part for group in ind.source.split("+") for part in group.split("|")}


def _restrict(frames: Frames, todo: list[Indicator], permitted: dict[str, pl.Series]) -> Frames:
    """A copy of `frames` whose raw frames keep only debtors with a purpose that some indicator reading
    them is permitted for: what no permitted indicator needs is never processed."""
    purposes_of: dict[str, set[str]] = defaultdict(set)
    for ind in todo:
        if ind.frame != DERIVED:
            for raw in _raw_sources(ind):
                purposes_of[raw].add(ind.purpose)

    def keep(frame: pl.DataFrame, raw: str) -> pl.DataFrame:
        allowed = purposes_of.get(raw)
        if not allowed:
            return frame.clear()
        ids = pl.concat([permitted[p] for p in sorted(allowed)]).unique()
        return frame.filter(pl.col("debtor_id").is_in(ids.implode()))

    changes: dict[str, Any] = {name: keep(getattr(frames, name), name) for name in _RAW}
    changes["records"] = {
        kind: keep(frames.record(kind), f"records:{kind}")
        for kind in {r.removeprefix("records:") for r in purposes_of if r.startswith("records:")}
    }
    return dataclasses.replace(frames, **changes)


def _context(ids: pl.DataFrame, frames: Frames, kinds: set[str]) -> tuple[pl.DataFrame, dict[str, pl.Series]]:
    """debtor_id + one boolean column per purpose (``__p:<purpose>``) and per source kind (``__s:<kind>``)."""
    cols = []
    for purpose in PURPOSES:
        if purpose in ALWAYS:
            cols.append(pl.lit(True).alias(f"__p:{purpose}"))
            continue
        members = pl.Series([d for d, ps in frames.purposes.items() if purpose in ps], dtype=pl.Int64)
        cols.append(pl.col("debtor_id").is_in(members.implode()).alias(f"__p:{purpose}"))
    for kind in sorted(kinds):
        members = pl.Series([d for d, ks in frames.sources_seen.items() if kind in ks], dtype=pl.Int64)
        cols.append(pl.col("debtor_id").is_in(members.implode()).alias(f"__s:{kind}"))
    ctx = ids.with_columns(cols)
    permitted = {p: ctx.filter(pl.col(f"__p:{p}"))["debtor_id"] for p in PURPOSES}
    return ctx, permitted


def _masked(ind: Indicator, present: pl.Expr | None) -> pl.Expr:
    mask = pl.col(f"__p:{ind.purpose}")
    for alts in ind.requires:
        mask = mask & pl.any_horizontal([pl.col(f"__s:{k}") for k in alts])
    value = pl.col(ind.code)
    if present is not None and ind.fill is not None:
        value = pl.when(present).then(value).otherwise(pl.lit(ind.fill))
    return pl.when(mask).then(value).otherwise(None).alias(ind.code)


def _final(ind: Indicator, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(ind.code)
    if ind.unit in INT_UNITS:
        if dtype.is_float():
            col = col.round(0)
        return col.cast(pl.Int64)
    if ind.unit in FLOAT_UNITS:
        return col.cast(pl.Float64).round(4)
    return col.cast(pl.Boolean)


def compute(frames: Frames, *, codes: Iterable[str] | None = None) -> IndicatorResult:
    """Compute the indicators `codes` (all when None) for every debtor in `frames.debtors`."""
    requested, todo = _closure(codes)
    ids = frames.debtors.select(pl.col("debtor_id").cast(pl.Int64)).unique(maintain_order=True)
    kinds = {k for ind in todo for alts in ind.requires for k in alts}
    ctx, permitted = _context(ids, frames, kinds)
    prep = Prepared(_restrict(frames, todo, permitted), ids)

    groups: dict[tuple[str, str], list[Indicator]] = defaultdict(list)
    for ind in todo:
        if ind.frame != DERIVED:
            groups[(ind.frame, ind.purpose)].append(ind)
    out = ctx
    for (frame, purpose), inds in groups.items():
        data = prep.get(frame).filter(pl.col("debtor_id").is_in(permitted[purpose].implode()))
        agg = data.group_by("debtor_id").agg(pl.len().alias("__rows"), *[i.expr.alias(i.code) for i in inds])
        out = out.join(agg, on="debtor_id", how="left")
        present = pl.col("__rows").is_not_null()
        out = out.with_columns([_masked(i, present) for i in inds]).drop("__rows")
    for ind in todo:
        if ind.frame == DERIVED:
            out = out.with_columns(ind.expr.alias(ind.code)).with_columns(_masked(ind, None))
    values = out.select("debtor_id", *[_final(i, out.schema[i.code]) for i in requested])
    return IndicatorResult(
        as_of=frames.as_of,
        values=values,
        indicators=requested,
        purposes={int(k): frozenset(v) for k, v in frames.purposes.items()},
        sources_seen={int(k): frozenset(v) for k, v in frames.sources_seen.items()},
    )


__all__ = ["OWN_RECORDS", "IndicatorResult", "Value", "compute", "for_debtor", "to_json_ready"]
