"""Every read an interface needs, with the access check in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from qingzhai.accounts import roles
from qingzhai.core import pii
from qingzhai.core.errors import NotFound
from qingzhai.core.validators import is_valid_mobile, is_valid_prc_id, is_valid_uscc
from qingzhai.portfolio.models import (
    Activity,
    Case,
    CaseStageChange,
    ContactPoint,
    Creditor,
    Debt,
    Debtor,
    ImportJob,
    Payment,
    Portfolio,
    PromiseToPay,
)


def creditor_ids_for_viewer(user: Any) -> list[int]:
    return list(user.creditor_grants.values_list("creditor_id", flat=True))


def case_queryset_for_user(user: Any) -> QuerySet[Case]:
    """The cases `user` may see: all, their assigned ones, or their creditors' ones; none otherwise."""
    qs = Case.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.can(roles.VIEW_ALL):
        return qs
    if user.can(roles.VIEW_ASSIGNED):
        return qs.filter(assigned_to=user)
    if user.can(roles.VIEW_OWN_CREDITOR):
        return qs.filter(portfolio__creditor_id__in=creditor_ids_for_viewer(user))
    return qs.none()


def case_get_for_user(*, user: Any, case_id: int | str, for_update: bool = False) -> Case:
    try:
        pk = int(case_id)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    qs = case_queryset_for_user(user).select_related("portfolio__creditor", "debtor", "assigned_to", "team")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    case = qs.filter(pk=pk).first()
    if case is None:
        raise NotFound()
    return case


def creditor_queryset_for_user(user: Any) -> QuerySet[Creditor]:
    qs = Creditor.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.can(roles.VIEW_ALL):
        return qs
    if user.can(roles.VIEW_OWN_CREDITOR):
        return qs.filter(id__in=creditor_ids_for_viewer(user))
    if user.can(roles.VIEW_ASSIGNED):
        return qs.filter(portfolios__cases__assigned_to=user).distinct()
    return qs.none()


def portfolio_queryset_for_user(user: Any) -> QuerySet[Portfolio]:
    qs = Portfolio.objects.select_related("creditor")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.can(roles.VIEW_ALL):
        return qs
    if user.can(roles.VIEW_OWN_CREDITOR):
        return qs.filter(creditor_id__in=creditor_ids_for_viewer(user))
    if user.can(roles.VIEW_ASSIGNED):
        return qs.filter(cases__assigned_to=user).distinct()
    return qs.none()


def debtor_queryset_for_user(user: Any) -> QuerySet[Debtor]:
    return Debtor.objects.filter(cases__in=case_queryset_for_user(user)).distinct()


def debt_queryset_for_user(user: Any) -> QuerySet[Debt]:
    return Debt.objects.filter(case__in=case_queryset_for_user(user)).select_related("case", "creditor")


def payment_queryset_for_user(user: Any) -> QuerySet[Payment]:
    return Payment.objects.filter(case__in=case_queryset_for_user(user)).select_related("debt")


def promise_queryset_for_user(user: Any) -> QuerySet[PromiseToPay]:
    return PromiseToPay.objects.filter(case__in=case_queryset_for_user(user))


