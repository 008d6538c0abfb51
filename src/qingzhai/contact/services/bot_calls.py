"""A bot call on a case, for real: the compliance gate clears it first; every line the bot is about to say
is screened and stored (a flagged line is never said, and raises an alert); every debtor line is stored
as a transcript utterance; the call is logged as an activity (a dispute opens a dispute, a promise becomes
a promise to pay); the transcript with its digest goes to the evidence ledger (kind `bot_call`).

The debtor's side comes from speech recognition; `debtor_lines` is the recognised text (ASR is pluggable,
see contact/channels/voice.py). Lines left over when the call ends are not heard.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.compliance.models import ContactDecision, Utterance
from qingzhai.compliance.services.contacts import ContactDenied, contact_clear, contact_log
from qingzhai.compliance.services.screening import bot_utterance_release, utterance_record
from qingzhai.contact.dialog import Account, Authority, DialogEngine, OfferError, ScriptError, load_script
from qingzhai.contact.models import BotCall
from qingzhai.core import audit, pii
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.evidence import record
from qingzhai.portfolio.models import Activity, Case, Debtor
from qingzhai.portfolio.selectors import case_get_for_user
from qingzhai.portfolio.services import promise_create

# How a call's outcome is logged as an activity.
ACTIVITY_OUTCOME = {
    "promise": Activity.Outcome.PROMISE,
    "dispute": Activity.Outcome.DISPUTE,
    "wrong_number": Activity.Outcome.WRONG_NUMBER,
    "refused": Activity.Outcome.REFUSED,
    "already_paid": Activity.Outcome.CONNECTED,
    "hardship": Activity.Outcome.CONNECTED,
    "handover": Activity.Outcome.CONNECTED,
    "third_party": Activity.Outcome.OTHER,
}
DEFAULT_AUTHORITY = Authority(max_discount_pct=0, max_instalments=6, min_first_instalment_fen=0)
MAX_LINES = 200


def _require(user: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.can(roles.WORK_CASE):
        raise AccessDenied()


def account_for(case: Case, authority: Authority = DEFAULT_AUTHORITY) -> Account:
    """What the engine needs of the case: the surname, the gender from the ID number, the balance."""
    debtor: Debtor = case.debtor
    if debtor.kind != Debtor.Kind.PERSON:
        raise DomainError(
            "bot_person_only",
            "机器人只呼叫自然人债务人；企业债务人请由人工联系",
            "The bot calls natural persons only; contact an enterprise debtor in person",
            fields={"case": ["enterprise debtor"]},
        )
    id_number = pii.get_value(debtor, "id_number") or ""
    gender = ""
    if len(id_number) == 18 and id_number[16].isdigit():
        gender = "m" if int(id_number[16]) % 2 else "f"
    try:
        return Account(
            surname=(debtor.name or "").strip()[:1],
            gender=gender,
            balance_fen=int(case.total_balance_fen),
            creditor=case.portfolio.creditor.name,
            authority=authority,
            id_last4=id_number[-4:] if len(id_number) >= 4 else "",
        )
    except OfferError as exc:
        raise DomainError(exc.code, exc.zh, exc.en, fields={exc.field or "case": [exc.en]}) from exc


def _releaser(case_id: int) -> Any:
    """The engine's screener: store each bot line and return its violations (empty: it may be said)."""

    def screen(text: str) -> list[dict[str, Any]]:
        _released, utterance = bot_utterance_release(case_id=case_id, text=text)
        return list(utterance.violations)

    return screen


def _activity_outcome(outcome: str, heard: int) -> str:
    if outcome in ACTIVITY_OUTCOME:
        return ACTIVITY_OUTCOME[outcome]
    return Activity.Outcome.CONNECTED if heard else Activity.Outcome.NO_ANSWER


