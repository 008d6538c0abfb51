"""The contact gate as a service: every outbound act asks `contact_clear` (or `contact_log` for a contact being
recorded) before it happens. Every answer is stored; a denied contact cannot be logged as made."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.compliance import inputs
from qingzhai.compliance.access import require
from qingzhai.compliance.gate.engine import evaluate, history_lookback
from qingzhai.compliance.gate.facts import ContactRequest, DebtorFacts, Decision, PastContact, RuleHit
from qingzhai.compliance.models import ContactDecision, Dispute
from qingzhai.compliance.policies.packs import apply_overrides, load_pack_version
from qingzhai.compliance.snapshot import (
    facts_from_dict,
    facts_to_dict,
    past_from_dict,
    past_to_dict,
    request_from_dict,
    request_to_dict,
)
from qingzhai.core import audit
from qingzhai.core.clock import now
from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi
from qingzhai.evidence import acts as evidence_acts
from qingzhai.portfolio import services as portfolio_services
from qingzhai.portfolio.contact import OUTBOUND_KINDS, Clearance
from qingzhai.portfolio.models import Activity, Case, ContactPoint
from qingzhai.portfolio.selectors import case_get_for_user

# An allowed decision covers a contact that starts within this many seconds of the time it was asked for.
CLEARANCE_VALID_SECONDS = 15 * 60


class ContactDenied(DomainError):
    """The gate said no. `decision` is the stored denial; `hits` the rules that fired."""

    status = 409

    def __init__(self, decision: ContactDecision) -> None:
        denials = [h for h in decision.hits if h["effect"] == "deny"]
        zh = "；".join(h["zh"] for h in denials) or "合规闸门拒绝了该联系"
        en = "; ".join(h["en"] for h in denials) or "The compliance gate refused the contact"
        super().__init__(
            "contact_denied",
            f"不得联系：{zh}",
            f"Contact not allowed: {en}",
            fields={"rules": [h["rule"] for h in denials]},
        )
        self.decision = decision


def hit_dict(hit: RuleHit) -> dict[str, Any]:
    return {
        "rule": hit.rule,
        "effect": hit.effect.value,
        "basis": hit.basis,
        "zh": hit.zh,
        "en": hit.en,
        "params": {k: audit.plain(v) for k, v in hit.params.items()},
    }


def _check_choices(kind: str, party: str) -> None:
    if kind not in OUTBOUND_KINDS:
        raise DomainError(
            "invalid_choice",
            "不是对外联系方式：{k}",
            "Not an outbound contact channel: {k}",
            fields={"kind": [kind]},
            k=kind,
        )
    if party not in Activity.Party.values or party == Activity.Party.NONE:
        raise DomainError("invalid_choice", "无效的联系对象", "Invalid party", fields={"party": [party]})


def _pressure(pressure: bool | None, party: str) -> bool:
    if pressure is not None:
        return pressure
    return party not in (Activity.Party.EMERGENCY, Activity.Party.THIRD_PARTY)


def _contact_point(case: Case, contact_point_id: int | None) -> ContactPoint | None:
    if contact_point_id is None:
        return None
    point = ContactPoint.objects.filter(pk=contact_point_id, debtor_id=case.debtor_id).first()
    if point is None:
        raise DomainError(
            "contact_point_invalid",
            "联系方式不属于该债务人",
            "The contact point does not belong to this debtor",
            fields={"contact_point_id": [str(contact_point_id)]},
        )
    return point


def decision_row(
    *,
    case_id: int,
    debtor_id: int,
    kind: str,
    party: str,
    contact_point_id: int | None,
    decision: Decision,
    request: ContactRequest,
    facts: DebtorFacts,
    overrides: dict[str, Any],
    history: list[PastContact],
    actor: Any,
    source: str,
    decided_at: datetime,
) -> ContactDecision:
    """The gate's answer as an unsaved row, with everything it was based on (to re-explain it later)."""
    return ContactDecision(
        case_id=case_id,
        debtor_id=debtor_id,
        channel=kind,
        party=party,
        contact_point_id=contact_point_id,
        planned_at=request.at,
        decided_at=decided_at,
        allowed=decision.allowed,
        pack=decision.pack,
        pack_version=decision.pack_version,
        hits=[hit_dict(h) for h in decision.hits],
        requirements=list(decision.requirements),
        route=decision.route or "",
        basis={
            "request": request_to_dict(request),
            "facts": facts_to_dict(facts),
            "overrides": overrides,
            "history": [past_to_dict(p) for p in history],
        },
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        source=source,
    )


