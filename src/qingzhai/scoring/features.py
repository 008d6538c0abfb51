"""Model inputs for cases: each case's debtor's 285 profile indicators, as of a chosen date per case.

No look-ahead: a case observed on 2025-03-01 gets the indicators a profile built on 2025-03-01 would
show (facts dated later are ignored by every indicator). Cases are grouped by date, one
`frames_for(debtor_ids, as_of=d)` + `indicators.compute` per distinct date.

Indicator values become model columns: numbers as float (missing: NaN), booleans as 0/1, anything else
(text) as a categorical column. Feature metadata comes from the indicator catalogue: Chinese and English
names, the unit as reasons show it (DISPLAY_UNITS); the direction is 0 (unknown) for every indicator: the
catalogue does not say which way an indicator moves the chance of repayment.

Point in time: dated facts (payments, promises, activities, transactions, records) are cut at the as-of
date, but some indicators read the *current* state of a row: a debt's balance, status and days past due,
a contact point's status, a debtor's protection flags. For a date in the past they would show the
outcome (a debt paid since then is no longer open): `point_in_time=True`, used for training on past
outcomes, leaves them out (`current_state_codes()`). Indicators from a debt's fixed terms (original
principal, products, contract dates) stay.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
import polars as pl

from qingzhai.scoring.engine.spec import FeatureInfo

BATCH = 2000
# The unit a reason shows next to a value (explain.format_value): money in yuan, shares as percent; counts,
# days, months and years bare (the indicator's name already says "天数", "笔数" ...), since the same text
# goes into the Chinese and the English sentence; yes/no indicators read 是/否 and yes/no.
DISPLAY_UNITS = {"fen": "fen", "ratio": "ratio", "pct": "%", "bool": "bool"}
# From debts, but fixed at the contract: the same at any date after it.
FIXED_DEBT_CODES = frozenset(
    {
        "liab_original_principal_total",
        "liab_products",
        "liab_months_since_first_contract",
        "cr_paid_share_of_principal",
    }
)
PROTECTION_CODES = frozenset({"id_bankrupt", "id_deceased", "id_lawyer_represented", "id_unreachable"})


def current_state_codes() -> frozenset[str]:
    """Indicators that read a row's state today rather than facts dated up to the as-of date."""
    from qingzhai.profiling import indicators as ind

    out = set(PROTECTION_CODES)
    for i in ind.catalogue():
        parts = {p.removeprefix("records:") for group in i.source.split("+") for p in group.split("|")}
        if parts & {"debts", "contacts"} and i.code not in FIXED_DEBT_CODES:
            out.add(i.code)
    return frozenset(out)


def indicator_features(codes: Iterable[str] | None = None) -> list[FeatureInfo]:
    """FeatureInfo for the indicators (all of them, in catalogue order, or those named)."""
    from qingzhai.profiling import indicators as ind

    wanted = set(codes) if codes is not None else None
    return [
        FeatureInfo(
            name=i.code,
            dtype="numeric",
            name_zh=i.name_zh,
            name_en=i.name_en,
            direction=0,
            unit=DISPLAY_UNITS.get(i.unit, ""),
        )
        for i in ind.catalogue()
        if wanted is None or i.code in wanted
    ]


def case_debtors(case_ids: Iterable[int]) -> dict[int, int]:
    from qingzhai.portfolio.models import Case

    ids = sorted(set(case_ids))
    out: dict[int, int] = {}
    for start in range(0, len(ids), BATCH):
        out.update(Case.objects.filter(pk__in=ids[start : start + BATCH]).values_list("pk", "debtor_id"))
    return out


