"""Proceedings through the services: history, deadlines on the holiday calendar, alerts, refusals that
write nothing, the case stage, limitation interrupted by a filing, conversion to a suit, access."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.core.audit import AuditEvent
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.evidence.models import Outbox
from qingzhai.legal.models import Deadline, Proceeding, ProceedingEvent
from qingzhai.legal.selectors import debt_limitation
from qingzhai.legal.services.proceedings import (
    alert_level,
    deadlines_scan,
    proceeding_open,
    proceeding_transition,
)


@pytest.fixture
def legal(users):
    return users["legal"]


def _open(actor, case, kind="payment_order", on=date(2025, 1, 15), **kw):
    return proceeding_open(
        actor=actor, case_id=case.pk, kind=kind, on=on, court="上海市浦东新区人民法院", **kw
    )


def _step(actor, proc, event, on, **facts):
    return proceeding_transition(actor=actor, proceeding_id=proc.pk, event=event, on=on, facts=facts)


def _open_deadlines(proc):
    return {d.code: d.due_on for d in proc.deadlines.filter(status="open")}


def test_open_records_history_audit_and_evidence(legal, case):
    proc = _open(legal, case)
    assert (proc.kind, proc.state, proc.claim_fen) == ("payment_order", "drafted", case.total_balance_fen)
    assert list(proc.events.values_list("event", "from_state", "to_state")) == [("opened", "", "drafted")]
    assert AuditEvent.objects.filter(action="legal.proceeding_open", entity_id=str(proc.pk)).count() == 1
    assert Outbox.objects.filter(kind="legal_event", case_id=case.pk).count() == 1


def test_payment_order_deadlines_follow_the_holiday_calendar(legal, case):
    proc = _open(legal, case)
    # Applied Mon 2025-01-20: 5 days end Sat 01-25, a rest day; Sun 01-26 is an adjusted working day.
    _step(legal, proc, "applied", date(2025, 1, 20))
    assert _open_deadlines(proc) == {"acceptance_decision": date(2025, 1, 26)}
    # Accepted 01-24: 15 days end Sat 02-08, itself an adjusted working day: it does not move.
    _step(legal, proc, "accepted", date(2025, 1, 24))
    assert _open_deadlines(proc) == {"issue_decision": date(2025, 2, 8)}
    met = proc.deadlines.get(code="acceptance_decision")
    assert (met.status, met.closed_on) == ("met", date(2025, 1, 24))
    # Issued late (after 02-08): the court's deadline is recorded as missed.
    _step(legal, proc, "issued", date(2025, 2, 10))
    assert proc.deadlines.get(code="issue_decision").status == "missed"
    # Served Mon 2025-09-22: 15 days end Tue 10-07, inside National Day: moves to Thu 10-09.
    _step(legal, proc, "served", date(2025, 9, 22))
    assert _open_deadlines(proc) == {"objection_due": date(2025, 10, 9)}
    proc.refresh_from_db()
    assert proc.state == "served"
    assert [e.event for e in proc.events.all()] == ["opened", "applied", "accepted", "issued", "served"]


def test_an_illegal_move_is_refused_and_writes_nothing(legal, case):
    proc = _open(legal, case)
    before = (ProceedingEvent.objects.count(), Deadline.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        _step(legal, proc, "issued", date(2025, 1, 20))
    assert exc.value.code == "illegal_transition"
    assert "支付令" in exc.value.zh
    with pytest.raises(DomainError) as exc:
        _step(legal, proc, "no_such_event", date(2025, 1, 20))
    assert exc.value.code == "unknown_event"
    assert (ProceedingEvent.objects.count(), Deadline.objects.count(), AuditEvent.objects.count()) == before
    proc.refresh_from_db()
    assert proc.state == "drafted"


def test_business_dates_cannot_go_backwards_or_into_the_future(legal, case):
    proc = _open(legal, case)
    _step(legal, proc, "applied", date(2025, 3, 3))
    with pytest.raises(DomainError) as exc:
        _step(legal, proc, "accepted", date(2025, 3, 1))
    assert exc.value.code == "date_before_last_event"
    with pytest.raises(DomainError) as exc:
        _step(legal, proc, "accepted", date(2099, 1, 1))
    assert exc.value.code == "date_in_future"
    with pytest.raises(DomainError) as exc:
        _step(legal, proc, "accepted", "2025-02-30")
    assert exc.value.code == "bad_date"


def test_a_filing_moves_the_case_to_legal_and_interrupts_limitation(legal, case):
    debt = case.debts.first()
    debt.due_date, debt.overdue_since = date(2022, 3, 10), date(2022, 3, 11)
    debt.save()
    before = debt_limitation(debt_id=debt.pk, as_of=date(2025, 6, 1)).result.expiry
    proc = _open(legal, case)
    _step(legal, proc, "applied", date(2025, 1, 20))
    case.refresh_from_db()
    assert case.stage == "legal"
    result = debt_limitation(debt_id=debt.pk, as_of=date(2025, 6, 1)).result
    filing = [e for e in result.events if e.kind == "filing"]
    assert [(e.on, e.effect) for e in filing] == [(date(2025, 1, 20), "interrupts")]
    assert before == date(2025, 3, 10)
    assert result.expiry == date(2028, 1, 20)


def test_a_finished_proceeding_restarts_limitation_from_its_end(legal, case):
    debt = case.debts.first()
    debt.due_date, debt.overdue_since = date(2022, 3, 10), date(2022, 3, 11)
    debt.save()
    proc = _open(legal, case)
    _step(legal, proc, "applied", date(2025, 1, 20))
    _step(legal, proc, "withdrawn", date(2025, 2, 14))
    proc.refresh_from_db()
    assert (proc.outcome, proc.closed_on) == ("withdrawn", date(2025, 2, 14))
    assert proc.deadlines.filter(status="open").count() == 0
    result = debt_limitation(debt_id=debt.pk, as_of=date(2025, 6, 1)).result
    assert result.expiry == date(2028, 2, 14)


def test_an_objection_converts_the_order_into_a_suit_deemed_filed_on_the_application_day(legal, case):
    proc = _open(legal, case)
    for event, on in (
        ("applied", date(2025, 3, 3)),
        ("accepted", date(2025, 3, 5)),
        ("issued", date(2025, 3, 12)),
        ("served", date(2025, 3, 14)),
        ("objection_filed", date(2025, 3, 20)),
        ("termination_ruled", date(2025, 4, 1)),
    ):
        _step(legal, proc, event, on)
    # 7 days from Tue 04-01 end Tue 04-08.
    assert _open_deadlines(proc) == {"opt_out_due": date(2025, 4, 8)}
    _step(legal, proc, "converted", date(2025, 4, 3))
    proc.refresh_from_db()
    assert (proc.state, proc.outcome) == ("converted", "converted")
    child = Proceeding.objects.get(parent=proc)
    assert (child.kind, child.state, child.court, child.claim_fen) == (
        "suit",
        "drafted",
        proc.court,
        proc.claim_fen,
    )
    assert child.facts["deemed_filed_on"] == "2025-03-03"


def test_payments_in_enforcement_add_up_and_full_payment_closes_it(legal, case):
    proc = _open(legal, case, kind="enforcement", claim_fen=1_000_000)
    _step(legal, proc, "applied", date(2025, 5, 6))
    _step(legal, proc, "accepted", date(2025, 5, 9))
    _step(legal, proc, "partial_payment", date(2025, 6, 3), amount_fen=300_000)
    _step(legal, proc, "paid_in_full", date(2025, 7, 1), amount_fen=700_000)
    proc.refresh_from_db()
    assert (proc.recovered_fen, proc.outcome, proc.closed_on) == (1_000_000, "recovered", date(2025, 7, 1))
    case.refresh_from_db()
    assert case.stage == "enforcement"


def test_alert_levels_and_the_scan_is_idempotent(legal, case):
    assert alert_level(date(2025, 1, 9), date(2025, 1, 10)) == "overdue"
    assert alert_level(date(2025, 1, 10), date(2025, 1, 10)) == "due"
    assert alert_level(date(2025, 1, 13), date(2025, 1, 10)) == "soon"
    assert alert_level(date(2025, 1, 14), date(2025, 1, 10)) == ""
    proc = _open(legal, case)
    _step(legal, proc, "applied", date(2025, 1, 20))  # acceptance due 2025-01-26
    assert deadlines_scan(today=date(2025, 1, 20)) == {"soon": 0, "due": 0, "overdue": 0, "changed": 0}
    assert deadlines_scan(today=date(2025, 1, 23)) == {"soon": 1, "due": 0, "overdue": 0, "changed": 1}
    assert deadlines_scan(today=date(2025, 1, 23))["changed"] == 0
    assert deadlines_scan(today=date(2025, 1, 27)) == {"soon": 0, "due": 0, "overdue": 1, "changed": 1}
    row = proc.deadlines.get()
    assert (row.alert, row.alerted_on) == ("overdue", date(2025, 1, 27))
    _step(legal, proc, "accepted", date(2025, 1, 27))
    row.refresh_from_db()
    assert (row.status, row.alert) == ("missed", "")


def test_access_needs_legal_manage_and_a_visible_case(users, case, other_case):
    collector = users["collector"]
    with pytest.raises(AccessDenied):
        _open(collector, case)  # collectors follow legal work but do not start it
    with pytest.raises(AccessDenied):
        _open(users["auditor"], case)
    proc = _open(users["supervisor"], case)
    with pytest.raises(AccessDenied):
        _step(collector, proc, "applied", date(2025, 1, 20))
    with pytest.raises(DomainError) as exc:
        proceeding_open(actor=users["legal"], case_id=case.pk, kind="arbitration")
    assert exc.value.code == "unknown_kind"
    with pytest.raises(NotFound):
        proceeding_open(actor=users["legal"], case_id=999_999, kind="suit")
    assert Proceeding.objects.count() == 1


def test_a_delivered_demand_proceeding_counts_as_a_delivered_demand(legal, case):
    debt = case.debts.first()
    debt.due_date, debt.overdue_since = date(2022, 3, 10), date(2022, 3, 11)
    debt.save()
    proc = _open(legal, case, kind="demand", on=date(2024, 11, 1))
    _step(legal, proc, "sent", date(2024, 11, 4))
    _step(legal, proc, "delivered", date(2024, 11, 6))
    result = debt_limitation(debt_id=debt.pk, as_of=date(2025, 6, 1)).result
    assert [(e.kind, e.on, e.effect) for e in result.events] == [("demand", date(2024, 11, 6), "interrupts")]
    # three years from the delivery; 2027 is past the holiday calendar, so the day is not moved
    assert (result.expiry, result.calendar_adjusted) == (date(2027, 11, 6), False)
