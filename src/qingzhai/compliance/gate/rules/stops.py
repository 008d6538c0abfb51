"""Stop conditions: dispute, bankruptcy, death, incapacity, hardship, opt-out, time bar, legal
representation, dishonest-debtor listing."""

from __future__ import annotations

from collections.abc import Sequence

from qingzhai.compliance.gate.facts import Effect, Party, RuleHit
from qingzhai.compliance.gate.rules.base import CHANNEL_TEXT, NONE, Bi, Context
from qingzhai.compliance.policies.packs import RuleSpec

ROUTE_TEXT: dict[str, Bi] = {
    "enforcement": Bi("强制执行", "enforcement"),
    "insolvency": Bi("破产程序", "insolvency proceedings"),
    "lawyer": Bi("债务人的律师", "the debtor's lawyer"),
}


def route_text(route: str) -> Bi:
    return ROUTE_TEXT.get(route, Bi(route, route))


def _flag(rule: RuleSpec, ctx: Context) -> Bi | None:
    facts = ctx.facts
    flag = rule.value("flag")
    if flag == "dispute_open":
        return Bi("债务存在未解决的异议", "the debt is disputed") if facts.dispute_open else None
    if flag == "bankrupt":
        return Bi("债务人已进入破产程序", "the debtor is in bankruptcy") if facts.bankrupt else None
    if flag == "deceased":
        return Bi("债务人已死亡", "the debtor has died") if facts.deceased else None
    if flag == "incapacity":
        if facts.minor and facts.incapacitated:
            return Bi("债务人为未成年人且无完全民事行为能力", "the debtor is a minor lacking legal capacity")
        if facts.minor:
            return Bi("债务人为未成年人", "the debtor is a minor")
        if facts.incapacitated:
            return Bi("债务人无或限制民事行为能力", "the debtor lacks full legal capacity")
    return None


def check_stop_flag(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    condition = _flag(rule, ctx)
    if condition is None:
        return NONE
    hits = []
    params: dict[str, object] = {"flag": rule.value("flag")}
    if ctx.request.pressure or not rule.value("pressure_only"):
        hits.append(ctx.hit(rule, Effect.DENY, "deny", params, condition=condition))
    route = rule.value("route")
    if route and "route" in rule.texts:
        rparams: dict[str, object] = {"flag": rule.value("flag"), "route": route}
        hits.append(
            ctx.hit(rule, Effect.ROUTE, "route", rparams, route=route_text(route), condition=condition)
        )
    return hits


def check_hardship(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    until = ctx.facts.hardship_until
    if until is None or ctx.local_date > until:
        return NONE
    if not ctx.request.pressure and rule.value("pressure_only"):
        return NONE
    params: dict[str, object] = {"hardship_until": until.isoformat()}
    return (ctx.hit(rule, Effect.DENY, "deny", params, until=until.isoformat()),)


def check_opt_out(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    channel = ctx.request.channel
    if channel not in ctx.facts.opted_out:
        return NONE
    return (ctx.hit(rule, Effect.DENY, "deny", {"channel": channel.value}, channel=CHANNEL_TEXT[channel]),)


def check_time_barred(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    if not ctx.facts.time_barred:
        return NONE
    req = ctx.request
    if not req.pressure and rule.value("pressure_only"):
        return NONE
    params: dict[str, object] = {
        "includes_disclosure": req.includes_disclosure,
        "threatens_suit": req.threatens_suit,
    }
    if req.threatens_suit and rule.value("forbid_suit_threat"):
        return (ctx.hit(rule, Effect.DENY, "deny_suit", params),)
    if rule.value("require_disclosure"):
        if not req.includes_disclosure:
            return (ctx.hit(rule, Effect.DENY, "deny_no_disclosure", params),)
        return (ctx.hit(rule, Effect.REQUIRE, "require", params),)
    return NONE


def check_representation(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    if not ctx.facts.lawyer_represented:
        if ctx.request.party == Party.LAWYER:
            # Nobody is on record as the debtor's lawyer: whoever says so is a third party.
            return (ctx.hit(rule, Effect.DENY, "deny_no_lawyer", {"lawyer_represented": False}),)
        return NONE
    params: dict[str, object] = {"lawyer_represented": True}
    if ctx.request.party == Party.LAWYER:
        return (ctx.hit(rule, Effect.INFO, "info", params),)
    route = rule.value("route")
    return (
        ctx.hit(rule, Effect.DENY, "deny", params),
        ctx.hit(rule, Effect.ROUTE, "route", {"route": route}, route=route_text(route)),
    )


def check_dishonest_listed(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    if not ctx.facts.dishonest_listed:
        return NONE
    route = rule.value("route")
    hits = []
    if ctx.request.pressure:
        limit: int = rule.value("max_pressure_contacts")
        window_days: int = rule.value("window_days")
        since = ctx.window_start(window_days)
        channels = rule.channels
        outcomes = rule.value("outcomes")
        count = sum(
            1
            for h, day in ctx.dated()
            if day >= since and h.pressure and h.channel in channels and h.outcome in outcomes
        )
        if count >= limit:
            params: dict[str, object] = {
                "count": count,
                "limit": limit,
                "window_days": window_days,
                "since": since.isoformat(),
            }
            hits.append(
                ctx.hit(
                    rule,
                    Effect.DENY,
                    "deny",
                    params,
                    count=count,
                    limit=limit,
                    window_days=window_days,
                    since=since.isoformat(),
                )
            )
    hits.append(ctx.hit(rule, Effect.ROUTE, "route", {"route": route}, route=route_text(route)))
    return hits
