"""Mediation: people's mediation needs judicial confirmation within 30 days; court mediation is final."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.legal.machines import MachineError, transition

from .helpers import due, path, walk

K = "mediation"


def test_peoples_mediation_confirmed_then_performed():
    steps = walk(
        K,
        ("started", date(2024, 8, 20), {"procedure": "people"}),
        ("agreement_signed", date(2024, 9, 1), {"agreement_on": date(2024, 9, 3)}),
        ("confirmation_applied", date(2024, 9, 10)),
        ("confirmed", date(2024, 9, 24), {"performance_days": 10}),
        ("performed", date(2024, 10, 8), {"amount_fen": 1_000_00}),
    )
    assert path(steps) == [
        "proposed",
        "in_mediation",
        "agreement_signed",
        "confirmation_applied",
        "confirmed",
        "performed",
    ]
    started, signed, applied, confirmed, performed = steps
    assert started.interrupts_limitation and signed.interrupts_limitation
    # 30 days from the agreement taking effect: 2024-10-03 is National Day → 10-08
    assert [(d.code, d.due_on) for d in signed.opens] == [("confirmation_due", date(2024, 10, 8))]
    assert "第二百零五条" in signed.opens[0].basis_zh
    assert applied.closes == ("confirmation_due",)
    assert due(confirmed, "enforcement_due") == date(2026, 10, 8)  # performance ends 10-04 → 10-08
    assert (performed.outcome, set(performed.cancels)) == (
        "recovered",
        {"confirmation_due", "enforcement_due"},
    )


def test_agreement_date_defaults_to_the_signing_day():
    step = transition(K, "in_mediation", "agreement_signed", date(2025, 3, 3), prior={"procedure": "people"})
    assert step.facts == {"agreement_on": "2025-03-03"}
    assert due(step, "confirmation_due") == date(2025, 4, 2)


def test_court_mediation_is_enforceable_at_once():
    steps = walk(
        K,
        ("started", date(2024, 5, 6), {"procedure": "court"}),
        ("agreement_signed", date(2024, 6, 3), {"last_instalment_on": date(2024, 12, 31)}),
        ("breached", date(2025, 1, 10)),
    )
    assert path(steps) == ["proposed", "in_mediation", "confirmed", "breached"]
    assert [d.code for d in steps[1].opens] == ["enforcement_due"]
    assert due(steps[1], "enforcement_due") == date(2026, 12, 31)
    assert (steps[2].outcome, steps[2].spawn) == ("breached", "enforcement")


@pytest.mark.parametrize(
    ("events", "outcome"),
    [
        ((("failed", date(2024, 5, 6)),), "failed"),
        ((("started", date(2024, 5, 6), {"procedure": "people"}), ("failed", date(2024, 5, 20))), "failed"),
        (
            (
                ("started", date(2024, 5, 6), {"procedure": "people"}),
                ("agreement_signed", date(2024, 5, 20)),
                ("confirmation_applied", date(2024, 5, 21)),
                ("confirmation_rejected", date(2024, 6, 5)),
            ),
            "failed",
        ),
        (
            (
                ("started", date(2024, 5, 6), {"procedure": "people"}),
                ("agreement_signed", date(2024, 5, 20)),
                ("performed", date(2024, 5, 25)),
            ),
            "recovered",
        ),
    ],
)
def test_other_endings(events, outcome):
    assert walk(K, *events)[-1].outcome == outcome


@pytest.mark.parametrize(
    ("state", "event"),
    [
        ("proposed", "agreement_signed"),
        ("agreement_signed", "confirmed"),
        ("agreement_signed", "breached"),
        ("confirmed", "failed"),
        ("performed", "breached"),
    ],
)
def test_illegal_moves_are_refused(state, event):
    with pytest.raises(MachineError) as info:
        transition(K, state, event, date(2024, 5, 6), prior={"procedure": "people"})
    assert info.value.code == "illegal_transition"


def test_mediation_procedure_is_court_or_people():
    with pytest.raises(MachineError) as info:
        transition(K, "proposed", "started", date(2024, 5, 6), {"procedure": "simple"})
    assert (info.value.code, info.value.field) == ("bad_fact", "procedure")
    with pytest.raises(MachineError) as info:  # the agreement cannot take effect before it is signed
        transition(
            K,
            "in_mediation",
            "agreement_signed",
            date(2024, 5, 6),
            {"agreement_on": date(2024, 5, 1)},
            prior={"procedure": "people"},
        )
    assert (info.value.code, info.value.field) == ("bad_fact", "agreement_on")
