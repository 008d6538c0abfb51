"""What the gate sees, read from the database: the pack in force, the debtor's facts and contact history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from qingzhai.compliance.gate.facts import (
    AgreedWindow,
    Channel,
    ContactRequest,
    DebtorFacts,
    Outcome,
    Party,
    PastContact,
)
from qingzhai.compliance.models import CreditorPolicy, DebtorProtection, DishonestEntry, Dispute
from qingzhai.compliance.policies.packs import PolicyError, PolicyPack, apply_overrides, load_pack
from qingzhai.compliance.snapshot import window_from_dict
from qingzhai.core.errors import DomainError
from qingzhai.portfolio.contact import OUTBOUND_KINDS
from qingzhai.portfolio.models import Activity, Case, ContactPoint, Debtor

# Activity vocabulary → gate vocabulary.
PARTY = {
    Activity.Party.DEBTOR: Party.DEBTOR,
    Activity.Party.GUARANTOR: Party.GUARANTOR,
    Activity.Party.EMERGENCY: Party.THIRD_PARTY,
    Activity.Party.THIRD_PARTY: Party.THIRD_PARTY,
    Activity.Party.LAWYER: Party.LAWYER,
    Activity.Party.NONE: Party.DEBTOR,
}
_TALKED = frozenset(
    {
        Activity.Outcome.CONNECTED,
        Activity.Outcome.PROMISE,
        Activity.Outcome.DISPUTE,
        Activity.Outcome.PAID,
        Activity.Outcome.REFUSED,
    }
)


def outcome_for(kind: str, outcome: str, party: str) -> Outcome:
    if outcome == Activity.Outcome.REFUSED and PARTY[Activity.Party(party)] == Party.THIRD_PARTY:
        return Outcome.REFUSED
    if kind in ("call", "bot_call", "visit"):
        return Outcome.CONNECTED if outcome in _TALKED else Outcome.NO_ANSWER
    return Outcome.SENT


def contact_key(contact_point_id: int | None, party: str) -> str:
    return f"cp:{contact_point_id}" if contact_point_id else f"party:{party}"


def debt_key(case_id: int) -> str:
    return f"case:{case_id}"


def pack_for(creditor_id: int, at: datetime) -> tuple[PolicyPack, dict[str, Any]]:
    """The creditor's pack as in force at `at`, with the creditor's stricter parameters applied."""
    policy = CreditorPolicy.objects.filter(creditor_id=creditor_id).only("pack", "overrides").first()
    code, overrides = (policy.pack, policy.overrides) if policy else ("cn", {})
    try:
        pack = load_pack(code, at)
        return (apply_overrides(pack, overrides) if overrides else pack), overrides
    except PolicyError as exc:
        # e.g. a time before the first version of the pack: the gate cannot decide, the caller must say so
        raise DomainError(exc.code, exc.zh, exc.en, fields={"at": [at.isoformat()]}) from exc


def debtor_listed(debtor: Debtor) -> bool:
    """On the dishonest-debtor list now: an entry with the debtor's ID number whose match was not cleared.
    Read live, so a debtor imported after the list is matched at once."""
    if not debtor.id_number_bidx:
        return False
    return (
        DishonestEntry.objects.filter(id_number_bidx=debtor.id_number_bidx)
        .exclude(matches__debtor_id=debtor.pk, matches__cleared_at__isnull=False)
        .exists()
    )


def debtor_facts(case: Case) -> DebtorFacts:
    debtor = case.debtor
    protection = DebtorProtection.objects.filter(debtor_id=debtor.pk).first()
    points = list(ContactPoint.objects.filter(debtor_id=debtor.pk).values_list("pk", "party", "status"))
    refused = [pk for pk, _, status in points if status == ContactPoint.Status.REFUSED]
    # No debtor number left that works: the debtor cannot be reached (a lawful ground to ask a listed contact).
    lost = not any(p == ContactPoint.Party.DEBTOR and s == ContactPoint.Status.VALID for _, p, s in points)
    base: dict[str, Any] = {
        "timezone": debtor.timezone or "Asia/Shanghai",
        "dispute_open": Dispute.objects.filter(case__debtor_id=debtor.pk, resolved_at__isnull=True).exists(),
        "dishonest_listed": debtor_listed(debtor),
        "refused_contacts": frozenset(contact_key(pk, "") for pk in refused),
    }
    return facts_with(base, protection, lost)


def facts_with(base: dict[str, Any], protection: DebtorProtection | None, lost: bool) -> DebtorFacts:
    """The debtor's facts from what was read about them (`base`: timezone, dispute, listing, refused
    contacts), their protection record and whether no debtor number works any more."""
    if protection is None:
        return DebtorFacts(**base, debtor_unreachable=lost)
    windows: tuple[AgreedWindow, ...] = tuple(window_from_dict(w) for w in protection.agreed_windows)
    return DebtorFacts(
        **base,
        agreed_windows=windows,
        bankrupt=protection.bankrupt,
        deceased=protection.deceased,
        minor=protection.minor,
        incapacitated=protection.incapacitated,
        opted_out=frozenset(Channel(c) for c in protection.opted_out),
        time_barred=protection.time_barred,
        hardship_until=protection.hardship_until,
        lawyer_represented=protection.lawyer_represented,
        debtor_unreachable=protection.unreachable or lost,
        guarantor_contact_allowed=protection.guarantor_contact_allowed,
        initial_communication_at=protection.initial_communication_at,
        validation_notice_sent_at=protection.validation_notice_sent_at,
    )


def contact_history(*, debtor_id: int, before: datetime, since: datetime) -> list[PastContact]:
    """Outbound contacts made with the debtor's cases in [since, before)."""
    rows = (
        Activity.objects.filter(
            case__debtor_id=debtor_id,
            kind__in=OUTBOUND_KINDS,
            occurred_at__gte=since,
            occurred_at__lt=before,
        )
        .order_by("occurred_at", "id")
        .values_list("occurred_at", "kind", "party", "contact_point_id", "case_id", "outcome")
    )
    return [past_contact(*row) for row in rows]


def past_contact(
    at: datetime, kind: str, party: str, cp: int | None, case_id: int, outcome: str
) -> PastContact:
    """One logged outbound activity as the gate reads it."""
    return PastContact(
        at=at,
        channel=Channel(kind),
        party=PARTY[Activity.Party(party)],
        contact_id=contact_key(cp, party),
        debt_id=debt_key(case_id),
        outcome=outcome_for(kind, outcome, party),
        pressure=PARTY[Activity.Party(party)] != Party.THIRD_PARTY,
    )


def contact_request(
    *,
    case: Case,
    at: datetime,
    kind: str,
    party: str,
    contact_point_id: int | None,
    pressure: bool = True,
    includes_disclosure: bool = False,
    threatens_suit: bool = False,
    debtor_agreed: bool = False,
) -> ContactRequest:
    return ContactRequest(
        at=at,
        channel=Channel(kind),
        party=PARTY[Activity.Party(party)],
        contact_id=contact_key(contact_point_id, party),
        debt_id=debt_key(case.pk),
        pressure=pressure,
        includes_disclosure=includes_disclosure,
        threatens_suit=threatens_suit,
        debtor_agreed=debtor_agreed,
    )
