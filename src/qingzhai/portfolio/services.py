"""Every write to the portfolio: typed, keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Sum

from qingzhai.accounts import roles
from qingzhai.accounts.models import Team, User
from qingzhai.core import audit, pii
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import AccessDenied, Conflict, DomainError, NotFound
from qingzhai.evidence import acts as evidence_acts
from qingzhai.evidence import record as evidence_record
from qingzhai.portfolio import allocation, stages
from qingzhai.portfolio.buckets import bucket_for, days_past_due
from qingzhai.portfolio.contact import OUTBOUND_KINDS, Clearance
from qingzhai.portfolio.models import (
    Activity,
    BankAccount,
    BucketHistory,
    Case,
    CaseStageChange,
    ContactPoint,
    Creditor,
    CreditorViewerGrant,
    Debt,
    Debtor,
    Payment,
    Portfolio,
    PromiseToPay,
)
from qingzhai.portfolio.selectors import case_get_for_user, case_queryset_for_user

CASE_AUDIT_FIELDS = ("stage", "assigned_to", "team", "next_action_date")
DEBT_AUDIT_FIELDS = (
    "principal_fen",
    "interest_fen",
    "penalty_fen",
    "fee_fen",
    "status",
    "dpd",
    "bucket",
    "overdue_since",
    "due_date",
    "product",
    "annual_rate",
    "contract_date",
    "allocation_order",
)
PAYMENT_AUDIT_FIELDS = (
    "amount_fen",
    "paid_on",
    "method",
    "reference",
    "fee_fen",
    "interest_fen",
    "penalty_fen",
    "principal_fen",
    "unapplied_fen",
    "reversal_of",
)
PROMISE_AUDIT_FIELDS = ("amount_fen", "due_date", "status", "paid_fen")


def _require(user: Any, capability: str) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.can(capability):
        raise AccessDenied()


# --- reference data -------------------------------------------------------------------------------


@transaction.atomic
def creditor_create(*, actor: Any, name: str, code: str, kind: str = Creditor.Kind.BANK) -> Creditor:
    _require(actor, roles.MANAGE_REFERENCE)
    name, code = name.strip(), code.strip()
    if not name or not code:
        raise DomainError(
            "creditor_invalid", "委托方名称和代码不能为空", "Creditor name and code are required"
        )
    if Creditor.objects.filter(name=name).exists() or Creditor.objects.filter(code=code).exists():
        raise Conflict(
            "creditor_exists", "委托方已存在：{name}", "Creditor already exists: {name}", name=name
        )
    creditor = Creditor.objects.create(name=name, code=code, kind=kind)
    audit.record(
        actor=actor,
        action="creditor.create",
        entity=creditor,
        changes={"name": [None, name], "code": [None, code], "kind": [None, kind]},
    )
    return creditor


@transaction.atomic
def portfolio_create(
    *,
    actor: Any,
    creditor: Creditor,
    code: str,
    placement_date: date,
    recall_date: date | None = None,
    name: str = "",
) -> Portfolio:
    _require(actor, roles.MANAGE_REFERENCE)
    if recall_date and recall_date < placement_date:
        raise DomainError(
            "portfolio_dates",
            "退案日期不能早于委案日期",
            "The recall date cannot be before the placement date",
            fields={"recall_date": ["recall_date < placement_date"]},
        )
    if Portfolio.objects.filter(creditor=creditor, code=code).exists():
        raise Conflict("portfolio_exists", "批次已存在：{p}", "Portfolio already exists: {p}", p=code)
    portfolio = Portfolio.objects.create(
        creditor=creditor, code=code, name=name, placement_date=placement_date, recall_date=recall_date
    )
    audit.record(
        actor=actor,
        action="portfolio.create",
        entity=portfolio,
        changes={
            "code": [None, code],
            "placement_date": [None, placement_date],
            "recall_date": [None, recall_date],
        },
    )
    return portfolio


@transaction.atomic
def creditor_viewer_grant(*, actor: Any, user: User, creditor_codes: list[str]) -> int:
    """Let a creditor_viewer user see the named creditors' portfolios."""
    if user.role != roles.Role.CREDITOR_VIEWER:
        raise DomainError(
            "role_mismatch",
            "只有委托方用户可以授权查看委托方",
            "Only creditor_viewer users get creditor grants",
        )
    found = {c.code: c for c in Creditor.objects.filter(code__in=creditor_codes)}
    missing = sorted(set(creditor_codes) - set(found))
    if missing:
        raise DomainError(
            "creditor_unknown", "委托方不存在：{c}", "Unknown creditor: {c}", c=", ".join(missing)
        )
    created = 0
    for creditor in found.values():
        _, was_new = CreditorViewerGrant.objects.get_or_create(user=user, creditor=creditor)
        if was_new:
            created += 1
            audit.record(
                actor=actor,
                action="creditor_viewer.grant",
                entity=user,
                changes={"creditor": [None, creditor.code]},
            )
    return created


