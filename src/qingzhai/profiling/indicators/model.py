"""The declarative model of the indicator catalogue: categories, units, windows and `Indicator`.

Pure module (no Django). An indicator is metadata (names, definitions, unit, window, source, purpose) plus
how to compute it: either an aggregation expression evaluated inside ``group_by("debtor_id")`` on one
prepared frame (see `prepare.py`), or, for a ``derived`` indicator, an expression over other indicators'
columns (`deps`).

Windows
-------
``window_months = N`` means: facts dated in the N calendar months that end with the as-of month, the as-of
month counting as a whole month although only its days up to and including ``as_of`` are seen. With
``as_of = 2025-06-15``, N = 3 covers 2025-04-01 .. 2025-06-15 and N = 12 covers 2024-07-01 .. 2025-06-15.
Monthly averages divide by N. Facts dated after ``as_of`` are ignored by every indicator, windowed or not.
A transaction is dated by its time, a payment by ``paid_on``, a promise by ``created_on``, an activity by
``occurred_at``, a dispute by ``opened_on`` and a record by its kind's ``date_field`` (records/schema.py;
a business change by ``change_date`` when given).

Missing values
--------------
A value is None with a reason, never a silent zero:

* ``not_permitted``: the indicator's purpose is not covered for the debtor (`Frames.purposes`); it is not
  computed at all (the debtor's rows are left out before aggregation);
* ``no_data``: a kind of source the indicator needs was never ingested for the debtor
  (`Frames.sources_seen`). Our own case records (`OWN_RECORDS`) always count as ingested;
* ``undefined``: the source is there but the value has no meaning (a ratio over zero, the latest of none).

A debtor whose source was ingested but has no row in a window gets 0 for sums and counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from qingzhai.profiling.purposes import PURPOSES

CATEGORIES: dict[str, tuple[str, str]] = {
    "identity": ("身份与稳定性", "Identity & stability"),
    "income": ("收入", "Income"),
    "consumption": ("消费", "Consumption"),
    "cash_flow": ("现金流", "Cash flow"),
    "liabilities": ("负债", "Liabilities"),
    "assets": ("资产", "Assets"),
    "enterprise": ("企业经营", "Enterprise operations"),
    "legal": ("涉诉与执行", "Legal & enforcement"),
    "credit": ("信用历史与行为", "Credit history & behaviour"),
    "contactability": ("可联系性", "Contactability"),
    "relations": ("关系与关联方", "Relations & related parties"),
    "willingness": ("还款意愿信号", "Willingness signals"),
}

# fen: integer fen; count, days, months, years: integers (years rounded down); ratio: a fraction rounded
# to 4 places; pct: percent 0-100 rounded to 4 places; bool.
UNITS: dict[str, tuple[str, str]] = {
    "fen": ("分", "fen (1/100 yuan)"),
    "count": ("个", "count"),
    "ratio": ("比值", "ratio"),
    "pct": ("百分比", "percent"),
    "days": ("天", "days"),
    "months": ("月", "months"),
    "bool": ("是/否", "yes/no"),
    "years": ("年", "years"),
}
INT_UNITS = frozenset({"fen", "count", "days", "months", "years"})
FLOAT_UNITS = frozenset({"ratio", "pct"})

WINDOWS: tuple[int, ...] = (3, 6, 12, 24, 36)

# Our own case records: always "ingested", so an empty one means zero, never "no data".
OWN_RECORDS = frozenset({"debtors", "debts", "payments", "promises", "activities", "contacts", "disputes"})

REASONS: dict[str, tuple[str, str]] = {
    "no_data": ("未取得该类数据", "That kind of source was never ingested for the debtor"),
    "not_permitted": ("合法性基础未覆盖该处理目的", "No legal basis on file covers the indicator's purpose"),
    "undefined": ("数值无定义（如分母为零）", "The value is undefined (e.g. a ratio over zero)"),
}

DERIVED = "derived"


@dataclass(frozen=True)
class Indicator:
    code: str
    category: str
    name_zh: str
    name_en: str
    definition_zh: str
    definition_en: str
    unit: str
    window_months: int | None
    # "txns", "records:property", "debts" ...; "a+b" needs both, "a|b" either of them
    source: str
    purpose: str
    frame: str  # prepared frame the aggregation runs on (prepare.py), or "derived"
    expr: pl.Expr = field(compare=False, repr=False)
    fill: int | bool | None = None  # value for a debtor with the source ingested but no row in the frame
    deps: tuple[str, ...] = ()  # for a derived indicator: the codes its expression reads

    @property
    def requires(self) -> tuple[tuple[str, ...], ...]:
        """Kinds of source that must have been ingested (sources_seen keys): all groups, any of each."""
        out = []
        for part in self.source.split("+"):
            alts = tuple(
                a.removeprefix("records:")
                for a in part.split("|")
                if a.removeprefix("records:") not in OWN_RECORDS
            )
            if alts:
                out.append(alts)
        return tuple(out)

    def describe(self) -> dict[str, object]:
        """Metadata only, JSON-ready."""
        return {
            "code": self.code,
            "category": self.category,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "definition_zh": self.definition_zh,
            "definition_en": self.definition_en,
            "unit": self.unit,
            "window_months": self.window_months,
            "source": self.source,
            "purpose": self.purpose,
        }


class Builder:
    """Collects one category's indicators with shared category, purpose, source and frame defaults."""

    def __init__(self, category: str) -> None:
        if category not in CATEGORIES:
            raise ValueError(category)
        self.category = category
        self.items: list[Indicator] = []

    def add(
        self,
        code: str,
        names: tuple[str, str],
        definitions: tuple[str, str],
        unit: str,
        window: int | None,
        expr: pl.Expr,
        *,
        source: str,
        purpose: str,
        frame: str,
        fill: int | bool | None = None,
        deps: tuple[str, ...] = (),
    ) -> None:
        if unit not in UNITS:
            raise ValueError(f"{code}: unit {unit}")
        if purpose not in PURPOSES:
            raise ValueError(f"{code}: purpose {purpose}")
        self.items.append(
            Indicator(
                code=code,
                category=self.category,
                name_zh=names[0],
                name_en=names[1],
                definition_zh=definitions[0],
                definition_en=definitions[1],
                unit=unit,
                window_months=window,
                source=source,
                purpose=purpose,
                frame=frame,
                expr=expr,
                fill=fill,
                deps=deps,
            )
        )

    def using(self, *, source: str, purpose: str, frame: str) -> Callable[..., None]:
        """`add` with source, purpose and frame fixed (keyword arguments still override them)."""

        def add(*args: Any, **kwargs: Any) -> None:
            kwargs = {"source": source, "purpose": purpose, "frame": frame, **kwargs}
            self.add(*args, **kwargs)

        return add
