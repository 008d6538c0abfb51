"""The demo's contact history is history a lawful agency could have: every past contact passes the gate."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from qingzhai.compliance.gate.engine import evaluate
from qingzhai.compliance.gate.facts import ContactRequest, DebtorFacts
from qingzhai.compliance.inputs import PARTY, contact_history, contact_key, debt_key
from qingzhai.compliance.policies.packs import load_pack
from qingzhai.portfolio import demo
from qingzhai.portfolio.contact import OUTBOUND_KINDS
from qingzhai.portfolio.models import Activity


def test_every_demo_contact_would_have_been_allowed(db):
    demo.demo_load(actor="test", size="small", today=date(2026, 6, 15))
    by_debtor: dict[int, list[Activity]] = defaultdict(list)
    for a in (
        Activity.objects.filter(kind__in=OUTBOUND_KINDS).select_related("case").order_by("occurred_at", "id")
    ):
        by_debtor[a.case.debtor_id].append(a)
    assert sum(len(v) for v in by_debtor.values()) > 100
    refused = []
    for debtor_id, acts in by_debtor.items():
        history = contact_history(
            debtor_id=debtor_id, before=acts[-1].occurred_at.replace(year=2100), since=acts[0].occurred_at
        )
        for index, a in enumerate(acts):
            pack = load_pack("cn", a.occurred_at)
            request = ContactRequest(
                at=a.occurred_at,
                channel=a.kind,
                party=PARTY[a.party],
                contact_id=contact_key(a.contact_point_id, a.party),
                debt_id=debt_key(a.case_id),
                pressure=PARTY[a.party].value != "third_party",
            )
            decision = evaluate(
                pack,
                DebtorFacts(timezone="Asia/Shanghai", debtor_unreachable=a.party == "emergency"),
                request,
                history[:index],
            )
            if not decision.allowed:
                refused.append(
                    (a.pk, a.kind, a.party, a.occurred_at.isoformat(), [h.rule for h in decision.denials])
                )
    assert refused == []