# --- debtors and debts ----------------------------------------------------------------------------


def debtor_set_pii(debtor: Debtor, **values: str) -> None:
    for attr, value in values.items():
        pii.set_value(debtor, attr, value)


@transaction.atomic
def case_refresh_totals(*, case: Case) -> Case:
    """Recompute the queue's denormalised figures from the case's debts."""
    agg = case.debts.aggregate(
        p=Sum("principal_fen"), i=Sum("interest_fen"), pe=Sum("penalty_fen"), f=Sum("fee_fen"), d=Max("dpd")
    )
    total = sum(agg[k] or 0 for k in ("p", "i", "pe", "f"))
    max_dpd = agg["d"] or 0
    Case.objects.filter(pk=case.pk).update(
        total_balance_fen=total, max_dpd=max_dpd, bucket=bucket_for(max_dpd), updated_at=now()
    )
    case.total_balance_fen, case.max_dpd, case.bucket = total, max_dpd, bucket_for(max_dpd)
    return case


def debt_apply_dpd(debt: Debt, today: date) -> bool:
    """Set dpd/bucket as of `today`; record a bucket history row when the bucket changes. Unsaved."""
    dpd = days_past_due(debt.overdue_since, today) if debt.balance_fen > 0 else 0
    bucket = bucket_for(dpd)
    changed = bucket != debt.bucket or debt.dpd_as_of is None
    debt.dpd, debt.dpd_as_of = dpd, today
    if changed:
        debt.bucket = bucket
    return changed


@transaction.atomic
def debts_refresh_dpd(*, today: date | None = None, batch: int = 2000) -> int:
    """Daily: roll every open debt's days past due forward; returns how many changed bucket."""
    today = today or business_today()
    changed_buckets = 0
    touched_cases: set[int] = set()
    qs = Debt.objects.filter(status=Debt.Status.OPEN).exclude(dpd_as_of=today).order_by("id")
    for debt in qs.iterator(chunk_size=batch):
        old_bucket = debt.bucket
        if debt_apply_dpd(debt, today) and debt.bucket != old_bucket:
            BucketHistory.objects.create(debt=debt, as_of=today, dpd=debt.dpd, bucket=debt.bucket)
            changed_buckets += 1
        Debt.objects.filter(pk=debt.pk).update(dpd=debt.dpd, dpd_as_of=today, bucket=debt.bucket)
        touched_cases.add(debt.case_id)
    for case in Case.objects.filter(pk__in=touched_cases):
        case_refresh_totals(case=case)
    return changed_buckets


# --- cases ----------------------------------------------------------------------------------------


