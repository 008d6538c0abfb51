"""Legal KPIs computed from recorded proceedings, and the legal demo that feeds the workspace."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.legal.demo import legal_demo_delete, legal_demo_load
from qingzhai.legal.models import Deadline, Proceeding
from qingzhai.legal.selectors.kpis import band_of, legal_kpis
from qingzhai.legal.services.proceedings import proceeding_open, proceeding_transition
from qingzhai.portfolio import demo as portfolio_demo
from tests.factories import case_with_debt


def _run(actor, case, kind, claim_fen, steps):
    proc = proceeding_open(actor=actor, case_id=case.pk, kind=kind, on=steps[0][1], claim_fen=claim_fen)
    for event, on, facts in steps:
        proceeding_transition(actor=actor, proceeding_id=proc.pk, event=event, on=on, facts=facts)
    return proc


PO_EFFECTIVE = [
    ("applied", date(2025, 3, 3), {}),
    ("accepted", date(2025, 3, 6), {}),
    ("issued", date(2025, 3, 13), {}),  # 10 days after the application
    ("served", date(2025, 3, 17), {}),
    ("objection_window_lapsed", date(2025, 4, 2), {}),
]
PO_PAID = [
    ("applied", date(2025, 3, 3), {}),
    ("accepted", date(2025, 3, 5), {}),
    ("issued", date(2025, 3, 23), {}),  # 20 days
    ("paid", date(2025, 4, 2), {"amount_fen": 100}),  # 30 days to recovery
]
PO_OBJECTED = [
    ("applied", date(2025, 3, 3), {}),
    ("accepted", date(2025, 3, 5), {}),
    ("issued", date(2025, 3, 9), {}),  # 6 days
    ("served", date(2025, 3, 10), {}),
    ("objection_filed", date(2025, 3, 12), {}),
    ("termination_ruled", date(2025, 3, 20), {}),
    ("opted_out", date(2025, 3, 21), {}),
]


def test_kpis_count_success_days_recovery_and_mediation(users):
    legal = users["legal"]
    _run(legal, case_with_debt(), "payment_order", 3_000_000, PO_EFFECTIVE)  # band 0 (< 50,000 yuan)
    _run(legal, case_with_debt(), "payment_order", 3_000_000, PO_PAID)
    _run(legal, case_with_debt(), "payment_order", 10_000_000, PO_OBJECTED)  # band 1
    _run(legal, case_with_debt(), "payment_order", 10_000_000, [("withdrawn", date(2025, 3, 3), {})])
    _run(
        legal,
        case_with_debt(),
        "enforcement",
        1_000_000,
        [
            ("applied", date(2025, 3, 3), {}),
            ("accepted", date(2025, 3, 5), {}),
            ("partial_payment", date(2025, 4, 1), {"amount_fen": 250_000}),
        ],
    )
    _run(
        legal,
        case_with_debt(),
        "mediation",
        500_000,
        [
            ("started", date(2025, 3, 3), {"procedure": "people"}),
            ("agreement_signed", date(2025, 3, 10), {}),
            ("performed", date(2025, 4, 10), {"amount_fen": 500_000}),
        ],
    )
    _run(
        legal,
        case_with_debt(),
        "suit",
        800_000,
        [("filed", date(2025, 3, 3), {"procedure": "simple"}), ("settled", date(2025, 5, 5), {})],
    )
    kpis = legal_kpis(user=legal)
    assert kpis["proceedings"] == 7
    assert kpis["payment_order"] == {"ended": 3, "succeeded": 2, "success_rate": 0.6667}
    small, mid = kpis["bands"][0], kpis["bands"][1]
    assert (small["payment_orders"], small["ended"], small["success_rate"]) == (2, 2, 1.0)
    # recovered: the paid order after 30 days, the mediation (same band) after 38 days
    assert (small["median_days_to_issue"], small["median_days_to_recovery"]) == (15.0, 34.0)
    assert (mid["payment_orders"], mid["ended"], mid["success_rate"], mid["median_days_to_issue"]) == (
        2,
        1,
        0.0,
        6.0,
    )
    assert small["recovered"] == 2
    assert kpis["enforcement"] == {
        "claimed_fen": 1_000_000,
        "recovered_fen": 250_000,
        "recovery_rate": 0.25,
        "ended": 0,
        "recovered_in_full": 0,
    }
    assert kpis["mediation"] == {"disputes_ended": 2, "mediated": 1, "share": 0.5}
    # a collector sees only assigned cases: none here
    assert legal_kpis(user=users["collector"])["proceedings"] == 0


def test_amount_bands():
    assert [band_of(x) for x in (0, 4_999_999, 5_000_000, 49_999_999, 50_000_000, 500_000_000)] == [
        0,
        0,
        1,
        1,
        2,
        3,
    ]


@pytest.mark.slow
def test_the_demo_records_proceedings_with_deadlines_and_can_be_rebuilt(db, users):
    portfolio_demo.demo_load(actor="cli", size="small")
    out = legal_demo_load()
    assert out["proceedings"] + out["skipped"] == 42 and out["deadlines"] == Deadline.objects.count() > 0
    assert Deadline.objects.filter(status="open").exclude(alert="").exists()  # something to act on soon
    kpis = legal_kpis(user=users["admin"])
    if out["skipped"] == 0:  # all scripts fit the holiday calendar's years (true until mid-December 2026)
        assert kpis["payment_order"]["ended"] == 20 and kpis["payment_order"]["success_rate"] == 0.7
    assert legal_demo_load() == {"proceedings": 0, "skipped": 0, "deadlines": 0}  # loaded once
    assert legal_demo_delete() == out["proceedings"]
    assert Proceeding.objects.count() == 0
    portfolio_demo.demo_load(actor="cli", size="small", reset=True)  # nothing protects the cases now


def test_kpis_take_a_fixed_number_of_queries(users, django_assert_num_queries):
    legal = users["legal"]
    for _ in range(3):
        _run(legal, case_with_debt(), "payment_order", 3_000_000, PO_PAID)
    with django_assert_num_queries(2):
        legal_kpis(user=legal)
