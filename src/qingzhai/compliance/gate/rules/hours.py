"""Contact-hour windows (CN 08:00–22:00, US 08:00–21:00, debtor-local), with debtor-agreed exceptions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time, timedelta

from qingzhai.compliance.gate.facts import AgreedWindow, Effect, RuleHit
from qingzhai.compliance.gate.rules.base import NONE, Bi, Context, hhmm
from qingzhai.compliance.policies.packs import RuleSpec


def window_covers(window: AgreedWindow, ctx: Context) -> bool:
    """Does an agreed window cover the request's local time? A window that crosses midnight belongs to the
    day it starts on (its `on`/`weekdays` are read against that day). start == end covers nothing."""
    t: time = ctx.local_time
    start, end = window.start, window.end
    if start < end:
        if not start <= t < end:
            return False
        anchor = ctx.local_date
    elif start > end:
        if t >= start:
            anchor = ctx.local_date
        elif t < end:
            anchor = ctx.local_date - timedelta(days=1)
        else:
            return False
    else:
        return False
    if window.on is not None and window.on != anchor:
        return False
    return window.weekdays is None or anchor.weekday() in window.weekdays


def _agreement(ctx: Context) -> Bi | None:
    if ctx.request.debtor_agreed:
        return Bi("债务人要求的本次联系", "this contact was requested by the debtor")
    for w in ctx.facts.agreed_windows:
        if window_covers(w, ctx):
            span = f"{hhmm(w.start)}–{hhmm(w.end)}"
            if w.on is not None:
                span = f"{w.on.isoformat()} {span}"
            return Bi(f"债务人约定的时段 {span}", f"the debtor's agreed window {span}")
    return None


def check_hours_window(rule: RuleSpec, ctx: Context) -> Sequence[RuleHit]:
    start: time = rule.value("allowed_from")
    end: time = rule.value("allowed_until")
    if start <= ctx.local_time < end:
        return NONE
    params: dict[str, object] = {
        "local_time": hhmm(ctx.local_time),
        "allowed_from": hhmm(start),
        "allowed_until": hhmm(end),
        "timezone": ctx.facts.timezone,
    }
    if rule.value("honour_agreement"):
        agreement = _agreement(ctx)
        if agreement is not None:
            params["agreement"] = agreement.en
            return (
                ctx.hit(
                    rule, Effect.INFO, "info", params, start=hhmm(start), end=hhmm(end), agreement=agreement
                ),
            )
    return (ctx.hit(rule, Effect.DENY, "deny", params, start=hhmm(start), end=hhmm(end)),)
