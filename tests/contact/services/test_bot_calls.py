"""A bot call on a case: cleared by the gate, every bot line screened and stored, debtor lines stored,
the call logged as an activity, a promise recorded, the transcript sealed in the evidence ledger."""

from __future__ import annotations

import pytest

from qingzhai.compliance.models import ContactDecision, Utterance
from qingzhai.compliance.services.contacts import ContactDenied
from qingzhai.contact.models import BotCall
from qingzhai.contact.services.bot_calls import bot_call_run
from qingzhai.core import pii
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.evidence.models import Outbox
from qingzhai.portfolio.models import Activity, PromiseToPay
from tests.web.conftest import past_local


def _run(actor, case, lines, **kw):
    return bot_call_run(actor=actor, case_id=case.pk, debtor_lines=lines, at=past_local(10), **kw)


def test_a_cooperative_call_ends_in_a_promise_that_is_recorded(collector, case):
    last4 = pii.get_value(case.debtor, "id_number")[-4:]
    call = _run(collector, case, ["是我", last4, "好的，我知道了", "我下周五全部还清", "好的", "好"])
    assert call.outcome == "promise"
    promise = PromiseToPay.objects.get(case=case)
    assert promise.amount_fen == call.outcome_detail["promise_amount_fen"] > 0
    assert promise.due_date.isoformat() == call.outcome_detail["promise_date"]
    activity = Activity.objects.get(case=case, kind="bot_call")
    assert (activity.outcome, call.activity_id) == ("promise", activity.pk)
    assert ContactDecision.objects.get(pk=call.decision_id).allowed
    bot_lines = Utterance.objects.filter(case=case, speaker="bot")
    assert bot_lines.count() == len([t for t in call.transcript["turns"] if t["speaker"] == "bot"])
    assert not bot_lines.filter(blocked=True).exists()
    heard = [t for t in call.transcript["turns"] if t["speaker"] == "debtor"]
    assert Utterance.objects.filter(case=case, speaker="debtor", source="transcript").count() == len(heard)
    assert Outbox.objects.filter(kind="bot_call", case_id=case.pk).count() == 1
    assert len(call.transcript_sha256) == 64 and call.turns == len(call.transcript["turns"])


def test_a_refused_contact_says_nothing_and_keeps_the_denial(collector, case):
    at_night = past_local(23, 30)
    with pytest.raises(ContactDenied):
        bot_call_run(actor=collector, case_id=case.pk, debtor_lines=["是我"], at=at_night)
    assert ContactDecision.objects.filter(case=case, allowed=False).count() == 1
    assert not BotCall.objects.exists()
    assert not Utterance.objects.filter(case=case).exists()


def test_access_and_bad_input(users, case, collector):
    with pytest.raises(AccessDenied):
        _run(users["auditor"], case, ["是我"])
    with pytest.raises(DomainError) as exc:
        _run(collector, case, ["是我"], script="no_such_script")
    assert exc.value.code.startswith("script")
    assert not BotCall.objects.exists()
