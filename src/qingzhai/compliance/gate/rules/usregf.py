"""Regulation F specifics: the validation notice (12 CFR §1006.34) and its 30-day dispute window."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from qingzhai.compliance.gate.facts import Effect, RuleHit
from qingzhai.compliance.gate.rules.base import NONE, Context
from qingzhai.compliance.policies.packs import RuleSpec


def check_validation_notice(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    facts = ctx.facts
    if facts.initial_communication_at is None:
        return NONE
    initial = ctx.local_date_of(facts.initial_communication_at)
    if facts.validation_notice_sent_at is None:
        grace: int = rule.value("grace_days")
        days = (ctx.local_date - initial).days
        if days <= grace or (not ctx.request.pressure and rule.value("pressure_only")):
            return NONE
        params: dict[str, object] = {
            "initial_communication": initial.isoformat(),
            "days_since": days,
            "grace_days": grace,
        }
        return (
            ctx.hit(
                rule,
                Effect.DENY,
                "deny",
                params,
                initial=initial.isoformat(),
                days_since=days,
                grace_days=grace,
            ),
        )
    sent = ctx.local_date_of(facts.validation_notice_sent_at)
    dispute_days: int = rule.value("dispute_days")
    window_end = sent + timedelta(days=rule.value("assumed_receipt_days") + dispute_days)
    if not sent <= ctx.local_date <= window_end:
        return NONE
    iparams: dict[str, object] = {
        "validation_notice_sent": sent.isoformat(),
        "window_end": window_end.isoformat(),
        "dispute_days": dispute_days,
    }
    return (
        ctx.hit(
            rule,
            Effect.INFO,
            "info",
            iparams,
            sent=sent.isoformat(),
            window_end=window_end.isoformat(),
            dispute_days=dispute_days,
        ),
    )