@transaction.atomic
def case_change_stage(
    *, actor: Any, case_id: int, to_stage: str, reason: str, business_date: date | None = None
) -> Case:
    _require(actor, roles.CHANGE_STAGE)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required",
            "变更阶段必须填写原因",
            "A reason is required to change the stage",
            fields={"reason": ["required"]},
        )
    case = case_get_for_user(user=actor, case_id=case_id, for_update=True)
    try:
        target = stages.check_transition(case.stage, to_stage)
    except stages.IllegalTransition as exc:
        cur_zh, cur_en = stages.label_pair(case.stage)
        to_zh, to_en = stages.label_pair(to_stage)
        raise Conflict(
            "illegal_transition",
            "不允许从「{cur_zh}」变更为「{to_zh}」",
            "Cannot move a case from {cur_en} to {to_en}",
            fields={"to_stage": [f"{exc.current} -> {exc.target}"]},
            cur_zh=cur_zh,
            cur_en=cur_en,
            to_zh=to_zh,
            to_en=to_en,
        ) from exc
    moment = now()
    change = CaseStageChange.objects.create(
        case=case,
        from_stage=case.stage,
        to_stage=target.value,
        reason=reason,
        actor=actor,
        business_date=business_date or business_today(moment),
        created_at=moment,
    )
    evidence_acts.row("stage_change", change, actor=actor, case_id=case.pk)
    old = case.stage
    case.stage, case.stage_changed_at = target.value, moment
    case.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    audit.record(
        actor=actor, action="case.stage", entity=case, changes={"stage": [old, target.value]}, reason=reason
    )
    return case


@transaction.atomic
def case_set_next_action(*, actor: Any, case_id: int, next_action_date: date | None) -> Case:
    _require(actor, roles.WORK_CASE)
    case = case_get_for_user(user=actor, case_id=case_id, for_update=True)
    old = case.next_action_date
    if old == next_action_date:
        return case
    case.next_action_date = next_action_date
    case.save(update_fields=["next_action_date", "updated_at"])
    audit.record(
        actor=actor,
        action="case.next_action",
        entity=case,
        changes={"next_action_date": [old, next_action_date]},
    )
    return case


@transaction.atomic
def cases_assign(
    *, actor: Any, case_ids: Sequence[int], assignee: User | None, team: Team | None = None, reason: str = ""
) -> int:
    """Assign (or unassign, with assignee None) cases in bulk; one audit event per changed case."""
    _require(actor, roles.ASSIGN)
    if assignee is not None and (
        assignee.role not in (roles.Role.COLLECTOR, roles.Role.LEGAL) or not assignee.is_active
    ):
        raise DomainError(
            "assignee_invalid",
            "只能分配给在职的催收员或法务",
            "Cases can only be assigned to active collectors or legal officers",
        )
    team = team if team is not None else (assignee.team if assignee else None)
    ids = sorted({int(i) for i in case_ids})
    cases = list(Case.objects.select_for_update().filter(pk__in=ids).only("id", "assigned_to", "team"))
    if len(cases) != len(ids):
        raise DomainError(
            "case_missing",
            "部分案件不存在",
            "Some cases do not exist",
            fields={"case_ids": [str(i) for i in sorted(set(ids) - {c.pk for c in cases})]},
        )
    new_id = assignee.pk if assignee else None
    events = []
    changed = []
    for case in cases:
        if case.assigned_to_id == new_id and case.team_id == (team.pk if team else None):
            continue
        changed.append(case.pk)
        events.append(
            audit.AuditEvent(
                occurred_at=now(),
                actor=actor,
                actor_label=actor.username,
                action="case.assign",
                entity_type="portfolio.case",
                entity_id=str(case.pk),
                reason=reason,
                changes={
                    "assigned_to": [case.assigned_to_id, new_id],
                    "team": [case.team_id, team.pk if team else None],
                },
            )
        )
    if changed:
        Case.objects.filter(pk__in=changed).update(assigned_to=assignee, team=team, updated_at=now())
        audit.record_many(events)
    return len(changed)


# --- activities -----------------------------------------------------------------------------------


