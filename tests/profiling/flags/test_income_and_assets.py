"""hidden_income and new_assets."""

from __future__ import annotations

from qingzhai.profiling.flags import FlagSettings, evaluate
from tests.profiling.flags.helpers import RECORD_SOURCE, TXN_SOURCE, cited, debt, income, make, record, txn

DECLARED = record(
    "declared_income", 1, declared_on="2024-01-01", monthly_income_fen=500_000, source="court_declaration",
    employer="甲科技有限公司",
)  # fmt: skip


def _flags(frames, code, settings=None):
    return [f for f in evaluate(frames, settings=settings)[1] if f.code == code]


def _salary_and_side_income(side_months=(3, 5, 7, 9), side_amount=6_000, payer="王老板"):
    rows = [income(m, f"2024-{m:02d}-10", 5_000, "甲科技有限公司", memo="工资") for m in range(1, 13)]
    rows += [income(100 + m, f"2024-{m:02d}-20", side_amount, payer) for m in side_months]
    return rows


def test_hidden_income_from_a_regular_undeclared_payer():
    frames = make("2024-12-31", txns=_salary_and_side_income(), records={"declared_income": [DECLARED]})
    flags = _flags(frames, "hidden_income")
    assert len(flags) == 1
    flag = flags[0]
    assert flag.severity == "medium"
    assert flag.purpose == "capacity_assessment"
    assert flag.facts["payers"] == [
        {
            "counterparty": "王老板",
            "months": ["2024-03", "2024-05", "2024-07", "2024-09"],
            "count": 4,
            "total_fen": 2_400_000,
            "monthly_average_fen": 600_000,
        }
    ]
    assert flag.facts["observed_monthly_income_fen"] == 700_000  # (60,000 + 24,000) / 12
    assert flag.facts["declared_monthly_income_fen"] == 500_000
    assert flag.facts["declared_employers"] == ["甲科技有限公司"]
    assert cited(flag) == [("record", RECORD_SOURCE, 1)] + [
        ("txn", TXN_SOURCE, r) for r in (103, 105, 107, 109)
    ]


def test_hidden_income_is_high_when_observed_is_twice_declared_and_medium_without_a_declaration():
    rows = _salary_and_side_income(side_months=range(1, 13), side_amount=6_000)
    flag = _flags(make("2024-12-31", txns=rows, records={"declared_income": [DECLARED]}), "hidden_income")[0]
    assert (flag.severity, flag.facts["observed_monthly_income_fen"]) == ("high", 1_100_000)

    flag = _flags(make("2024-12-31", txns=rows), "hidden_income")[0]
    assert (flag.severity, flag.facts["declared_monthly_income_fen"]) == ("medium", None)
    # without a declaration the profile's employer is still the known employer
    flag = _flags(make("2024-12-31", txns=rows, employer="甲科技有限公司"), "hidden_income")[0]
    assert [p["counterparty"] for p in flag.facts["payers"]] == ["王老板"]


def test_no_hidden_income_when_too_few_months_too_little_declared_employer_or_own_money():
    declared = {"declared_income": [DECLARED]}
    two_months = _salary_and_side_income(side_months=(3, 5), side_amount=15_000)
    assert _flags(make("2024-12-31", txns=two_months, records=declared), "hidden_income") == []

    too_little = _salary_and_side_income(side_amount=5_000)  # 20,000 in all: not above the threshold
    assert _flags(make("2024-12-31", txns=too_little, records=declared), "hidden_income") == []

    only_employer = _salary_and_side_income(payer="甲科技有限公司")
    assert _flags(make("2024-12-31", txns=only_employer, records=declared), "hidden_income") == []

    own = _salary_and_side_income(payer="张三")  # the debtor's own other account
    assert _flags(make("2024-12-31", txns=own, records=declared), "hidden_income") == []

    neutral = _salary_and_side_income(side_months=())
    neutral += [
        txn(200 + m, f"2024-{m:02d}-20", 6_000, "neutral", "own_transfer", counterparty="余额宝")
        for m in (3, 5, 7, 9)
    ]
    assert _flags(make("2024-12-31", txns=neutral, records=declared), "hidden_income") == []

    high_declared = dict(DECLARED, monthly_income_fen=700_000)
    rows = _salary_and_side_income()
    assert (
        _flags(make("2024-12-31", txns=rows, records={"declared_income": [high_declared]}), "hidden_income")
        == []
    )


OVERDUE = debt(contract="2021-01-01", overdue="2023-01-15")


def _flat(row, event, day, **kw):
    base = dict(
        property_id=f"P{row}", owner="张三", owner_relation="self", event=event, event_date=day,
        reference_value_fen=200_000_000,
    )  # fmt: skip
    base.update(kw)
    return record("property", row, **base)


