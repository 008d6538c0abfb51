from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from qingzhai.profiling.flags import CHECKS, Flag, FlagSettings, evaluate
from qingzhai.profiling.frames import TXNS, Frames
from qingzhai.profiling.purposes import PURPOSES
from tests.profiling.flags.helpers import debt, income, make, record, spend

DECLARED = record(
    "declared_income", 1, declared_on="2024-12-01", monthly_income_fen=1_000_000, source="loan_application"
)
FLAT = record(
    "property",
    2,
    property_id="P1",
    owner="张三",
    owner_relation="self",
    event="acquisition",
    event_date="2025-03-01",
)


def _frames(purposes):
    bills = [spend(i + 2, f"2025-0{m}-10", 30_000) for i, m in enumerate(range(1, 7))]
    return make(
        "2025-06-30",
        txns=bills,
        debts=[debt(contract="2023-01-01", overdue="2024-06-01")],
        records={"declared_income": [DECLARED], "property": [FLAT]},
        purposes=purposes,
    )


def test_flags_need_their_purpose_covered():
    everything = evaluate(_frames(frozenset(PURPOSES)))[1]
    assert [(f.code, f.severity) for f in everything] == [
        ("income_consumption_gap", "high"),
        ("new_assets", "high"),
    ]
    assert [f.code for f in evaluate(_frames(frozenset({"capacity_assessment"})))[1]] == [
        "income_consumption_gap"
    ]
    assert evaluate(_frames(frozenset({"collection"})))[1] == []
    # a debtor with no basis on file: only `collection`, which no flag uses
    frames = _frames(frozenset(PURPOSES))
    frames.purposes = {}
    assert evaluate(frames) == {1: []}


def test_disabled_flags_are_skipped_and_settings_are_honoured():
    frames = _frames(frozenset(PURPOSES))
    flags = evaluate(frames, settings=FlagSettings(enabled=("new_assets",)))[1]
    assert [f.code for f in flags] == ["new_assets"]
    flags = evaluate(frames, settings=FlagSettings(gap_high_ratio=3.5))[1]
    assert [(f.code, f.severity) for f in flags] == [
        ("new_assets", "high"),
        ("income_consumption_gap", "medium"),
    ]


def test_debtor_ids_and_empty_frames():
    frames = _frames(frozenset(PURPOSES))
    assert evaluate(frames, debtor_ids=[1, 2])[2] == []
    assert list(evaluate(frames, debtor_ids=[2])) == [2]
    assert evaluate(Frames(as_of=date(2025, 1, 1))) == {}
    no_debtors = Frames(as_of=date(2025, 1, 1), txns=pl.DataFrame([spend(2, "2024-12-01", 10)], schema=TXNS))
    assert evaluate(no_debtors) == {1: []}


def test_as_dict_is_json_ready():
    for flag in evaluate(_frames(frozenset(PURPOSES)))[1]:
        data = flag.as_dict()
        assert json.loads(json.dumps(data, ensure_ascii=False)) == data
        assert data["rule"]["zh"] == flag.rule_zh and data["title"]["en"] == flag.title_en
        assert data["flag"] == flag.code
        assert all(set(e) == {"kind", "source_id", "row", "summary"} for e in data["evidence"])


def test_every_check_is_enabled_by_default_and_names_a_purpose():
    assert set(CHECKS) == set(FlagSettings().enabled)
    assert all(purpose in PURPOSES for purpose, _ in CHECKS.values())
    with pytest.raises(ValueError):
        Flag("x", "severe", "", "", {}, "", "", [], "collection")


def test_all_six_flags_at_once_are_json_ready():
    bills = [spend(m, f"2024-{m:02d}-10", 25_000) for m in range(1, 7)]
    bills += [income(10 + m, f"2024-{m:02d}-05", 10_000, "甲公司", memo="工资") for m in range(1, 7)]
    bills += [income(20 + m, f"2024-{m:02d}-15", 8_000, "乙公司", memo="代发工资") for m in (2, 3, 4)]
    bills += [
        spend(30, "2024-03-05", 1_200, counterparty="东方航空", memo="机票"),
        spend(31, "2024-04-01", 30_000, counterparty="李梅"),
    ]
    records = {
        "declared_income": [
            record("declared_income", 1, declared_on="2021-01-01", monthly_income_fen=1_000_000,
                   source="interview", employer="甲公司")
        ],
        "court": [
            record("court", 2, record_type="consumption_restriction", case_no="(2024)沪0115执1号",
                   role="respondent", filed_on="2024-02-01", status="open")
        ],
        "marriage": [
            record("marriage", 3, event="marriage", event_date="2015-05-01", spouse="李梅"),
            record("marriage", 4, event="divorce", event_date="2023-01-10", spouse="李梅"),
        ],
        "property": [
            record("property", 5, property_id="P1", owner="张三", owner_relation="self", event="transfer",
                   event_date="2022-12-01", transferee="李梅", transferee_relation="spouse",
                   price_fen=60_000_000, reference_value_fen=100_000_000)
        ],
        "vehicle": [
            record("vehicle", 6, plate="沪A1", owner="张三", owner_relation="self", event="transfer",
                   event_date="2024-02-01", transferee="张父", transferee_relation="relative", price_fen=0,
                   reference_value_fen=20_000_000)
        ],
    }  # fmt: skip
    frames = make("2024-06-30", txns=bills, debts=[debt()], records=records)
    flags = evaluate(frames)[1]
    assert sorted(f.code for f in flags) == [
        "divorce_asset_transfer",
        "hidden_income",
        "income_consumption_gap",
        "new_assets",
        "related_party_transfer",
        "related_party_transfer",
        "restriction_breach",
    ]
    assert [f.severity for f in flags] == sorted((f.severity for f in flags), key=lambda s: "hml".index(s[0]))
    for flag in flags:
        data = flag.as_dict()
        assert json.loads(json.dumps(data, ensure_ascii=False)) == data
        assert flag.evidence and all(e["kind"] in ("txn", "record") for e in flag.evidence)
        assert all(isinstance(e["row"], int) and e["source_id"] in (101, 202) for e in flag.evidence)
