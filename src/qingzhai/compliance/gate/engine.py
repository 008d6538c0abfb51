"""The contact gate: `evaluate(pack, facts, request, history) -> Decision`. Pure and deterministic.

Every rule of the pack that applies to the request's channel and party is checked; each may add hits. The
contact is allowed when no hit denies it. Hits come ordered by effect (deny, route, require, info) and within
an effect in the pack's rule order, so the same input always gives the same answer in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from qingzhai.compliance.gate.facts import (
    Channel,
    ContactRequest,
    DebtorFacts,
    Decision,
    Effect,
    Party,
    PastContact,
    RuleHit,
)
from qingzhai.compliance.gate.rules import CHECKS, lookback_days
from qingzhai.compliance.gate.rules.base import Check, Context
from qingzhai.compliance.policies.packs import PolicyPack, RuleSpec

EFFECT_ORDER: dict[Effect, int] = {Effect.DENY: 0, Effect.ROUTE: 1, Effect.REQUIRE: 2, Effect.INFO: 3}


@dataclass(frozen=True)
class _Compiled:
    entries: tuple[tuple[int, RuleSpec, Check, frozenset[Channel], frozenset[Party]], ...]
    lookback: timedelta


def _compiled(pack: PolicyPack) -> _Compiled:
    compiled = pack._compiled
    if compiled is None:
        entries = tuple(
            (index, rule, CHECKS[rule.kind], rule.channels, rule.parties)
            for index, rule in enumerate(pack.rules)
        )
        days = max((lookback_days(rule) for rule in pack.rules), default=0)
        compiled = _Compiled(entries=entries, lookback=timedelta(days=days))
        object.__setattr__(pack, "_compiled", compiled)  # a cache on a frozen value; not part of its identity
    return compiled  # type: ignore[no-any-return]


def history_lookback(pack: PolicyPack) -> timedelta:
    """How far before a contact the caller must load history (`PastContact`s) for the pack's rules.

    Refusals by third parties are read from history only inside this window; a caller must keep them in
    `DebtorFacts.refused_contacts` for good."""
    return _compiled(pack).lookback


def evaluate(
    pack: PolicyPack,
    facts: DebtorFacts,
    request: ContactRequest,
    history: Iterable[PastContact] = (),
) -> Decision:
    """Decide whether `request` may go ahead under `pack`, given the debtor's facts and earlier contacts.

    History entries with outcome DENIED, and entries after `request.at`, are ignored."""
    compiled = _compiled(pack)
    ctx = Context(pack, facts, request, history)
    channel = request.channel
    party = request.party
    found: list[tuple[int, int, int, RuleHit]] = []
    for index, rule, check, channels, parties in compiled.entries:
        if channel in channels and party in parties:
            for n, hit in enumerate(check(rule, ctx)):
                found.append((EFFECT_ORDER[hit.effect], index, n, hit))
    if len(found) > 1:
        found.sort(key=lambda item: item[:3])
    hits = tuple(item[3] for item in found)
    allowed = True
    route: str | None = None
    requirements: list[str] = []
    for hit in hits:
        if hit.effect == Effect.DENY:
            allowed = False
        elif hit.effect == Effect.ROUTE:
            if route is None:
                route = str(hit.params.get("route", "")) or None
        elif hit.effect == Effect.REQUIRE and hit.rule not in requirements:
            requirements.append(hit.rule)
    return Decision(
        allowed=allowed,
        pack=pack.code,
        pack_version=pack.version_id,
        hits=hits,
        requirements=tuple(requirements),
        route=route,
    )
