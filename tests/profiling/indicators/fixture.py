"""A small hand-written portfolio for the indicator tests. Every row is literal; row labels (T1, S1, R1,
N1, PM1 ...) are the names the expected-value tables refer to.

As of 2025-06-15. Month numbers m0..m36 count calendar months back from the as-of month:
m0 = 2025-06, m1 = 2025-05, m2 = 2025-04, m3 = 2025-03, m4 = 2025-02, m5 = 2025-01, m6 = 2024-12,
m7 = 2024-11, m8 = 2024-10, m9 = 2024-09, m10 = 2024-08, m11 = 2024-07, m12 = 2024-06, m21 = 2023-09,
m22 = 2023-08, m25 = 2023-05, m27 = 2023-03, m29 = 2023-01, m33 = 2022-09, m36 = 2022-06.
Windows: 3m = m0..m2, 6m = m0..m5, 12m = m0..m11, 24m = m0..m23, 36m = m0..m35.

Debtor 1 (李小明) has every source and every purpose. Money below is in fen; "1,000,000" fen = 10,000 yuan.
"""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from qingzhai.profiling.frames import (
    ACTIVITIES,
    CONTACTS,
    DEBTORS,
    DEBTS,
    DISPUTES,
    PAYMENTS,
    PROMISES,
    TXNS,
    Frames,
    record_schema,
)
from qingzhai.profiling.purposes import PURPOSES

AS_OF = date(2025, 6, 15)
ALL_PURPOSES = frozenset(PURPOSES)
ALL_SOURCES = frozenset(
    {"txns", "business", "property", "vehicle", "marriage", "court", "contribution", "declared_income"}
)
D1 = 1
CO = "上海某某科技有限公司"  # D1's employer
QS = "青松贸易有限公司"  # D1's own company (business records)
YS = "远山实业有限公司"  # another company of D1's


def frame(schema: dict, rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema, orient="row")


def dt(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm)


TXN_COLS = ("label", "source", "time", "amount_fen", "currency", "direction", "nature", "counterparty",
            "category", "channel", "memo", "ref", "refund_of", "refunded_fen")  # fmt: skip
