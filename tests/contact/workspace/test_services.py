"""Workspace writes go through the rooms that own them: a call through the compliance gate, a promise through
portfolio, what the debtor said through the screening service."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from qingzhai.compliance.models import Alert, ContactDecision, Dispute, Utterance
from qingzhai.compliance.services import ContactDenied
from qingzhai.contact.services import workspace as services
from qingzhai.core.clock import business_today
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.portfolio.models import Activity, ContactPoint, PromiseToPay

pytestmark = pytest.mark.django_db


def _number(case):
    return ContactPoint.objects.get(debtor=case.debtor).pk


def test_no_answer_is_logged_with_the_gates_clearance(collector, case, daytime):
    done = services.outcome_record(
        actor=collector, case_id=case.pk, outcome="no_answer", contact_point_id=_number(case)
    )
    activity = Activity.objects.get(case=case)
    assert (activity.kind, activity.outcome, activity.occurred_at) == ("call", "no_answer", daytime)
    decision = ContactDecision.objects.get(case=case)
    assert decision.allowed and decision.activity_id == activity.pk == done.activity.pk


def test_a_refused_call_is_not_logged_and_the_denial_is_kept(collector, case, night):
    with pytest.raises(ContactDenied) as exc:
        services.outcome_record(actor=collector, case_id=case.pk, outcome="promise", contact_point_id=_number(case),
                                promise_amount_fen=10_000, promise_date=business_today())  # fmt: skip
    assert "cn.hours.night" in exc.value.fields["rules"]
    assert not Activity.objects.filter(case=case).exists()
    assert not PromiseToPay.objects.filter(case=case).exists()
    assert ContactDecision.objects.get(case=case).allowed is False


def test_a_promise_is_recorded_with_the_call_and_the_debtors_lines(collector, case, daytime):
    due = business_today() + timedelta(days=5)
    done = services.outcome_record(
        actor=collector, case_id=case.pk, outcome="promise", contact_point_id=_number(case),
        promise_amount_fen=300_000, promise_date=due, heard=["是我", "我下周五还3000", "  "],
    )  # fmt: skip
    promise = PromiseToPay.objects.get(case=case)
    assert done.promise == promise and (promise.amount_fen, promise.due_date) == (300_000, due)
    assert Activity.objects.get(case=case, kind="call").outcome == "promise"
    lines = Utterance.objects.filter(case=case, speaker="debtor", source="transcript")
    assert sorted(lines.values_list("text", flat=True)) == ["我下周五还3000", "是我"]
    case.refresh_from_db()
    assert case.stage == "contact" and case.next_action_date == due


def test_a_promise_needs_amount_and_date_before_the_gate_is_asked(collector, case, daytime):
    with pytest.raises(DomainError) as exc:
        services.outcome_record(
            actor=collector, case_id=case.pk, outcome="promise", contact_point_id=_number(case)
        )
    assert set(exc.value.fields) == {"amount", "due_date"}
    assert not ContactDecision.objects.exists()


def test_a_promise_over_the_balance_leaves_no_call_behind(collector, case, daytime):
    with pytest.raises(DomainError) as exc:
        services.outcome_record(
            actor=collector, case_id=case.pk, outcome="promise", contact_point_id=_number(case),
            promise_amount_fen=case.total_balance_fen + 1, promise_date=business_today(),
        )  # fmt: skip
    assert exc.value.code == "amount_over_balance"
    assert not Activity.objects.filter(case=case).exists()


def test_dispute_opens_a_dispute_and_wrong_number_marks_the_number(collector, case, daytime):
    services.outcome_record(
        actor=collector, case_id=case.pk, outcome="wrong_number", contact_point_id=_number(case)
    )
    assert ContactPoint.objects.get(debtor=case.debtor).status == "wrong_number"
    other = ContactPoint.objects.create(debtor=case.debtor, is_primary=False)
    services.outcome_record(
        actor=collector, case_id=case.pk, outcome="dispute", contact_point_id=other.pk, note="称未借款",
        at=daytime + timedelta(minutes=5),
    )  # fmt: skip
    assert Dispute.objects.get(case=case).reason == "称未借款"


def test_outcome_access_and_choices(users, collector, case, other_case, daytime):
    with pytest.raises(AccessDenied):
        services.outcome_record(actor=users["auditor"], case_id=case.pk, outcome="no_answer")
    with pytest.raises(DomainError) as exc:
        services.outcome_record(actor=collector, case_id=case.pk, outcome="left_message")
    assert exc.value.code == "invalid_choice"
    with pytest.raises(DomainError) as exc:
        services.outcome_record(actor=collector, case_id=other_case.pk, outcome="no_answer")
    assert exc.value.status == 404


def test_callback_sets_the_next_action_and_notes_the_time(collector, case):
    on = business_today() + timedelta(days=1)
    note = services.callback_schedule(
        actor=collector, case_id=case.pk, on=on, at_time=time(15, 30), note="发薪后"
    )
    case.refresh_from_db()
    assert case.next_action_date == on
    assert (
        note is not None
        and note.kind == "note"
        and f"{on.isoformat()} 15:30" in note.note
        and "发薪后" in note.note
    )
    assert services.callback_schedule(actor=collector, case_id=case.pk, on=on) is None
    with pytest.raises(DomainError) as exc:
        services.callback_schedule(actor=collector, case_id=case.pk, on=business_today() - timedelta(days=1))
    assert exc.value.code == "date_in_past"


def test_saying_a_prohibited_sentence_raises_an_alert(collector, case):
    said = services.utterance_say(actor=collector, case_id=case.pk, text="不还钱就让法院把你抓起来")
    assert said.violations and Alert.objects.filter(case=case, collector=collector).count() == 1
