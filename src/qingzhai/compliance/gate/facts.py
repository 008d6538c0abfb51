"""What the contact gate decides on, and what it answers. Pure: no Django import.

The gate engine (`gate.engine.evaluate`) takes a policy pack, the debtor's facts, the contact about to be made
and the contact history, and returns a `Decision`. The Django side (`compliance.services`) builds these objects
from the database; `compliance simulate` builds them from a scenario file. Both call the same engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum


class Channel(StrEnum):
    CALL = "call"  # a human collector dials
    BOT_CALL = "bot_call"  # an automated voice call
    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"
    VISIT = "visit"  # field visit

    @property
    def is_call(self) -> bool:
        return self in (Channel.CALL, Channel.BOT_CALL)


class Party(StrEnum):
    DEBTOR = "debtor"
    GUARANTOR = "guarantor"
    THIRD_PARTY = "third_party"  # emergency contact, relative, employer ... anyone not liable for the debt
    LAWYER = "lawyer"  # the debtor's legal representative


class Outcome(StrEnum):
    """Outcome of a past contact, as far as the rules care."""

    CONNECTED = "connected"  # a conversation took place (counts as an effective call)
    NO_ANSWER = "no_answer"  # an attempt without conversation (busy, no answer, voicemail)
    REFUSED = "refused"  # the party asked not to be contacted again
    SENT = "sent"  # a message/letter went out
    DENIED = "denied"  # the gate refused it; it did not happen


class Effect(StrEnum):
    DENY = "deny"  # the contact must not happen
    REQUIRE = "require"  # it may happen only with the stated condition (e.g. a disclosure)
    ROUTE = "route"  # not through collection: route elsewhere (enforcement, the lawyer)
    INFO = "info"  # explanation only


@dataclass(frozen=True)
class AgreedWindow:
    """A contact time the debtor agreed to, in the debtor's local time. `end` may be before `start` (crosses
    midnight). `on` limits it to one local date; `weekdays` (0 = Monday) to some days; neither = every day."""

    start: time
    end: time
    on: date | None = None
    weekdays: frozenset[int] | None = None


@dataclass(frozen=True)
class DebtorFacts:
    timezone: str = "Asia/Shanghai"  # IANA name; the debtor's local time governs the hours
    agreed_windows: tuple[AgreedWindow, ...] = ()
    dispute_open: bool = False
    dishonest_listed: bool = False  # on the court's dishonest-debtor list (失信被执行人)
    bankrupt: bool = False
    deceased: bool = False
    minor: bool = False
    incapacitated: bool = False
    opted_out: frozenset[Channel] = frozenset()  # channels the debtor opted out of
    time_barred: bool = False  # limitation period has run
    hardship_until: date | None = None  # protection window, inclusive, in the debtor's local dates
    lawyer_represented: bool = False
    debtor_unreachable: bool = False  # lawful ground to approach third parties
    guarantor_contact_allowed: bool = True  # the contract allows collecting from guarantors
    refused_contacts: frozenset[str] = frozenset()  # contact ids that asked not to be contacted again
    # US (Regulation F): validation notice and dispute window
    initial_communication_at: datetime | None = None
    validation_notice_sent_at: datetime | None = None


@dataclass(frozen=True)
class ContactRequest:
    at: datetime  # timezone-aware instant of the planned contact
    channel: Channel
    party: Party = Party.DEBTOR
    contact_id: str = ""  # the number/address/person reached; frequency per number counts by this
    debt_id: str = ""  # US pack counts calls per debt
    pressure: bool = True  # collection pressure (demand for payment); False = purely informational
    includes_disclosure: bool = False  # the message carries the time-barred-debt disclosure
    threatens_suit: bool = False  # the message mentions a lawsuit
    debtor_agreed: bool = False  # the debtor asked for this specific contact (e.g. a call-back)


@dataclass(frozen=True)
class PastContact:
    at: datetime
    channel: Channel
    party: Party = Party.DEBTOR
    contact_id: str = ""
    debt_id: str = ""
    outcome: Outcome = Outcome.NO_ANSWER
    pressure: bool = True  # it was a collection-pressure contact (counts towards pressure caps)


@dataclass(frozen=True)
class RuleHit:
    rule: str  # stable id, e.g. "cn.hours.night"
    effect: Effect
    basis: str  # legal basis, e.g. "GB/T 45251—2025; 中国银行业协会催收工作指引（2026）"
    zh: str
    en: str
    params: dict[str, object] = field(default_factory=dict)  # the numbers that applied


@dataclass(frozen=True)
class Decision:
    allowed: bool
    pack: str  # pack code, e.g. "cn"
    pack_version: str  # version id of the pack in force at `request.at`
    hits: tuple[RuleHit, ...] = ()  # every rule that fired, denials first
    requirements: tuple[str, ...] = ()  # conditions the contact must meet (rule ids of REQUIRE hits)
    route: str | None = None  # "enforcement", "lawyer" ...

    @property
    def denials(self) -> tuple[RuleHit, ...]:
        return tuple(h for h in self.hits if h.effect == Effect.DENY)
