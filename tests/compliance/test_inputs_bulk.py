"""The gate's inputs read for many debtors at once equal those read for one case at a time."""

from __future__ import annotations

from datetime import date, timedelta

from qingzhai.compliance import inputs, inputs_bulk
from qingzhai.compliance.models import DebtorProtection, Dispute
from qingzhai.compliance.services import contact_log
from qingzhai.core.clock import now
from qingzhai.portfolio.models import ContactPoint
from tests.factories import ContactPointFactory, case_with_debt
from tests.web.conftest import past_local


def test_bulk_facts_and_history_equal_the_single_case_reads(collector):
    plain = case_with_debt(assigned_to=collector)
    protected = case_with_debt(assigned_to=collector)
    disputed = case_with_debt(assigned_to=collector)
    DebtorProtection.objects.create(
        debtor=protected.debtor, opted_out=["sms"], hardship_until=date(2030, 1, 1), lawyer_represented=True,
        agreed_windows=[{"start": "21:00", "end": "22:00"}], updated_at=now(),
    )  # fmt: skip
    Dispute.objects.create(case=disputed, reason="不认可金额", opened_at=now())
    ContactPointFactory(
        debtor=disputed.debtor, party=ContactPoint.Party.EMERGENCY, status=ContactPoint.Status.REFUSED
    )
    contact_log(
        actor=collector, case_id=plain.pk, kind="call", outcome="no_answer", occurred_at=past_local(10)
    )
    contact_log(actor=collector, case_id=plain.pk, kind="sms", outcome="other", occurred_at=past_local(11))
    cases = [plain, protected, disputed]
    facts = inputs_bulk.facts_by_debtor(c.debtor_id for c in cases)
    since, before = now() - timedelta(days=30), now()
    history = inputs_bulk.history_by_debtor([c.debtor_id for c in cases], since=since, before=before)
    for case in cases:
        assert facts[case.debtor_id] == inputs.debtor_facts(case)
        assert history[case.debtor_id] == inputs.contact_history(
            debtor_id=case.debtor_id, before=before, since=since
        )
    assert len(history[plain.debtor_id]) == 2
    assert facts[disputed.debtor_id].dispute_open and facts[disputed.debtor_id].refused_contacts
