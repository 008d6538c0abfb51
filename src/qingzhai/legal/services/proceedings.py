"""Writes of legal proceedings: open one for a case, record its events through the engine's transition
table, keep its deadlines, and raise alerts on the deadlines about to pass.

Every change writes its history row, an audit event and an evidence-ledger entry in one transaction.
The case moves to the legal or enforcement stage when a proceeding starts there (when the stage machine
allows it).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_date

from qingzhai.accounts import roles
from qingzhai.core import audit
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.evidence import acts as evidence_acts
from qingzhai.legal import machines
from qingzhai.legal.calendar import CalendarError
from qingzhai.legal.models import Deadline, Proceeding, ProceedingEvent
from qingzhai.portfolio.models import Case
from qingzhai.portfolio.selectors import case_get_for_user
from qingzhai.portfolio.services import case_stage_auto

# The case stage a proceeding of each kind puts the case in, once it is under way.
STAGE_OF_KIND = {
    "payment_order": "legal",
    "suit": "legal",
    "mediation": "legal",
    "enforcement": "enforcement",
}
SOON_DAYS = 3  # working days before a deadline when its alert turns to "soon"


def _require(user: Any, capability: str = roles.LEGAL_MANAGE) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.can(capability):
        raise AccessDenied()


def _as_date(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        parsed = parse_date(str(value or "").strip()) if value else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise DomainError(
            "bad_date",
            f"日期无效：{value!r}（格式 YYYY-MM-DD）",
            f"Not a valid date: {value!r} (YYYY-MM-DD)",
            fields={field: ["YYYY-MM-DD"]},
        )
    return parsed


def _machine_error(exc: machines.MachineError) -> DomainError:
    field = "business_date" if exc.field == "on" else exc.field or "event"  # the engine calls the date `on`
    return DomainError(exc.code, exc.zh, exc.en, fields={field: [exc.en]})


def _calendar_error(exc: CalendarError) -> DomainError:
    return DomainError(exc.code, exc.zh, exc.en, fields={"business_date": [exc.en]})


def _case(user: Any, case_id: int | str) -> Case:
    if user is None:  # the operator on the server (CLI, demo)
        case = Case.objects.select_for_update(of=("self",)).filter(pk=_pk(case_id)).first()
        if case is None:
            raise NotFound(f"案件 {case_id} 不存在", f"Case {case_id} not found")
        return case
    return case_get_for_user(user=user, case_id=case_id, for_update=True)


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc


def _check_business_date(on: date, *, after: date | None) -> None:
    today = business_today()
    if on > today:
        raise DomainError(
            "date_in_future",
            f"业务日期 {on.isoformat()} 晚于今天 {today.isoformat()}",
            f"The business date {on.isoformat()} is after today ({today.isoformat()})",
            fields={"business_date": ["not after today"]},
        )
    if after is not None and on < after:
        raise DomainError(
            "date_before_last_event",
            f"业务日期 {on.isoformat()} 早于该程序上一事件的日期 {after.isoformat()}",
            f"The business date {on.isoformat()} is before the proceeding's last event ({after.isoformat()})",
            fields={"business_date": [f"on or after {after.isoformat()}"]},
        )


def _claim(case: Case, claim_fen: int | None) -> int:
    if claim_fen is None:
        return int(case.total_balance_fen)
    if int(claim_fen) < 0:
        raise DomainError(
            "claim_negative", "请求金额不能为负", "The claim cannot be negative", fields={"claim": [">= 0"]}
        )
    return int(claim_fen)


@transaction.atomic
def proceeding_open(
    *,
    actor: Any,
    case_id: int | str,
    kind: str,
    on: date | str | None = None,
    court: str = "",
    court_case_no: str = "",
    claim_fen: int | None = None,
    parent_id: int | None = None,
    note: str = "",
    check_access: bool = True,
) -> Proceeding:
    """Start a proceeding of `kind` for a case in the engine's initial state; `on` is its business date."""
    if check_access:
        _require(actor)
    if kind not in machines.KINDS:
        raise DomainError(
            "unknown_kind",
            f"未知的程序类型：{kind}",
            f"Unknown proceeding kind: {kind}",
            fields={"kind": [", ".join(machines.KINDS)]},
        )
    case = _case(actor if check_access else None, case_id)
    day = _as_date(on, "business_date") if on else business_today()
    _check_business_date(day, after=None)
    parent = None
    if parent_id is not None:
        parent = Proceeding.objects.filter(pk=_pk(parent_id), case=case).first()
        if parent is None:
            raise NotFound(
                f"原程序 {parent_id} 不属于本案", f"Proceeding {parent_id} is not one of this case's"
            )
    state = machines.initial_state(kind)
    proceeding = Proceeding.objects.create(
        case=case,
        kind=kind,
        state=state,
        parent=parent,
        court=court.strip()[:200],
        court_case_no=court_case_no.strip()[:80],
        claim_fen=_claim(case, claim_fen),
        opened_on=day,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    event = ProceedingEvent.objects.create(
        proceeding=proceeding,
        event="opened",
        from_state="",
        to_state=state,
        business_date=day,
        note=note,
        actor=proceeding.created_by,
        created_at=now(),
    )
    audit.record(
        actor=actor,
        action="legal.proceeding_open",
        entity=proceeding,
        changes={"kind": [None, kind], "state": [None, state], "claim_fen": [None, proceeding.claim_fen]},
        reason=note,
    )
    evidence_acts.row("legal_event", event, actor=actor, case_id=case.pk, extra={"kind": kind})
    return proceeding


def _deadline_status(deadline: Deadline, on: date) -> str:
    """Met on time; missed when the court or the creditor acted after the last day. A debtor's period
    (an objection window) simply ends: closing it is never a miss."""
    if on > deadline.due_on and deadline.party in ("court", "creditor"):
        return Deadline.Status.MISSED
    return Deadline.Status.MET


@transaction.atomic
def proceeding_transition(
    *,
    actor: Any,
    proceeding_id: int | str,
    event: str,
    on: date | str | None = None,
    facts: dict[str, Any] | None = None,
    note: str = "",
    check_access: bool = True,
) -> Proceeding:
    """Record `event` on its business date `on`: the engine refuses an illegal move; deadlines the step
    meets are closed (met, or missed when late), those it makes moot are cancelled, new ones opened."""
    if check_access:
        _require(actor)
    qs = Proceeding.objects.select_for_update(of=("self",)).select_related("case")
    proceeding = qs.filter(pk=_pk(proceeding_id)).first()
    if proceeding is None:
        raise NotFound(f"程序 {proceeding_id} 不存在", f"Proceeding {proceeding_id} not found")
    if check_access:
        case_get_for_user(user=actor, case_id=proceeding.case_id)  # NotFound when not visible
    day = _as_date(on, "business_date") if on else business_today()
    last = proceeding.events.order_by("-business_date").values_list("business_date", flat=True).first()
    _check_business_date(day, after=last)
    try:
        step = machines.transition(
            proceeding.kind, proceeding.state, event, day, facts or {}, prior=proceeding.facts
        )
    except machines.MachineError as exc:
        raise _machine_error(exc) from exc
    except CalendarError as exc:
        raise _calendar_error(exc) from exc
    user = actor if getattr(actor, "is_authenticated", False) else None
    old_state = proceeding.state
    row = ProceedingEvent.objects.create(
        proceeding=proceeding,
        event=event,
        from_state=step.from_state,
        to_state=step.to_state,
        business_date=day,
        facts=_jsonable(step.facts),
        interrupts_limitation=step.interrupts_limitation,
        note=note,
        actor=user,
        created_at=now(),
    )
    _apply_deadlines(proceeding, row, step, day)
    proceeding.state = step.to_state
    proceeding.facts = {**proceeding.facts, **_jsonable(step.facts)}
    fields = ["state", "facts", "updated_at"]
    amount = int(step.facts.get("amount_fen") or 0) if isinstance(step.facts, dict) else 0
    if amount > 0:
        proceeding.recovered_fen += amount
        fields.append("recovered_fen")
    if step.outcome:
        proceeding.outcome, proceeding.closed_on = step.outcome, day
        fields += ["outcome", "closed_on"]
        proceeding.deadlines.filter(status=Deadline.Status.OPEN).update(
            status=Deadline.Status.CANCELLED, closed_on=day, alert=""
        )
    proceeding.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="legal.proceeding_event",
        entity=proceeding,
        changes={"state": [old_state, step.to_state], "event": [None, event]},
        reason=note,
    )
    evidence_acts.row(
        "legal_event", row, actor=actor, case_id=proceeding.case_id, extra={"kind": proceeding.kind}
    )
    stage = STAGE_OF_KIND.get(proceeding.kind)
    if stage and step.interrupts_limitation and proceeding.case.stage != stage:
        reason = f"{machines.kind_label(proceeding.kind)[0]}：{event}"
        if stage == "enforcement" and proceeding.case.stage != "legal":
            case_stage_auto(case=proceeding.case, actor=user, to_stage="legal", reason=reason)
        case_stage_auto(case=proceeding.case, actor=user, to_stage=stage, reason=reason)
    if step.spawn:
        child = proceeding_open(
            actor=actor,
            case_id=proceeding.case_id,
            kind=step.spawn,
            on=day,
            court=proceeding.court,
            claim_fen=proceeding.claim_fen,
            parent_id=proceeding.pk,
            note=f"由{machines.kind_label(proceeding.kind)[0]} #{proceeding.pk} 转入 / from {proceeding.kind} #{proceeding.pk}",
            check_access=False,
        )
        _carry_filing_date(proceeding, child)
    return proceeding