BANK, ALI, WX = "bank:icbc-debit", "alipay", "wechat"
IN, OUT, NEU = "in", "out", "neutral"
# fmt: off
D1_TXNS = [
    # income (direction in)
    ("T1", BANK, dt(2025, 6, 10, 9), 1_000_000, "CNY", IN, "income", CO, "工资", "", "代发工资", "", "", 0),  # m0
    ("T2", BANK, dt(2025, 5, 10, 9), 1_000_000, "CNY", IN, "income", CO, "工资", "", "", "", "", 0),  # m1
    ("T3", BANK, dt(2025, 4, 10, 9), 1_000_000, "CNY", IN, "income", CO, "工资", "", "", "", "", 0),  # m2
    ("T4", BANK, dt(2025, 2, 10, 9), 1_000_000, "CNY", IN, "income", CO, "工资", "", "", "", "", 0),  # m4
    ("T5", BANK, dt(2024, 12, 20, 15), 6_000_000, "CNY", IN, "income", "王五", "转账", "", "借款归还", "", "", 0),  # m6
    ("T6", BANK, dt(2024, 8, 15), 800_000, "CNY", IN, "income", QS, "转账", "", "分红", "", "", 0),  # m10
    ("T12", BANK, dt(2023, 9, 10, 9), 900_000, "CNY", IN, "income", CO, "工资", "", "", "", "", 0),  # m21
    ("T7", BANK, dt(2023, 3, 1), 500_000, "CNY", IN, "income", "李四", "转账", "", "", "", "", 0),  # m27
    ("T8", BANK, dt(2022, 6, 30), 9_900_000, "CNY", IN, "income", "王五", "转账", "", "", "", "", 0),  # m36
    ("T9", BANK, dt(2025, 6, 20), 5_000_000, "CNY", IN, "income", "王五", "转账", "", "", "", "", 0),  # after as_of
    ("T10", ALI, dt(2025, 3, 5), 100_000, "USD", IN, "income", "Upwork", "", "", "", "", "", 0),  # m3, USD
    # spending (direction out)
    ("S1", ALI, dt(2025, 6, 12, 23, 30), 300_000, "CNY", OUT, "spending", "周大福珠宝", "服饰装扮", "花呗", "", "A1", "", 0),
    ("S2", ALI, dt(2025, 6, 15, 21), 100_000, "CNY", OUT, "spending", "携程旅行网", "酒店旅游", "招商银行(1234)", "机票", "A2", "", 0),
    ("S17", ALI, dt(2025, 6, 14), 70_000, "CNY", OUT, "spending", "盒马鲜生", "日用百货", "余额", "", "A17", "", 0),
    ("S3", WX, dt(2025, 5, 20, 22, 30), 50_000, "CNY", OUT, "spending", "星光KTV", "休闲娱乐", "零钱", "", "W3", "", 0),
    ("S16", ALI, dt(2025, 5, 1), 80_000, "CNY", OUT, "spending", "盒马鲜生", "日用百货", "余额", "", "A16", "", 0),
    ("S4", ALI, dt(2025, 4, 2, 12), 200_000, "CNY", OUT, "spending", "盒马鲜生", "日用百货", "余额", "", "A4", "", 50_000),
    ("S5", ALI, dt(2025, 3, 15, 12), 2_000_000, "CNY", OUT, "spending", "劳力士专卖店", "服饰装扮", "信用卡(9012)", "", "A5", "", 0),
    ("S15", ALI, dt(2025, 2, 14, 20), 10_000, "USD", OUT, "spending", "Duty Free", "", "信用卡(9012)", "", "A15", "", 0),
    ("S6", ALI, dt(2025, 1, 8), 30_000, "CNY", OUT, "spending", "体彩中心", "", "余额", "彩票", "A6", "", 0),
    ("S7", ALI, dt(2024, 12, 1), 4_000_000, "CNY", OUT, "spending", "王小红", "转账", "余额", "", "A7", "", 0),
    ("S8", WX, dt(2024, 11, 11, 1, 30), 500_000, "CNY", OUT, "spending", "*小红", "转账", "零钱", "", "W8", "", 0),
    ("S9", ALI, dt(2024, 10, 1), 600_000, "CNY", OUT, "spending", QS, "转账", "余额", "", "A9", "", 0),
    ("S10", ALI, dt(2024, 7, 5), 120_000, "CNY", OUT, "spending", "美团外卖", "餐饮美食", "美团月付", "", "A10", "", 0),
    ("S11", ALI, dt(2024, 6, 30), 250_000, "CNY", OUT, "spending", "飞猪旅行", "", "余额", "", "A11", "", 0),  # m12
    ("S12", ALI, dt(2023, 8, 8), 1_500_000, "CNY", OUT, "spending", "路易威登", "服饰装扮", "花呗", "", "A12", "", 0),  # m22
    ("S18", ALI, dt(2023, 5, 5), 1_000_000, "CNY", OUT, "spending", YS, "转账", "余额", "", "A18", "", 0),  # m25
    ("S13", ALI, dt(2022, 9, 9), 800_000, "CNY", OUT, "spending", "王小红", "转账", "余额", "", "A13", "", 0),  # m33
    ("S14", ALI, dt(2025, 6, 16), 999_900, "CNY", OUT, "spending", "周大福珠宝", "", "花呗", "", "A14", "", 0),  # after
    # refunds (neutral): R1 takes 40,000 off S2; R2 all of S16; R3 comes after as_of; R4 names no purchase
    ("R1", ALI, dt(2025, 6, 15, 22), 40_000, "CNY", NEU, "refund", "携程旅行网", "退款", "", "", "A2r", "A2", 0),
    ("R2", ALI, dt(2025, 5, 3), 80_000, "CNY", NEU, "refund", "盒马鲜生", "退款", "", "", "A16r", "A16", 0),
    ("R3", ALI, dt(2025, 6, 18), 70_000, "CNY", NEU, "refund", "盒马鲜生", "退款", "", "", "A17r", "A17", 0),
    ("R4", ALI, dt(2025, 4, 20), 99_900, "CNY", NEU, "refund", "某商户", "退款", "", "", "ZZr", "ZZZ", 0),
    # other neutral rows
    ("N1", ALI, dt(2025, 5, 25), 500_000, "CNY", NEU, "own_transfer", "李小明", "提现", "", "余额提现", "", "", 0),
    ("N2", BANK, dt(2025, 4, 25), 200_000, "CNY", NEU, "own_transfer", "", "", "", "ATM取现", "", "", 0),
    ("N3", ALI, dt(2025, 6, 5), 300_000, "CNY", NEU, "credit_repay", "花呗", "信用借还", "", "花呗还款", "", "", 0),
    ("N4", BANK, dt(2025, 3, 10), 200_000, "CNY", NEU, "credit_repay", "招商银行信用卡中心", "", "", "", "", "", 0),
    ("N5", ALI, dt(2024, 9, 10), 100_000, "CNY", NEU, "credit_repay", "花呗", "信用借还", "", "", "", "", 0),
    ("N6", ALI, dt(2025, 5, 15), 1_000_000, "CNY", NEU, "credit_draw", "蚂蚁借呗", "信用借还", "", "", "", "", 0),
    ("N7", WX, dt(2023, 1, 15), 2_000_000, "CNY", NEU, "credit_draw", "微粒贷", "", "", "", "", "", 0),  # m29
    ("N8", ALI, dt(2025, 2, 20), 300_000, "CNY", NEU, "investment", "余额宝", "投资理财", "", "", "", "", 0),
    ("N9", ALI, dt(2024, 10, 20), 200_000, "CNY", NEU, "investment", "余额宝", "投资理财", "", "", "", "", 0),
    ("N10", ALI, dt(2025, 4, 28), 60_000, "CNY", NEU, "failed", "京东商城", "", "花呗", "", "", "", 0),
    ("N11", ALI, dt(2025, 1, 20), 30_000, "CNY", NEU, "closed", "淘宝", "", "", "", "", "", 0),
]
# fmt: on