def activity_queryset_for_user(user: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(case__in=case_queryset_for_user(user)).select_related("actor")


def import_queryset_for_user(user: Any) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.select_related("creditor", "portfolio", "uploaded_by")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.can(roles.IMPORT) or user.can(roles.VIEW_AUDIT):
        return qs
    return qs.none()


@dataclass
class QueueFilters:
    stage: str = ""
    bucket: str = ""
    creditor_id: int | None = None
    portfolio_id: int | None = None
    assigned_to_id: int | None = None
    unassigned: bool = False
    next_action_before: date | None = None
    min_balance_fen: int | None = None
    max_balance_fen: int | None = None
    q: str = ""  # name or contract no. (substring), or exact ID number / phone through the blind index
    tag: str = ""
    sort: str = "next_action"


SORTS: dict[str, tuple[Any, ...]] = {
    # Cases without a next action date go last in both directions.
    "next_action": (F("next_action_date").asc(nulls_last=True), "id"),
    "-next_action": (F("next_action_date").desc(nulls_last=True), "-id"),
    "balance": ("total_balance_fen", "id"),
    "-balance": ("-total_balance_fen", "-id"),
    "dpd": ("max_dpd", "id"),
    "-dpd": ("-max_dpd", "-id"),
    "name": ("debtor__name", "id"),
    "-name": ("-debtor__name", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "id": ("id",),
}


def _search(qs: QuerySet[Case], term: str) -> QuerySet[Case]:
    """A full ID number, USCC or mobile number is looked up through the blind indexes alone (exact, and
    fast at any size); anything else matches names and contract numbers by substring."""
    term = term.strip()
    if not term:
        return qs
    if is_valid_prc_id(term) or is_valid_uscc(term):
        return qs.filter(debtor__id_number_bidx=pii.lookup_index("id_number", term))
    if is_valid_mobile(term):
        phone_index = pii.lookup_index("phone", term)
        debtor_ids = ContactPoint.objects.filter(value_bidx=phone_index).values("debtor_id")
        return qs.filter(debtor_id__in=debtor_ids)
    by_contract = Debt.objects.filter(contract_no__icontains=term).values("case_id")
    return qs.filter(Q(debtor__name__icontains=term) | Q(id__in=by_contract))


def case_queue(*, user: Any, filters: QueueFilters) -> QuerySet[Case]:
    """The collector's queue: visible cases, filtered and sorted; related rows joined in one query."""
    qs = case_queryset_for_user(user).select_related("debtor", "portfolio__creditor", "assigned_to")
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.bucket:
        qs = qs.filter(bucket=filters.bucket)
    if filters.creditor_id:
        qs = qs.filter(portfolio__creditor_id=filters.creditor_id)
    if filters.portfolio_id:
        qs = qs.filter(portfolio_id=filters.portfolio_id)
    if filters.unassigned:
        qs = qs.filter(assigned_to__isnull=True)
    elif filters.assigned_to_id:
        qs = qs.filter(assigned_to_id=filters.assigned_to_id)
    if filters.next_action_before:
        qs = qs.filter(next_action_date__lte=filters.next_action_before)
    if filters.min_balance_fen is not None:
        qs = qs.filter(total_balance_fen__gte=filters.min_balance_fen)
    if filters.max_balance_fen is not None:
        qs = qs.filter(total_balance_fen__lte=filters.max_balance_fen)
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag)
    qs = _search(qs, filters.q)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["next_action"]))


def case_detail(*, user: Any, case_id: int | str) -> Case:
    case = case_get_for_user(user=user, case_id=case_id)
    return (
        Case.objects.filter(pk=case.pk)
        .select_related("debtor", "portfolio__creditor", "assigned_to", "team")
        .prefetch_related(
            Prefetch("debts", queryset=Debt.objects.prefetch_related("guarantors", "instalments")),
            "debtor__contact_points",
            "debtor__bank_accounts",
            "tags",
        )
        .get()
    )


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # activity, payment, promise, stage
    obj: Any


def case_timeline(*, case: Case, limit: int = 200) -> list[TimelineEntry]:
    """Activities, payments, promises and stage changes of one case, newest first (4 queries)."""
    from qingzhai.core.clock import business_tz

    tz = business_tz()
    entries: list[TimelineEntry] = []
    for a in Activity.objects.filter(case=case).select_related("actor", "contact_point")[:limit]:
        entries.append(TimelineEntry(a.occurred_at, "activity", a))
    for p in Payment.objects.filter(case=case).select_related("debt", "recorded_by")[:limit]:
        entries.append(TimelineEntry(p.recorded_at, "payment", p))
    for pr in PromiseToPay.objects.filter(case=case).select_related("created_by")[:limit]:
        entries.append(TimelineEntry(pr.created_at, "promise", pr))
    for s in CaseStageChange.objects.filter(case=case).select_related("actor")[:limit]:
        entries.append(TimelineEntry(s.created_at, "stage", s))
    entries.sort(key=lambda e: (e.at.astimezone(tz), e.kind, e.obj.pk), reverse=True)
    return entries[:limit]