@transaction.atomic
def activity_log(
    *,
    actor: Any,
    case_id: int,
    kind: str,
    outcome: str,
    party: str = Activity.Party.DEBTOR,
    note: str = "",
    occurred_at: Any = None,
    duration_seconds: int = 0,
    contact_point_id: int | None = None,
    clearance: Clearance | None = None,
) -> Activity:
    """Log an activity. An outbound contact (call, SMS, letter ...) needs the gate's `clearance`: callers go
    through `compliance.services.contact_log`, which asks the gate first."""
    _require(actor, roles.WORK_CASE)
    case = case_get_for_user(user=actor, case_id=case_id, for_update=True)
    if kind not in Activity.Kind.values:
        raise DomainError(
            "invalid_choice", "无效的联系方式类型", "Invalid activity kind", fields={"kind": [kind]}
        )
    if kind in OUTBOUND_KINDS and (
        clearance is None
        or not clearance.covers(case_id=case.pk, kind=kind, party=party, contact_point_id=contact_point_id)
    ):
        raise DomainError(
            "contact_not_cleared",
            "外呼类联系须先经合规闸门放行，未放行的联系不能记为已联系",
            "An outbound contact must be allowed by the compliance gate before it can be logged",
            fields={"kind": [kind]},
            status=409,
        )
    if outcome not in Activity.Outcome.values:
        raise DomainError("invalid_choice", "无效的结果", "Invalid outcome", fields={"outcome": [outcome]})
    if party not in Activity.Party.values:
        raise DomainError("invalid_choice", "无效的联系对象", "Invalid party", fields={"party": [party]})
    moment = now()
    if occurred_at is not None and occurred_at > moment:
        raise DomainError(
            "future_time",
            "发生时间不能晚于现在",
            "The time cannot be in the future",
            fields={"occurred_at": ["future"]},
        )
    contact_point = None
    if contact_point_id is not None:
        contact_point = ContactPoint.objects.filter(pk=contact_point_id, debtor_id=case.debtor_id).first()
        if contact_point is None:
            raise DomainError(
                "contact_point_invalid",
                "联系方式不属于该债务人",
                "The contact point does not belong to this debtor",
                fields={"contact_point_id": [str(contact_point_id)]},
            )
    activity = Activity.objects.create(
        case=case,
        kind=kind,
        outcome=outcome,
        party=party,
        note=note.strip(),
        actor=actor,
        occurred_at=occurred_at or moment,
        duration_seconds=duration_seconds,
        contact_point=contact_point,
        created_at=moment,
    )
    evidence_acts.row("activity", activity, actor=actor, case_id=case.pk)
    if contact_point and outcome == Activity.Outcome.WRONG_NUMBER:
        ContactPoint.objects.filter(pk=contact_point.pk).update(status=ContactPoint.Status.WRONG_NUMBER)
    if (
        contact_point
        and outcome == Activity.Outcome.REFUSED
        and party in (Activity.Party.EMERGENCY, Activity.Party.THIRD_PARTY)
    ):
        # A third party who asks not to be contacted again is never contacted again (GB/T 45251—2025).
        ContactPoint.objects.filter(pk=contact_point.pk).update(status=ContactPoint.Status.REFUSED)
    if case.stage == stages.Stage.NEW and outcome in (
        Activity.Outcome.CONNECTED,
        Activity.Outcome.PROMISE,
        Activity.Outcome.DISPUTE,
        Activity.Outcome.PAID,
    ):
        case_stage_auto(
            case=case, actor=actor, to_stage=stages.Stage.CONTACT, reason="首次联系 first contact"
        )
    audit.record(
        actor=actor,
        action="activity.create",
        entity=activity,
        changes={
            "case": [None, case.pk],
            "kind": [None, kind],
            "outcome": [None, outcome],
            "party": [None, party],
        },
    )
    return activity


def case_stage_auto(*, case: Case, actor: Any, to_stage: str, reason: str) -> None:
    """A stage move the system makes as a consequence of another act (already inside a transaction)."""
    if stages.Stage(to_stage) not in stages.allowed_targets(case.stage):
        return
    moment = now()
    change = CaseStageChange.objects.create(
        case=case,
        from_stage=case.stage,
        to_stage=to_stage,
        reason=reason,
        actor=actor,
        business_date=business_today(moment),
        created_at=moment,
    )
    evidence_acts.row("stage_change", change, actor=actor, case_id=case.pk)
    old = case.stage
    case.stage, case.stage_changed_at = to_stage, moment
    case.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    audit.record(
        actor=actor, action="case.stage", entity=case, changes={"stage": [old, to_stage]}, reason=reason
    )


# --- promises -------------------------------------------------------------------------------------


