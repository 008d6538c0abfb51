"""The limitation period (CC arts 188, 189, 195) and the enforcement-application period (CPL art. 250)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from qingzhai.legal.limitation import Event, LimitationError, Terms, enforcement_period, limitation

DUE = Terms(due_date=date(2022, 3, 10))


def test_without_events_the_period_ends_three_years_after_the_due_date():
    result = limitation(DUE, as_of=date(2024, 1, 1))
    assert (result.start, result.expiry, result.cap) == (
        date(2022, 3, 10),
        date(2025, 3, 10),
        date(2042, 3, 10),
    )
    assert (result.days_left, result.status, result.events) == (434, "running", [])
    assert "第188条" in result.start_basis_zh and "art. 188" in result.start_basis_en


def test_status_expiring_soon_on_the_last_day_and_expired_the_day_after():
    assert limitation(DUE, as_of=date(2025, 1, 1)).status == "expiring_soon"
    last = limitation(DUE, as_of=date(2025, 3, 10))
    assert (last.days_left, last.status) == (0, "expiring_soon")
    after = limitation(DUE, as_of=date(2025, 3, 11))
    assert (after.days_left, after.status) == (-1, "expired")
    assert limitation(DUE, as_of=date(2025, 1, 1), warn_days=30).status == "running"


def test_a_delivered_demand_restarts_the_three_years():
    result = limitation(DUE, [Event(date(2023, 6, 1), "demand", delivered=True)], as_of=date(2025, 6, 1))
    assert result.expiry == date(2026, 6, 1)
    (ev,) = result.events
    assert (ev.interrupts, ev.effect, ev.expiry_after) == (True, "interrupts", date(2026, 6, 1))
    assert "第195条" in ev.why_zh and "art. 195" in ev.why_en


def test_an_undelivered_demand_does_not_interrupt():
    result = limitation(DUE, [Event(date(2023, 6, 1), "demand", delivered=False)], as_of=date(2025, 6, 1))
    assert (result.expiry, result.status) == (date(2025, 3, 10), "expired")
    (ev,) = result.events
    assert (ev.interrupts, ev.effect, ev.expiry_after) == (False, "no_delivery", date(2025, 3, 10))
    assert "送达" in ev.why_zh and "delivery" in ev.why_en


def test_instalments_run_from_the_last_due_date_and_earlier_payments_do_not_interrupt():
    terms = Terms(instalment_due_dates=(date(2022, 1, 10), date(2022, 3, 10), date(2022, 2, 10)))
    result = limitation(terms, [Event(date(2022, 2, 10), "partial_payment")], as_of=date(2024, 1, 1))
    assert (result.start, result.expiry) == (date(2022, 3, 10), date(2025, 3, 10))
    assert "第189条" in result.start_basis_zh
    assert [(e.effect, e.interrupts) for e in result.events] == [("before_start", False)]


def test_a_partial_payment_and_an_acknowledgment_restart_the_period():
    events = [Event(date(2023, 1, 16), "partial_payment"), Event(date(2022, 12, 1), "acknowledgment")]
    result = limitation(DUE, events, as_of=date(2025, 6, 1))
    assert result.expiry == date(2026, 1, 16)
    assert [(e.on, e.kind, e.expiry_after) for e in result.events] == [
        (date(2022, 12, 1), "acknowledgment", date(2025, 12, 1)),
        (date(2023, 1, 16), "partial_payment", date(2026, 1, 16)),
    ]


def test_an_expiry_on_a_holiday_moves_to_the_first_working_day_after_it():
    # a demand delivered on Saturday 2022-10-01: three years end on 2025-10-01, National Day
    result = limitation(DUE, [Event(date(2022, 10, 1), "demand", delivered=True)], as_of=date(2025, 9, 1))
    assert result.expiry == date(2025, 10, 9)
    assert result.calendar_adjusted is True and result.notes == []


def test_the_twenty_year_cap_stops_a_chain_of_interruptions():
    terms = Terms(due_date=date(2004, 3, 1))
    days = ["2006-06-01", "2008-12-01", "2011-06-01", "2013-12-01", "2016-06-01", "2018-12-01", "2021-06-01"]
    events = [Event(date.fromisoformat(d), "acknowledgment") for d in days]
    events += [Event(date(2023, 12, 1), "demand", delivered=True), Event(date(2024, 6, 3), "partial_payment")]
    result = limitation(terms, events, as_of=date(2024, 6, 3))
    assert (result.cap, result.expiry, result.status) == (date(2024, 3, 1), date(2024, 3, 1), "expired")
    capped, late = result.events[-2:]
    assert (capped.interrupts, capped.expiry_after) == (True, date(2024, 3, 1))
    assert "20年" in capped.why_zh and "20-year cap" in capped.why_en
    assert (late.interrupts, late.effect) == (False, "after_expiry")
    assert "第192条" in late.why_zh


def test_events_after_the_as_of_date_are_not_counted():
    result = limitation(DUE, [Event(date(2024, 5, 6), "partial_payment")], as_of=date(2024, 1, 1))
    assert result.expiry == date(2025, 3, 10)
    assert result.events[0].effect == "after_as_of"


def test_a_deadline_beyond_the_calendar_data_is_not_moved_and_says_so():
    result = limitation(DUE, [Event(date(2024, 11, 20), "partial_payment")], as_of=date(2025, 1, 1))
    assert result.expiry == date(2027, 11, 20)
    assert result.calendar_adjusted is False
    ((zh, en),) = result.notes
    assert "2027" in zh and "2027" in en and "chinese-calendar" in en


def test_bad_input_is_refused_with_a_bilingual_error():
    with pytest.raises(LimitationError) as exc:
        limitation(Terms(), as_of=date(2025, 1, 1))
    assert (exc.value.code, exc.value.field) == ("no_due_date", "due_date")
    with pytest.raises(LimitationError) as exc:
        limitation(DUE, [Event(date(2023, 1, 1), "phone_call")], as_of=date(2025, 1, 1))
    assert exc.value.code == "invalid_event_kind" and "phone_call" in exc.value.zh


def test_the_result_is_json_ready():
    result = limitation(
        DUE, [Event(date(2023, 6, 1), "demand", delivered=True, ref="activity:7")], as_of=date(2025, 6, 1)
    )
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert {k: data[k] for k in ("period", "start", "expiry", "days_left", "status")} == {
        "period": "limitation",
        "start": "2022-03-10",
        "expiry": "2026-06-01",
        "days_left": 365,
        "status": "running",
    }
    assert data["events"][0] | {"why_zh": "", "why_en": ""} == {
        "date": "2023-06-01",
        "kind": "demand",
        "kind_zh": "催收（要求履行）",
        "kind_en": "demand for performance",
        "ref": "activity:7",
        "interrupts": True,
        "effect": "interrupts",
        "why_zh": "",
        "why_en": "",
        "expiry_after": "2026-06-01",
    }


def test_enforcement_period_is_two_years_from_the_last_day_of_performance():
    result = enforcement_period(performance_end=date(2024, 1, 24), as_of=date(2025, 12, 1))
    assert (result.period, result.expiry, result.cap) == (
        "enforcement",
        date(2026, 1, 26),
        None,
    )  # 01-24 is Saturday
    assert "第250条" in result.start_basis_zh
    by_instalments = enforcement_period(
        instalment_ends=(date(2023, 1, 10), date(2023, 7, 10)), as_of=date(2024, 1, 1)
    )
    assert by_instalments.start == date(2023, 7, 10)
    assert enforcement_period(effective_date=date(2023, 10, 1), as_of=date(2024, 1, 1)).expiry == date(
        2025, 10, 9
    )


def test_an_enforcement_application_interrupts_the_enforcement_period():
    result = enforcement_period(
        performance_end=date(2023, 3, 1), events=[Event(date(2024, 6, 3), "filing")], as_of=date(2025, 6, 1)
    )
    assert result.expiry == date(2026, 6, 3) and result.events[0].interrupts is True
    with pytest.raises(LimitationError) as exc:
        enforcement_period(as_of=date(2025, 1, 1))
    assert exc.value.code == "no_performance_date"