def _to_pandas(values: pl.DataFrame, codes: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Numbers and booleans as float64 (NaN missing), anything else as a pandas category of text."""
    columns: dict[str, Any] = {}
    dtypes: dict[str, str] = {}
    for code in codes:
        col = values[code] if code in values.columns else pl.Series(code, [None] * values.height)
        if col.dtype == pl.Boolean or col.dtype.is_numeric() or col.dtype == pl.Null:
            columns[code] = col.cast(pl.Float64).to_numpy(allow_copy=True).astype("float64")
            dtypes[code] = "numeric"
        else:
            text = [None if v is None else str(v) for v in col.to_list()]
            columns[code] = pd.Categorical(text)
            dtypes[code] = "categorical"
    index = pd.Index(values["case_id"].to_list(), name="case_id")
    return pd.DataFrame(columns, index=index), dtypes


def case_features(
    case_ids: Iterable[int],
    *,
    as_of_by_case: dict[int, date] | date,
    point_in_time: bool = False,
    codes: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, list[FeatureInfo]]:
    """(frame indexed by case_id with one column per indicator code, the features' metadata).

    `as_of_by_case`: one date for every case, or {case_id: date} (a case missing from it is left out).
    Unknown case ids are left out. `point_in_time`: leave out the indicators that read today's state.
    `codes`: only these indicators (what a model uses; faster), in catalogue order."""
    from qingzhai.profiling import indicators as ind
    from qingzhai.profiling.selectors import frames_for

    debtors = case_debtors(case_ids)
    if isinstance(as_of_by_case, date):
        dates = {pk: as_of_by_case for pk in debtors}
    else:
        dates = {pk: as_of_by_case[pk] for pk in debtors if pk in as_of_by_case}
    by_date: dict[date, list[int]] = defaultdict(list)
    for pk, day in dates.items():
        by_date[day].append(pk)
    infos = indicator_features(codes)
    if point_in_time:
        skip = current_state_codes()
        infos = [f for f in infos if f.name not in skip]
    codes = [f.name for f in infos]
    parts: list[pl.DataFrame] = []
    for day in sorted(by_date):
        cases = by_date[day]
        frames = frames_for({debtors[c] for c in cases}, as_of=day)
        result = ind.compute(frames, codes=None if codes is None else [f.name for f in infos])
        link = pl.DataFrame(
            {"case_id": cases, "debtor_id": [debtors[c] for c in cases]},
            schema={"case_id": pl.Int64, "debtor_id": pl.Int64},
        )
        values = result.values.with_columns(pl.col("debtor_id").cast(pl.Int64))
        parts.append(link.join(values, on="debtor_id", how="left").drop("debtor_id"))
    if parts:
        joined = pl.concat(parts, how="diagonal_relaxed").sort("case_id")
    else:
        joined = pl.DataFrame({"case_id": []}, schema={"case_id": pl.Int64})
    frame, dtypes = _to_pandas(joined, codes)
    infos = [
        f
        if dtypes[f.name] == "numeric"
        else FeatureInfo(f.name, "categorical", f.name_zh, f.name_en, f.direction, f.unit)
        for f in infos
    ]
    return frame, infos


GENDER_COLUMN = "性别"  # a protected attribute (engine.spec.PROTECTED_DEFAULT): reported on, never a feature


def gender_from_id(id_number: str) -> str:
    """男/女 from an 18-digit resident ID (the 17th digit: odd male, even female); 未知 otherwise."""
    text = (id_number or "").strip().upper()
    if len(text) != 18 or not text[:17].isdigit():
        return "未知"
    return "男" if int(text[16]) % 2 else "女"


def case_fairness_groups(case_ids: Iterable[int]) -> dict[int, str]:
    """{case_id: gender group} for the fairness report of a model trained on cases; enterprises are
    "不适用". The ID number is decrypted in memory only to read its gender digit; nothing is stored per
    case, and the group never becomes a feature (the engine drops protected columns)."""
    from qingzhai.core import pii
    from qingzhai.portfolio.models import Case, Debtor

    out: dict[int, str] = {}
    for case in (
        Case.objects.filter(pk__in=list(case_ids))
        .select_related("debtor")
        .only("pk", "debtor__kind", "debtor__id_number_enc")
    ):
        debtor = case.debtor
        if debtor.kind != Debtor.Kind.PERSON:
            out[case.pk] = "不适用"
        else:
            out[case.pk] = gender_from_id(pii.get_value(debtor, "id_number"))
    return out
