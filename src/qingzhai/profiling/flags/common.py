"""One debtor's facts as plain rows, and the helpers every flag shares (months, names, money, evidence).

Pure module (no Django). `split` turns `Frames` into one `View` per debtor: transactions up to the end of
the as-of day, records whose effective date (records/schema.py `date_field`) is on or before it.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl

from qingzhai.profiling.frames import Frames
from qingzhai.profiling.records.schema import KINDS
from qingzhai.profiling.sources.base import ParseContext

Row = dict[str, Any]


@dataclass
class View:
    debtor_id: int
    as_of: date
    name: str = ""
    employer: str = ""
    txns: list[Row] = field(default_factory=list)  # sorted by time
    debts: list[Row] = field(default_factory=list)
    records: dict[str, list[Row]] = field(default_factory=dict)

    def record(self, kind: str) -> list[Row]:
        return self.records.get(kind, [])

    def declared_income(self) -> Row | None:
        """The latest declared_income record on or before the as-of date (last in the file on a tie)."""
        rows = [
            r
            for r in self.record("declared_income")
            if r["declared_on"] and r["monthly_income_fen"] is not None
        ]
        if not rows:
            return None
        return max(rows, key=lambda r: (r["declared_on"], r["source_id"] or 0, r["row"] or 0))

    def earliest_overdue(self) -> Row | None:
        """The debt that went overdue first (overdue_since), among debts still owing."""
        rows = [d for d in self.debts if d["overdue_since"] is not None and _owing(d)]
        return min(rows, key=lambda d: (d["overdue_since"], d["debt_id"])) if rows else None

    def debt_before(self, day: date) -> Row | None:
        """A debt contracted before `day` and still outstanding or overdue: the creditor's claim existed
        when the act took place (Civil Code arts. 538-539)."""
        rows = [
            d for d in self.debts if d["contract_date"] is not None and d["contract_date"] < day and _owing(d)
        ]
        return min(rows, key=lambda d: (d["contract_date"], d["debt_id"])) if rows else None

    def spouses(self) -> list[Row]:
        """Marriage records naming a spouse, oldest first."""
        return sorted(
            (r for r in self.record("marriage") if r["spouse"]), key=lambda r: r["event_date"] or date.min
        )


def _owing(debt: Row) -> bool:
    return (debt["outstanding_fen"] or 0) > 0 or debt["overdue_since"] is not None


def _rows(frame: pl.DataFrame, ids: set[int]) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = defaultdict(list)
    if frame.is_empty():
        return out
    for row in frame.filter(pl.col("debtor_id").is_in(list(ids))).iter_rows(named=True):
        out[row["debtor_id"]].append(row)
    return out


def all_debtor_ids(frames: Frames) -> list[int]:
    """Every debtor the frames know of: the debtors frame, or else any frame naming one."""
    if not frames.debtors.is_empty():
        return sorted({int(i) for i in frames.debtors["debtor_id"].to_list()})
    found: set[int] = set()
    for frame in (frames.txns, frames.debts, *frames.records.values()):
        if not frame.is_empty():
            found |= {int(i) for i in frame["debtor_id"].to_list()}
    return sorted(found)


def split(frames: Frames, ids: list[int]) -> dict[int, View]:
    wanted = set(ids)
    as_of = frames.as_of
    views = {i: View(i, as_of) for i in ids}
    for i, rows in _rows(frames.debtors, wanted).items():
        views[i].name = rows[0]["name"] or ""
        views[i].employer = rows[0]["employer"] or ""
    for i, rows in _rows(frames.txns, wanted).items():
        views[i].txns = sorted(
            (r for r in rows if r["time"] is not None and r["time"].date() <= as_of),
            key=lambda r: (r["time"], r["row"]),
        )
    for i, rows in _rows(frames.debts, wanted).items():
        views[i].debts = rows
    for kind, frame in frames.records.items():
        spec = KINDS.get(kind)
        if spec is None:
            continue
        for i, rows in _rows(frame, wanted).items():
            views[i].records[kind] = [r for r in rows if _effective(r.get(spec.date_field), as_of)]
    return views


def _effective(value: Any, as_of: date) -> bool:
    if isinstance(value, date):
        return value <= as_of
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):  # contribution period
        return value <= as_of.strftime("%Y-%m")
    return True


# --- calendar ----------------------------------------------------------------------------------------


def month_index(day: date | datetime) -> int:
    return day.year * 12 + day.month - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); the month's last day when it has no such day (Civil Code
    art. 202: a period in months or years ends on the corresponding day, else the month's last day)."""
    index = month_index(day) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