def _decide(
    *,
    actor: Any,
    case: Case,
    at: datetime,
    kind: str,
    party: str,
    contact_point_id: int | None,
    source: str,
    options: dict[str, bool],
) -> ContactDecision:
    """Evaluate and store one decision (inside the caller's transaction, case row locked)."""
    pack, overrides = inputs.pack_for(case.portfolio.creditor_id, at)
    facts = inputs.debtor_facts(case)
    request = inputs.contact_request(
        case=case, at=at, kind=kind, party=party, contact_point_id=contact_point_id, **options
    )
    history = inputs.contact_history(debtor_id=case.debtor_id, before=at, since=at - history_lookback(pack))
    decision: Decision = evaluate(pack, facts, request, history)
    row = decision_row(
        case_id=case.pk,
        debtor_id=case.debtor_id,
        kind=kind,
        party=party,
        contact_point_id=contact_point_id,
        decision=decision,
        request=request,
        facts=facts,
        overrides=overrides,
        history=history,
        actor=actor,
        source=source,
        decided_at=now(),
    )
    row.save()
    evidence_acts.row("compliance_decision", row, actor=actor, case_id=case.pk)
    if not decision.allowed:
        audit.record(
            actor=actor,
            action="contact.denied",
            entity=row,
            changes={"case": [None, case.pk], "channel": [None, kind], "party": [None, party]},
            reason="; ".join(h.rule for h in decision.denials),
        )
    return row


def contact_clear(
    *,
    actor: Any,
    case_id: int,
    kind: str,
    party: str = Activity.Party.DEBTOR,
    contact_point_id: int | None = None,
    at: datetime | None = None,
    source: str = ContactDecision.Source.WEB,
    pressure: bool | None = None,
    includes_disclosure: bool = False,
    threatens_suit: bool = False,
    debtor_agreed: bool = False,
) -> ContactDecision:
    """Ask the gate before dialling, sending or visiting. Returns the stored decision (allowed or denied);
    it does not raise on a denial: the caller shows the rules and does not make the contact. `pressure`
    (asking for payment) defaults to true, and to false for third parties, who may only be asked to pass on a
    message or help locate the debtor."""
    require(actor, roles.WORK_CASE)
    _check_choices(kind, party)
    with transaction.atomic():
        case = case_get_for_user(user=actor, case_id=case_id, for_update=True)
        _contact_point(case, contact_point_id)
        return _decide(
            actor=actor,
            case=case,
            at=at or now(),
            kind=kind,
            party=party,
            contact_point_id=contact_point_id,
            source=source,
            options={
                "pressure": _pressure(pressure, party),
                "includes_disclosure": includes_disclosure,
                "threatens_suit": threatens_suit,
                "debtor_agreed": debtor_agreed,
            },
        )


def _reuse(decision_id: int, *, case: Case, kind: str, party: str, cp: int | None, at: datetime) -> Any:
    row = ContactDecision.objects.select_for_update().filter(pk=decision_id, case_id=case.pk).first()
    problem = None
    if row is None:
        problem = ("该放行记录不存在", "No such gate decision")
    elif not row.allowed:
        problem = ("该联系已被合规闸门拒绝", "The gate refused this contact")
    elif row.activity_id is not None:
        problem = ("该放行记录已被使用", "This gate decision was already used")
    elif (row.channel, row.party, row.contact_point_id) != (kind, party, cp):
        problem = ("放行记录与联系方式不一致", "The gate decision was for another channel, party or number")
    elif abs((at - row.planned_at).total_seconds()) > CLEARANCE_VALID_SECONDS:
        problem = ("放行记录已过期，请重新检查", "The gate decision has expired; ask the gate again")
    if problem:
        raise DomainError("decision_invalid", problem[0], problem[1], fields={"decision": [str(decision_id)]})
    return row


