from __future__ import annotations

import pytest

from qingzhai.profiling.flags import FlagSettings, evaluate, lexicon
from tests.profiling.flags.helpers import RECORD_SOURCE, TXN_SOURCE, cited, make, record, spend, txn

ORDER = record(
    "court", 1, record_type="consumption_restriction", case_no="(2024)沪0115执1234号", court="浦东新区人民法院",
    role="respondent", filed_on="2024-03-01", status="open",
)  # fmt: skip


def _bills():
    return [
        spend(2, "2024-02-20", 1_800, counterparty="携程旅行网", memo="机票 上海-三亚"),  # before the order
        spend(3, "2024-03-01", 1_500, counterparty="东方航空", memo="机票"),  # on the filing day
        spend(4, "2024-03-05", 1_200, counterparty="携程旅行网", category="机票", memo="MU5101 上海-北京"),
        spend(5, "2024-03-08", 553, counterparty="中国铁路12306", memo="G1 上海虹桥-北京南 二等座"),
        spend(6, "2024-03-09", 300, counterparty="中国铁路12306", memo="D3125 上海-杭州 二等座"),
        spend(7, "2024-03-10", 2_400, counterparty="上海静安希尔顿酒店"),
        spend(8, "2024-03-11", 260, counterparty="如家酒店"),
        spend(9, "2024-03-12", 3_000, counterparty="佘山高尔夫俱乐部"),
        spend(10, "2024-03-13", 12_000, counterparty="LV 路易威登上海恒隆店", memo="手袋"),
        spend(11, "2024-03-14", 300, counterparty="迪奥专柜", memo="口红"),  # luxury brand, small
        spend(12, "2024-03-15", 45, counterparty="ETC", memo="G60沪昆高速通行费"),
        spend(13, "2024-03-16", 2_999, counterparty="五星电器", memo="洗衣机"),
        spend(14, "2024-03-17", 1_300, counterparty="南方航空", memo="机票", ref="R14"),  # refunded in full
        txn(15, "2024-03-18", 1_300, "neutral", "refund", counterparty="南方航空", refund_of="R14"),
        spend(16, "2024-03-19", 800, counterparty="中国铁路12306", memo="D2281 一等座"),
        spend(17, "2024-03-20", 1_888, counterparty="某某夜总会"),
    ]


def test_restricted_spending_after_the_order_is_flagged_with_its_rows():
    flags = evaluate(make("2024-06-30", txns=_bills(), records={"court": [ORDER]}))[1]
    assert [(f.code, f.severity) for f in flags] == [("restriction_breach", "high")]
    flag = flags[0]
    assert flag.purpose == "litigation"
    assert cited(flag) == [("record", RECORD_SOURCE, 1)] + [
        ("txn", TXN_SOURCE, r) for r in (4, 5, 7, 9, 10, 16, 17)
    ]
    assert flag.facts["since"] == "2024-03-01"
    assert flag.facts["count"] == 7
    assert flag.facts["total_fen"] == (1_200 + 553 + 2_400 + 3_000 + 12_000 + 800 + 1_888) * 100
    assert [(c["category"], c["count"]) for c in flag.facts["categories"]] == [
        ("flight", 1),
        ("high_speed_rail", 2),
        ("star_hotel", 1),
        ("golf", 1),
        ("nightclub", 1),
        ("luxury", 1),
    ]
    assert flag.facts["orders"][0]["case_no"] == "(2024)沪0115执1234号"
    assert "法释〔2015〕17号" in flag.rule_zh and "G字头" in flag.rule_zh
    assert "art. 114" in flag.rule_en


def test_no_breach_without_an_open_order():
    lifted = dict(ORDER, status="lifted")
    assert evaluate(make("2024-06-30", txns=_bills(), records={"court": [lifted]})) == {1: []}
    suit = dict(ORDER, record_type="suit")
    assert evaluate(make("2024-06-30", txns=_bills(), records={"court": [suit]})) == {1: []}
    assert evaluate(make("2024-06-30", txns=_bills())) == {1: []}


def test_a_dishonest_listing_counts_and_grace_days_move_the_start():
    listed = dict(ORDER, record_type="dishonest", filed_on=ORDER["filed_on"].replace(day=9))
    flag = evaluate(make("2024-06-30", txns=_bills(), records={"court": [listed]}))[1][0]
    assert [e["row"] for e in flag.evidence[1:]] == [7, 9, 10, 16, 17]

    flag = evaluate(
        make("2024-06-30", txns=_bills(), records={"court": [ORDER]}),
        settings=FlagSettings(restriction_grace_days=10),
    )[1][0]
    assert [e["row"] for e in flag.evidence[1:]] == [9, 10, 16, 17]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("去哪儿 | 机票", "flight"),
        ("Air China CA1501", "flight"),
        ("郑州航空港区 | 停车费", None),
        ("中国铁路12306 | G7 二等座", "high_speed_rail"),
        ("12306 | K528 硬座", None),
        ("12306 | D3125 二等座", None),
        ("12306 | C2001 一等座", "high_speed_rail"),
        ("高铁站 | 便利店", None),
        ("某某酒店 | 五星级", "star_hotel"),
        ("汉庭酒店", None),
        ("Marriott Shanghai", "star_hotel"),
        ("一汽-大众高尔夫 | 保养", None),
        ("LV1 会员", None),
        ("山姆会员店 Sam's Club", None),
        ("某旅行社 | 跟团游 日本", "travel"),
    ],
)
def test_lexicon(text, category):
    assert lexicon.classify(text) == category
