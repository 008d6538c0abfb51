"""Writes of the collector's workspace. Nothing here writes a table itself: each act goes through the room that
owns it.

- An outcome of a call is logged through the compliance gate (`compliance.services.contact_clear`, then
  `contact_log` with that clearance): a refused call is stored as a denied decision and raised as
  `ContactDenied`; nothing is logged as made. A dispute opens a dispute (contact_log does it); a wrong number
  marks the number dialled as wrong (portfolio's activity_log does it); a promise is recorded with
  `portfolio.services.promise_create` in the same transaction as the call.
- What the debtor said (the lines the collector typed into the script assistant) is stored with the call,
  as transcribed debtor utterances (`compliance.services.screening.utterance_record`).
- What the collector is about to say can be "said" (stored and screened; a violation raises an alert).
- A callback is the case's next action date (`portfolio.services.case_set_next_action`); its time of day and
  reason go in a note on the case's timeline (`contact_log` with kind "note", which needs no gate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.compliance.models import ContactDecision, Utterance
from qingzhai.compliance.services.contacts import ContactDenied, contact_clear, contact_log
from qingzhai.compliance.services.screening import utterance_record
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.portfolio.models import Activity, PromiseToPay
from qingzhai.portfolio.services import case_set_next_action, promise_create

# The one-click outcomes of a call, in the order the buttons show them.
OUTCOMES = (
    Activity.Outcome.NO_ANSWER,
    Activity.Outcome.CONNECTED,
    Activity.Outcome.PROMISE,
    Activity.Outcome.DISPUTE,
    Activity.Outcome.WRONG_NUMBER,
    Activity.Outcome.REFUSED,
    Activity.Outcome.PAID,
)
MAX_HEARD = 60
MAX_NOTE = 2000


def _require(user: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.can(roles.WORK_CASE):
        raise AccessDenied()


@dataclass
class Recorded:
    activity: Activity
    promise: PromiseToPay | None = None
    decision: ContactDecision | None = None


def _check_promise(amount_fen: int | None, due_date: date | None) -> tuple[int, date]:
    problems: dict[str, list[str]] = {}
    if not amount_fen or amount_fen <= 0:
        problems["amount"] = ["required"]
    if due_date is None:
        problems["due_date"] = ["required"]
    if problems:
        raise DomainError(
            "promise_incomplete",
            "承诺还款须填写金额和日期",
            "A promise needs an amount and a date",
            fields=problems,
        )
    assert amount_fen is not None and due_date is not None
    if due_date < business_today():
        raise DomainError(
            "date_in_past",
            "承诺还款日期不能早于今天",
            "The promise date cannot be in the past",
            fields={"due_date": ["before today"]},
        )
    return amount_fen, due_date


def outcome_record(
    *,
    actor: Any,
    case_id: int,
    outcome: str,
    contact_point_id: int | None = None,
    note: str = "",
    at: datetime | None = None,
    duration_seconds: int = 0,
    promise_amount_fen: int | None = None,
    promise_date: date | None = None,
    heard: list[str] | None = None,
) -> Recorded:
    """Log the outcome of a call the collector just made on a case (at `at`, now by default).

    The gate decides first, and its decision is kept even when it refuses (ContactDenied is raised and
    nothing else is written). Then, in one transaction: the call with the gate's clearance, the promise
    (outcome "promise", with its amount and date), and the debtor's lines as transcribed utterances."""
    _require(actor)
    if outcome not in OUTCOMES:
        raise DomainError("invalid_choice", "无效的结果", "Invalid outcome", fields={"outcome": [outcome]})
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(
            "text_too_long", "备注过长", "The note is too long", fields={"note": [f"<= {MAX_NOTE}"]}
        )
    promise_args = None
    if outcome == Activity.Outcome.PROMISE:
        promise_args = _check_promise(promise_amount_fen, promise_date)
    lines = [line.strip() for line in (heard or []) if line and line.strip()][:MAX_HEARD]
    at = at or now()
    decision = contact_clear(
        actor=actor,
        case_id=case_id,
        kind=Activity.Kind.CALL,
        party=Activity.Party.DEBTOR,
        contact_point_id=contact_point_id,
        at=at,
    )
    if not decision.allowed:
        raise ContactDenied(decision)
    with transaction.atomic():
        activity = contact_log(
            actor=actor,
            case_id=case_id,
            kind=Activity.Kind.CALL,
            outcome=outcome,
            party=Activity.Party.DEBTOR,
            note=note,
            occurred_at=at,
            duration_seconds=duration_seconds,
            contact_point_id=contact_point_id,
            decision_id=decision.pk,
        )
        promise = None
        if promise_args is not None:
            promise = promise_create(
                actor=actor,
                case_id=case_id,
                amount_fen=promise_args[0],
                due_date=promise_args[1],
                note=note or "电话承诺 / promised on a call",
            )
        for line in lines:
            utterance_record(
                actor=actor,
                case_id=case_id,
                text=line,
                speaker=Utterance.Speaker.DEBTOR,
                source=Utterance.Source.TRANSCRIPT,
            )
    return Recorded(activity=activity, promise=promise, decision=decision)


def callback_schedule(
    *, actor: Any, case_id: int, on: date, at_time: time | None = None, note: str = ""
) -> Activity | None:
    """Schedule a callback: the case's next action date becomes `on` (so the case leads the queue that day);
    a time of day or a reason is written as a note on the case's timeline. Returns the note, if any."""
    _require(actor)
    if on < business_today():
        raise DomainError(
            "date_in_past",
            "回电日期不能早于今天",
            "The callback date cannot be in the past",
            fields={"on": ["before today"]},
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(
            "text_too_long", "备注过长", "The note is too long", fields={"note": [f"<= {MAX_NOTE}"]}
        )
    with transaction.atomic():
        case_set_next_action(actor=actor, case_id=case_id, next_action_date=on)
        if at_time is None and not note:
            return None
        when = f"{on.isoformat()} {at_time.strftime('%H:%M')}" if at_time else on.isoformat()
        text = f"约定回电 callback: {when}" + (f" — {note}" if note else "")
        return contact_log(
            actor=actor,
            case_id=case_id,
            kind=Activity.Kind.NOTE,
            outcome=Activity.Outcome.OTHER,
            party=Activity.Party.NONE,
            note=text,
        )


def utterance_say(*, actor: Any, case_id: int, text: str) -> Utterance:
    """The collector says this sentence: stored and screened; a violation raises an alert for supervisors."""
    _require(actor)
    return utterance_record(actor=actor, case_id=case_id, text=text, speaker=Utterance.Speaker.COLLECTOR)
