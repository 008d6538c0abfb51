from __future__ import annotations

from datetime import date

from qingzhai.profiling.flags import FlagSettings, evaluate
from tests.profiling.flags.helpers import RECORD_SOURCE, TXN_SOURCE, cited, debt, make, record, spend, txn

MARRIED = record("marriage", 1, event="marriage", event_date="2015-05-01", spouse="李梅")
DIVORCED = record(
    "marriage", 2, event="divorce", event_date="2022-06-15", spouse="李梅", agreement_note="房产归女方"
)


def flat(row=1, *, to="李梅", relation="spouse", price=1_800_000, value=3_000_000, on="2022-05-20"):
    return record(
        "property",
        row,
        property_id="沪(2018)浦东字第001号",
        owner="张三",
        owner_relation="self",
        address="上海市浦东新区某路1号",
        event="transfer",
        event_date=on,
        transferee=to,
        transferee_relation=relation,
        price_fen=price * 100,
        reference_value_fen=value * 100,
    )


def car(row=1, *, to="张父", relation="relative", price=0, value=200_000, on="2023-09-01"):
    return record(
        "vehicle",
        row,
        plate="沪A12345",
        owner="张三",
        owner_relation="self",
        event="transfer",
        event_date=on,
        transferee=to,
        transferee_relation=relation,
        price_fen=price * 100,
        reference_value_fen=value * 100,
    )


def _flags(frames, code, settings=None):
    return [f for f in evaluate(frames, settings=settings)[1] if f.code == code]


def test_sham_divorce_transfer_at_60_percent_is_high_with_both_deadlines():
    frames = make(
        "2023-03-01", debts=[debt()], records={"marriage": [MARRIED, DIVORCED], "property": [flat(3)]}
    )
    flags = evaluate(frames)[1]

    assert [f.code for f in flags] == ["divorce_asset_transfer"]
    flag = flags[0]
    assert flag.severity == "high"
    assert flag.purpose == "litigation"
    facts = flag.facts
    assert facts["divorce_date"] == "2022-06-15"
    assert facts["transfer_date"] == "2022-05-20"
    assert facts["days_from_divorce"] == -26
    assert (facts["transferee"], facts["transferee_relation"]) == ("李梅", "spouse")
    assert facts["price_fen"] == 180_000_000
    assert facts["reference_value_fen"] == 300_000_000
    assert facts["price_ratio"] == 0.6
    assert facts["gratuitous"] is False
    assert facts["known_on"] == "2023-03-01"
    assert facts["knowledge_deadline"] == "2024-03-01"
    assert facts["act_deadline"] == "2027-05-20"
    assert facts["exercise_by"] == "2024-03-01"
    assert facts["expired"] is False
    assert facts["debt"] == {
        "debt_id": 7,
        "contract_date": "2020-01-10",
        "overdue_since": "2022-03-01",
        "outstanding_fen": 50_000_000,
    }
    assert cited(flag) == [("record", RECORD_SOURCE, 3), ("record", RECORD_SOURCE, 2)]
    assert "第538条" in flag.rule_zh and "第541条" in flag.rule_zh and "70%" in flag.rule_zh
    assert "art. 541" in flag.rule_en and "法释〔2025〕1号" in flag.rule_en


def test_deadlines_from_a_known_on_setting_and_expiry():
    frames = make(
        "2023-03-01", debts=[debt()], records={"marriage": [MARRIED, DIVORCED], "property": [flat(3)]}
    )
    flag = _flags(frames, "divorce_asset_transfer", FlagSettings(known_on=date(2022, 1, 31)))[0]
    assert flag.facts["known_on"] == "2022-01-31"
    assert flag.facts["knowledge_deadline"] == "2023-01-31"
    assert flag.facts["act_deadline"] == "2027-05-20"
    assert flag.facts["expired"] is True

    # five years from the act: a transfer on 29 February runs to 28 February
    leap = make(
        "2020-06-01",
        debts=[debt(contract="2019-01-01")],
        records={
            "marriage": [
                MARRIED,
                record("marriage", 2, event="divorce", event_date="2020-03-10", spouse="李梅"),
            ],
            "property": [flat(3, on="2020-02-29")],
        },
    )
    assert _flags(leap, "divorce_asset_transfer")[0].facts["act_deadline"] == "2025-02-28"


def test_genuine_sale_at_market_value_to_a_stranger_is_not_flagged():
    sale = flat(3, to="王五", relation="stranger", price=3_000_000, value=3_000_000)
    frames = make("2023-03-01", debts=[debt()], records={"marriage": [MARRIED, DIVORCED], "property": [sale]})
    assert evaluate(frames) == {1: []}


def test_divorce_transfer_outside_the_window_or_before_the_debt_is_not_a_divorce_flag():
    early = flat(3, on="2020-06-01")  # more than 24 months before the divorce
    frames = make(
        "2023-03-01", debts=[debt()], records={"marriage": [MARRIED, DIVORCED], "property": [early]}
    )
    assert _flags(frames, "divorce_asset_transfer") == []
    # ... it is still a transfer to the spouse at 60 %: a related-party flag
    assert [f.severity for f in _flags(frames, "related_party_transfer")] == ["medium"]

    before_debt = flat(3)
    frames = make(
        "2023-03-01",
        debts=[debt(contract="2022-06-01")],
        records={"marriage": [MARRIED, DIVORCED], "property": [before_debt]},
    )
    assert evaluate(frames) == {1: []}

    settled = debt(overdue=None, outstanding_yuan=0)
    frames = make(
        "2023-03-01", debts=[settled], records={"marriage": [MARRIED, DIVORCED], "property": [flat(3)]}
    )
    assert evaluate(frames) == {1: []}


