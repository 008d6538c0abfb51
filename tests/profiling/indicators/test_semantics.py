"""(d) rows after as_of ignored; (e) neutral rows are neither income nor spending; (f) a batch equals
per-debtor runs; (g) the article's 2.3x gap; subsets of codes; JSON-ready values."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import polars as pl
import pytest

from qingzhai.profiling import indicators
from qingzhai.profiling.indicators.engine import Value

from .fixture import (
    ALL_PURPOSES,
    ALL_SOURCES,
    AS_OF,
    D1,
    NEU,
    OUT,
    build,
    d1_frames,
    d1_parts,
    dt,
    person,
    txn_rows,
)
from .others import (
    D2,
    D2_PARTS,
    D2_PURPOSES,
    D2_SEEN,
    D3,
    D3_PARTS,
    D4,
    D4_PARTS,
    D4_SEEN,
    D5,
    D5_PARTS,
    D5_SEEN,
    D6,
    D6_PARTS,
    D6_SEEN,
    D7,
    D7_PARTS,
    D7_SEEN,
)  # fmt: skip

DATE_FIELD = {
    "txns": "time", "payments": "paid_on", "promises": "created_on", "activities": "occurred_at",
    "disputes": "opened_on", "debts": "contract_date", "property": "event_date", "vehicle": "event_date",
    "business": "as_of", "court": "filed_on", "marriage": "event_date", "declared_income": "declared_on",
}  # fmt: skip


def _before_or_on_as_of(rows: list[dict], field: str) -> list[dict]:
    def day(v):
        return v.date() if isinstance(v, datetime) else v

    return [r for r in rows if r.get(field) is None or day(r[field]) <= AS_OF]


def test_rows_after_as_of_are_ignored():
    parts = d1_parts()
    trimmed = {
        k: _before_or_on_as_of(rows, DATE_FIELD[k]) if k in DATE_FIELD else rows for k, rows in parts.items()
    }
    trimmed["contribution"] = [r for r in parts["contribution"] if r["period"] <= "2025-06"]
    removed = sum(len(parts[k]) - len(trimmed[k]) for k in parts)
    # T9 S14 R3, PM7, PR8, A14, DS4, debt 105, P5's transfer, B7, C11, the 2025-07 contribution and the
    # 2025-07-01 declaration
    assert removed == 13
    full = indicators.compute(d1_frames()).values
    cut = indicators.compute(build([trimmed], {D1: ALL_PURPOSES}, {D1: ALL_SOURCES})).values
    assert full.equals(cut)
    # and the other way round: the same rows seen from a later as-of date do count
    later = indicators.compute(build([parts], {D1: ALL_PURPOSES}, {D1: ALL_SOURCES}, as_of=date(2025, 6, 30)))
    assert later.values["inc_total_3m"].to_list() == [3_000_000 + 5_000_000]  # T9 on 2025-06-20 now counts


NEUTRAL = [
    ("P", "alipay", dt(2025, 5, 1), 100_000, "CNY", OUT, "spending", "京东", "", "余额", "", "P1", "", 30_000),
    ("R", "alipay", dt(2025, 5, 3), 50_000, "CNY", NEU, "refund", "京东", "", "", "", "P1r", "P1", 0),
    ("R'", "alipay", dt(2025, 5, 4), 20_000, "CNY", NEU, "refund", "京东", "", "", "", "Xr", "NOPE", 0),
    ("R''", "wechat", dt(2025, 5, 4), 10_000, "CNY", NEU, "refund", "京东", "", "", "", "Yr", "P1", 0),  # other source
    ("Q", "alipay", dt(2025, 5, 5), 10_000, "CNY", OUT, "spending", "天猫", "", "余额", "", "Q1", "", 0),
    ("QR", "alipay", dt(2025, 5, 6), 15_000, "CNY", NEU, "refund", "天猫", "", "", "", "Q1r", "Q1", 0),  # > Q
    ("OT", "alipay", dt(2025, 5, 7), 80_000, "CNY", NEU, "own_transfer", "本人", "", "", "", "", "", 0),
    ("CR", "alipay", dt(2025, 5, 8), 60_000, "CNY", NEU, "credit_repay", "花呗", "", "", "", "", "", 0),
    ("CD", "alipay", dt(2025, 5, 9), 500_000, "CNY", NEU, "credit_draw", "借呗", "", "", "", "", "", 0),
    ("IV", "alipay", dt(2025, 5, 9), 70_000, "CNY", NEU, "investment", "余额宝", "", "", "", "", "", 0),
    ("FL", "alipay", dt(2025, 5, 9), 40_000, "CNY", NEU, "failed", "京东", "", "", "", "", "", 0),
    ("CL", "alipay", dt(2025, 5, 9), 30_000, "CNY", NEU, "closed", "京东", "", "", "", "", "", 0),
]  # fmt: skip


def test_refunds_own_transfers_and_credit_are_neither_income_nor_spending():
    frames = build(
        [{"debtors": [person(9, "测试")], "txns": txn_rows(9, NEUTRAL)}], {9: ALL_PURPOSES}, {9: ALL_SOURCES}
    )
    v = indicators.for_debtor(indicators.compute(frames), 9)
    assert v["inc_total_12m"] == Value(0)  # no refund, transfer or loan payout is income
    assert v["cons_net_12m"] == Value(20_000)  # P 100,000 - 30,000 on the row - R 50,000; Q fully refunded
    assert v["cons_refunds_12m"] == Value(90_000)  # P 80,000 + Q 10,000 (R' names nothing; R'' other source)
    assert v["cons_count_12m"] == Value(2)  # P, Q
    assert v["cf_net_12m"] == Value(-20_000)
    assert v["liab_credit_repay_12m"] == Value(60_000)
    assert v["liab_credit_draw_12m"] == Value(500_000)
    assert v["cf_own_transfers_12m"] == Value(80_000)
    assert v["ast_investment_volume_12m"] == Value(70_000)
    assert v["cf_failed_txns_12m"] == Value(1)
    assert v["cf_txn_count_12m"] == Value(12)


BATCH = [(D1, d1_parts(), ALL_PURPOSES, ALL_SOURCES), (D2, D2_PARTS, D2_PURPOSES, D2_SEEN),
         (D3, D3_PARTS, ALL_PURPOSES, None), (D4, D4_PARTS, None, D4_SEEN), (D5, D5_PARTS, D2_PURPOSES, D5_SEEN),
         (D6, D6_PARTS, D2_PURPOSES, D6_SEEN), (D7, D7_PARTS, D2_PURPOSES, D7_SEEN)]  # fmt: skip


def _frames(batch):
    purposes = {d: p for d, _, p, _ in batch if p is not None}
    seen = {d: s for d, _, _, s in batch if s is not None}
    return build([parts for _, parts, _, _ in batch], purposes, seen)


def test_batch_equals_per_debtor_results():
    together = indicators.compute(_frames(BATCH))
    assert together.values["debtor_id"].to_list() == [d for d, *_ in BATCH]
    for item in BATCH:
        alone = indicators.compute(_frames([item]))
        assert together.values.filter(pl.col("debtor_id") == item[0]).equals(alone.values), item[0]
        assert indicators.for_debtor(together, item[0]) == indicators.for_debtor(alone, item[0])


def test_the_articles_2_3x_gap():
    frames = _frames([(D5, D5_PARTS, D2_PURPOSES, D5_SEEN)])
    v = indicators.for_debtor(indicators.compute(frames), D5)
    assert v["cons_avg_monthly_36m"] == Value(2_300_000)  # 23,000 yuan in each of the 36 months
    assert v["inc_documented_monthly"] == Value(1_000_000)  # declared 10,000 yuan
    assert v["inc_cons_gap_ratio_36m"] == Value(2.3)
    assert v["inc_cons_gap_ratio_12m"] == Value(2.3)
    assert v["cons_credit_funded_share_36m"] == Value(1.0)  # all through 花呗


def test_documented_income_falls_back_to_contributions_and_is_undefined_without_either():
    result = indicators.compute(_frames(BATCH[5:]))
    d6, d7 = indicators.for_debtor(result, D6), indicators.for_debtor(result, D7)
    assert d6["inc_declared_monthly"] == Value(None, "undefined")  # its declaration is after as_of
    assert d6["inc_contrib_base_avg_12m"] == Value(None, "no_data")
    assert d6["inc_cons_gap_ratio_12m"] == Value(None, "undefined")
    assert d7["inc_declared_monthly"] == Value(None, "no_data")
    assert d7["inc_documented_monthly"] == Value(600_000)  # the social insurance base
    assert d7["inc_cons_gap_ratio_12m"] == Value(0.1667)  # 1,200,000 / (600,000 x 12)


def test_chosen_codes_only_and_dependencies_computed_silently():
    codes = ["inc_cons_gap_ratio_36m", "cr_paid_total"]
    result = indicators.compute(d1_frames(), codes=codes)
    assert result.values.columns == ["debtor_id", *codes]
    assert indicators.for_debtor(result, D1) == {
        "inc_cons_gap_ratio_36m": Value(0.635),
        "cr_paid_total": Value(1_150_000),
    }
    with pytest.raises(ValueError, match="no_such_code"):
        indicators.compute(d1_frames(), codes=["no_such_code"])


def test_empty_portfolio():
    result = indicators.compute(build([], {}, {}))
    assert result.values.height == 0
    assert len(result.values.columns) == len(indicators.catalogue()) + 1


def test_json_ready():
    assert indicators.to_json_ready(Value(12_345)) == {"value": 12_345, "reason": None}
    assert indicators.to_json_ready(Value(None, "no_data")) == {"value": None, "reason": "no_data"}
    assert indicators.to_json_ready(2 / 3) == 0.6667
    assert indicators.to_json_ready(float("nan")) is None
    assert indicators.to_json_ready(True) is True
    assert indicators.to_json_ready(Decimal("1234")) == 1234
    assert indicators.to_json_ready(Decimal("0.5")) == "0.5"
    assert indicators.to_json_ready(AS_OF) == "2025-06-15"
    assert indicators.to_json_ready({"d": [date(2025, 1, 2), datetime(2025, 1, 2, 3, 4)]}) == {
        "d": ["2025-01-02", "2025-01-02T03:04:00"]
    }
    with pytest.raises(TypeError):
        indicators.to_json_ready(object())
    result = indicators.compute(d1_frames())
    doc = result.debtor_json(D1)
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc
    assert doc["liab_outstanding_total"] == {"value": 4_500_000, "reason": None}
    assert type(doc["liab_outstanding_total"]["value"]) is int
    assert doc["cons_luxury_share_12m"] == {"value": 0.2919, "reason": None}