def txn_rows(debtor_id: int, rows: list[tuple]) -> list[dict]:
    out = []
    for i, r in enumerate(rows, 1):
        d = dict(zip(TXN_COLS, r, strict=True))
        d.pop("label")
        out.append({**d, "debtor_id": debtor_id, "source_id": 1, "row": i, "status": "交易成功"})
    return out


def rec(kind: str, debtor_id: int, rows: list[dict]) -> list[dict]:
    return [
        {**r, "debtor_id": debtor_id, "source_id": r.get("source_id", 1), "row": r.get("row", i)}
        for i, r in enumerate(rows, 1)
    ]


P = [
    "property_id",
    "owner",
    "owner_relation",
    "event",
    "event_date",
    "reference_value_fen",
    "mortgage_fen",
    "transferee",
    "transferee_relation",
    "price_fen",
]
D1_PROPERTY = [dict(zip(P, r, strict=True)) for r in (
    ("P1", "李小明", "self", "holding", date(2019, 5, 1), 300_000_000, None, None, None, None),
    ("P1", "李小明", "self", "mortgage", date(2020, 1, 10), None, 100_000_000, None, None, None),
    ("P2", "李小明", "self", "acquisition", date(2023, 2, 1), 200_000_000, None, None, None, None),  # m28
    ("P2", "李小明", "self", "transfer", date(2024, 10, 15), 220_000_000, None, "王小红", "ex_spouse", 50_000_000),  # m8
    ("P3", "王小红", "spouse", "holding", date(2018, 1, 1), 150_000_000, None, None, None, None),
    ("P4", "李小明", "self", "acquisition", date(2022, 8, 1), 80_000_000, None, None, None, None),  # m34
    ("P4", "李小明", "self", "seizure", date(2025, 1, 10), None, None, None, None, None),
    ("P5", "李小明", "self", "holding", date(2020, 1, 1), 60_000_000, None, None, None, None),
    ("P5", "李小明", "self", "transfer", date(2025, 7, 1), 60_000_000, None, "张三", "stranger", 60_000_000),  # after
    ("P6", QS, "company", "holding", date(2021, 1, 1), 90_000_000, None, None, None, None),
    ("P7", "李小明", "self", "acquisition", date(2021, 3, 1), 40_000_000, None, None, None, None),
    ("P7", "李小明", "self", "transfer", date(2022, 9, 1), 40_000_000, None, "张三", "stranger", 40_000_000),  # m33
    ("P8", "李父", "relative", "holding", date(2010, 1, 1), 50_000_000, None, None, None, None),
)]  # fmt: skip
V = [
    "plate",
    "owner",
    "owner_relation",
    "event",
    "event_date",
    "reference_value_fen",
    "transferee",
    "transferee_relation",
    "price_fen",
]
D1_VEHICLE = [dict(zip(V, r, strict=True)) for r in (
    ("沪A12345", "李小明", "self", "holding", date(2021, 5, 1), 30_000_000, None, None, None),
    ("沪B67890", "李小明", "self", "acquisition", date(2024, 3, 1), 50_000_000, None, None, None),  # m15
    ("沪B67890", "李小明", "self", "mortgage", date(2024, 3, 5), None, None, None, None),
    ("沪C11111", "李小明", "self", "holding", date(2020, 1, 1), 10_000_000, None, None, None),
    ("沪C11111", "李小明", "self", "transfer", date(2025, 3, 1), 10_000_000, "李父", "relative", 1_000_000),  # m3
    ("苏E22222", "王小红", "spouse", "holding", date(2022, 1, 1), 20_000_000, None, None, None),
    ("沪D33333", "李小明", "self", "holding", date(2019, 1, 1), 8_000_000, None, None, None),
    ("沪D33333", "李小明", "self", "seizure", date(2025, 5, 1), None, None, None, None),
)]  # fmt: skip
B = [
    "company",
    "status",
    "registered_capital_fen",
    "paid_in_capital_fen",
    "established_on",
    "role",
    "stake_pct",
    "change_type",
    "change_date",
    "as_of",
]
D1_BUSINESS = [dict(zip(B, r, strict=True)) for r in (
    ("青松贸易有限公司", "active", 100_000_000, 20_000_000, date(2020, 4, 1), "legal_representative", 60.0, None, None, date(2024, 1, 1)),  # B1
    ("青松贸易有限公司", "active", None, None, None, "legal_representative", 60.0, "shareholder", date(2024, 11, 20), date(2024, 11, 20)),  # B2 m7
    ("远山实业有限公司", "revoked", None, None, None, "shareholder", 10.0, "status", date(2022, 12, 1), date(2022, 12, 1)),  # B8 m30
    ("远山实业有限公司", "revoked", 50_000_000, 50_000_000, date(2015, 6, 1), "shareholder", 10.0, None, None, date(2023, 6, 1)),  # B3
    ("星河餐饮管理有限公司", "active", 30_000_000, 0, date(2023, 12, 1), "director", None, None, None, date(2024, 2, 1)),  # B4
    ("星河餐饮管理有限公司", "active", None, None, None, "director", None, "legal_representative", date(2025, 5, 10), date(2025, 5, 10)),  # B5 m1
    ("旧城建材有限公司", "cancelled", 10_000_000, None, date(2010, 1, 1), "shareholder", 50.0, None, None, date(2021, 1, 1)),  # B6
    ("青松贸易有限公司", "active", 200_000_000, None, None, "legal_representative", 60.0, "capital", date(2025, 7, 1), date(2025, 7, 1)),  # B7 after
)]  # fmt: skip
C = [
    "record_type",
    "case_no",
    "court",
    "role",
    "amount_fen",
    "filed_on",
    "status",
    "closed_on",
    "outstanding_fen",
    "source_id",
    "row",
]
D1_COURT = [dict(zip(C, r, strict=True)) for r in (
    ("suit", "(2024)沪0115民初1001号", "浦东法院", "defendant", 3_000_000, date(2024, 3, 1), "open", None, None, 1, 1),  # C1 old listing
    ("suit", "(2024)沪0115民初1001号", "浦东法院", "defendant", 3_000_000, date(2024, 3, 1), "closed", date(2024, 9, 1), None, 2, 1),  # C1 m15
    ("suit", "(2025)沪0101民初2002号", "黄浦法院", "defendant", 1_500_000, date(2025, 4, 1), "open", None, None, 2, 2),  # C2 m2
    ("enforcement", "(2024)沪0115执3003号", "浦东法院", "respondent", 3_000_000, date(2024, 10, 1), "terminated", date(2025, 2, 1), 2_500_000, 2, 3),  # C3 m8
    ("enforcement", "(2025)沪0101执4004号", "黄浦法院", "respondent", 1_000_000, date(2025, 5, 1), "closed", date(2025, 6, 20), 400_000, 2, 4),  # C4 m1
    ("dishonest", "(2024)沪0115执3003号", "浦东法院", "respondent", None, date(2025, 2, 1), "open", None, None, 2, 5),  # C5
    ("consumption_restriction", "(2024)沪0115执3003号", "浦东法院", "respondent", None, date(2024, 11, 1), "lifted", date(2025, 3, 1), None, 2, 6),  # C6
    ("judgment", "(2024)沪0115民初1001号", "浦东法院", "defendant", 3_200_000, date(2024, 3, 1), "closed", None, None, 2, 7),  # C7
    ("suit", "(2023)苏0505民初5005号", "苏州虎丘法院", "plaintiff", 800_000, date(2023, 6, 1), "open", None, None, 2, 8),  # C8 m24
    ("enforcement", "(2024)苏0505执6006号", "苏州虎丘法院", "applicant", 700_000, date(2024, 6, 10), "open", None, None, 2, 9),  # C9 m12
    ("suit", "(2025)沪0101民初7007号", "黄浦法院", "defendant", 9_000_000, date(2025, 7, 1), "open", None, None, 2, 10),  # C11 after
)]  # fmt: skip
D1_MARRIAGE = [
    {"event": "marriage", "event_date": date(2015, 5, 20), "spouse": "王小红"},  # M1
    {
        "event": "divorce",
        "event_date": date(2024, 9, 20),
        "spouse": "王小红",
        "agreement_note": "房产归女方",
    },  # M2 m9
    {"event": "marriage", "event_date": date(2025, 3, 1), "spouse": "赵丽"},  # M3 m3
]
K = ["scheme", "period", "employer", "base_fen", "amount_fen", "status"]
D1_CONTRIBUTION = [dict(zip(K, r, strict=True)) for r in (
    ("social_insurance", "2025-05", CO, 800_000, 80_000, "paid"),  # m1
    ("social_insurance", "2025-04", CO, 800_000, 80_000, "paid"),  # m2
    ("housing_fund", "2025-04", CO, 800_000, 56_000, "paid"),  # m2
    ("social_insurance", "2025-03", CO, 700_000, 70_000, "arrears"),  # m3
    ("social_insurance", "2024-12", YS, 600_000, 60_000, "paid"),  # m6
    ("tax", "2024-05", YS, 600_000, 20_000, "paid"),  # m13
    ("social_insurance", "2023-01", YS, 500_000, 50_000, "paid"),  # m29
    ("social_insurance", "2022-05", "旧单位", 400_000, 40_000, "paid"),  # m37
    ("social_insurance", "2025-07", CO, 900_000, 90_000, "paid"),  # after as_of
)]  # fmt: skip
D1_DECLARED = [
    {
        "declared_on": date(2023, 1, 5),
        "monthly_income_fen": 800_000,
        "source": "loan_application",
        "dependants": 1,
    },
    {
        "declared_on": date(2024, 11, 1),
        "monthly_income_fen": 500_000,
        "source": "court_declaration",
        "dependants": 2,
    },
    {
        "declared_on": date(2025, 7, 1),
        "monthly_income_fen": 5_000_000,
        "source": "interview",
        "dependants": 0,
    },
]
DEBTOR_D1 = {
    "debtor_id": D1, "kind": "person", "name": "李小明", "has_id_number": True, "has_home_address": True,
    "has_work_address": False, "employer": CO, "created_on": date(2024, 6, 15), "age": 38, "bankrupt": False,
    "deceased": False, "hardship": True, "lawyer_represented": False, "unreachable": False,
}  # fmt: skip
DB = [
    "debt_id",
    "original_principal_fen",
    "principal_fen",
    "outstanding_fen",
    "contract_date",
    "dpd",
    "status",
    "product",
]
D1_DEBTS = [dict(zip(DB, r, strict=True)) for r in (
    (101, 5_000_000, 3_000_000, 3_600_000, date(2022, 3, 1), 836, "open", "消费贷"),
    (102, 1_000_000, 800_000, 900_000, date(2024, 1, 15), 60, "open", "信用卡"),
    (103, 2_000_000, 0, 0, date(2021, 6, 1), 0, "settled", "消费贷"),  # earliest contract: m48
    (104, 500_000, 500_000, 700_000, date(2023, 5, 1), 400, "written_off", "车贷"),
    (105, 9_999_900, 9_999_900, 9_999_900, date(2025, 7, 1), 0, "open", "消费贷"),  # contract after as_of
)]  # fmt: skip
D1_PAYMENTS = [
    {"paid_on": date(2025, 6, 10), "amount_fen": 200_000, "reversed": False},  # PM1 m0
    {"paid_on": date(2025, 5, 5), "amount_fen": 100_000, "reversed": False},  # PM2 m1
    {"paid_on": date(2025, 5, 20), "amount_fen": 50_000, "reversed": True},  # PM3 m1, reversed
    {"paid_on": date(2025, 2, 10), "amount_fen": 150_000, "reversed": False},  # PM4 m4
    {"paid_on": date(2024, 10, 10), "amount_fen": 300_000, "reversed": False},  # PM5 m8
    {"paid_on": date(2023, 12, 1), "amount_fen": 400_000, "reversed": False},  # PM6 m18
    {"paid_on": date(2025, 6, 30), "amount_fen": 500_000, "reversed": False},  # PM7 after as_of
]
PR = ["created_on", "due_date", "amount_fen", "paid_fen", "status"]
D1_PROMISES = [dict(zip(PR, r, strict=True)) for r in (
    (date(2024, 8, 1), date(2024, 8, 15), 100_000, 100_000, "kept"),  # PR1 m10
    (date(2024, 11, 1), date(2024, 11, 15), 200_000, 50_000, "broken"),  # PR2 m7
    (date(2025, 2, 1), date(2025, 2, 15), 100_000, 0, "broken"),  # PR3 m4
    (date(2025, 5, 1), date(2025, 5, 10), 150_000, 0, "open"),  # PR4 m1, lapsed
    (date(2025, 6, 10), date(2025, 6, 30), 200_000, 0, "open"),  # PR5 m0, due after as_of
    (date(2025, 3, 1), date(2025, 3, 15), 50_000, 0, "cancelled"),  # PR6 m3
    (date(2023, 5, 1), date(2023, 5, 15), 300_000, 300_000, "kept"),  # PR7 m25
    (date(2025, 6, 20), date(2025, 7, 1), 100_000, 0, "open"),  # PR8 after as_of
)]  # fmt: skip
AC = ["occurred_at", "kind", "party", "outcome"]
D1_ACTIVITIES = [dict(zip(AC, r, strict=True)) for r in (
    (dt(2025, 6, 14), "call", "debtor", "connected"),  # A1 m0 RPC
    (dt(2025, 6, 15, 8), "call", "debtor", "no_answer"),  # A2 m0, on the as-of day
    (dt(2025, 6, 8), "bot_call", "debtor", "promise"),  # A3 m0 RPC
    (dt(2025, 5, 4), "call", "debtor", "refused"),  # A4 m1 RPC
    (dt(2025, 5, 1), "sms", "debtor", "delivered"),  # A5 m1
    (dt(2025, 4, 15), "call", "emergency", "connected"),  # A6 m2 (not the debtor)
    (dt(2025, 3, 20), "call", "debtor", "wrong_number"),  # A7 m3
    (dt(2025, 1, 28), "visit", "debtor", "dispute"),  # A8 m5 RPC
    (dt(2024, 10, 5), "letter", "debtor", "sent"),  # A9 m8
    (dt(2024, 10, 8), "call", "debtor", "paid"),  # A10 m8 RPC
    (dt(2024, 9, 1), "call", "third_party", "no_answer"),  # A11 m9
    (dt(2024, 6, 1), "call", "debtor", "connected"),  # A12 m12 RPC, outside 12m
    (dt(2025, 6, 10, 9), "note", "none", "none"),  # A13 m0, a note: not an attempt
    (dt(2025, 6, 20), "call", "debtor", "connected"),  # A14 after as_of
)]  # fmt: skip
CT = ["party", "relation", "status", "consent", "is_primary"]
D1_CONTACTS = [dict(zip(CT, r, strict=True)) for r in (
    ("debtor", "self", "valid", None, True),  # K1
    ("debtor", "self", "wrong_number", None, False),  # K2
    ("debtor", "self", "valid", None, False),  # K3
    ("emergency", "mother", "valid", True, False),  # K4
    ("emergency", "friend", "refused", False, False),  # K5
    ("emergency", "colleague", "valid", False, False),  # K6
)]  # fmt: skip
D1_DISPUTES = [
    {"opened_on": date(2025, 1, 28), "resolved_on": date(2025, 3, 1)},  # DS1 m5
    {"opened_on": date(2025, 5, 4), "resolved_on": None},  # DS2 m1
    {"opened_on": date(2023, 1, 1), "resolved_on": date(2025, 7, 1)},  # DS3: resolved after as_of
    {"opened_on": date(2025, 6, 20), "resolved_on": None},  # DS4 after as_of
]


