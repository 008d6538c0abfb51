"""Reads for the legal workspace: a case's proceedings with their history and deadlines, the fee and
interest figures of its claim, and the deadlines calendar across the cases a user may see.

Access: legal.view plus the case visibility of the portfolio selectors (a collector sees the legal
progress of assigned cases only; a creditor client that of its own creditor's cases)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from qingzhai.accounts import roles
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.legal import fees as fee_calc
from qingzhai.legal import interest as interest_calc
from qingzhai.legal.fees import LegalInputError
from qingzhai.legal.models import Deadline, LegalDocument, Proceeding, ProceedingEvent
from qingzhai.portfolio.models import Case, Creditor, Debt
from qingzhai.portfolio.selectors import case_get_for_user, case_queryset_for_user

LICENSED_KINDS = (Creditor.Kind.BANK, Creditor.Kind.CONSUMER_FINANCE)
CALENDAR_MAX_DAYS = 366


def require(user: Any, capability: str = roles.LEGAL_VIEW) -> None:
    if not getattr(user, "is_authenticated", False) or not user.can(capability):
        raise AccessDenied()


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc


def proceedings_of(case: Case) -> list[Proceeding]:
    """The case's proceedings, newest first, with events and deadlines loaded (three queries)."""
    return list(
        Proceeding.objects.filter(case=case)
        .prefetch_related(
            Prefetch("events", queryset=ProceedingEvent.objects.select_related("actor").order_by("id")),
            Prefetch("deadlines", queryset=Deadline.objects.order_by("due_on", "id")),
        )
        .order_by("-opened_on", "-id")
    )


def proceeding_get(*, user: Any, proceeding_id: int | str, with_history: bool = False) -> Proceeding:
    """A proceeding of a visible case; `with_history` also loads its events and deadlines."""
    require(user)
    qs = Proceeding.objects.select_related("case", "parent")
    if with_history:
        qs = qs.prefetch_related(
            Prefetch("events", queryset=ProceedingEvent.objects.order_by("id")),
            Prefetch("deadlines", queryset=Deadline.objects.order_by("due_on", "id")),
        )
    proceeding = qs.filter(pk=_pk(proceeding_id), case__in=case_queryset_for_user(user)).first()
    if proceeding is None:
        raise NotFound(f"程序 {proceeding_id} 不存在或无权查看", f"Proceeding {proceeding_id} not found")
    return proceeding


def proceeding_list(
    *, user: Any, case_id: int | str | None = None, kind: str = "", state: str = "", open_only: bool = False
) -> QuerySet[Proceeding]:
    require(user)
    qs = Proceeding.objects.filter(case__in=case_queryset_for_user(user)).select_related("case__debtor")
    if case_id is not None:
        qs = qs.filter(case_id=_pk(case_id))
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if open_only:
        qs = qs.filter(outcome="")
    return qs.order_by("-opened_on", "-id")


def deadline_list(
    *,
    user: Any,
    start: date | None = None,
    end: date | None = None,
    status: str = Deadline.Status.OPEN,
    case_id: int | str | None = None,
    alerts_only: bool = False,
) -> QuerySet[Deadline]:
    """Deadlines in [start, end] (at most a year apart) of the visible cases, earliest first."""
    require(user)
    if start and end and (end < start or (end - start).days > CALENDAR_MAX_DAYS):
        raise DomainError(
            "bad_range",
            f"日期范围无效：起止相差不能超过 {CALENDAR_MAX_DAYS} 天，且结束不早于开始",
            f"Bad date range: the end must not precede the start, at most {CALENDAR_MAX_DAYS} days apart",
            fields={"end": ["range"]},
        )
    qs = Deadline.objects.filter(case__in=case_queryset_for_user(user)).select_related(
        "proceeding", "case__debtor"
    )
    if status:
        qs = qs.filter(status=status)
    if start:
        qs = qs.filter(due_on__gte=start)
    if end:
        qs = qs.filter(due_on__lte=end)
    if case_id is not None:
        qs = qs.filter(case_id=_pk(case_id))
    if alerts_only:
        qs = qs.exclude(alert="")
    return qs.order_by("due_on", "id")