def _carry_filing_date(parent: Proceeding, child: Proceeding) -> None:
    """A payment order converted to a suit counts as filed on the day the order was applied for (CPLI 439)."""
    applied = parent.events.filter(interrupts_limitation=True).order_by("business_date").first()
    if applied is not None:
        child.facts = {**child.facts, "deemed_filed_on": applied.business_date.isoformat()}
        child.save(update_fields=["facts", "updated_at"])


def _jsonable(facts: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in dict(facts or {}).items():
        out[key] = value.isoformat() if isinstance(value, date) else value
    return out


def _apply_deadlines(proceeding: Proceeding, row: ProceedingEvent, step: Any, day: date) -> None:
    open_rows = {d.code: d for d in proceeding.deadlines.filter(status=Deadline.Status.OPEN)}
    for code in step.closes:
        found = open_rows.pop(code, None)
        if found is not None:
            found.status, found.closed_on, found.alert = _deadline_status(found, day), day, ""
            found.save(update_fields=["status", "closed_on", "alert"])
    for code in step.cancels:
        found = open_rows.pop(code, None)
        if found is not None:
            found.status, found.closed_on, found.alert = Deadline.Status.CANCELLED, day, ""
            found.save(update_fields=["status", "closed_on", "alert"])
    for spec in step.opens:
        replaced = open_rows.pop(spec.code, None)
        if replaced is not None:  # re-opened (e.g. a freeze renewed): the old one is superseded
            replaced.status, replaced.closed_on, replaced.alert = Deadline.Status.CANCELLED, day, ""
            replaced.save(update_fields=["status", "closed_on", "alert"])
        Deadline.objects.create(
            proceeding=proceeding,
            case_id=proceeding.case_id,
            code=spec.code,
            label_zh=spec.zh[:120],
            label_en=spec.en[:160],
            basis_zh=spec.basis_zh[:240],
            basis_en=spec.basis_en[:300],
            party=spec.party,
            due_on=spec.due_on,
            opened_by=row,
        )


def alert_level(due_on: date, today: date, soon_days: int = SOON_DAYS) -> str:
    """ "overdue" after the day, "due" on it, "soon" within `soon_days` calendar days before, else ""."""
    if due_on < today:
        return Deadline.Alert.OVERDUE
    if due_on == today:
        return Deadline.Alert.DUE
    if due_on <= today + timedelta(days=soon_days):
        return Deadline.Alert.SOON
    return Deadline.Alert.NONE


@transaction.atomic
def deadlines_scan(*, today: date | None = None, soon_days: int = SOON_DAYS) -> dict[str, int]:
    """Set each open deadline's alert level for `today`; returns how many are at each level and how many
    changed. Safe to run twice: a deadline already at its level is left alone."""
    today = today or business_today()
    counts: Counter[str] = Counter()
    changed = 0
    horizon = today + timedelta(days=soon_days)
    rows = Deadline.objects.select_for_update().filter(status=Deadline.Status.OPEN)
    for deadline in rows.filter(due_on__lte=horizon) | rows.exclude(alert=""):
        level = alert_level(deadline.due_on, today, soon_days)
        counts[level or "none"] += 1
        if level != deadline.alert:
            deadline.alert, deadline.alerted_on = level, today if level else None
            deadline.save(update_fields=["alert", "alerted_on"])
            changed += 1
    return {"soon": counts["soon"], "due": counts["due"], "overdue": counts["overdue"], "changed": changed}
