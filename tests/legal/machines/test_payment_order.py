"""Payment order: every path, the statutory windows on the holiday calendar, and refused moves."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.legal.machines import MachineError, transition

from .helpers import due, path, walk

K = "payment_order"
TO_SERVED = (("applied", date(2025, 1, 6)), ("accepted", date(2025, 1, 8)), ("issued", date(2025, 1, 10)))


def test_application_interrupts_limitation_and_opens_the_5_day_acceptance_decision():
    [step] = walk(K, ("applied", date(2025, 9, 26)))
    assert step.interrupts_limitation is True
    assert step.facts == {"applied_on": "2025-09-26"}
    # day 5 is 2025-10-01, National Day: the court's period runs to the first working day after it
    assert due(step, "acceptance_decision") == date(2025, 10, 9)
    assert step.opens[0].party == "court" and step.opens[0].statutory is True
    assert "第二百二十六条" in step.opens[0].basis_zh and "art. 226" in step.opens[0].basis_en


def test_acceptance_opens_15_days_to_issue_moved_past_spring_festival_2025():
    steps = walk(K, ("applied", date(2025, 1, 13)), ("accepted", date(2025, 1, 15)))
    assert steps[1].closes == ("acceptance_decision",)
    assert due(steps[1], "issue_decision") == date(2025, 2, 5)  # nominal 01-30, in the holiday


def test_issue_opens_the_30_day_service_watch_moved_off_a_saturday():
    steps = walk(
        K, ("applied", date(2025, 1, 6)), ("accepted", date(2025, 1, 8)), ("issued", date(2025, 1, 16))
    )
    assert steps[2].closes == ("issue_decision",)
    assert due(steps[2], "service_due") == date(2025, 2, 17)  # nominal 02-15, a Saturday
    assert steps[2].opens[0].party == "creditor"


@pytest.mark.parametrize(
    ("served", "window_end"),
    [
        (date(2025, 1, 20), date(2025, 2, 5)),  # nominal 02-04: last day of Spring Festival 2025
        (date(2025, 9, 20), date(2025, 10, 9)),  # nominal 10-05: inside National Day 2025
        (date(2025, 9, 13), date(2025, 9, 28)),  # an adjusted working Sunday: does not move
        (date(2025, 9, 26), date(2025, 10, 11)),  # an adjusted working Saturday: does not move
        (date(2025, 2, 28), date(2025, 3, 17)),  # an ordinary Saturday: to Monday
    ],
)
def test_objection_window_is_15_days_from_receipt_on_the_holiday_calendar(served, window_end):
    steps = walk(K, *TO_SERVED, ("served", served))
    spec = steps[-1].opens[0]
    assert (spec.code, spec.party, spec.due_on, spec.statutory) == (
        "objection_due",
        "debtor",
        window_end,
        True,
    )
    assert steps[-1].closes == ("service_due",)
    assert steps[-1].facts == {"served_on": served.isoformat(), "objection_due_on": window_end.isoformat()}
    assert "第二百二十七条" in spec.basis_zh


def test_no_objection_makes_the_order_effective_with_2_years_to_enforce():
    # served on a Saturday; day 15 is 2024-02-18, a working Sunday (Spring Festival 2024): no move.
    # Two years from it is 2026-02-18, inside Spring Festival 2026: moves to 2026-02-24.
    steps = walk(
        K,
        *TO_SERVED,
        ("served", date(2024, 2, 3)),
        ("objection_window_lapsed", date(2024, 2, 19)),
        ("enforcement_applied", date(2024, 3, 1)),
    )
    assert path(steps)[-3:] == ["served", "effective", "enforcement_applied"]
    lapsed = steps[-2]
    assert lapsed.closes == ("objection_due",)
    assert due(lapsed, "enforcement_due") == date(2026, 2, 24)
    assert lapsed.opens[0].statutory is True and "第二百五十条" in lapsed.opens[0].basis_zh
    assert (steps[-1].outcome, steps[-1].closes, steps[-1].spawn) == ("effective", ("enforcement_due",), "")


def test_the_window_has_not_lapsed_on_its_last_day():
    steps = walk(K, *TO_SERVED, ("served", date(2025, 1, 20)))
    with pytest.raises(MachineError) as info:
        transition(K, "served", "objection_window_lapsed", date(2025, 2, 5), prior=steps[-1].facts)
    assert (info.value.code, info.value.field) == ("illegal_transition", "on")
    step = transition(K, "served", "objection_window_lapsed", date(2025, 2, 6), prior=steps[-1].facts)
    assert step.to_state == "effective"


def test_an_objection_on_the_last_day_counts_and_a_later_one_is_refused():
    prior = walk(K, *TO_SERVED, ("served", date(2025, 1, 20)))[-1].facts
    assert transition(K, "served", "objection_filed", date(2025, 2, 5), prior=prior).to_state == "objected"
    with pytest.raises(MachineError) as info:
        transition(K, "served", "objection_filed", date(2025, 2, 6), prior=prior)
    assert (info.value.code, info.value.field) == ("illegal_transition", "on")


def test_objection_then_conversion_to_a_suit_filed_on_the_application_date():
    steps = walk(
        K,
        *TO_SERVED,
        ("served", date(2025, 9, 12)),
        ("objection_filed", date(2025, 9, 15)),
        ("termination_ruled", date(2025, 9, 26)),
        ("converted", date(2025, 10, 10)),
    )
    assert path(steps)[-4:] == ["served", "objected", "termination_ruled", "converted"]
    assert steps[-3].closes == ("objection_due",)
    assert due(steps[-2], "opt_out_due") == date(2025, 10, 9)  # nominal 10-03, National Day
    converted = steps[-1]
    assert (converted.outcome, converted.spawn, converted.cancels) == ("converted", "suit", ("opt_out_due",))
    assert converted.facts == {"filed_on": "2025-01-06"}


def test_objection_then_opt_out_terminates():
    steps = walk(
        K,
        *TO_SERVED,
        ("served", date(2025, 3, 3)),
        ("objection_filed", date(2025, 3, 5)),
        ("termination_ruled", date(2025, 3, 12)),
        ("opted_out", date(2025, 3, 14)),
    )
    assert (steps[-1].to_state, steps[-1].outcome, steps[-1].closes) == (
        "terminated",
        "terminated",
        ("opt_out_due",),
    )


@pytest.mark.parametrize(
    ("events", "state", "outcome"),
    [
        ((("applied", date(2025, 3, 3)), ("rejected", date(2025, 3, 6))), "rejected", "dismissed"),
        (
            (("applied", date(2025, 3, 3)), ("accepted", date(2025, 3, 6)), ("dismissed", date(2025, 3, 7))),
            "dismissed",
            "dismissed",
        ),
        ((*TO_SERVED, ("unserved_terminated", date(2025, 2, 20))), "terminated", "terminated"),
        (
            (("applied", date(2025, 3, 3)), ("paid", date(2025, 3, 4), {"amount_fen": 150_000})),
            "paid",
            "recovered",
        ),
        ((*TO_SERVED, ("withdrawn", date(2025, 1, 12))), "withdrawn", "withdrawn"),
    ],
)
def test_terminal_paths(events, state, outcome):
    steps = walk(K, *events)
    assert (steps[-1].to_state, steps[-1].outcome) == (state, outcome)
    assert all(s.outcome == "" for s in steps[:-1])


def test_payment_and_withdrawal_cancel_every_open_deadline():
    step = transition(K, "served", "paid", date(2025, 1, 21), {"amount_fen": 1})
    assert set(step.cancels) == {
        "acceptance_decision",
        "issue_decision",
        "service_due",
        "objection_due",
        "opt_out_due",
        "enforcement_due",
    }
    assert step.facts == {"amount_fen": 1}


@pytest.mark.parametrize(
    ("state", "event"),
    [
        ("drafted", "served"),
        ("applied", "issued"),
        ("served", "converted"),
        ("objected", "objection_window_lapsed"),
        ("effective", "objection_filed"),
        ("converted", "paid"),  # terminal
        ("enforcement_applied", "withdrawn"),
        ("paid", "applied"),
    ],
)
def test_illegal_moves_are_refused(state, event):
    with pytest.raises(MachineError) as info:
        transition(K, state, event, date(2025, 3, 3))
    assert info.value.code == "illegal_transition"
    assert info.value.zh and info.value.en


def test_lapse_without_the_recorded_window_asks_for_it():
    with pytest.raises(MachineError) as info:
        transition(K, "served", "objection_window_lapsed", date(2025, 3, 3))
    assert (info.value.code, info.value.field) == ("missing_fact", "objection_due_on")
