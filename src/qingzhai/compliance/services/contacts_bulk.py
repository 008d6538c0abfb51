"""The contact gate for many contacts at once (campaigns): the same engine, facts and stored decisions as
`contact_clear`, read and written in a fixed number of queries per batch.

Each request is judged at its own instant against the debtor's history up to it, plus the requests of the
same batch allowed before it (so two reminders to one debtor in one batch count against each other). Every
answer, allowed or denied, is stored as a `ContactDecision` (source `campaign`) with the facts, request and
history it was based on, so it can be explained and re-checked later like any other decision.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qingzhai.compliance import inputs, inputs_bulk
from qingzhai.compliance.gate.engine import evaluate, history_lookback
from qingzhai.compliance.gate.facts import Outcome, PastContact
from qingzhai.compliance.models import ContactDecision
from qingzhai.compliance.policies.packs import PolicyPack
from qingzhai.compliance.services.contacts import decision_row
from qingzhai.core.clock import now
from qingzhai.portfolio.contact import Clearance
from qingzhai.portfolio.models import Activity, Case


@dataclass(frozen=True)
class BulkRequest:
    case_id: int
    kind: str  # Activity kind: sms, email, letter, bot_call
    at: datetime
    contact_point_id: int | None = None
    party: str = Activity.Party.DEBTOR


def clearance_of(row: ContactDecision) -> Clearance:
    return Clearance(
        decision_id=row.pk,
        case_id=row.case_id,
        kind=row.channel,
        party=row.party,
        contact_point_id=row.contact_point_id,
    )


def contacts_clear_bulk(
    *, actor: Any, requests: list[BulkRequest], source: str = ContactDecision.Source.CAMPAIGN
) -> list[ContactDecision]:
    """Judge and store every request (call inside the caller's transaction). Returns the stored decisions in
    the order of `requests`; an allowed one's `clearance_of()` lets the contact be logged."""
    if not requests:
        return []
    cases = {
        c.pk: c
        for c in Case.objects.filter(pk__in={r.case_id for r in requests})
        .select_related("portfolio")
        .only("pk", "debtor_id", "portfolio__creditor_id")
    }
    earliest = min(r.at for r in requests)
    latest = max(r.at for r in requests)
    packs: dict[int, tuple[PolicyPack, dict[str, Any]]] = {}
    for case in cases.values():
        creditor = case.portfolio.creditor_id
        if creditor not in packs:
            packs[creditor] = inputs.pack_for(creditor, earliest)
    lookback = max(history_lookback(p) for p, _ in packs.values())
    debtor_ids = {c.debtor_id for c in cases.values()}
    facts = inputs_bulk.facts_by_debtor(debtor_ids)
    history = inputs_bulk.history_by_debtor(debtor_ids, since=earliest - lookback, before=latest)
    added: dict[int, list[PastContact]] = defaultdict(list)
    decided_at = now()
    rows: list[ContactDecision] = []
    for req in requests:
        case = cases[req.case_id]
        pack, overrides = packs[case.portfolio.creditor_id]
        request = inputs.contact_request(
            case=case, at=req.at, kind=req.kind, party=req.party, contact_point_id=req.contact_point_id
        )
        since = req.at - history_lookback(pack)
        past = [p for p in history[case.debtor_id] + added[case.debtor_id] if since <= p.at < req.at]
        decision = evaluate(pack, facts[case.debtor_id], request, past)
        if decision.allowed:
            added[case.debtor_id].append(
                PastContact(
                    at=req.at,
                    channel=request.channel,
                    party=request.party,
                    contact_id=request.contact_id,
                    debt_id=request.debt_id,
                    outcome=Outcome.NO_ANSWER if request.channel.is_call else Outcome.SENT,
                    pressure=request.pressure,
                )
            )
        rows.append(
            decision_row(
                case_id=case.pk,
                debtor_id=case.debtor_id,
                kind=req.kind,
                party=req.party,
                contact_point_id=req.contact_point_id,
                decision=decision,
                request=request,
                facts=facts[case.debtor_id],
                overrides=overrides,
                history=past,
                actor=actor,
                source=source,
                decided_at=decided_at,
            )
        )
    return ContactDecision.objects.bulk_create(rows, batch_size=500)
