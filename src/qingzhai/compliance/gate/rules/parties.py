"""Who may be contacted: guarantors per contract, third parties only on lawful grounds and never after a
refusal, never told of the debt, never pressed for payment."""

from __future__ import annotations

from collections.abc import Sequence

from qingzhai.compliance.gate.facts import DebtorFacts, Effect, Outcome, RuleHit
from qingzhai.compliance.gate.rules.base import NONE, Bi, Context
from qingzhai.compliance.policies.packs import GROUNDS, RuleSpec

GROUND_TEXT: dict[str, Bi] = {
    "unreachable": Bi("债务人无法联系", "the debtor cannot be reached"),
    "deceased": Bi("债务人已死亡", "the debtor has died"),
    "minor": Bi("债务人为未成年人", "the debtor is a minor"),
    "incapacitated": Bi("债务人无或限制民事行为能力", "the debtor lacks full legal capacity"),
}


def present_grounds(facts: DebtorFacts, allowed: frozenset[str]) -> list[str]:
    present = {
        "unreachable": facts.debtor_unreachable,
        "deceased": facts.deceased,
        "minor": facts.minor,
        "incapacitated": facts.incapacitated,
    }
    return [g for g in GROUNDS if g in allowed and present[g]]


def check_third_party(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    grounds = present_grounds(ctx.facts, rule.value("grounds"))
    if not grounds:
        allowed = sorted(rule.value("grounds"))
        return (ctx.hit(rule, Effect.DENY, "deny_no_ground", {"grounds_allowed": allowed}),)
    text = Bi("；".join(GROUND_TEXT[g].zh for g in grounds), "; ".join(GROUND_TEXT[g].en for g in grounds))
    params: dict[str, object] = {"grounds": grounds}
    if ctx.request.pressure and rule.value("forbid_pressure"):
        return (ctx.hit(rule, Effect.DENY, "deny_pressure", params, grounds=text),)
    if rule.value("require_no_disclosure"):
        return (ctx.hit(rule, Effect.REQUIRE, "require", params, grounds=text),)
    return NONE


def check_refused_contact(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    contact_id = ctx.request.contact_id
    if contact_id in ctx.facts.refused_contacts:
        return (ctx.hit(rule, Effect.DENY, "deny", {"contact_id": contact_id, "source": "facts"}),)
    refused = Outcome.REFUSED
    for h in ctx.history:
        if h.outcome == refused and h.contact_id == contact_id:
            params: dict[str, object] = {
                "contact_id": contact_id,
                "source": "history",
                "refused_at": h.at.isoformat(),
            }
            return (ctx.hit(rule, Effect.DENY, "deny", params),)
    return NONE


def check_guarantor(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    if ctx.facts.guarantor_contact_allowed:
        return NONE
    return (ctx.hit(rule, Effect.DENY, "deny", {"guarantor_contact_allowed": False}),)
