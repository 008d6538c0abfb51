"""Campaign planning (pure: no Django): when each reminder may go, under the compliance gate and each
channel's capacity.

For every case and every step of the campaign, each of the case's targets on the step's channel gets one
message. Its time is the step's offset from the start, moved forward to the next free slot of the channel
(capacity is counted per hour; slots in an hour are spread evenly) and then asked of the gate at that
exact instant. A denial that only concerns the time (night hours, a daily cap, a cooling-off period) moves
the message to the next hour and asks again; any other denial, a requirement the template cannot meet
(the time-barred disclosure) or a route elsewhere (lawyer, enforcement) refuses the message for good, with
the rules that fired. A message that finds no lawful slot before the campaign's end is refused as
`no_slot`. Messages planned earlier in the same run count as history for later ones, so frequency caps hold
across steps and across a debtor's several cases.

`gate=False` plans by capacity alone: the benchmark's baseline, never used to send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from qingzhai.compliance.gate.engine import evaluate
from qingzhai.compliance.gate.facts import (
    Channel,
    ContactRequest,
    DebtorFacts,
    Effect,
    Outcome,
    Party,
    PastContact,
)
from qingzhai.compliance.policies.packs import PolicyPack
from qingzhai.contact.campaigns.templates import GATE_CHANNEL

# Denials that only say "not now": the message is tried again an hour later.
TIME_KINDS = frozenset({"hours_window", "count_cap", "cooloff", "dishonest_listed"})
NO_SLOT = "campaign.no_slot"
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Step:
    channel: str  # sms, email, letter, voice
    template_id: str
    offset_hours: int = 0


@dataclass(frozen=True)
class PlanCase:
    case_id: int
    debtor_id: int
    facts: DebtorFacts
    history: tuple[PastContact, ...] = ()
    # channel -> recipients: contact point ids for phones (sms, voice); None for the debtor's postal
    # address or e-mail (letter, email)
    targets: dict[str, tuple[int | None, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Planned:
    case_id: int
    step: int
    channel: str
    contact_point_id: int | None
    at: datetime | None  # None when refused
    allowed: bool
    rules: tuple[str, ...] = ()  # the denials (or requirements, routes) that refused it
    tries: int = 1  # gate evaluations it took
    moved: bool = False  # the gate's hours or caps pushed it later than its first free slot


@dataclass
class Slots:
    """Each channel's capacity per hour from `start`, and what is already taken (kept across chunks).
    Hours are clock hours, counted from the top of the start's hour."""

    start: datetime
    per_hour: dict[str, int]
    used: dict[tuple[str, int], int] = field(default_factory=dict)
    full_below: dict[str, int] = field(default_factory=dict)  # every hour before this one is full
    origin: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.origin = self.start.replace(minute=0, second=0, microsecond=0)
        self._origin_ts = self.origin.timestamp()

    def hour_of(self, at: datetime) -> int:
        return int((at.timestamp() - self._origin_ts) // 3600)

    def take(
        self, channel: str, earliest: datetime, end: datetime, skip: Callable[[int], bool] | None = None
    ) -> datetime | None:
        """The first free slot of `channel` at or after `earliest`, before `end`, in an hour `skip` does not
        rule out; not yet taken."""
        cap = self.per_hour.get(channel, 0)
        hour = max(0, self.hour_of(earliest), self.full_below.get(channel, 0) if cap > 0 else 0)
        while True:
            bucket_start = self.origin + hour * HOUR
            if bucket_start >= end:
                return None
            if skip is not None and skip(hour):
                hour += 1
                continue
            if cap <= 0:
                at = max(bucket_start, earliest)
                return at if at < end else None
            n = self.used.get((channel, hour), 0)
            if n < cap:
                at = max(bucket_start + n * (HOUR / cap), earliest)
                if at < end and at < bucket_start + HOUR:
                    return at
            hour += 1

    def commit(self, channel: str, at: datetime) -> None:
        hour = self.hour_of(at)
        self.used[(channel, hour)] = self.used.get((channel, hour), 0) + 1
        cap = self.per_hour.get(channel, 0)
        below = self.full_below.get(channel, 0)
        while cap > 0 and self.used.get((channel, below), 0) >= cap:
            below += 1
        self.full_below[channel] = below


def _contact_id(contact_point_id: int | None) -> str:
    return f"cp:{contact_point_id}" if contact_point_id else "party:debtor"


def plan(
    cases: Iterable[PlanCase],
    steps: list[Step],
    *,
    pack: PolicyPack | None,
    start: datetime,
    end: datetime,
    per_hour: dict[str, int] | None = None,
    gate: bool = True,
    slots: Slots | None = None,
    planned_history: dict[int, list[PastContact]] | None = None,
) -> Iterator[Planned]:
    """Plan every message of the campaign, case by case (a generator: plans of any size in little memory).

    `slots` carries capacity already taken and `planned_history` the messages already planned per debtor,
    when a campaign is planned in several chunks."""
    if gate and pack is None:
        raise ValueError("the gate needs a policy pack")
    kinds = {rule.id: rule.kind for rule in pack.rules} if pack else {}
    slots = slots or Slots(start=start, per_hour=dict(per_hour or {}))
    planned_by_debtor = planned_history if planned_history is not None else {}
    closed: set[tuple[tuple[object, ...], int]] = set()
    for case in cases:
        extra = planned_by_debtor.setdefault(case.debtor_id, [])
        for index, step in enumerate(steps):
            channel = step.channel
            gate_channel = Channel(GATE_CHANNEL[channel])
            for cp in case.targets.get(channel, ()):
                earliest = start + timedelta(hours=step.offset_hours)
                tries = 0
                pushed = False
                zone = (gate_channel, case.facts.timezone, case.facts.agreed_windows)
                skipped: list[bool] = []

                def skip(hour: int, zone: tuple[object, ...] = zone, skipped: list[bool] = skipped) -> bool:
                    if (zone, hour) in closed:
                        skipped.append(True)
                        return True
                    return False

                result: Planned | None = None
                while result is None:
                    at = slots.take(channel, earliest, end, skip if gate else None)
                    pushed = pushed or bool(skipped)
                    if at is None:
                        result = Planned(
                            case.case_id, index, channel, cp, None, False, (NO_SLOT,), tries, pushed
                        )
                        break
                    if not gate:
                        result = Planned(case.case_id, index, channel, cp, at, True, (), 1)
                        break
                    tries += 1
                    request = ContactRequest(
                        at=at,
                        channel=gate_channel,
                        party=Party.DEBTOR,
                        contact_id=_contact_id(cp),
                        debt_id=f"case:{case.case_id}",
                    )
                    history = case.history + tuple(extra) if extra else case.history
                    decision = evaluate(pack, case.facts, request, history)  # type: ignore[arg-type]
                    blocking = tuple(
                        h.rule
                        for h in decision.hits
                        if h.effect in (Effect.DENY, Effect.REQUIRE, Effect.ROUTE)
                    )
                    if not blocking:
                        result = Planned(case.case_id, index, channel, cp, at, True, (), tries, pushed)
                    elif all(kinds.get(rule) in TIME_KINDS for rule in blocking):
                        # Move to the top of the next hour and ask again. An hour the hours rule closes for one debtor is closed for every debtor with the same
                        # time zone and agreed contact times (the rule reads nothing else): skipped unasked.
                        if all(kinds.get(rule) == "hours_window" for rule in blocking):
                            closed.add((zone, slots.hour_of(at)))
                        pushed = True
                        earliest = slots.origin + (slots.hour_of(at) + 1) * HOUR
                    else:
                        result = Planned(case.case_id, index, channel, cp, None, False, blocking, tries)
                if result.allowed and result.at is not None:
                    slots.commit(channel, result.at)
                if gate and result.allowed and result.at is not None:
                    extra.append(
                        PastContact(
                            at=result.at,
                            channel=gate_channel,
                            party=Party.DEBTOR,
                            contact_id=_contact_id(cp),
                            debt_id=f"case:{case.case_id}",
                            outcome=Outcome.SENT if not gate_channel.is_call else Outcome.NO_ANSWER,
                        )
                    )
                yield result