def alert_counts(*, user: Any) -> dict[str, int]:
    """How many open deadlines of the visible cases are overdue, due today or due soon."""
    if not getattr(user, "is_authenticated", False) or not user.can(roles.LEGAL_VIEW):
        return {"overdue": 0, "due": 0, "soon": 0}
    rows = (
        Deadline.objects.filter(case__in=case_queryset_for_user(user), status=Deadline.Status.OPEN)
        .exclude(alert="")
        .values_list("alert", flat=True)
    )
    out = {"overdue": 0, "due": 0, "soon": 0}
    for level in rows:
        out[level] = out.get(level, 0) + 1
    return out


@dataclass
class DebtFigures:
    debt: Debt
    outstanding_fen: int
    interest: dict[str, Any] | None = None  # contract interest to date (capped), as the calculator gives it
    interest_error: str = ""
    late_interest: dict[str, Any] | None = None  # doubled interest after an effective judgment


@dataclass
class CaseLegal:
    case: Case
    proceedings: list[Proceeding]
    open_deadlines: list[Deadline]
    documents: list[LegalDocument]
    claim_fen: int
    fees: dict[str, int]
    debts: list[DebtFigures] = field(default_factory=list)
    as_of: date | None = None


def _performance_end(proceedings: list[Proceeding]) -> date | None:
    """The last day of the performance period of the case's effective judgment or order, if any."""
    for proc in proceedings:
        value = (proc.facts or {}).get("performance_ends_on")
        if value:
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                continue
    return None


def _debt_figures(debt: Debt, lender: str, today: date, performance_end: date | None) -> DebtFigures:
    outstanding = debt.principal_fen + debt.interest_fen + debt.penalty_fen + debt.fee_fen
    figures = DebtFigures(debt=debt, outstanding_fen=outstanding)
    start = debt.overdue_since or debt.due_date
    if debt.annual_rate is not None and start is not None and start < today and debt.principal_fen > 0:
        try:
            result = interest_calc.contract_interest(
                principal=Decimal(debt.principal_fen) / 100,
                rate=debt.annual_rate,
                start=start,
                end=today,
                contract_date=debt.contract_date or start,
                lender=lender,
            )
            figures.interest = result.as_dict()
        except LegalInputError as exc:
            figures.interest_error = f"{exc.zh} / {exc.en}"
    if performance_end is not None and performance_end < today and debt.principal_fen > 0:
        figures.late_interest = interest_calc.late_interest(
            principal=Decimal(debt.principal_fen) / 100, days=(today - performance_end).days
        )
    return figures


def case_legal(*, user: Any, case_id: int | str, as_of: date | None = None) -> CaseLegal:
    """Everything the legal workspace shows for one case."""
    require(user)
    case = case_get_for_user(user=user, case_id=case_id)
    today = as_of or timezone.localdate()
    proceedings = proceedings_of(case)
    open_deadlines = sorted(
        (d for p in proceedings for d in p.deadlines.all() if d.status == Deadline.Status.OPEN),
        key=lambda d: (d.due_on, d.pk),
    )
    documents = list(LegalDocument.objects.filter(case=case).select_related("created_by")[:50])
    lender = "licensed" if case.portfolio.creditor.kind in LICENSED_KINDS else "private"
    performance_end = _performance_end(proceedings)
    debts = [
        _debt_figures(debt, lender, today, performance_end)
        for debt in Debt.objects.filter(case=case, status=Debt.Status.OPEN).order_by("id")
    ]
    claim = sum(d.outstanding_fen for d in debts)
    return CaseLegal(
        case=case,
        proceedings=proceedings,
        open_deadlines=open_deadlines,
        documents=documents,
        claim_fen=claim,
        fees=fee_calc.fees_fen(claim) if claim > 0 else {},
        debts=debts,
        as_of=today,
    )


def upcoming_window(today: date, days: int = 30) -> tuple[date, date]:
    return today - timedelta(days=days), today + timedelta(days=2 * days)
