"""(c) Missing values: no_data vs zero vs not_permitted vs undefined."""

from __future__ import annotations

import pytest

from qingzhai.profiling import indicators
from qingzhai.profiling.indicators import engine, prepare
from qingzhai.profiling.indicators.engine import Value

from .fixture import ALL_PURPOSES, build
from .others import D2, D2_PARTS, D2_PURPOSES, D2_SEEN, D3, D3_PARTS, D4, D4_PARTS, D4_SEEN

PURPOSES = {D2: D2_PURPOSES, D3: ALL_PURPOSES}  # D4 is absent: the assignment (collection) only
SEEN = {D2: D2_SEEN, D4: D4_SEEN}  # D3 is absent: nothing ingested


@pytest.fixture(scope="module")
def result() -> indicators.IndicatorResult:
    return indicators.compute(build([D2_PARTS, D3_PARTS, D4_PARTS], PURPOSES, SEEN))


def test_ingested_source_without_rows_in_a_window_gives_zero(result):
    v = indicators.for_debtor(result, D2)
    assert v["inc_total_12m"] == Value(0)  # statements ingested, no income in them
    assert v["inc_months_with_income_36m"] == Value(0)
    assert v["inc_max_single_12m"] == Value(0)
    assert v["cons_net_12m"] == Value(50_000)  # X1
    assert v["cf_own_transfers_12m"] == Value(10_000)  # X2
    assert v["cf_net_12m"] == Value(-50_000)


def test_undefined_when_the_value_has_no_meaning(result):
    v = indicators.for_debtor(result, D2)
    assert v["inc_top_payer_share_12m"] == Value(None, "undefined")  # no income to share
    assert v["cons_to_income_ratio_12m"] == Value(None, "undefined")  # over zero income
    assert v["inc_days_since_last_income"] == Value(None, "undefined")  # never had income
    assert v["cr_days_since_last_payment"] == Value(None, "undefined")  # never paid
    assert v["liab_repaid_share"] == Value(None, "undefined")  # no debts


def test_no_data_when_the_kind_of_source_was_never_ingested(result):
    v2, v3 = indicators.for_debtor(result, D2), indicators.for_debtor(result, D3)
    assert v2["inc_declared_monthly"] == Value(None, "no_data")  # capacity permitted, no declaration source
    assert v2["inc_cons_gap_ratio_36m"] == Value(None, "no_data")  # needs declared income or contributions
    assert v3["inc_total_12m"] == Value(None, "no_data")  # D3: statements never ingested
    assert v3["cons_net_36m"] == Value(None, "no_data")
    assert v3["ast_property_count"] == Value(None, "no_data")
    assert v3["leg_dishonest"] == Value(None, "no_data")
    assert v3["wil_paid_to_income_12m"] == Value(None, "no_data")  # payments are ours, statements missing


def test_own_case_records_are_never_no_data(result):
    v2, v3 = indicators.for_debtor(result, D2), indicators.for_debtor(result, D3)
    assert v2["cr_paid_total"] == Value(0)  # no payment yet: zero
    assert v2["liab_debts_open"] == Value(0)
    assert v2["id_bankrupt"] == Value(False)  # flag not filled in on the debtor row
    assert v3["cr_paid_total"] == Value(5_000)
    assert v3["liab_outstanding_total"] == Value(120_000)
    assert v3["ct_phones_total"] == Value(0)  # D3 has the contact purpose


def test_not_permitted_when_no_basis_covers_the_purpose(result):
    v2, v4 = indicators.for_debtor(result, D2), indicators.for_debtor(result, D4)
    assert v2["ast_property_count"] == Value(None, "not_permitted")  # no asset_investigation
    assert v2["leg_dishonest"] == Value(None, "not_permitted")
    assert v2["ct_phones_total"] == Value(None, "not_permitted")
    assert v4["inc_total_12m"] == Value(None, "not_permitted")  # statements on file, not permitted
    assert v4["ast_property_count"] == Value(None, "not_permitted")
    assert v4["cr_paid_total"] == Value(7_000)  # collection is always covered
    assert v4["id_is_enterprise"] == Value(True)
    row = result.values.filter(result.values["debtor_id"] == D4)
    assert row["inc_total_12m"].to_list() == [None]


def test_not_permitted_rows_are_never_processed(monkeypatch):
    """D4's statement and property rows never reach a prepared frame."""
    seen: dict[str, set[int]] = {}

    class Spy(prepare.Prepared):
        def get(self, name):
            frame = super().get(name)
            seen.setdefault(name, set()).update(frame["debtor_id"].to_list())
            return frame

    monkeypatch.setattr(engine, "Prepared", Spy)
    indicators.compute(build([D2_PARTS, D4_PARTS], PURPOSES, SEEN))
    assert seen["txns"] == {D2}
    assert D4 not in seen["property_units"]
    assert seen["payments"] == {D4}


def test_reason_is_none_exactly_when_value_is_set(result):
    for debtor in (D2, D3, D4):
        for code, v in indicators.for_debtor(result, debtor).items():
            assert (v.value is None) == (v.reason is not None), (debtor, code, v)
            assert v.reason in (None, *indicators.REASONS), (debtor, code, v)


def test_unknown_debtor_raises(result):
    with pytest.raises(KeyError):
        indicators.for_debtor(result, 999)
