"""Frequency caps: counts of past contacts per local day or per run of local days, and cool-off periods.

Windows are whole local dates in the debtor's zone: a window of N days on local date D covers D-(N-1) … D,
so counters reset at the debtor's local midnight and daylight-saving changes do not shift them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from qingzhai.compliance.gate.facts import Effect, RuleHit
from qingzhai.compliance.gate.rules.base import NONE, Context
from qingzhai.compliance.policies.packs import RuleSpec


def check_count_cap(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    limit: int = rule.value("max")
    window_days: int = rule.value("window_days")
    channels = rule.channels
    outcomes = rule.value("outcomes")
    same = ctx.key_fn(rule.value("per"))
    since = ctx.window_start(window_days)
    count = 0
    for h, day in ctx.dated():
        if day >= since and h.channel in channels and h.outcome in outcomes and same(h):
            count += 1
    if count < limit:
        return NONE
    params: dict[str, object] = {
        "count": count,
        "limit": limit,
        "window_days": window_days,
        "since": since.isoformat(),
    }
    values = {"count": count, "limit": limit, "window_days": window_days, "since": since.isoformat()}
    if rule.value("honour_agreement") and ctx.request.debtor_agreed:
        return (ctx.hit(rule, Effect.INFO, "info", params, **values),)
    return (ctx.hit(rule, Effect.DENY, "deny", params, **values),)


def check_cooloff(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    window_days: int = rule.value("window_days")
    channels = rule.channels
    outcomes = rule.value("outcomes")
    same = ctx.key_fn(rule.value("per"))
    since = ctx.window_start(window_days)
    last = None
    for h, day in ctx.dated():
        if (
            day >= since
            and h.channel in channels
            and h.outcome in outcomes
            and same(h)
            and (last is None or day > last)
        ):
            last = day
    if last is None:
        return NONE
    next_day = last + timedelta(days=window_days)
    params: dict[str, object] = {
        "last_conversation": last.isoformat(),
        "next_allowed": next_day.isoformat(),
        "window_days": window_days,
    }
    values = {"last": last.isoformat(), "next": next_day.isoformat(), "window_days": window_days}
    if rule.value("honour_agreement") and ctx.request.debtor_agreed:
        return (ctx.hit(rule, Effect.INFO, "info", params, **values),)
    return (ctx.hit(rule, Effect.DENY, "deny", params, **values),)