def person(debtor_id: int, name: str, **extra: object) -> dict:
    return {"debtor_id": debtor_id, "kind": "person", "name": name, "created_on": date(2025, 1, 1), **extra}


def with_id(debtor_id: int, rows: list[dict]) -> list[dict]:
    return [{**r, "debtor_id": debtor_id} for r in rows]


def d1_parts() -> dict:
    """Debtor 1's rows, by frame name (records under their kind)."""
    return {
        "debtors": [DEBTOR_D1],
        "txns": txn_rows(D1, D1_TXNS),
        "debts": with_id(D1, D1_DEBTS),
        "payments": with_id(D1, D1_PAYMENTS),
        "promises": with_id(D1, D1_PROMISES),
        "activities": with_id(D1, D1_ACTIVITIES),
        "contacts": with_id(D1, D1_CONTACTS),
        "disputes": with_id(D1, D1_DISPUTES),
        "property": rec("property", D1, D1_PROPERTY),
        "vehicle": rec("vehicle", D1, D1_VEHICLE),
        "business": rec("business", D1, D1_BUSINESS),
        "court": rec("court", D1, D1_COURT),
        "marriage": rec("marriage", D1, D1_MARRIAGE),
        "contribution": rec("contribution", D1, D1_CONTRIBUTION),
        "declared_income": rec("declared_income", D1, D1_DECLARED),
    }