@transaction.atomic
def promise_create(
    *, actor: Any, case_id: int, amount_fen: int, due_date: date, note: str = ""
) -> PromiseToPay:
    _require(actor, roles.WORK_CASE)
    case = case_get_for_user(user=actor, case_id=case_id, for_update=True)
    if amount_fen <= 0:
        raise DomainError(
            "amount_not_positive",
            "承诺金额必须大于零",
            "The promised amount must be positive",
            fields={"amount": ["must be > 0"]},
        )
    today = business_today()
    if due_date < today:
        raise DomainError(
            "date_in_past",
            "承诺还款日期不能早于今天",
            "The promise date cannot be in the past",
            fields={"due_date": ["before today"]},
        )
    if case.total_balance_fen and amount_fen > case.total_balance_fen:
        raise DomainError(
            "amount_over_balance",
            "承诺金额超过欠款余额",
            "The promised amount exceeds the balance",
            fields={"amount": ["exceeds balance"]},
        )
    promise = PromiseToPay.objects.create(
        case=case,
        amount_fen=amount_fen,
        due_date=due_date,
        note=note.strip(),
        created_by=actor,
        created_at=now(),
    )
    evidence_acts.row("promise", promise, actor=actor, case_id=case.pk)
    if case.next_action_date is None or case.next_action_date > due_date:
        case.next_action_date = due_date
        case.save(update_fields=["next_action_date", "updated_at"])
    if case.stage == stages.Stage.NEW:
        case_stage_auto(
            case=case, actor=actor, to_stage=stages.Stage.CONTACT, reason="承诺还款 promise to pay"
        )
    audit.record(
        actor=actor,
        action="promise.create",
        entity=promise,
        changes={"case": [None, case.pk], "amount_fen": [None, amount_fen], "due_date": [None, due_date]},
    )
    return promise


def _promises_absorb_payment(*, case: Case, amount_fen: int, paid_on: date, actor: Any) -> None:
    """A payment counts towards the case's open promises, earliest first; a promise fully paid is kept."""
    remaining = amount_fen
    for promise in (
        PromiseToPay.objects.select_for_update()
        .filter(case=case, status=PromiseToPay.Status.OPEN, due_date__gte=paid_on)
        .order_by("due_date", "id")
    ):
        if remaining <= 0:
            break
        take = min(remaining, promise.amount_fen - promise.paid_fen)
        remaining -= take
        old = audit.snapshot(promise, PROMISE_AUDIT_FIELDS)
        promise.paid_fen += take
        if promise.paid_fen >= promise.amount_fen:
            promise.status, promise.resolved_at = PromiseToPay.Status.KEPT, now()
        promise.save(update_fields=["paid_fen", "status", "resolved_at"])
        _promise_evidence(promise, actor)
        audit.record(
            actor=actor,
            action="promise.payment",
            entity=promise,
            changes=audit.diff(old, audit.snapshot(promise, PROMISE_AUDIT_FIELDS)),
        )


def _promise_evidence(promise: PromiseToPay, actor: Any, reason: str = "") -> None:
    """A promise's new state, as a new version of its evidence record."""
    prev = evidence_record.previous(evidence_acts.subject(promise))
    extra = {"reason": reason} if reason else None
    evidence_acts.row("promise_change", promise, actor=actor, case_id=promise.case_id, extra=extra, prev=prev)


@transaction.atomic
def promise_cancel(*, actor: Any, promise_id: int, reason: str) -> PromiseToPay:
    _require(actor, roles.WORK_CASE)
    promise = PromiseToPay.objects.select_for_update().filter(pk=promise_id).first()
    if promise is None:
        raise NotFound()
    case_get_for_user(user=actor, case_id=promise.case_id)
    if promise.status != PromiseToPay.Status.OPEN:
        raise Conflict("promise_not_open", "只能取消未到期的承诺", "Only open promises can be cancelled")
    promise.status, promise.resolved_at = PromiseToPay.Status.CANCELLED, now()
    promise.save(update_fields=["status", "resolved_at"])
    _promise_evidence(promise, actor, reason=reason)
    audit.record(
        actor=actor,
        action="promise.cancel",
        entity=promise,
        changes={"status": ["open", "cancelled"]},
        reason=reason,
    )
    return promise


