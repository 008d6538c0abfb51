"""Demand letter: delivery interrupts limitation and opens the reply period in plain calendar days."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.legal.machines import MachineError, transition

from .helpers import due, path, walk

K = "demand"


def test_delivered_then_replied_then_escalated():
    steps = walk(
        K,
        ("sent", date(2025, 9, 24)),
        ("delivered", date(2025, 9, 26)),
        ("replied", date(2025, 9, 30)),
        ("escalated", date(2025, 10, 20)),
    )
    assert path(steps) == ["drafted", "sent", "delivered", "replied", "escalated"]
    delivered = steps[1]
    assert delivered.interrupts_limitation is True
    assert [s.interrupts_limitation for s in steps] == [False, True, False, False]
    reply = delivered.opens[0]
    # default 7 days, not moved for National Day: the letter's own term, not a statutory period
    assert (reply.code, reply.due_on, reply.party, reply.statutory) == (
        "reply_due",
        date(2025, 10, 3),
        "creditor",
        False,
    )
    assert delivered.facts == {"reply_days": 7}
    assert steps[2].closes == ("reply_due",)
    assert (steps[3].outcome, steps[3].spawn) == ("escalated", "")


def test_stated_reply_period_and_payment():
    steps = walk(
        K,
        ("sent", date(2025, 3, 3)),
        ("delivered", date(2025, 3, 5), {"reply_days": "14"}),
        ("paid", date(2025, 3, 10), {"amount_fen": 500_00}),
    )
    assert due(steps[1], "reply_due") == date(2025, 3, 19)
    assert (steps[2].to_state, steps[2].outcome, steps[2].cancels) == ("paid", "recovered", ("reply_due",))
    assert steps[2].facts == {"amount_fen": 50000}


def test_returned_letter_does_not_interrupt_and_can_be_sent_again():
    steps = walk(
        K,
        ("sent", date(2025, 3, 3)),
        ("returned", date(2025, 3, 8)),
        ("sent", date(2025, 3, 10)),
        ("delivered", date(2025, 3, 12)),
    )
    assert path(steps) == ["drafted", "sent", "returned", "sent", "delivered"]
    assert [s.interrupts_limitation for s in steps] == [False, False, False, True]
    assert transition(K, "returned", "escalated", date(2025, 3, 9)).outcome == "escalated"


@pytest.mark.parametrize(
    ("state", "event"),
    [
        ("drafted", "delivered"),
        ("sent", "replied"),
        ("returned", "replied"),
        ("drafted", "escalated"),
        ("paid", "sent"),
        ("escalated", "paid"),
    ],
)
def test_illegal_moves_are_refused(state, event):
    with pytest.raises(MachineError) as info:
        transition(K, state, event, date(2025, 3, 3))
    assert info.value.code == "illegal_transition"


@pytest.mark.parametrize("days", [0, -1, 366, "7d", True, 7.0])
def test_reply_days_must_be_a_sensible_whole_number(days):
    with pytest.raises(MachineError) as info:
        transition(K, "sent", "delivered", date(2025, 3, 3), {"reply_days": days})
    assert (info.value.code, info.value.field) == ("bad_fact", "reply_days")