CASE_SCHEMAS = {
    "debtors": DEBTORS, "txns": TXNS, "debts": DEBTS, "payments": PAYMENTS, "promises": PROMISES,
    "activities": ACTIVITIES, "contacts": CONTACTS, "disputes": DISPUTES,
}  # fmt: skip
RECORD_KINDS = ("property", "vehicle", "business", "court", "marriage", "contribution", "declared_income")


def build(
    parts: list[dict],
    purposes: dict[int, frozenset[str]],
    sources_seen: dict[int, frozenset[str]],
    as_of: date = AS_OF,
) -> Frames:
    """Frames from several debtors' parts (dicts as d1_parts returns; missing keys mean no rows)."""
    merged: dict[str, list[dict]] = {}
    for part in parts:
        for key, rows in part.items():
            merged.setdefault(key, []).extend(rows)
    case = {k: frame(s, merged.get(k, [])) for k, s in CASE_SCHEMAS.items()}
    records = {k: frame(record_schema(k), merged.get(k, [])) for k in RECORD_KINDS}
    return Frames(as_of=as_of, records=records, purposes=purposes, sources_seen=sources_seen, **case)


def d1_frames() -> Frames:
    return build([d1_parts()], {D1: ALL_PURPOSES}, {D1: ALL_SOURCES})