def test_spouse_named_in_marriage_record_counts_even_without_a_relation():
    gift = flat(3, relation=None, price=0, on="2022-09-01")
    frames = make("2023-03-01", debts=[debt()], records={"marriage": [MARRIED, DIVORCED], "property": [gift]})
    flag = _flags(frames, "divorce_asset_transfer")[0]
    assert flag.facts["transferee_relation"] == "ex_spouse"
    assert flag.facts["gratuitous"] is True
    assert flag.facts["price_ratio"] == 0.0


def test_gratuitous_vehicle_to_a_relative_is_a_high_related_party_transfer():
    frames = make("2024-01-01", debts=[debt()], records={"vehicle": [car(4)]})
    flags = evaluate(frames)[1]
    assert [(f.code, f.severity) for f in flags] == [("related_party_transfer", "high")]
    assert flags[0].facts["transferee_relation"] == "relative"
    assert flags[0].facts["asset"] == "沪A12345"
    assert flags[0].facts["act_deadline"] == "2028-09-01"
    assert cited(flags[0]) == [("record", RECORD_SOURCE, 4)]


def test_transfer_to_the_debtors_company_by_name_is_related():
    company = record(
        "business", 5, company="上海张氏贸易有限公司", status="active", role="shareholder", as_of="2023-01-01"
    )
    sale = car(4, to="上海张氏贸易有限公司", relation="", price=100_000)
    frames = make("2024-01-01", debts=[debt()], records={"vehicle": [sale], "business": [company]})
    flag = _flags(frames, "related_party_transfer")[0]
    assert flag.severity == "medium"
    assert flag.facts["price_ratio"] == 0.5
    assert flag.facts["matched_name"] == {
        "name": "上海张氏贸易有限公司",
        "as": "company",
        "record": {"kind": "business", "source_id": RECORD_SOURCE, "row": 5},
    }
    assert cited(flag) == [("record", RECORD_SOURCE, 4), ("record", RECORD_SOURCE, 5)]


def test_related_transfer_at_a_fair_price_or_to_a_stranger_is_not_flagged():
    fair = car(4, price=150_000)  # 75 % of the value
    stranger = car(5, to="路人甲", relation="stranger", price=0)
    frames = make("2024-01-01", debts=[debt()], records={"vehicle": [fair, stranger]})
    assert evaluate(frames) == {1: []}


def test_large_transfers_to_the_spouse_after_default():
    rows = [
        spend(2, "2022-02-10", 40_000, counterparty="李梅"),  # before the debt went overdue
        spend(3, "2022-04-10", 30_000, counterparty="*梅", category="转账"),  # masked name
        spend(4, "2022-05-10", 30_000, counterparty="李梅"),
        spend(5, "2022-05-11", 5_000, counterparty="李梅"),  # below 10,000
        spend(6, "2022-05-12", 20_000, counterparty="王五"),
        txn(7, "2022-05-13", 20_000, "neutral", "own_transfer", counterparty="李梅"),
    ]
    frames = make("2023-01-01", txns=rows, debts=[debt()], records={"marriage": [MARRIED]})
    flags = _flags(frames, "related_party_transfer")
    assert [f.severity for f in flags] == ["high"]
    assert flags[0].facts["count"] == 2
    assert flags[0].facts["total_fen"] == 6_000_000
    assert flags[0].facts["overdue_since"] == "2022-03-01"
    assert cited(flags[0]) == [("txn", TXN_SOURCE, 3), ("txn", TXN_SOURCE, 4)]

    small = [r for r in rows if r["row"] != 4]
    flags = _flags(
        make("2023-01-01", txns=small, debts=[debt()], records={"marriage": [MARRIED]}),
        "related_party_transfer",
    )
    assert [(f.severity, f.facts["total_fen"]) for f in flags] == [("medium", 3_000_000)]

    assert _flags(make("2023-01-01", txns=rows, debts=[debt()]), "related_party_transfer") == []
    not_overdue = debt(overdue=None)
    frames = make("2023-01-01", txns=rows, debts=[not_overdue], records={"marriage": [MARRIED]})
    assert _flags(frames, "related_party_transfer") == []


def test_seventy_percent_is_the_line():
    def divorce_flags(price_yuan):
        sale = flat(3, price=price_yuan)
        frames = make(
            "2023-03-01", debts=[debt()], records={"marriage": [MARRIED, DIVORCED], "property": [sale]}
        )
        return _flags(frames, "divorce_asset_transfer")

    assert divorce_flags(2_100_000) == []  # exactly 70 %: not "below 70 %"
    assert [f.facts["price_ratio"] for f in divorce_flags(2_099_999)] == [0.7]
    assert [f.facts["price_ratio"] for f in divorce_flags(2_099_000)] == [0.6997]