def contact_log(
    *,
    actor: Any,
    case_id: int,
    kind: str,
    outcome: str,
    party: str = Activity.Party.DEBTOR,
    note: str = "",
    occurred_at: datetime | None = None,
    duration_seconds: int = 0,
    contact_point_id: int | None = None,
    decision_id: int | None = None,
    source: str = ContactDecision.Source.WEB,
    pressure: bool | None = None,
    includes_disclosure: bool = False,
    debtor_agreed: bool = False,
) -> Activity:
    """Record a contact. Outbound contacts need the gate: either an allowed, unused decision asked for just
    before (`decision_id`), or the gate is asked now for `occurred_at` against the history before it. A denial
    is stored and raised as `ContactDenied`; nothing is logged as made. Notes go straight through."""
    if kind not in OUTBOUND_KINDS:
        return portfolio_services.activity_log(
            actor=actor,
            case_id=case_id,
            kind=kind,
            outcome=outcome,
            party=party,
            note=note,
            occurred_at=occurred_at,
            duration_seconds=duration_seconds,
            contact_point_id=contact_point_id,
        )
    require(actor, roles.WORK_CASE)
    _check_choices(kind, party)
    if outcome not in Activity.Outcome.values:
        raise DomainError("invalid_choice", "无效的结果", "Invalid outcome", fields={"outcome": [outcome]})
    moment = now()
    at = occurred_at or moment
    if at > moment:
        raise DomainError(
            "future_time",
            "发生时间不能晚于现在",
            "The time cannot be in the future",
            fields={"occurred_at": ["future"]},
        )
    with transaction.atomic():
        case = case_get_for_user(user=actor, case_id=case_id, for_update=True)
        _contact_point(case, contact_point_id)
        if decision_id is not None:
            row = _reuse(decision_id, case=case, kind=kind, party=party, cp=contact_point_id, at=at)
        else:
            row = _decide(
                actor=actor,
                case=case,
                at=at,
                kind=kind,
                party=party,
                contact_point_id=contact_point_id,
                source=source,
                options={
                    "pressure": _pressure(pressure, party),
                    "includes_disclosure": includes_disclosure,
                    "threatens_suit": False,
                    "debtor_agreed": debtor_agreed,
                },
            )
        if row.allowed:
            activity = portfolio_services.activity_log(
                actor=actor,
                case_id=case.pk,
                kind=kind,
                outcome=outcome,
                party=party,
                note=note,
                occurred_at=at,
                duration_seconds=duration_seconds,
                contact_point_id=contact_point_id,
                clearance=Clearance(
                    decision_id=row.pk,
                    case_id=case.pk,
                    kind=kind,
                    party=party,
                    contact_point_id=contact_point_id,
                ),
            )
            ContactDecision.objects.filter(pk=row.pk).update(activity=activity)
            if outcome == Activity.Outcome.DISPUTE:
                _dispute_from_contact(actor=actor, case=case, at=at, note=note)
            return activity
    raise ContactDenied(row)


def _dispute_from_contact(*, actor: Any, case: Case, at: datetime, note: str) -> None:
    if Dispute.objects.filter(case=case, resolved_at__isnull=True).exists():
        return
    dispute = Dispute.objects.create(
        case=case,
        reason=note.strip() or "联系中提出异议 raised during a contact",
        opened_at=at,
        opened_by=actor,
    )
    audit.record(actor=actor, action="dispute.open", entity=dispute, changes={"case": [None, case.pk]})


def decision_explain(decision: ContactDecision) -> Decision:
    """Evaluate a stored decision again with the pack version in force then and the inputs it saw."""
    basis = decision.basis
    pack = load_pack_version(decision.pack, decision.pack_version)
    if basis.get("overrides"):
        pack = apply_overrides(pack, basis["overrides"])
    return evaluate(
        pack,
        facts_from_dict(basis["facts"]),
        request_from_dict(basis["request"]),
        [past_from_dict(p) for p in basis["history"]],
    )


def decision_summary(decision: ContactDecision) -> str:
    if decision.allowed:
        return bi("允许联系", "Contact allowed")
    return bi(
        "不得联系：" + "；".join(h["zh"] for h in decision.hits if h["effect"] == "deny"),
        "Contact not allowed: " + "; ".join(h["en"] for h in decision.hits if h["effect"] == "deny"),
    )