@transaction.atomic
def promises_break_overdue(*, today: date | None = None) -> int:
    """Mark open promises whose date has passed without full payment as broken. Safe to run twice."""
    today = today or business_today()
    broken = 0
    qs = PromiseToPay.objects.select_for_update().filter(status=PromiseToPay.Status.OPEN, due_date__lt=today)
    for promise in qs.order_by("id"):
        promise.status, promise.resolved_at = PromiseToPay.Status.BROKEN, now()
        promise.save(update_fields=["status", "resolved_at"])
        _promise_evidence(promise, "system")
        audit.record(
            actor="system",
            action="promise.broken",
            entity=promise,
            changes={"status": ["open", "broken"]},
            reason=f"到期日 {promise.due_date.isoformat()} 未足额还款 / unpaid by due date",
        )
        Case.objects.filter(pk=promise.case_id).update(next_action_date=today)
        broken += 1
    return broken


# --- payments -------------------------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    actor: Any,
    debt_id: int,
    amount_fen: int,
    paid_on: date,
    method: str = Payment.Method.BANK_TRANSFER,
    reference: str = "",
    note: str = "",
) -> Payment:
    _require(actor, roles.WORK_CASE)
    debt = Debt.objects.select_for_update().filter(pk=debt_id).first()
    if debt is None:
        raise DomainError("not_found", "债务不存在", "Debt not found", status=404)
    case = case_get_for_user(user=actor, case_id=debt.case_id, for_update=True)
    if amount_fen <= 0:
        raise DomainError(
            "amount_not_positive",
            "还款金额必须大于零",
            "The payment amount must be positive",
            fields={"amount": ["must be > 0"]},
        )
    if paid_on > business_today():
        raise DomainError(
            "date_in_future",
            "还款日期不能晚于今天",
            "The payment date cannot be in the future",
            fields={"paid_on": ["after today"]},
        )
    if method not in Payment.Method.values:
        raise DomainError(
            "invalid_choice", "无效的还款方式", "Invalid payment method", fields={"method": [method]}
        )
    if (
        reference
        and Payment.objects.filter(debt=debt, reference=reference, reversal_of__isnull=True).exists()
    ):
        raise Conflict(
            "duplicate_reference",
            "该流水号已登记过：{ref}",
            "This reference was already recorded: {ref}",
            fields={"reference": [reference]},
            ref=reference,
        )
    balances = {
        "fee": debt.fee_fen,
        "interest": debt.interest_fen,
        "penalty": debt.penalty_fen,
        "principal": debt.principal_fen,
    }
    alloc = allocation.allocate(amount_fen, balances, allocation.parse_order(debt.allocation_order))
    old = audit.snapshot(debt, DEBT_AUDIT_FIELDS)
    Debt.objects.filter(pk=debt.pk).update(
        fee_fen=F("fee_fen") - alloc.parts["fee"],
        interest_fen=F("interest_fen") - alloc.parts["interest"],
        penalty_fen=F("penalty_fen") - alloc.parts["penalty"],
        principal_fen=F("principal_fen") - alloc.parts["principal"],
        updated_at=now(),
    )
    debt.refresh_from_db()
    if debt.balance_fen == 0 and debt.status == Debt.Status.OPEN:
        debt.status = Debt.Status.PAID
        debt_apply_dpd(debt, business_today())
        debt.save(update_fields=["status", "dpd", "dpd_as_of", "bucket"])
    payment = Payment.objects.create(
        debt=debt,
        case=case,
        amount_fen=amount_fen,
        paid_on=paid_on,
        method=method,
        reference=reference.strip(),
        note=note.strip(),
        recorded_by=actor,
        recorded_at=now(),
        fee_fen=alloc.parts["fee"],
        interest_fen=alloc.parts["interest"],
        penalty_fen=alloc.parts["penalty"],
        principal_fen=alloc.parts["principal"],
        unapplied_fen=alloc.unapplied,
    )
    evidence_acts.row("payment", payment, actor=actor, case_id=case.pk)
    audit.record(
        actor=actor,
        action="payment.create",
        entity=payment,
        changes={k: [None, v] for k, v in audit.snapshot(payment, PAYMENT_AUDIT_FIELDS).items()},
    )
    audit.record(
        actor=actor,
        action="debt.payment",
        entity=debt,
        changes=audit.diff(old, audit.snapshot(debt, DEBT_AUDIT_FIELDS)),
    )
    _promises_absorb_payment(case=case, amount_fen=amount_fen, paid_on=paid_on, actor=actor)
    case_refresh_totals(case=case)
    return payment


