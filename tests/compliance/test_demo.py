from __future__ import annotations

from datetime import date

from qingzhai.compliance.demo import compliance_demo_load
from qingzhai.compliance.models import (
    Alert,
    ContactDecision,
    DebtorProtection,
    DishonestMatch,
    Dispute,
    Utterance,
)
from qingzhai.portfolio import demo


def test_compliance_demo_goes_through_the_services_once(db):
    demo.demo_load(actor="test", size="small", today=date(2026, 6, 15))
    first = compliance_demo_load()
    assert first == {
        "already_loaded": False,
        "dishonest_entries": 6,
        "utterances": Utterance.objects.count(),
        "denied": 3,
        "protections": DebtorProtection.objects.count(),
        "disputes": Dispute.objects.count(),
    }
    assert DishonestMatch.objects.count() == 6
    assert Alert.objects.count() == 6 and Alert.objects.filter(collector__isnull=True).count() == 0
    assert ContactDecision.objects.filter(allowed=False).count() == 3
    assert first["utterances"] >= 20 and first["disputes"] >= 1
    assert compliance_demo_load() == {"already_loaded": True}
    demo.demo_load(actor="test", size="small", today=date(2026, 6, 15), reset=True)
    again = compliance_demo_load(reset=True)
    assert again["dishonest_entries"] == 6 and DishonestMatch.objects.count() == 6
