"""Suit: small-claims, simple and ordinary paths with their time limits, appeal, enforcement period."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.legal.machines import MachineError, transition

from .helpers import due, path, walk

K = "suit"


def _to_heard(procedure: str, registered: date, hearing: date) -> tuple:
    return (
        ("filed", date(2024, 1, 2), {"procedure": procedure}),
        ("registered", registered),
        ("hearing_scheduled", registered, {"hearing_on": hearing}),
        ("heard", hearing),
    )


def test_small_claims_judgment_is_final_on_service_and_opens_the_enforcement_period():
    steps = walk(
        K,
        ("filed", date(2024, 8, 26), {"procedure": "small_claims"}),
        ("registered", date(2024, 8, 30)),
        ("hearing_scheduled", date(2024, 9, 2), {"hearing_on": date(2024, 9, 20)}),
        ("heard", date(2024, 9, 20)),
        ("judgment_served", date(2024, 9, 24), {"performance_days": 10}),
        ("enforcement_applied", date(2024, 10, 15)),
    )
    assert path(steps) == [
        "drafted",
        "filed",
        "registered",
        "hearing_scheduled",
        "heard",
        "effective",
        "enforcement_applied",
    ]
    filed, registered, scheduled, heard, served, applied = steps
    assert filed.interrupts_limitation is True and filed.facts == {"procedure": "small_claims"}
    assert due(filed, "register_due") == date(2024, 9, 2)
    assert registered.closes == ("register_due",)
    assert [(d.code, d.due_on) for d in registered.opens] == [("trial_limit", date(2024, 10, 30))]  # 2 months
    assert "第一百六十八条" in registered.opens[0].basis_zh
    hearing = scheduled.opens[0]
    assert (hearing.code, hearing.due_on, hearing.party, hearing.statutory) == (
        "hearing",
        date(2024, 9, 20),
        "creditor",
        False,
    )
    assert heard.closes == ("hearing",)
    # one trial, final: no appeal window; effective on service, performance 10 days → 10-04 (National
    # Day 2024) → 10-08; two years from that day
    assert [d.code for d in served.opens] == ["enforcement_due"]
    assert due(served, "enforcement_due") == date(2026, 10, 8)
    assert served.closes == ("trial_limit", "hearing")
    assert served.facts == {
        "performance_days": 10,
        "effective_on": "2024-09-24",
        "performance_ends_on": "2024-10-08",
    }
    assert (applied.outcome, applied.closes) == ("effective", ("enforcement_due",))


@pytest.mark.parametrize(
    ("procedure", "limit"),
    [("small_claims", date(2024, 5, 8)), ("simple", date(2024, 6, 11)), ("ordinary", date(2024, 9, 9))],
)
def test_trial_time_limit_by_procedure(procedure, limit):
    # registered 2024-03-08: +2 months; +3 months = 06-08 (Saturday, then Dragon Boat Monday); +6 = 09-08 (Sunday)
    steps = walk(K, ("filed", date(2024, 3, 1), {"procedure": procedure}), ("registered", date(2024, 3, 8)))
    assert due(steps[-1], "trial_limit") == limit


def test_simple_procedure_appeal_window_then_effective_the_day_after_it_ends():
    steps = walk(
        K,
        *_to_heard("simple", date(2024, 3, 8), date(2024, 9, 20)),
        ("judgment_served", date(2024, 9, 24), {"performance_days": 10}),
        ("appeal_window_lapsed", date(2024, 10, 10)),
    )
    served, lapsed = steps[-2:]
    assert served.to_state == "judgment_served"
    window = served.opens[0]
    assert (window.code, window.due_on, window.statutory) == ("appeal_window", date(2024, 10, 9), True)
    assert "第一百七十一条" in window.basis_zh
    assert served.facts == {"performance_days": 10, "appeal_due_on": "2024-10-09"}
    # effective 10-10; performance ends 10-20 (Sunday) → 10-21; enforcement until 2026-10-21
    assert lapsed.to_state == "effective" and lapsed.closes == ("appeal_window",)
    assert lapsed.facts == {"effective_on": "2024-10-10", "performance_ends_on": "2024-10-21"}
    assert due(lapsed, "enforcement_due") == date(2026, 10, 21)


def test_the_appeal_window_has_not_lapsed_on_its_last_day_and_an_appeal_then_still_counts():
    prior = {"procedure": "simple", "appeal_due_on": "2024-10-09", "performance_days": 10}
    with pytest.raises(MachineError) as info:
        transition(K, "judgment_served", "appeal_window_lapsed", date(2024, 10, 9), prior=prior)
    assert (info.value.code, info.value.field) == ("illegal_transition", "on")
    assert transition(K, "judgment_served", "appealed", date(2024, 10, 9), prior=prior).to_state == "appeal"
    with pytest.raises(MachineError):
        transition(K, "judgment_served", "appealed", date(2024, 10, 10), prior=prior)


def test_ordinary_procedure_appeal_then_second_instance_judgment():
    steps = walk(
        K,
        *_to_heard("ordinary", date(2024, 1, 8), date(2024, 5, 6)),
        ("judgment_served", date(2024, 5, 20), {"performance_days": 10}),
        ("appealed", date(2024, 6, 4)),
        ("appeal_decided", date(2024, 9, 10), {"performance_days": 15}),
        ("enforcement_applied", date(2024, 10, 8)),
    )
    assert path(steps)[-4:] == ["judgment_served", "appeal", "effective", "enforcement_applied"]
    assert due(steps[1], "trial_limit") == date(2024, 7, 8)
    assert due(steps[-4], "appeal_window") == date(2024, 6, 4)
    assert steps[-3].closes == ("appeal_window",)
    # performance ends 09-25; two years later is Mid-Autumn Festival 2026 (09-25) → 09-28
    assert steps[-2].facts["performance_ends_on"] == "2024-09-25"
    assert due(steps[-2], "enforcement_due") == date(2026, 9, 28)


def test_instalments_run_the_enforcement_period_from_the_last_instalment():
    steps = walk(
        K,
        *_to_heard("small_claims", date(2024, 1, 8), date(2024, 2, 20)),
        (
            "judgment_served",
            date(2024, 3, 1),
            {"performance_days": 10, "last_instalment_on": date(2024, 4, 30)},
        ),
    )
    assert due(steps[-1], "enforcement_due") == date(2026, 4, 30)
    assert steps[-1].facts["performance_ends_on"] == "2024-04-30"


def test_a_hearing_can_be_rescheduled_and_the_old_one_is_cancelled():
    steps = walk(
        K,
        *_to_heard("simple", date(2024, 3, 8), date(2024, 4, 1)),
        ("hearing_scheduled", date(2024, 4, 1), {"hearing_on": date(2024, 4, 15)}),
    )
    assert steps[-1].cancels == ("hearing",)
    assert due(steps[-1], "hearing") == date(2024, 4, 15)


@pytest.mark.parametrize(
    ("state", "event", "outcome"),
    [
        ("filed", "not_registered", "dismissed"),
        ("heard", "settled", "settled"),
        ("effective", "settled", "settled"),
        ("registered", "withdrawn", "withdrawn"),
        ("drafted", "withdrawn", "withdrawn"),
    ],
)
def test_terminal_endings(state, event, outcome):
    step = transition(K, state, event, date(2024, 5, 6), prior={"procedure": "simple"})
    assert (step.to_state, step.outcome) == (event, outcome)
    assert step.closes == (("register_due",) if event == "not_registered" else ())


def test_court_mediation_ends_the_suit_as_settled():
    step = transition(K, "hearing_scheduled", "mediated", date(2024, 6, 3), {}, prior={"procedure": "simple"})
    assert (step.to_state, step.outcome, step.opens) == ("mediated", "settled", ())
    assert set(step.cancels) == {"register_due", "trial_limit", "hearing", "appeal_window", "enforcement_due"}


@pytest.mark.parametrize(
    ("state", "event"),
    [
        ("drafted", "registered"),
        ("filed", "hearing_scheduled"),
        ("registered", "judgment_served"),
        ("heard", "appealed"),
        ("judgment_served", "appeal_decided"),
        ("effective", "withdrawn"),
        ("effective", "mediated"),
        ("mediated", "settled"),
        ("enforcement_applied", "enforcement_applied"),
    ],
)
def test_illegal_moves_are_refused(state, event):
    with pytest.raises(MachineError) as info:
        transition(K, state, event, date(2024, 5, 6), prior={"procedure": "simple"})
    assert info.value.code == "illegal_transition"


def test_facts_are_checked():
    with pytest.raises(MachineError) as info:
        transition(K, "drafted", "filed", date(2024, 5, 6))
    assert (info.value.code, info.value.field) == ("missing_fact", "procedure")
    for bad in ("people", "small_claims_by_agreement"):
        with pytest.raises(MachineError) as info:
            transition(K, "drafted", "filed", date(2024, 5, 6), {"procedure": bad})
        assert (info.value.code, info.value.field) == ("bad_fact", "procedure")
    with pytest.raises(MachineError) as info:
        transition(K, "heard", "judgment_served", date(2024, 5, 6), prior={"procedure": "simple"})
    assert (info.value.code, info.value.field) == ("missing_fact", "performance_days")
    with pytest.raises(MachineError) as info:  # a hearing cannot be scheduled in the past
        transition(K, "registered", "hearing_scheduled", date(2024, 5, 6), {"hearing_on": date(2024, 5, 5)})
    assert (info.value.code, info.value.field) == ("bad_fact", "hearing_on")
    with pytest.raises(MachineError) as info:  # nor held before its date
        transition(K, "hearing_scheduled", "heard", date(2024, 5, 6), prior={"hearing_on": "2024-05-07"})
    assert (info.value.code, info.value.field) == ("illegal_transition", "on")
    with pytest.raises(MachineError) as info:  # registration needs the procedure chosen at filing
        transition(K, "filed", "registered", date(2024, 5, 6))
    assert (info.value.code, info.value.field) == ("missing_fact", "procedure")