@transaction.atomic
def payment_reverse(*, actor: Any, payment_id: int, reason: str) -> Payment:
    """Undo a payment with a reversing row; the debt's balances return to what the payment took."""
    _require(actor, roles.REVERSE_PAYMENT)
    if not (reason or "").strip():
        raise DomainError(
            "reason_required",
            "冲正必须填写原因",
            "A reason is required to reverse a payment",
            fields={"reason": ["required"]},
        )
    original = Payment.objects.select_for_update().filter(pk=payment_id).first()
    if original is None:
        raise DomainError("not_found", "还款记录不存在", "Payment not found", status=404)
    case_get_for_user(user=actor, case_id=original.case_id)
    if original.reversal_of_id is not None:
        raise Conflict("is_reversal", "冲正记录不能再冲正", "A reversal cannot itself be reversed")
    if Payment.objects.filter(reversal_of=original).exists():
        raise Conflict("already_reversed", "该还款已冲正", "This payment was already reversed")
    debt = Debt.objects.select_for_update().get(pk=original.debt_id)
    old = audit.snapshot(debt, DEBT_AUDIT_FIELDS)
    debt.fee_fen += original.fee_fen
    debt.interest_fen += original.interest_fen
    debt.penalty_fen += original.penalty_fen
    debt.principal_fen += original.principal_fen
    if debt.status == Debt.Status.PAID and debt.balance_fen > 0:
        debt.status = Debt.Status.OPEN
        debt_apply_dpd(debt, business_today())
    debt.save()
    reversal = Payment.objects.create(
        debt=debt,
        case_id=original.case_id,
        amount_fen=-original.amount_fen,
        paid_on=original.paid_on,
        method=original.method,
        reference=original.reference,
        reversal_of=original,
        note=reason.strip(),
        fee_fen=-original.fee_fen,
        interest_fen=-original.interest_fen,
        penalty_fen=-original.penalty_fen,
        principal_fen=-original.principal_fen,
        unapplied_fen=-original.unapplied_fen,
        recorded_by=actor,
        recorded_at=now(),
    )
    evidence_acts.row(
        "payment_reversal",
        reversal,
        actor=actor,
        case_id=original.case_id,
        prev=evidence_record.previous(evidence_acts.subject(original)),
    )
    audit.record(
        actor=actor,
        action="payment.reverse",
        entity=reversal,
        changes={"reversal_of": [None, original.pk], "amount_fen": [None, reversal.amount_fen]},
        reason=reason,
    )
    audit.record(
        actor=actor,
        action="debt.payment_reversed",
        entity=debt,
        changes=audit.diff(old, audit.snapshot(debt, DEBT_AUDIT_FIELDS)),
        reason=reason,
    )
    _promises_release_payment(case_id=original.case_id, amount_fen=original.amount_fen, actor=actor)
    case_refresh_totals(case=Case.objects.get(pk=original.case_id))
    return reversal


def _promises_release_payment(*, case_id: int, amount_fen: int, actor: Any) -> None:
    """A reversed payment no longer counts towards promises: latest-credited first."""
    remaining = amount_fen
    qs = (
        PromiseToPay.objects.select_for_update()
        .filter(case_id=case_id, paid_fen__gt=0)
        .exclude(status=PromiseToPay.Status.CANCELLED)
        .order_by("-due_date", "-id")
    )
    today = business_today()
    for promise in qs:
        if remaining <= 0:
            break
        take = min(remaining, promise.paid_fen)
        remaining -= take
        old = audit.snapshot(promise, PROMISE_AUDIT_FIELDS)
        promise.paid_fen -= take
        if promise.status == PromiseToPay.Status.KEPT and promise.paid_fen < promise.amount_fen:
            broken = promise.due_date < today
            promise.status = PromiseToPay.Status.BROKEN if broken else PromiseToPay.Status.OPEN
            promise.resolved_at = now() if broken else None
        promise.save(update_fields=["paid_fen", "status", "resolved_at"])
        _promise_evidence(promise, actor)
        audit.record(
            actor=actor,
            action="promise.payment_reversed",
            entity=promise,
            changes=audit.diff(old, audit.snapshot(promise, PROMISE_AUDIT_FIELDS)),
        )