def bot_call_run(
    *,
    actor: Any,
    case_id: int,
    debtor_lines: list[str],
    script: str = "standard_v1",
    contact_point_id: int | None = None,
    authority: Authority = DEFAULT_AUTHORITY,
    at: datetime | None = None,
) -> BotCall:
    """Run one bot call on a case the actor works, placed at `at` (now by default; a call replayed from a
    telephony system gives its start). Raises ContactDenied (nothing said) when the gate refuses,
    DomainError for an unknown script or an enterprise debtor."""
    _require(actor)
    if len(debtor_lines) > MAX_LINES:
        raise DomainError(
            "too_many_lines",
            "对话行数过多",
            "Too many lines for one call",
            fields={"debtor_lines": [f"<= {MAX_LINES}"]},
        )
    case = case_get_for_user(user=actor, case_id=case_id)
    try:
        loaded = load_script(script)
    except ScriptError as exc:
        raise DomainError(exc.code, exc.zh, exc.en, fields={"script": [exc.en]}) from exc
    account = account_for(case, authority)
    started = at or now()
    decision: ContactDecision = contact_clear(
        actor=actor,
        case_id=case.pk,
        kind=Activity.Kind.BOT_CALL,
        contact_point_id=contact_point_id,
        at=started,
        source=ContactDecision.Source.BOT,
    )
    if not decision.allowed:
        raise ContactDenied(decision)
    # The gate's decision is kept (committed) even when it refuses; the call itself is one transaction.
    with transaction.atomic():
        call = _converse(actor, case, loaded, account, decision, debtor_lines, contact_point_id, started)
    return call


def _converse(
    actor: Any,
    case: Case,
    loaded: Any,
    account: Account,
    decision: ContactDecision,
    debtor_lines: list[str],
    contact_point_id: int | None,
    started: datetime,
) -> BotCall:
    engine = DialogEngine(loaded, account, today=business_today(started), screener=_releaser(case.pk))
    engine.start()
    heard = 0
    for line in debtor_lines:
        if engine.done:
            break
        text = (line or "").strip()
        if text:
            utterance_record(
                actor=actor, case_id=case.pk, text=text, speaker=Utterance.Speaker.DEBTOR,
                source=Utterance.Source.TRANSCRIPT,
            )  # fmt: skip
        engine.hear(text)
        heard += 1
    transcript = engine.transcript
    outcome = engine.outcome
    kind = outcome.kind if outcome is not None else "no_result"
    note = f"机器人通话 bot call: {kind}（{loaded.id} v{loaded.version}）"
    activity = contact_log(
        actor=actor,
        case_id=case.pk,
        kind=Activity.Kind.BOT_CALL,
        outcome=_activity_outcome(kind, heard),
        note=note,
        occurred_at=started,
        contact_point_id=contact_point_id,
        decision_id=decision.pk,
        source=ContactDecision.Source.BOT,
    )
    if outcome is not None and kind == "promise" and outcome.promise_amount_fen and outcome.promise_date:
        promise_create(
            actor=actor,
            case_id=case.pk,
            amount_fen=outcome.promise_amount_fen,
            due_date=outcome.promise_date,
            note=f"机器人通话承诺 / promised on a bot call ({loaded.id} v{loaded.version})",
        )
    data = transcript.as_dict()
    call = BotCall.objects.create(
        case=case,
        contact_point_id=contact_point_id,
        decision=decision,
        activity=activity,
        script_id=loaded.id,
        script_version=str(loaded.version),
        script_digest=loaded.digest,
        outcome=kind,
        outcome_detail=outcome.as_dict() if outcome is not None else {},
        branches=transcript.branches,
        emotions=[t.emotion["label"] for t in transcript.turns if t.emotion],
        transcript=data,
        transcript_sha256=transcript.digest(),
        turns=len(transcript.turns),
        blocked_lines=transcript.blocked,
        actor=actor,
        started_at=started,
        ended_at=now(),
    )
    record.act(
        kind="bot_call",
        actor=actor,
        subject=f"contact.botcall:{call.pk}",
        content={"transcript": data, "transcript_sha256": call.transcript_sha256, "outcome": kind},
        case_id=case.pk,
    )
    audit.record(
        actor=actor,
        action="contact.bot_call",
        entity=call,
        changes={
            "case": [None, case.pk],
            "outcome": [None, kind],
            "script": [None, f"{loaded.id}@{loaded.version}"],
        },
    )
    return call
