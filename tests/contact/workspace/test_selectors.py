"""The next-best-case queue: which cases, in which order, and the gate's skips."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qingzhai.compliance.models import DebtorProtection, Dispute
from qingzhai.contact.selectors import workspace as ws
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import AccessDenied
from qingzhai.portfolio.models import Activity, ContactPoint, PromiseToPay
from qingzhai.portfolio.services import case_refresh_totals
from tests.factories import case_with_debt

pytestmark = pytest.mark.django_db


def _case(collector, principal=1_000_000, **kw):
    case = case_with_debt(assigned_to=collector, **kw)
    case.debts.update(principal_fen=principal)
    return case_refresh_totals(case=case)


def test_only_open_cases_assigned_to_the_collector(collector, users, daytime):
    mine = _case(collector)
    closed = _case(collector, stage="closed")
    legal = _case(collector, stage="legal")
    other = case_with_debt()
    ids = [c.pk for c in ws.candidates(user=collector, at=daytime)]
    assert ids == [mine.pk]
    assert closed.pk not in ids and legal.pk not in ids and other.pk not in ids


def test_a_supervisor_gets_their_own_and_unassigned_cases(supervisor, collector, daytime):
    unassigned = case_with_debt()
    someone_elses = _case(collector)
    ids = {c.pk for c in ws.candidates(user=supervisor, at=daytime)}
    assert unassigned.pk in ids and someone_elses.pk not in ids


def test_callbacks_then_promises_then_expected_recovery(collector, daytime):
    today = business_today(daytime)
    small = _case(collector, principal=100_000)
    big = _case(collector, principal=5_000_000)
    promised = _case(collector, principal=200_000)
    PromiseToPay.objects.create(
        case=promised, amount_fen=1000, due_date=today - timedelta(days=1), created_at=now()
    )
    broken = _case(collector, principal=150_000)
    PromiseToPay.objects.create(
        case=broken, amount_fen=1000, due_date=today - timedelta(days=3), status="broken",
        created_at=now(), resolved_at=daytime - timedelta(days=1),
    )  # fmt: skip
    callback = _case(collector, principal=50_000, next_action_date=today)
    order = [c.pk for c in ws.candidates(user=collector, at=daytime)]
    assert order[0] == callback.pk
    assert set(order[1:3]) == {promised.pk, broken.pk}
    assert order[1] == promised.pk  # larger balance first within the tier
    assert order[3:] == [big.pk, small.pk]


def test_the_latest_score_weighs_the_balance(collector, daytime):
    from qingzhai.scoring.models import CaseScore, ScoringModel

    rich_unlikely = _case(collector, principal=2_000_000)
    modest_likely = _case(collector, principal=1_000_000)
    model = ScoringModel.objects.create(
        name="repayment",
        version=1,
        kind="logistic",
        label_code="x",
        payload_sha256="0" * 64,
        created_at=now(),
    )
    CaseScore.objects.create(
        case=rich_unlikely, model=model, as_of=business_today(), probability=0.1, points=0, created_at=now()
    )
    CaseScore.objects.create(
        case=modest_likely, model=model, as_of=business_today(), probability=0.9, points=0, created_at=now()
    )
    entries = ws.queue(user=collector, at=daytime)
    assert [e.case.pk for e in entries] == [modest_likely.pk, rich_unlikely.pk]
    assert entries[0].probability == pytest.approx(0.9)
    assert entries[0].expected_fen == round(entries[0].case.total_balance_fen * 0.9)


def test_a_case_called_in_the_last_two_hours_waits(collector, daytime):
    called = _case(collector)
    fresh = _case(collector)
    Activity.objects.create(
        case=called, kind="call", outcome="no_answer", occurred_at=daytime - timedelta(minutes=30),
        created_at=daytime,
    )  # fmt: skip
    assert [c.pk for c in ws.candidates(user=collector, at=daytime)] == [fresh.pk]
    later = daytime + timedelta(hours=3)
    assert {c.pk for c in ws.candidates(user=collector, at=later)} == {called.pk, fresh.pk}


def test_next_case_skips_what_the_gate_refuses_with_the_reasons(collector, daytime):
    disputed = _case(collector, principal=9_000_000)
    Dispute.objects.create(case=disputed, reason="不认可", opened_at=now())
    no_phone = _case(collector, principal=8_000_000)
    ContactPoint.objects.filter(debtor=no_phone.debtor).update(status="wrong_number")
    ok = _case(collector, principal=1_000_000)
    pick = ws.next_case(user=collector, at=daytime)
    assert pick.entry is not None and pick.entry.case.pk == ok.pk and pick.entry.callable
    assert [e.case.pk for e in pick.skipped] == [disputed.pk, no_phone.pk]
    assert [r.rule for r in pick.skipped[0].refusals] == ["stop.dispute"]
    assert pick.skipped[1].refusals[0].rule == "workspace.no_number"


def test_at_night_nothing_is_callable(collector, night):
    case = _case(collector)
    pick = ws.next_case(user=collector, at=night)
    assert pick.entry is None and [e.case.pk for e in pick.skipped] == [case.pk]
    assert pick.skipped[0].refusals[0].rule == "cn.hours.night"
    rows = ws.queue(user=collector, at=night)
    assert rows[0].callable is False


def test_an_opted_out_debtor_is_not_callable(collector, daytime):
    case = _case(collector)
    DebtorProtection.objects.create(debtor=case.debtor, opted_out=["call"], updated_at=now())
    assert ws.next_case(user=collector, at=daytime).entry is None


def test_access(users, daytime):
    with pytest.raises(AccessDenied):
        ws.candidates(user=users["auditor"], at=daytime)
    with pytest.raises(AccessDenied):
        ws.next_case(user=users["creditor_viewer"], at=daytime)


def test_the_queue_costs_a_bounded_number_of_queries(collector, daytime, django_assert_max_num_queries):
    for _ in range(3):
        _case(collector)
    with django_assert_max_num_queries(30):
        few = ws.queue(user=collector, at=daytime, size=3)
    for _ in range(10):
        _case(collector)
    with django_assert_max_num_queries(30):
        many = ws.queue(user=collector, at=daytime, size=3)
    assert len(few) == len(many) == 3


def test_mask_name():
    assert ws.mask_name("张三丰") == "张**"
    assert ws.mask_name("李") == "李*"
    assert ws.mask_name("") == "—"