# --- personal information -------------------------------------------------------------------------

REVEALABLE = {
    "debtor": (Debtor, ("id_number", "home_address", "work_address")),
    "contact_point": (ContactPoint, ("value",)),
    "bank_account": (BankAccount, ("account",)),
}


@transaction.atomic
def pii_reveal(*, actor: Any, kind: str, object_id: int, attr: str, reason: str) -> str:
    """Return one plaintext PII value to an allowed user with a stated reason; always audited."""
    _require(actor, roles.REVEAL_PII)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DomainError(
            "reason_required",
            "查看完整信息必须填写原因（至少 4 个字）",
            "A reason (at least 4 characters) is required to reveal personal data",
            fields={"reason": ["required"]},
        )
    if kind not in REVEALABLE or attr not in REVEALABLE[kind][1]:
        raise DomainError(
            "invalid_choice", "不支持查看该字段", "This field cannot be revealed", fields={"attr": [attr]}
        )
    model = REVEALABLE[kind][0]
    obj = model._default_manager.filter(pk=object_id).first()
    if obj is None:
        raise DomainError("not_found", "记录不存在或无权查看", "Not found, or not visible to you", status=404)
    debtor_id = obj.pk if kind == "debtor" else obj.debtor_id  # type: ignore[attr-defined]
    if not case_queryset_for_user(actor).filter(debtor_id=debtor_id).exists():
        raise DomainError("not_found", "记录不存在或无权查看", "Not found, or not visible to you", status=404)
    value = pii.get_value(obj, attr)
    audit.record(actor=actor, action="pii.reveal", entity=obj, changes={"field": attr}, reason=reason)
    evidence_acts.pii_reveal(actor=actor, obj=obj, attr=attr, reason=reason, case_id=None)
    return value


def activities_log_cleared(
    *, actor: Any, entries: Sequence[tuple[Clearance, str, Any, str]]
) -> list[Activity]:
    """Outbound contacts made by the system in bulk (reminder campaigns): each entry is (the gate's
    clearance, outcome, occurred_at, note). Call inside the caller's transaction; the caller records its own
    audit and evidence act for each contact (the campaign message names the activity). No stage change:
    a reminder sent is not a conversation."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("activities_log_cleared must run inside the caller's transaction")
    moment = now()
    rows = []
    for clearance, outcome, occurred_at, note in entries:
        if clearance.kind not in OUTBOUND_KINDS or outcome not in Activity.Outcome.values:
            raise DomainError(
                "invalid_choice",
                "无效的联系方式或结果",
                "Invalid kind or outcome",
                fields={"kind": [clearance.kind]},
            )
        if occurred_at > moment:
            raise DomainError(
                "future_time",
                "发生时间不能晚于现在",
                "The time cannot be in the future",
                fields={"occurred_at": ["future"]},
            )
        rows.append(
            Activity(
                case_id=clearance.case_id,
                kind=clearance.kind,
                outcome=outcome,
                party=clearance.party,
                note=note.strip(),
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                occurred_at=occurred_at,
                contact_point_id=clearance.contact_point_id,
                created_at=moment,
            )
        )
    return Activity.objects.bulk_create(rows, batch_size=500)


def activities_mark_delivered(*, activity_ids: Sequence[int]) -> int:
    """A delivery receipt arrived for these outbound messages: their outcome becomes `delivered` (a
    delivered demand interrupts limitation). Only messages still without a final outcome change."""
    return Activity.objects.filter(
        pk__in=list(activity_ids), kind__in=("sms", "email", "letter"), outcome=Activity.Outcome.OTHER
    ).update(outcome=Activity.Outcome.DELIVERED)
