"""Enforcement: time limits, freeze renewals by asset type, flags that keep the state, 终本 and reopening."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.legal.machines import MachineError, events_from, transition

from .helpers import due, path, walk

K = "enforcement"
FLAGS = {
    "freeze_renewed",
    "dishonest_list_applied",
    "consumption_restricted",
    "lead_submitted",
    "partial_payment",
}


def test_full_path_to_payment_with_deadlines():
    steps = walk(
        K,
        ("applied", date(2024, 3, 1)),
        ("accepted", date(2024, 3, 6)),
        ("investigation_started", date(2024, 3, 7)),
        ("assets_frozen", date(2024, 5, 6), {"asset": "deposit"}),
        ("auction", date(2024, 7, 1)),
        ("distributed", date(2024, 9, 2), {"amount_fen": 80_000_00}),
        ("closed_no_assets", date(2024, 9, 20)),
        ("reopened", date(2025, 6, 3)),
        ("paid_in_full", date(2025, 7, 1), {"amount_fen": 20_000_00}),
    )
    assert path(steps) == [
        "drafted",
        "applied",
        "accepted",
        "investigating",
        "assets_frozen",
        "auction",
        "distributed",
        "closed_no_assets",
        "investigating",
        "paid",
    ]
    applied, accepted, _, frozen, _, distributed, closed, reopened, paid = steps
    assert applied.interrupts_limitation is True and applied.facts == {"applied_on": "2024-03-01"}
    assert due(applied, "register_due") == date(2024, 3, 8)
    assert accepted.closes == ("register_due",)
    # 6 months from receipt of the application (CPL art. 237): 2024-09-01 is a Sunday
    assert due(accepted, "enforcement_limit") == date(2024, 9, 2)
    assert "第二百三十七条" in accepted.opens[0].basis_zh
    assert [(d.code, d.due_on, d.party) for d in frozen.opens] == [
        ("renew_freeze_deposit", date(2025, 5, 6), "creditor")
    ]
    assert distributed.facts == {"amount_fen": 8_000_000}
    assert (closed.outcome, closed.closes, closed.cancels) == ("", ("enforcement_limit",), ("lead_verify",))
    assert reopened.opens == () and reopened.outcome == ""
    assert paid.outcome == "recovered"
    assert "renew_freeze_deposit" in paid.cancels and paid.closes == ("enforcement_limit",)


@pytest.mark.parametrize(
    ("asset", "due_on", "statutory"),
    [
        ("deposit", date(2025, 5, 6), True),
        ("movable", date(2026, 5, 6), True),
        ("real_estate", date(2027, 5, 6), False),  # 2027 not yet in the holiday calendar: unmoved date
    ],
)
def test_freeze_renewal_deadline_by_asset_type(asset, due_on, statutory):
    step = transition(K, "investigating", "assets_frozen", date(2024, 5, 6), {"asset": asset})
    [spec] = step.opens
    assert (spec.code, spec.due_on, spec.statutory) == (f"renew_freeze_{asset}", due_on, statutory)
    assert "第四百八十五条" in spec.basis_zh
    assert spec.basis_zh.endswith("未顺延）") is (not statutory)


def test_renewing_a_freeze_meets_that_asset_type_only_and_opens_the_next_period():
    step = transition(K, "auction", "freeze_renewed", date(2025, 4, 28), {"asset": "deposit"})
    assert (step.to_state, step.closes) == ("auction", ("renew_freeze_deposit",))
    assert due(step, "renew_freeze_deposit") == date(2026, 4, 28)


@pytest.mark.parametrize(
    "state", ["accepted", "investigating", "assets_frozen", "auction", "distributed", "closed_no_assets"]
)
def test_flags_keep_the_state(state):
    assert {e.code for e in events_from(K, state)} >= FLAGS
    for event, facts in [
        ("dishonest_list_applied", {}),
        ("consumption_restricted", {}),
        ("partial_payment", {"amount_fen": 1}),
        ("lead_submitted", {}),
    ]:
        step = transition(K, state, event, date(2024, 9, 30), facts)
        assert (step.from_state, step.to_state, step.outcome) == (state, state, "")
    lead = transition(K, state, "lead_submitted", date(2024, 9, 30))
    assert (lead.opens[0].code, lead.opens[0].due_on, lead.opens[0].party) == (
        "lead_verify",
        date(2024, 10, 8),
        "court",
    )


@pytest.mark.parametrize(
    ("state", "event", "outcome"),
    [
        ("applied", "not_registered", "dismissed"),
        ("auction", "settled", "settled"),
        ("closed_no_assets", "paid_in_full", "recovered"),
    ],
)
def test_endings(state, event, outcome):
    assert transition(K, state, event, date(2024, 9, 30)).outcome == outcome


@pytest.mark.parametrize(
    ("state", "event"),
    [
        ("drafted", "accepted"),
        ("drafted", "dishonest_list_applied"),
        ("applied", "lead_submitted"),
        ("accepted", "auction"),
        ("investigating", "reopened"),
        ("closed_no_assets", "auction"),
        ("paid", "reopened"),
        ("settled", "partial_payment"),
    ],
)
def test_illegal_moves_are_refused(state, event):
    with pytest.raises(MachineError) as info:
        transition(K, state, event, date(2024, 9, 30), {})
    assert info.value.code == "illegal_transition"


def test_facts_are_checked():
    with pytest.raises(MachineError) as info:
        transition(K, "investigating", "partial_payment", date(2024, 9, 30))
    assert (info.value.code, info.value.field) == ("missing_fact", "amount_fen")
    with pytest.raises(MachineError) as info:
        transition(K, "investigating", "assets_frozen", date(2024, 9, 30), {"asset": "car"})
    assert (info.value.code, info.value.field) == ("bad_fact", "asset")
    with pytest.raises(MachineError) as info:
        transition(K, "auction", "distributed", date(2024, 9, 30), {"amount_fen": -1})
    assert (info.value.code, info.value.field) == ("bad_fact", "amount_fen")
    with pytest.raises(MachineError) as info:  # a fact the event does not take
        transition(K, "auction", "distributed", date(2024, 9, 30), {"amount_fen": 1, "asset": "deposit"})
    assert (info.value.code, info.value.field) == ("bad_fact", "asset")
