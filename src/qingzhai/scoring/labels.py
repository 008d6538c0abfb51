"""Outcome labels learnt from a client's own cases: what "1" means for a repayment model.

Observation date
----------------
Every label looks at a window that starts on the case's *observation date*: the placement date of the
case's portfolio (the day the creditor handed the debts over, when our work starts and the features are
taken). The case's creation date stands in only when there is no placement date: imports create cases
after the placement with the history backdated, so the creation date is not when the work began.
Features for training are computed as of the same date (`features.case_features`), so a model never
sees what happened after the moment it is meant to predict from.

A window of N days covers the observation date and the N - 1 days after it: [obs, obs + N). A label is
observable only when the whole window lies before `as_of` (obs + N <= as_of); before that it is None,
"not yet observable", and the case is left out of training.

Payments count by `paid_on`; a reversal is a negative row with the original's date, so a reversed
payment counts for nothing. The balance at the observation date is rebuilt from today's balances plus
what every payment since then took off the debts (its fee, interest, penalty and principal parts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from qingzhai.core.clock import business_today, business_tz
from qingzhai.scoring.engine.spec import LabelDefinition, ScoringError

LABELS: dict[str, LabelDefinition] = {
    d.code: d
    for d in (
        LabelDefinition(
            code="recovered_50_180",
            name_zh="180 天内回收 ≥ 50%",
            name_en="≥ 50 % recovered within 180 days",
            description_zh="自委案日起 180 天内，还款（扣除冲正）达到委案日案件余额的 50% 及以上。",
            description_en="Payments (net of reversals) within 180 days of placement reach at least 50 % "
            "of the case's balance on the placement date.",
            kind="recovered_share",
            params={"share": 0.5, "window_days": 180},
        ),
        LabelDefinition(
            code="paid_any_90",
            name_zh="90 天内有还款",
            name_en="Any payment within 90 days",
            description_zh="自委案日起 90 天内至少有一笔未被冲正的还款。",
            description_en="At least one payment that was not reversed within 90 days of placement.",
            kind="paid_any",
            params={"window_days": 90},
        ),
        LabelDefinition(
            code="promise_kept_90",
            name_zh="90 天内承诺还款并履约",
            name_en="Promise to pay made and kept within 90 days",
            description_zh="自委案日起 90 天内作出还款承诺，并在同一期限内足额履行。",
            description_en="A promise to pay made within 90 days of placement and kept in full within "
            "the same 90 days.",
            kind="promise_kept",
            params={"window_days": 90},
        ),
        LabelDefinition(
            code="closed_paid_365",
            name_zh="365 天内结清结案",
            name_en="Closed as paid within 365 days",
            description_zh="自委案日起 365 天内案件结案，且其全部债务已结清。",
            description_en="The case was closed within 365 days of placement and all its debts are paid.",
            kind="stage_reached",
            params={"stages": ["closed"], "window_days": 365, "debts_paid": True},
        ),
    )
}

BATCH = 2000


def label_get(code: str) -> LabelDefinition:
    try:
        return LABELS[code]
    except KeyError:
        choices = ", ".join(LABELS)
        raise ScoringError(
            f"未知的标签：{code}（可选：{choices}）",
            f"Unknown label: {code} (one of: {choices})",
            field="label",
        ) from None


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def observation_dates(case_ids: Iterable[int]) -> dict[int, date]:
    """{case_id: observation date}: the portfolio's placement date, else the case's creation date."""
    from qingzhai.portfolio.models import Case

    out: dict[int, date] = {}
    tz = business_tz()
    for chunk in _chunks(sorted(set(case_ids))):
        for pk, placed, created in Case.objects.filter(pk__in=chunk).values_list(
            "pk", "portfolio__placement_date", "created_at"
        ):
            out[pk] = placed or created.astimezone(tz).date()
    return out


def label_cases(
    *, label: str | LabelDefinition, case_ids: Iterable[int], as_of: date | None = None
) -> dict[int, int | None]:
    """{case_id: 1 | 0 | None} for `label` (a code of LABELS or a definition), judged on what is known
    by `as_of` (default today, business date). None: the window has not ended yet (or, for a share of the
    balance, there was no balance to recover). Unknown case ids are left out."""
    definition = label_get(label) if isinstance(label, str) else label
    as_of = as_of or business_today()
    window = int(definition.params.get("window_days", 0))
    if definition.kind not in _JUDGES or window <= 0:
        raise ScoringError(
            f"标签 {definition.code} 不能由案件结果计算", f"Label {definition.code} cannot be read from cases"
        )
    obs = observation_dates(case_ids)
    out: dict[int, int | None] = {pk: None for pk in obs}
    ready = {pk: d for pk, d in obs.items() if d + timedelta(days=window) <= as_of}
    judge = _JUDGES[definition.kind]
    for chunk in _chunks(sorted(ready)):
        part = {pk: ready[pk] for pk in chunk}
        out.update(judge(part, window, definition.params))
    return out


def _payments(case_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    from qingzhai.portfolio.models import Payment

    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in Payment.objects.filter(case_id__in=case_ids).values(
        "id",
        "case_id",
        "paid_on",
        "amount_fen",
        "fee_fen",
        "interest_fen",
        "penalty_fen",
        "principal_fen",
        "reversal_of_id",
        "reversed_by__id",
    ):
        rows[p["case_id"]].append(dict(p))
    return rows


def _recovered_share(obs: dict[int, date], window: int, params: dict[str, Any]) -> dict[int, int | None]:
    from qingzhai.portfolio.models import Debt

    share = float(params.get("share", 0.5))
    ids = list(obs)
    balance: dict[int, int] = defaultdict(int)
    for case_id, principal, i, pen, fee in Debt.objects.filter(case_id__in=ids).values_list(
        "case_id", "principal_fen", "interest_fen", "penalty_fen", "fee_fen"
    ):
        balance[case_id] += principal + i + pen + fee
    payments = _payments(ids)
    out: dict[int, int | None] = {}
    for case_id, start in obs.items():
        end = start + timedelta(days=window)
        at_obs, recovered = balance[case_id], 0
        for p in payments.get(case_id, []):
            if p["paid_on"] >= start:  # taken off the debts since the observation date
                at_obs += p["fee_fen"] + p["interest_fen"] + p["penalty_fen"] + p["principal_fen"]
                if p["paid_on"] < end:
                    recovered += p["amount_fen"]
        out[case_id] = None if at_obs <= 0 else int(recovered >= share * at_obs)
    return out


def _paid_any(obs: dict[int, date], window: int, params: dict[str, Any]) -> dict[int, int | None]:
    payments = _payments(list(obs))
    out: dict[int, int | None] = {}
    for case_id, start in obs.items():
        end = start + timedelta(days=window)
        out[case_id] = int(
            any(
                p["amount_fen"] > 0 and p["reversed_by__id"] is None and start <= p["paid_on"] < end
                for p in payments.get(case_id, [])
            )
        )
    return out


def _promise_kept(obs: dict[int, date], window: int, params: dict[str, Any]) -> dict[int, int | None]:
    from qingzhai.portfolio.models import PromiseToPay

    tz = business_tz()
    kept: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for case_id, created, resolved, due in PromiseToPay.objects.filter(
        case_id__in=list(obs), status=PromiseToPay.Status.KEPT
    ).values_list("case_id", "created_at", "resolved_at", "due_date"):
        kept[case_id].append(
            (created.astimezone(tz).date(), resolved.astimezone(tz).date() if resolved else due)
        )
    out: dict[int, int | None] = {}
    for case_id, start in obs.items():
        end = start + timedelta(days=window)
        out[case_id] = int(
            any(start <= made < end and kept_on < end for made, kept_on in kept.get(case_id, []))
        )
    return out


def _stage_reached(obs: dict[int, date], window: int, params: dict[str, Any]) -> dict[int, int | None]:
    from qingzhai.portfolio.models import CaseStageChange, Debt

    stages = set(params.get("stages") or ["closed"])
    reached: dict[int, list[date]] = defaultdict(list)
    for case_id, day in CaseStageChange.objects.filter(
        case_id__in=list(obs), to_stage__in=stages
    ).values_list("case_id", "business_date"):
        reached[case_id].append(day)
    unpaid: set[int] = set()
    if params.get("debts_paid"):
        unpaid = set(
            Debt.objects.filter(case_id__in=list(obs))
            .exclude(status=Debt.Status.PAID)
            .values_list("case_id", flat=True)
        )
    out: dict[int, int | None] = {}
    for case_id, start in obs.items():
        end = start + timedelta(days=window)
        hit = any(start <= day < end for day in reached.get(case_id, []))
        out[case_id] = int(hit and case_id not in unpaid)
    return out


_JUDGES = {
    "recovered_share": _recovered_share,
    "paid_any": _paid_any,
    "promise_kept": _promise_kept,
    "stage_reached": _stage_reached,
}
