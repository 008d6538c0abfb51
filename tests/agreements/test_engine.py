"""The agreement machine: allocation order, reminders, breach after grace, cure, acceleration with the legal
step, a conditional waiver granted on performance and revoked on breach, staged disbursement released only
when its conditions hold, bad terms refused with the field named."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.agreements.engine import parse_events, simulate
from qingzhai.agreements.terms import AgreementError, parse_terms

# Owed: costs 500.00, interest 1,000.00, principal 9,000.00; 400.00 of the interest waived if performed.
BASE = {
    "start": "2026-01-01",
    "debt": {"costs": 50_000, "interest": 100_000, "principal": 900_000},
    "waiver": {"interest_fen": 40_000},
    "instalments": [
        {"due": "2026-02-01", "amount_fen": 300_000},
        {"due": "2026-03-01", "amount_fen": 300_000},
        {"due": "2026-04-01", "amount_fen": 410_000},
    ],
    "grace_days": 5,
    "acceleration": {"after_missed": 1, "notice_days": 10},
}


def run(events, until="2026-06-30", **changes):
    terms = parse_terms({**BASE, **changes})
    return simulate(terms, parse_events(events), date.fromisoformat(until))


def kinds(result):
    return [row["event"] for row in result.timeline]


def test_payments_go_to_costs_then_interest_then_principal_and_fill_instalments_in_order():
    result = run([{"date": "2026-01-31", "payment_fen": 80_000}])
    payment = next(r for r in result.timeline if r["event"] == "payment")
    assert payment["allocated"] == {"costs": 50_000, "interest": 30_000}
    assert result.schedule[0]["paid_fen"] == 80_000
    other = run(
        [{"date": "2026-01-31", "payment_fen": 80_000}], allocation=["principal", "interest", "costs"]
    )
    assert next(r for r in other.timeline if r["event"] == "payment")["allocated"] == {"principal": 80_000}


def test_paid_on_time_the_agreement_is_fulfilled_and_the_waiver_granted():
    events = [
        {"date": "2026-02-01", "payment_fen": 300_000},
        {"date": "2026-03-03", "payment_fen": 300_000},  # within the 5 grace days
        {"date": "2026-04-01", "payment_fen": 410_000},
    ]
    result = run(events)
    assert result.state == "fulfilled" and result.waiver == "granted"
    assert sum(result.components.values()) == 0 and result.paid_fen == 1_010_000
    assert "breach_notice" not in kinds(result) and kinds(result)[-1] == "waiver_granted"
    assert kinds(result).count("reminder") == 3


def test_a_miss_after_grace_breaches_revokes_the_waiver_and_accelerates_with_the_legal_step():
    result = run([{"date": "2026-02-01", "payment_fen": 300_000}])
    timeline = {r["event"]: r for r in result.timeline}
    assert timeline["missed"]["date"] == "2026-03-06"  # due 03-01 + 5 grace days
    assert (
        timeline["breach_notice"]["date"] == "2026-03-06"
        and timeline["breach_notice"]["cure_by"] == "2026-03-16"
    )
    assert timeline["waiver_revoked"]["amount_fen"] == 40_000
    assert timeline["accelerated"]["date"] == "2026-03-16"
    assert result.state == "accelerated" and result.waiver == "revoked"
    # The 300,000 paid went to costs 50,000, the interest then owed (100,000 - 40,000 waived) 60,000 and
    # principal 190,000. The revoked waiver makes 40,000 of interest owed again: 40,000 + 710,000 = 750,000.
    owed = 1_050_000 - 300_000
    assert result.legal_step == {
        "kind": "payment_order", "date": "2026-03-16", "claim_fen": owed,
        "components": {"costs": 0, "interest": 40_000, "principal": 900_000 - 190_000},
    }  # fmt: skip
    confirmed = run([{"date": "2026-02-01", "payment_fen": 300_000}], legal_step="enforcement")
    assert confirmed.legal_step is not None and confirmed.legal_step["kind"] == "enforcement"


def test_a_breach_cured_within_the_notice_returns_to_active_but_the_waiver_stays_revoked():
    events = [
        {"date": "2026-02-01", "payment_fen": 300_000},
        {"date": "2026-03-10", "payment_fen": 300_000},  # after grace (03-06), before the notice ends (03-16)
        {"date": "2026-03-16", "payment_fen": 40_000},  # the revoked waiver, due at the end of the notice
        {"date": "2026-04-01", "payment_fen": 410_000},
    ]
    result = run(events)
    assert kinds(result).count("cured") == 1 and "accelerated" not in kinds(result)
    assert result.state == "fulfilled" and result.waiver == "revoked"
    assert "waiver_granted" not in kinds(result)


def test_staged_money_is_released_only_when_its_conditions_hold():
    tranche = {
        "id": "working-capital",
        "amount_fen": 200_000,
        "conditions": [
            {"kind": "paid_instalments", "count": 2},
            {"kind": "no_breach"},
            {"kind": "event", "name": "collateral_registered"},
        ],
    }
    on_time = [
        {"date": "2026-02-01", "payment_fen": 300_000},
        {"date": "2026-02-20", "event": "collateral_registered"},
        {"date": "2026-03-01", "payment_fen": 300_000},
    ]
    released = run(on_time, disbursements=[tranche])
    assert released.disbursed == ["working-capital"]
    assert next(r for r in released.timeline if r["event"] == "disbursed")["date"] == "2026-03-01"
    no_event = run([on_time[0], on_time[2]], disbursements=[tranche])
    assert no_event.disbursed == []
    late = [on_time[0], on_time[1], {"date": "2026-03-12", "payment_fen": 300_000}]  # breach first, then paid
    breached = run(late, disbursements=[tranche])
    assert "breach_notice" in kinds(breached) and breached.disbursed == []


def test_acceleration_cancels_the_tranches_not_released():
    tranche = {"id": "t1", "amount_fen": 1_000, "conditions": [{"kind": "on_or_after", "on": "2026-05-01"}]}
    result = run([{"date": "2026-02-01", "payment_fen": 300_000}], disbursements=[tranche])
    assert "disbursement_cancelled" in kinds(result) and result.disbursed == []


def test_overpayment_is_kept_apart_and_settlement_after_acceleration():
    events = [{"date": "2026-02-01", "payment_fen": 300_000}, {"date": "2026-03-20", "payment_fen": 800_000}]
    result = run(events)
    assert result.state == "settled" and result.unapplied_fen == 800_000 - 750_000


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2026-13-01"}, "start"),
        ({"instalments": []}, "instalments"),
        ({"instalments": [{"due": "2026-02-01", "amount_fen": 1}]}, "instalments"),
        ({"instalments": [{"due": "2026-02-01", "amount_fen": 12.5}]}, "instalments[1].amount_fen"),
        ({"allocation": ["costs", "interest"]}, "allocation"),
        ({"waiver": {"interest_fen": 200_000}}, "waiver"),
        ({"legal_step": "jail"}, "legal_step"),
        ({"acceleration": {"notice_days": -1}}, "notice_days"),
        (
            {"disbursements": [{"id": "x", "amount_fen": 5, "conditions": [{"kind": "luck"}]}]},
            "disbursements[1].conditions",
        ),
    ],
)
def test_bad_terms_name_the_field(change, field):
    with pytest.raises(AgreementError) as exc:
        parse_terms({**BASE, **change})
    assert exc.value.field == field


def test_bad_events():
    for events in (
        [{"date": "x", "payment_fen": 1}],
        [{"date": "2026-02-01"}],
        [{"date": "2026-02-01", "payment_fen": -5}],
        {},
    ):
        with pytest.raises(AgreementError):
            parse_events(events)
    with pytest.raises(AgreementError):
        simulate(parse_terms(BASE), parse_events([{"date": "2025-12-01", "payment_fen": 1}]))
