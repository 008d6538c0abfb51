"""Reads for the legal engines: the limitation period of a debt from what the database records.

Where the facts come from (see docs/legal-deadlines.md):
- when the debt fell due: its Instalments (the last due date, CC art. 189) when it has any; else
  Debt.due_date; else Debt.overdue_since minus one day (overdue_since is the first day in arrears;
  taking the day before can only make the expiry earlier). Debt has no term length, so the contract
  date alone cannot give a due date: such a debt is refused with `no_due_date`.
- partial payments: the debt's Payments with a positive amount that were not reversed;
- acknowledgments: the case's PromiseToPay rows, on the day they were recorded, except cancelled ones;
- demands: the case's letter, SMS and e-mail Activities to the debtor. Activity has no proof-of-delivery
  field, so only outcome `delivered` counts as delivered (interrupts); every other outcome is listed as
  an undelivered demand that does not interrupt. Calls and visits are not counted as demands;
- filings: the case's proceeding events that interrupt limitation (a payment-order application, a suit
  filed, an enforcement application, a mediation started...); when that proceeding has ended, the period
  runs again from the day it ended, else from the filing day (the earlier, hence safer, expiry). A demand
  proceeding's `delivered` event counts as a delivered demand.
Promises and activities belong to the case (one debtor), so they count for each of the case's debts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from qingzhai.core.errors import DomainError, NotFound
from qingzhai.legal import limitation as lim
from qingzhai.legal.models import ProceedingEvent
from qingzhai.portfolio.models import Activity, Debt, Payment, PromiseToPay
from qingzhai.portfolio.selectors import case_queryset_for_user

DEMAND_KINDS = (Activity.Kind.LETTER, Activity.Kind.SMS, Activity.Kind.EMAIL)


@dataclass
class DebtLimitation:
    debt_id: int
    contract_no: str
    result: lim.Result

    def as_dict(self) -> dict[str, Any]:
        return {"debt_id": self.debt_id, "contract_no": self.contract_no, **self.result.as_dict()}


def _local(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def debt_get(*, debt_id: int | str, user: Any = None) -> Debt:
    """The debt, if `user` may see its case; `user=None` is the operator on the server (CLI)."""
    try:
        pk = int(debt_id)
    except (TypeError, ValueError) as exc:
        raise _not_found(debt_id) from exc
    qs = Debt.objects.select_related("case")
    if user is not None:
        qs = qs.filter(case__in=case_queryset_for_user(user))
    debt = qs.filter(pk=pk).first()
    if debt is None:
        raise _not_found(debt_id)
    return debt


def _not_found(debt_id: object) -> NotFound:
    return NotFound(f"债务 {debt_id} 不存在或无权查看", f"Debt {debt_id} not found, or not visible to you")


def limitation_input(debt: Debt) -> tuple[lim.Terms, list[lim.Event]]:
    """The pure engine's input for one debt."""
    instalments = tuple(debt.instalments.order_by("seq").values_list("due_date", flat=True))
    due, basis = debt.due_date, ""
    if due is None and debt.overdue_since is not None:
        due = debt.overdue_since - timedelta(days=1)
        basis = (
            f"无到期日，按逾期起始日前一日推定 / no due date: taken as the day before overdue_since "
            f"({debt.overdue_since.isoformat()})"
        )
    terms = lim.Terms(due_date=due, instalment_due_dates=instalments, basis=basis)
    events: list[lim.Event] = []
    payments = Payment.objects.filter(debt=debt, amount_fen__gt=0, reversed_by__isnull=True)
    for pay in payments.order_by("paid_on", "id"):
        events.append(lim.Event(pay.paid_on, "partial_payment", ref=f"payment:{pay.pk}"))
    promises = PromiseToPay.objects.filter(case_id=debt.case_id).exclude(status=PromiseToPay.Status.CANCELLED)
    for promise in promises.order_by("created_at", "id"):
        events.append(lim.Event(_local(promise.created_at), "acknowledgment", ref=f"promise:{promise.pk}"))
    demands = Activity.objects.filter(
        case_id=debt.case_id, kind__in=DEMAND_KINDS, party=Activity.Party.DEBTOR
    )
    for act in demands.order_by("occurred_at", "id"):
        delivered = act.outcome == Activity.Outcome.DELIVERED
        events.append(
            lim.Event(_local(act.occurred_at), "demand", delivered=delivered, ref=f"activity:{act.pk}")
        )
    filings = ProceedingEvent.objects.filter(
        proceeding__case_id=debt.case_id, interrupts_limitation=True
    ).select_related("proceeding")
    for row in filings.order_by("business_date", "id"):
        ref = f"proceeding:{row.proceeding_id}:{row.event}"
        if row.proceeding.kind == "demand":  # a demand letter recorded as delivered: restarts on delivery
            events.append(lim.Event(row.business_date, "demand", delivered=True, ref=ref))
            continue
        events.append(lim.Event(row.business_date, "filing", ref=ref, restart_on=row.proceeding.closed_on))
    return terms, events


def debt_limitation(
    *, debt_id: int | str, as_of: date | None = None, user: Any = None, warn_days: int = lim.DEFAULT_WARN_DAYS
) -> DebtLimitation:
    """The limitation period of one debt as of `as_of` (today, Shanghai time, by default)."""
    debt = debt_get(debt_id=debt_id, user=user)
    terms, events = limitation_input(debt)
    try:
        result = lim.limitation(terms, events, as_of=as_of or timezone.localdate(), warn_days=warn_days)
    except lim.LimitationError as exc:
        raise DomainError(exc.code, exc.zh, exc.en, fields={exc.field or "debt": [exc.en]}) from exc
    return DebtLimitation(debt_id=debt.pk, contract_no=debt.contract_no, result=result)
