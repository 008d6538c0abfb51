"""What the gate sees, for many cases at once (campaigns): the same facts and history as
`compliance.inputs.debtor_facts` and `contact_history` give one case, read in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from qingzhai.compliance.gate.facts import DebtorFacts, PastContact
from qingzhai.compliance.inputs import contact_key, facts_with, past_contact
from qingzhai.compliance.models import DebtorProtection, DishonestEntry, DishonestMatch, Dispute
from qingzhai.portfolio.contact import OUTBOUND_KINDS
from qingzhai.portfolio.models import Activity, ContactPoint, Debtor


def facts_by_debtor(debtor_ids: Iterable[int]) -> dict[int, DebtorFacts]:
    """Each debtor's `DebtorFacts`, as `inputs.debtor_facts` builds them, in six queries."""
    ids = sorted(set(debtor_ids))
    if not ids:
        return {}
    debtors = dict(Debtor.objects.filter(pk__in=ids).values_list("pk", "timezone"))
    bidx = dict(
        Debtor.objects.filter(pk__in=ids).exclude(id_number_bidx="").values_list("pk", "id_number_bidx")
    )
    protections = {p.debtor_id: p for p in DebtorProtection.objects.filter(debtor_id__in=ids)}
    points: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for pk, debtor_id, party, status in ContactPoint.objects.filter(debtor_id__in=ids).values_list(
        "pk", "debtor_id", "party", "status"
    ):
        points[debtor_id].append((pk, party, status))
    disputed = set(
        Dispute.objects.filter(case__debtor_id__in=ids, resolved_at__isnull=True).values_list(
            "case__debtor_id", flat=True
        )
    )
    entries: dict[str, set[int]] = defaultdict(set)
    for entry_id, number in DishonestEntry.objects.filter(id_number_bidx__in=set(bidx.values())).values_list(
        "pk", "id_number_bidx"
    ):
        entries[number].add(entry_id)
    cleared: set[tuple[int, int]] = set(
        DishonestMatch.objects.filter(debtor_id__in=ids, cleared_at__isnull=False).values_list(
            "debtor_id", "entry_id"
        )
    )
    out: dict[int, DebtorFacts] = {}
    for debtor_id in ids:
        if debtor_id not in debtors:
            continue
        rows = points.get(debtor_id, [])
        number = bidx.get(debtor_id)
        listed = bool(number) and any((debtor_id, e) not in cleared for e in entries.get(number or "", ()))
        lost = not any(p == ContactPoint.Party.DEBTOR and s == ContactPoint.Status.VALID for _, p, s in rows)
        base: dict[str, Any] = {
            "timezone": debtors[debtor_id] or "Asia/Shanghai",
            "dispute_open": debtor_id in disputed,
            "dishonest_listed": listed,
            "refused_contacts": frozenset(
                contact_key(pk, "") for pk, _, s in rows if s == ContactPoint.Status.REFUSED
            ),
        }
        out[debtor_id] = facts_with(base, protections.get(debtor_id), lost)
    return out


def history_by_debtor(
    debtor_ids: Iterable[int], *, since: datetime, before: datetime
) -> dict[int, list[PastContact]]:
    """Each debtor's outbound contacts in [since, before), as `inputs.contact_history` lists them, in one query."""
    ids = sorted(set(debtor_ids))
    out: dict[int, list[PastContact]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = (
        Activity.objects.filter(
            case__debtor_id__in=ids, kind__in=OUTBOUND_KINDS, occurred_at__gte=since, occurred_at__lt=before
        )
        .order_by("occurred_at", "id")
        .values_list(
            "case__debtor_id", "occurred_at", "kind", "party", "contact_point_id", "case_id", "outcome"
        )
    )
    for debtor_id, at, kind, party, cp, case_id, outcome in rows:
        out[debtor_id].append(past_contact(at, kind, party, cp, case_id, outcome))
    return out
