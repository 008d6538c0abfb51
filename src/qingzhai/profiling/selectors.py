"""Reads of the profile: access to a debtor, its sources, and the frames the engines compute from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import polars as pl
from django.db.models import QuerySet

from qingzhai.accounts import roles
from qingzhai.core import pii
from qingzhai.core.clock import business_today, business_tz
from qingzhai.core.errors import AccessDenied, NotFound
from qingzhai.portfolio.models import Activity, ContactPoint, Debt, Debtor, Payment, PromiseToPay
from qingzhai.portfolio.selectors import debtor_queryset_for_user
from qingzhai.profiling import frames as F
from qingzhai.profiling import purposes as purpose_rules
from qingzhai.profiling.models import Record, SourceFile, Transaction
from qingzhai.profiling.records.schema import KINDS as RECORD_KINDS

PROFILE_VIEW = roles.PROFILE_VIEW
PROFILE_INGEST = roles.PROFILE_INGEST


def require(user: Any, capability: str) -> None:
    if not getattr(user, "is_authenticated", False) or not user.can(capability):
        raise AccessDenied()


def debtor_get_for_user(*, user: Any, debtor_id: int | str, capability: str = PROFILE_VIEW) -> Debtor:
    require(user, capability)
    try:
        pk = int(debtor_id)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    debtor = debtor_queryset_for_user(user).filter(pk=pk).select_related("creditor").first()
    if debtor is None:
        raise NotFound()
    return debtor


def debtor_for_cli(debtor_id: int) -> Debtor:
    debtor = Debtor.objects.filter(pk=debtor_id).select_related("creditor").first()
    if debtor is None:
        raise NotFound("债务人不存在", f"No debtor with id {debtor_id}")
    return debtor


def sources_for(debtor: Debtor) -> QuerySet[SourceFile]:
    return SourceFile.objects.filter(debtor=debtor).select_related("uploaded_by").order_by("-id")


def source_get(*, debtor: Debtor, source_id: int | str) -> SourceFile:
    try:
        pk = int(source_id)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    sf = SourceFile.objects.filter(debtor=debtor, pk=pk).first()
    if sf is None:
        raise NotFound()
    return sf


def covered_purposes(debtor_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    out: dict[int, set[str]] = defaultdict(lambda: set(purpose_rules.ALWAYS))
    ids = list(debtor_ids)
    for debtor_id in ids:
        out[debtor_id]
    rows = SourceFile.objects.filter(debtor_id__in=ids, status=SourceFile.Status.DONE).values_list(
        "debtor_id", "purposes"
    )
    for debtor_id, purposes in rows:
        out[debtor_id] |= set(purposes or ())
    return {k: frozenset(v) for k, v in out.items()}


def _day(value: datetime | None) -> date | None:
    local = _local(value)
    return local.date() if local else None


def _local(value: datetime | None) -> datetime | None:
    return value.astimezone(business_tz()).replace(tzinfo=None) if value else None


def _frame(rows: list[dict[str, Any]], schema: F.Schema) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema) if rows else F.empty(schema)


def _age(debtor: Debtor, as_of: date) -> int | None:
    number = pii.get_value(debtor, "id_number") if debtor.id_number_enc else ""
    if len(number) != 18:
        return None
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))


def frames_for(debtor_ids: Iterable[int], *, as_of: date | None = None) -> F.Frames:
    """Everything the engines need about these debtors, as of `as_of` (default today, business date)."""
    ids = sorted(set(debtor_ids))
    as_of = as_of or business_today()
    debtors = list(Debtor.objects.filter(pk__in=ids).select_related("protection"))
    debtor_rows = []
    for d in debtors:
        protection = getattr(d, "protection", None)
        debtor_rows.append(
            {
                "debtor_id": d.pk,
                "kind": d.kind,
                "name": d.name,
                "has_id_number": bool(d.id_number_enc),
                "has_home_address": bool(d.home_address_enc),
                "has_work_address": bool(d.work_address_enc),
                "employer": d.employer,
                "created_on": _day(d.created_at),
                "age": _age(d, as_of),
                "bankrupt": bool(protection and protection.bankrupt),
                "deceased": bool(protection and protection.deceased),
                "hardship": bool(
                    protection and protection.hardship_until and protection.hardship_until >= as_of
                ),
                "lawyer_represented": bool(protection and protection.lawyer_represented),
                "unreachable": bool(protection and protection.unreachable),
            }
        )
    txn_fields = [k for k in F.TXNS if k not in ("debtor_id", "source_id", "time")]
    txn_rows = [
        {
            "debtor_id": r["debtor_id"],
            "source_id": r["source_file_id"],
            "time": _local(r["time"]),
            **{k: r[k] for k in txn_fields},
        }
        for r in Transaction.objects.filter(debtor_id__in=ids).values(
            "debtor_id", "source_file_id", "time", *txn_fields
        )
    ]
    records: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in Record.objects.filter(debtor_id__in=ids).values(
        "debtor_id", "source_file_id", "row", "kind", "data"
    ):
        spec = RECORD_KINDS.get(r["kind"])
        if spec is None:
            continue
        row = {"debtor_id": r["debtor_id"], "source_id": r["source_file_id"], "row": r["row"]}
        for f in spec.fields:
            value = r["data"].get(f.name)
            if (
                f.type == "date"
                and isinstance(value, str)
                and not (r["kind"] == "contribution" and f.name == "period")
            ):
                value = date.fromisoformat(value)
            row[f.name] = value
        records[r["kind"]].append(row)
    debts = [
        {
            "debtor_id": d.case.debtor_id,
            "debt_id": d.pk,
            "original_principal_fen": d.original_principal_fen,
            "principal_fen": d.principal_fen,
            "outstanding_fen": d.principal_fen + d.interest_fen + d.penalty_fen + d.fee_fen,
            "contract_date": d.contract_date,
            "due_date": d.due_date,
            "overdue_since": d.overdue_since,
            "dpd": d.dpd,
            "status": d.status,
            "product": d.product,
        }
        for d in Debt.objects.filter(case__debtor_id__in=ids).select_related("case")
    ]
    payments = [
        {
            "debtor_id": p["case__debtor_id"],
            "paid_on": p["paid_on"],
            "amount_fen": p["amount_fen"],
            "reversed": p["reversal_of_id"] is not None or p["reversed_by__id"] is not None,
            "method": p["method"],
        }
        for p in Payment.objects.filter(case__debtor_id__in=ids).values(
            "case__debtor_id", "paid_on", "amount_fen", "reversal_of_id", "reversed_by__id", "method"
        )
    ]
    promises = [
        {
            "debtor_id": p.case.debtor_id,
            "created_on": _day(p.created_at),
            "due_date": p.due_date,
            "amount_fen": p.amount_fen,
            "paid_fen": p.paid_fen,
            "status": p.status,
        }
        for p in PromiseToPay.objects.filter(case__debtor_id__in=ids).select_related("case")
    ]
    activities = [
        {
            "debtor_id": a["case__debtor_id"],
            "occurred_at": _local(a["occurred_at"]),
            "kind": a["kind"],
            "party": a["party"],
            "outcome": a["outcome"],
            "duration_seconds": a["duration_seconds"],
        }
        for a in Activity.objects.filter(case__debtor_id__in=ids).values(
            "case__debtor_id", "occurred_at", "kind", "party", "outcome", "duration_seconds"
        )
    ]
    contacts = [
        dict(row)
        for row in ContactPoint.objects.filter(debtor_id__in=ids).values(
            "debtor_id", "party", "relation", "status", "consent", "is_primary"
        )
    ]
    disputes = _disputes(ids)
    seen: dict[int, set[str]] = defaultdict(set)
    for debtor_id, kind in SourceFile.objects.filter(
        debtor_id__in=ids, status=SourceFile.Status.DONE
    ).values_list("debtor_id", "kind"):
        seen[debtor_id].add(kind)
    return F.Frames(
        as_of=as_of,
        debtors=_frame(debtor_rows, F.DEBTORS),
        txns=_frame(txn_rows, F.TXNS),
        debts=_frame(debts, F.DEBTS),
        payments=_frame(payments, F.PAYMENTS),
        promises=_frame(promises, F.PROMISES),
        activities=_frame(activities, F.ACTIVITIES),
        contacts=_frame(contacts, F.CONTACTS),
        disputes=_frame(disputes, F.DISPUTES),
        records={k: _frame(v, F.record_schema(k)) for k, v in records.items()},
        purposes=covered_purposes(ids),
        sources_seen={k: frozenset(v | {"portfolio"}) for k, v in seen.items()}
        | {i: frozenset({"portfolio"}) for i in ids if i not in seen},
    )


def _disputes(ids: list[int]) -> list[dict[str, Any]]:
    from qingzhai.compliance.models import Dispute

    return [
        {
            "debtor_id": d["case__debtor_id"],
            "opened_on": _day(d["opened_at"]),
            "resolved_on": _day(d["resolved_at"]),
        }
        for d in Dispute.objects.filter(case__debtor_id__in=ids).values(
            "case__debtor_id", "opened_at", "resolved_at"
        )
    ]
