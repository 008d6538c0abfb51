from __future__ import annotations

import json

from qingzhai.profiling.flags import FlagSettings, evaluate
from tests.profiling.flags.helpers import RECORD_SOURCE, TXN_SOURCE, cited, make, record, spend, txn

DECLARED = record(
    "declared_income", 1, declared_on="2024-12-01", monthly_income_fen=1_000_000, source="loan_application"
)
MONTHS = ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06")


def _gap(frames, settings=None):
    return [f for f in evaluate(frames, settings=settings)[1] if f.code == "income_consumption_gap"]


def _bills_23k():
    """Six months, each 12,000 + 8,000 + 3,000 = 23,000 yuan of spending."""
    rows, n = [], 2
    for m in MONTHS:
        for day, amount in (("05", 12_000), ("12", 8_000), ("20", 3_000)):
            rows.append(spend(n, f"{m}-{day}", amount, counterparty=f"商户{n}"))
            n += 1
    return rows


def test_gap_of_2_3_is_high_with_the_largest_rows_as_evidence():
    flags = _gap(make("2025-06-30", txns=_bills_23k(), records={"declared_income": [DECLARED]}))

    assert len(flags) == 1
    flag = flags[0]
    assert flag.severity == "high"
    assert flag.purpose == "capacity_assessment"
    assert flag.facts["ratio"] == 2.3
    assert flag.facts["months"] == 6
    assert (flag.facts["from"], flag.facts["to"]) == ("2025-01", "2025-06")
    assert flag.facts["average_monthly_consumption_fen"] == 2_300_000
    assert flag.facts["total_net_consumption_fen"] == 13_800_000
    assert flag.facts["declared_monthly_income_fen"] == 1_000_000
    assert flag.facts["declared_on"] == "2024-12-01"
    assert flag.facts["declared_source"] == "loan_application"
    assert flag.facts["declared_record"] == {"kind": "declared_income", "source_id": RECORD_SOURCE, "row": 1}
    assert flag.facts["monthly"][0] == {
        "month": "2025-01",
        "spending_fen": 2_300_000,
        "refunds_fen": 0,
        "net_fen": 2_300_000,
    }
    assert [m["net_fen"] for m in flag.facts["monthly"]] == [2_300_000] * 6
    # the declared income record, then the ten largest purchases: six of 12,000 (rows 2, 5, ... 17),
    # then the first four of 8,000 (rows 3, 6, 9, 12)
    assert cited(flag) == [("record", RECORD_SOURCE, 1)] + [
        ("txn", TXN_SOURCE, r) for r in (2, 5, 8, 11, 14, 17, 3, 6, 9, 12)
    ]
    assert flag.evidence[1]["summary"] == "2025-01-05 12:00 支出 ¥12,000.00 商户2"
    json.dumps(flag.as_dict(), ensure_ascii=False)
    assert set(flag.as_dict()) == {"flag", "severity", "facts", "evidence", "rule", "title"}


def test_gap_of_1_5_is_medium_and_below_is_nothing():
    rows = [spend(i + 2, f"{m}-10", 15_000) for i, m in enumerate(MONTHS)]
    flags = _gap(make("2025-06-30", txns=rows, records={"declared_income": [DECLARED]}))
    assert [(f.severity, f.facts["ratio"]) for f in flags] == [("medium", 1.5)]

    rows = [spend(i + 2, f"{m}-10", 14_999) for i, m in enumerate(MONTHS)]
    assert _gap(make("2025-06-30", txns=rows, records={"declared_income": [DECLARED]})) == []


def _with_neutral_rows():
    """Net consumption 14,000 a month (ratio 1.4); gross spending 20,000 (ratio 2.0) before refunds."""
    rows, n = [], 2
    for m in MONTHS:
        rows += [
            spend(n, f"{m}-03", 14_000),
            # a 4,000 purchase refunded in full by a separate refund row
            spend(n + 1, f"{m}-04", 4_000, ref=f"T{n}"),
            txn(n + 2, f"{m}-09", 4_000, "neutral", "refund", refund_of=f"T{n}"),
            # a 2,000 purchase whose refund the row states itself (JD / WeChat style)
            spend(n + 3, f"{m}-11", 2_000, refunded_fen=200_000),
            # moving 50,000 between own accounts and repaying a card are not consumption
            txn(n + 4, f"{m}-15", 50_000, "neutral", "own_transfer"),
            txn(n + 5, f"{m}-16", 9_000, "neutral", "credit_repay"),
        ]
        n += 6
    return rows


def test_refunds_and_own_transfers_are_not_consumption():
    rows = _with_neutral_rows()
    assert _gap(make("2025-06-30", txns=rows, records={"declared_income": [DECLARED]})) == []

    # the same bills read without the refunds would be flagged high: the netting is what keeps it out
    gross = [dict(r, refunded_fen=0) for r in rows if r["nature"] != "refund"]
    flags = _gap(make("2025-06-30", txns=gross, records={"declared_income": [DECLARED]}))
    assert [(f.severity, f.facts["ratio"]) for f in flags] == [("high", 2.0)]

    # lowering the threshold shows the netted figures exactly
    flags = _gap(
        make("2025-06-30", txns=rows, records={"declared_income": [DECLARED]}),
        FlagSettings(gap_medium_ratio=1.4),
    )
    assert flags[0].facts["ratio"] == 1.4
    assert flags[0].facts["monthly"][0] == {
        "month": "2025-01",
        "spending_fen": 2_000_000,
        "refunds_fen": 600_000,
        "net_fen": 1_400_000,
    }
    assert flags[0].facts["excluded"] == {
        "refunds_fen": 3_600_000,
        "own_transfer_fen": 30_000_000,
        "other_neutral_fen": 5_400_000,
    }


def test_latest_declaration_on_or_before_as_of_is_used():
    later = record(
        "declared_income", 2, declared_on="2025-08-01", monthly_income_fen=5_000_000, source="interview"
    )
    older = record("declared_income", 3, declared_on="2023-01-01", monthly_income_fen=100_000, source="other")
    frames = make("2025-06-30", txns=_bills_23k(), records={"declared_income": [older, DECLARED, later]})
    flag = _gap(frames)[0]
    assert flag.facts["declared_on"] == "2024-12-01"
    assert flag.facts["ratio"] == 2.3


def test_no_declared_income_or_too_few_months_gives_nothing():
    assert _gap(make("2025-06-30", txns=_bills_23k())) == []
    two_months = [r for r in _bills_23k() if r["time"].month <= 2]
    assert _gap(make("2025-02-28", txns=two_months, records={"declared_income": [DECLARED]})) == []


def test_window_ends_at_as_of_and_spans_36_months():
    old = [spend(900, "2021-01-10", 1_000_000)]  # before the 36-month window: ignored
    future = [spend(901, "2025-07-10", 1_000_000)]  # after as_of: ignored
    flag = _gap(
        make("2025-06-30", txns=old + _bills_23k() + future, records={"declared_income": [DECLARED]})
    )[0]
    assert flag.facts["ratio"] == 2.3
    assert flag.facts["months"] == 6

    flag = _gap(
        make("2025-06-30", txns=_bills_23k(), records={"declared_income": [DECLARED]}),
        FlagSettings(gap_window_months=3),
    )[0]
    assert (flag.facts["from"], flag.facts["months"]) == ("2025-04", 3)