# --- money, ratios, names ----------------------------------------------------------------------------


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def ratio(numerator: int, denominator: int, places: str = "0.01") -> float:
    return float(
        (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)
    )


def at_least(numerator: int, denominator: int, threshold: float) -> bool:
    """numerator / denominator >= threshold, exactly (the threshold read as the decimal it prints as)."""
    return Decimal(numerator) >= Decimal(str(threshold)) * Decimal(denominator)


def below(numerator: int, denominator: int, threshold: float) -> bool:
    return Decimal(numerator) < Decimal(str(threshold)) * Decimal(denominator)


def round_div(numerator: int, denominator: int) -> int:
    return int((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_NAME_NOISE = str.maketrans({"（": "(", "）": ")", " ": "", "\u3000": "", "\u00a0": ""})


def norm_name(name: str | None) -> str:
    return (name or "").strip().translate(_NAME_NOISE).lower()


def same_party(shown: str | None, known: str | None) -> bool:
    """Two names for the same party: equal, a masked form (``*小红``, ``王*红``), or for names of four or
    more characters (companies) one containing the other."""
    a, b = norm_name(shown), norm_name(known)
    if not a or not b:
        return False
    if a == b or ParseContext(owner_names=(b,)).is_owner(a) or ParseContext(owner_names=(a,)).is_owner(b):
        return True
    return min(len(a), len(b)) >= 4 and "*" not in a + b and (a in b or b in a)


def is_cny(txn: Row) -> bool:
    return (txn["currency"] or "CNY") == "CNY"


def text_of(txn: Row) -> str:
    return " | ".join(t for t in (txn["counterparty"], txn["category"], txn["memo"]) if t)


# --- evidence ----------------------------------------------------------------------------------------


def txn_evidence(txn: Row) -> dict[str, Any]:
    side = {"in": "收入", "out": "支出"}.get(txn["direction"], txn["nature"] or "")
    parts = [txn["time"].strftime("%Y-%m-%d %H:%M"), side, yuan(txn["amount_fen"] or 0)]
    if (txn["currency"] or "CNY") != "CNY":
        parts.append(txn["currency"])
    text = text_of(txn)
    if text:
        parts.append(text[:120])
    return {"kind": "txn", "source_id": txn["source_id"], "row": txn["row"], "summary": " ".join(parts)}


_RECORD_LABELS = {
    "property": ("property_id", "address", "owner"),
    "vehicle": ("plate", "model", "owner"),
    "marriage": ("spouse",),
    "court": ("case_no", "court", "record_type", "status"),
    "business": ("company", "role", "status"),
    "declared_income": ("source", "employer"),
    "contribution": ("scheme", "employer", "status"),
}


def record_evidence(kind: str, rec: Row) -> dict[str, Any]:
    spec = KINDS[kind]
    when = rec.get(spec.date_field)
    parts = [spec.label_zh, when.isoformat() if isinstance(when, date) else str(when or "")]
    if rec.get("event"):
        parts.append(rec["event"])
    parts += [str(rec[k]) for k in _RECORD_LABELS.get(kind, ()) if rec.get(k)]
    for money in ("price_fen", "reference_value_fen", "monthly_income_fen", "amount_fen"):
        if rec.get(money) is not None:
            parts.append(f"{money.removesuffix('_fen')}={yuan(rec[money])}")
    if rec.get("transferee"):
        parts.append(f"→ {rec['transferee']}")
    return {"kind": "record", "source_id": rec["source_id"], "row": rec["row"], "summary": " ".join(parts)}


def record_ref(kind: str, rec: Row) -> dict[str, Any]:
    return {"kind": kind, "source_id": rec["source_id"], "row": rec["row"]}