def test_property_bought_after_default_is_high():
    bought = _flat(3, "acquisition", "2023-06-01", acquisition_price_fen=150_000_000)
    older = _flat(4, "holding", "2023-06-01", acquired_on="2019-01-01")  # held before the default
    frames = make("2023-12-31", debts=[OVERDUE], records={"property": [bought, older]})
    flags = evaluate(frames)[1]
    assert [(f.code, f.severity) for f in flags] == [("new_assets", "high")]
    assert flags[0].purpose == "asset_investigation"
    assert flags[0].facts == {
        "overdue_since": "2023-01-15",
        "debt_id": 7,
        "items": [
            {
                "type": "property",
                "asset": "P3",
                "owner": "张三",
                "owner_relation": "self",
                "date": "2023-06-01",
                "value_fen": 150_000_000,
                "record": {"kind": "property", "source_id": RECORD_SOURCE, "row": 3},
            }
        ],
    }
    assert cited(flags[0]) == [("record", RECORD_SOURCE, 3)]
    assert "第250条" in flags[0].rule_zh and "art. 517" in flags[0].rule_en


def test_assets_before_default_sold_since_or_owned_by_others_are_not_new():
    before = _flat(3, "acquisition", "2022-06-01")
    sold = _flat(4, "acquisition", "2023-03-01")
    sold_again = _flat(
        5, "transfer", "2023-05-01", property_id="P4", transferee="王五", price_fen=200_000_000
    )
    parents = _flat(6, "acquisition", "2023-03-01", owner="张父", owner_relation="relative")
    frames = make("2023-12-31", debts=[OVERDUE], records={"property": [before, sold, sold_again, parents]})
    assert _flags(frames, "new_assets") == []
    # no overdue debt: nothing to enforce yet
    frames = make(
        "2023-12-31",
        debts=[debt(overdue=None)],
        records={"property": [_flat(3, "acquisition", "2023-06-01")]},
    )
    assert _flags(frames, "new_assets") == []


def test_new_salary_after_default_is_medium():
    rows = [income(m, f"2023-{m:02d}-15", 8_000, "乙网络有限公司", memo="代发工资") for m in (3, 4, 5)]
    frames = make("2023-12-31", txns=rows, debts=[OVERDUE])
    flag = _flags(frames, "new_assets")[0]
    assert flag.severity == "medium"
    assert flag.facts["items"] == [
        {"type": "salary", "counterparty": "乙网络有限公司", "from": "2023-03", "to": "2023-05", "months": 3,
         "total_fen": 2_400_000}
    ]  # fmt: skip
    assert cited(flag) == [("txn", TXN_SOURCE, r) for r in (3, 4, 5)]

    # the same payer before the default, a gap month, or only two months: not a new salary
    before = [*rows, income(1, "2022-12-15", 8_000, "乙网络有限公司", memo="代发工资")]
    assert _flags(make("2023-12-31", txns=before, debts=[OVERDUE]), "new_assets") == []
    gap = [income(m, f"2023-{m:02d}-15", 8_000, "乙网络有限公司", memo="工资") for m in (3, 4, 6)]
    assert _flags(make("2023-12-31", txns=gap, debts=[OVERDUE]), "new_assets") == []
    # steady amounts without a salary word still count; uneven ones do not
    steady = [income(m, f"2023-{m:02d}-15", 8_000 + 100 * m, "丙公司") for m in (3, 4, 5)]
    assert len(_flags(make("2023-12-31", txns=steady, debts=[OVERDUE]), "new_assets")) == 1
    uneven = [income(m, f"2023-{m:02d}-15", a, "丙公司") for m, a in ((3, 4_000), (4, 9_000), (5, 5_000))]
    assert _flags(make("2023-12-31", txns=uneven, debts=[OVERDUE]), "new_assets") == []
    assert (
        len(
            _flags(
                make("2023-12-31", txns=uneven, debts=[OVERDUE]),
                "new_assets",
                FlagSettings(new_salary_spread=2.5),
            )
        )
        == 1
    )


def test_escrow_funds_in_a_business_record_or_a_memo_are_high():
    company = record(
        "business", 8, company="张氏置业有限公司", status="active", role="shareholder", as_of="2023-05-01",
        change_type="other", change_after="开立预售资金监管账户",
    )  # fmt: skip
    frames = make("2023-12-31", debts=[OVERDUE], records={"business": [company]})
    flag = _flags(frames, "new_assets")[0]
    assert flag.severity == "high"
    assert flag.facts["items"][0]["type"] == "escrow"
    assert cited(flag) == [("record", RECORD_SOURCE, 8)]

    memo = [income(9, "2023-08-01", 300_000, "某银行", memo="预售资金监管账户划转")]
    flag = _flags(make("2023-12-31", txns=memo, debts=[OVERDUE]), "new_assets")[0]
    assert flag.facts["items"] == [{"type": "escrow", "count": 1, "total_fen": 30_000_000}]
    assert cited(flag) == [("txn", TXN_SOURCE, 9)]

    earlier = [income(9, "2022-08-01", 300_000, "某银行", memo="预售资金监管账户划转")]
    assert _flags(make("2023-12-31", txns=earlier, debts=[OVERDUE]), "new_assets") == []
