"""Chinese bank samples row by row: natures, dates, amount quirks and preamble meta."""

from __future__ import annotations

from datetime import datetime

from qingzhai.profiling.sources.base import ParseContext, ParseResult, Txn
from tests.profiling.sources.test_banks_samples import parse

ICBC_CREDIT = "bank-icbc/deg_example-icbc-credit-records.csv"
ICBC_V1 = "bank-icbc/deg_example-icbc-debit-v1-records.csv"
ICBC_V2 = "bank-icbc/deg_example-icbc-debit-v2-records.csv"
CCB = "bank-ccb/deg_交易明细_xxxx_2025xxxx_2025xxxx.xls"
CITIC = "bank-citic/deg_credit_example-citic-records.xls"
SPDB = "bank-spdb/deg_example-spdb_debit-records.xls"
ABC = "bank-abc/deg_example-abc_debit-records.csv"
BOC_CREDIT = "bank-boc/deg_credit_example-boc-records.csv"
BOC_DEBIT = "bank-boc/deg_debit_example-boc-records.csv"
BOCOM_CREDIT = "bank-bocom/deg_example-bocom_credit-records.csv"
BOCOM_DEBIT = "bank-bocom/deg_example-bocom_debit-records.csv"
CGB = "bank-cgb/deg_example-cgb_credit-records.csv"
CIB_CNY = "bank-cib/deg-branch_example-cib_debit-cny-records.xlsx"
CMB_DEBIT = "bank-cmb/deg_debit_example-cmb-records.csv"


def row(result: ParseResult, number: int) -> Txn:
    return next(t for t in result.txns if t.row == number)


def natures(result: ParseResult) -> dict[int, str]:
    return {t.row: t.nature for t in result.txns}


def test_icbc_credit_posted_amounts_repayment_and_card() -> None:
    result = parse(ICBC_CREDIT, "bank:icbc-credit")
    repay = row(result, 13)
    assert (repay.side, repay.nature, repay.direction, repay.amount_fen) == (
        "in",
        "credit_repay",
        "neutral",
        462101,
    )
    assert repay.category == "人民币自动转帐还款"
    first = row(result, 8)
    assert (first.time, first.amount_fen, first.side, first.nature) == (
        datetime(2023, 4, 22),
        1,
        "out",
        "spending",
    )
    assert (first.counterparty, first.currency, first.account, first.balance_fen) == (
        "XX旗舰店",
        "CNY",
        "5678",
        -608611,
    )
    assert result.meta == {"account": "1234****5678"}


def test_icbc_debit_natures_placeholders_and_masked_balance() -> None:
    result = parse(ICBC_V1, "bank:icbc-debit")
    assert natures(result) == {
        8: "spending",  # 消费
        9: "credit_repay",  # 自动还款
        10: "income",  # 他行汇入 from 李四
        11: "credit_repay",  # 银联消费 …掌上生活还款
        12: "income",  # 工资
        13: "spending",  # 网转 to 王五
        14: "investment",  # 蚂蚁基金赎回到银行
        15: "spending",  # 跨行汇款 to 张三 (not known as the debtor)
        16: "income",  # 合伙人返现
        17: "spending",  # 消费 财付通-群收款
        18: "refund",  # 退款 财付通-微信红包
    }
    assert all(t.balance_fen is None for t in result.txns)  # xx,yyyy.zz
    assert row(result, 9).amount_fen == 123456  # "1,234.56" with '-' placeholders in 交易金额
    assert result.meta["account"] == "1234****9876"
    assert result.meta["sub_account_kind"] == "活期"


def test_icbc_debit_transfer_to_the_debtor_is_own_transfer() -> None:
    ctx = ParseContext(owner_names=("张三",))
    for name in (ICBC_V1, ICBC_V2):
        result = parse(name, "bank:icbc-debit", ctx)
        assert row(result, 15).nature == "own_transfer"  # 跨行汇款 to 张三
        assert row(result, 15).direction == "neutral"
        assert row(result, 9).nature == "credit_repay"  # a repayment stays a repayment


def test_icbc_v1_and_v2_read_the_same() -> None:
    v1, v2 = parse(ICBC_V1, "bank:icbc-debit"), parse(ICBC_V2, "bank:icbc-debit")
    keys = [(t.row, t.time, t.amount_fen, t.side, t.nature, t.counterparty) for t in v1.txns]
    assert keys == [(t.row, t.time, t.amount_fen, t.side, t.nature, t.counterparty) for t in v2.txns]


def test_ccb_time_columns_meta_and_footer() -> None:
    result = parse(CCB, "bank:ccb-debit")
    first = row(result, 7)
    assert (first.time, first.amount_fen, first.side, first.nature) == (
        datetime(2025, 1, 1, 18, 53, 19),
        6700,
        "out",
        "spending",
    )
    assert (first.counterparty, first.category, first.balance_fen) == ("中***融科技有限公司", "消费", 217691)
    assert result.meta == {
        "account": "xxxxx*********xxxx",
        "branch": "xxx",
        "currency": "CNY",
        "period_from": "2025-01-01",
        "period_to": "2025-06-20",
    }
    assert 13 not in {t.row for t in result.txns}  # 以上数据仅供参考


def test_citic_signed_text_and_card_tail_from_float() -> None:
    result = parse(CITIC, "bank:citic-credit")
    assert {t.account for t in result.txns} == {"6688"}
    cash_back, repay = row(result, 4), row(result, 12)
    assert (cash_back.side, cash_back.nature, cash_back.amount_fen) == ("in", "refund", 20)
    assert (repay.side, repay.nature, repay.amount_fen) == ("in", "credit_repay", 121)
    assert (row(result, 5).side, row(result, 5).nature, row(result, 5).amount_fen) == (
        "out",
        "spending",
        80789,
    )


def test_spdb_two_space_dates_and_period() -> None:
    result = parse(SPDB, "bank:spdb-debit")
    assert row(result, 3).time == datetime(2025, 12, 3, 14, 6, 51)
    assert row(result, 4).side == "in"
    assert set(natures(result).values()) == {"investment"}  # 基金销售有限公司 both ways
    assert result.meta["period_from"] == "2025-12-01"
    assert result.meta["period_to"] == "2025-12-31"
    assert result.meta["account"] == "6200000000001230"


def test_abc_explicit_signs_short_rows_and_empty_times() -> None:
    result = parse(ABC, "bank:abc-debit")
    assert natures(result) == {2: "income", 3: "spending", 4: "credit_repay", 5: "income", 6: "income"}
    assert row(result, 2).time == datetime(2024, 1, 1, 12, 34, 56)
    short = row(result, 4)  # 7 fields: no channel, no memo
    assert (short.time, short.amount_fen, short.side, short.channel, short.memo) == (
        datetime(2024, 1, 3),
        1234589,
        "out",
        "",
        "",
    )
    assert short.ref == "111222333"
    assert (row(result, 6).amount_fen, row(result, 6).side) == (0, "in")  # +0.00 利息税
    assert row(result, 5).counterparty == ""  # '--'


def test_abc_transfer_from_the_debtor_is_own_transfer() -> None:
    result = parse(ABC, "bank:abc-debit", ParseContext(owner_names=("哈哈",)))
    assert row(result, 2).nature == "own_transfer"


def test_boc_credit_columns_and_natures() -> None:
    result = parse(BOC_CREDIT, "bank:boc-credit")
    assert natures(result)[5] == "income"  # 存款利息
    assert natures(result)[6] == "credit_repay"  # 曾三: a person pays the card
    assert {natures(result)[n] for n in (10, 11, 12, 14)} == {"refund"}  # merchant credits
    assert row(result, 16).currency == "USD"
    assert row(result, 5).account == ""
    assert result.meta == {"statement_month": "2025-01"}


def test_boc_debit_placeholders_and_own_transfers() -> None:
    result = parse(BOC_DEBIT, "bank:boc-debit")
    first = row(result, 3)
    assert (first.counterparty, first.memo, first.account, first.balance_fen) == ("张三", "", "3167", 324028)
    assert natures(result)[5] == "refund"  # 网上快捷退款
    assert natures(result)[14] == "income"  # 工资
    assert natures(result)[16] == "own_transfer"  # 支付宝余额提现
    assert natures(result)[19] == "income"  # 银联入账 from 张三, owner unknown
    assert row(result, 10).amount_fen == 260000
    owned = parse(BOC_DEBIT, "bank:boc-debit", ParseContext(owner_names=("张三",)))
    assert {n: natures(owned)[n] for n in (3, 8, 9, 15, 19)} == dict.fromkeys(
        (3, 8, 9, 15, 19), "own_transfer"
    )
    assert natures(owned)[18] == "spending"  # 张林 is someone else


def test_bocom_credit_prefixes_and_currency_prefix_amounts() -> None:
    result = parse(BOCOM_CREDIT, "bank:bocom-credit")
    assert natures(result) == {
        2: "refund",
        3: "refund",
        4: "credit_repay",
        5: "credit_repay",
        6: "spending",
        7: "spending",
        8: "spending",
        9: "spending",
    }
    # CNY13.50 (no space) in the original column reads as the posted CNY 13.50: nothing to show
    assert (row(result, 5).amount_fen, row(result, 5).memo) == (1350, "")
    suica = row(result, 9)
    assert (suica.amount_fen, suica.currency, suica.memo) == (4985, "CNY", "交易金额 JPY 1000.00")


def test_bocom_debit_flag_natures() -> None:
    result = parse(BOCOM_DEBIT, "bank:bocom-debit")
    assert natures(result) == {
        2: "income",
        3: "credit_repay",
        4: "income",
        5: "income",
        6: "spending",
        7: "investment",
    }
    assert row(result, 3).time == datetime(2024, 2, 2, 13, 15, 12)
    owned = parse(BOCOM_DEBIT, "bank:bocom-debit", ParseContext(owner_names=("哈哈",)))
    assert natures(owned)[5] == "own_transfer"
    assert natures(owned)[3] == "credit_repay"


def test_cgb_prefixes_instalment_and_slashed_dates() -> None:
    result = parse(CGB, "bank:cgb-credit")
    assert natures(result) == {2: "spending", 3: "refund", 4: "spending", 5: "credit_repay"}
    instalment = row(result, 4)
    assert (instalment.category, instalment.side, instalment.amount_fen) == ("分期", "out", 38742)
    assert row(result, 5).time == datetime(2024, 12, 25)


def test_cib_holder_from_preamble_makes_own_transfers() -> None:
    result = parse(CIB_CNY, "bank:cib-debit")
    assert result.meta == {
        "holder": "示例用户",
        "account": "CARD-MOCK-001",
        "sub_account": "001 活期储蓄存款 人民币",
        "currency": "CNY",
        "period_from": "2024-01-01",
        "period_to": "2024-12-31",
    }
    assert natures(result) == {
        12: "own_transfer",  # 汇款汇入 from the holder
        13: "spending",
        14: "income",  # 存款利息
        15: "own_transfer",  # 购汇
        16: "own_transfer",
        17: "own_transfer",
        18: "own_transfer",
    }
    assert 19 not in {t.row for t in result.txns}  # 说明 footer


def test_cmb_debit_counterparty_split_and_cash_withdrawal() -> None:
    result = parse(CMB_DEBIT, "bank:cmb-debit")
    assert natures(result) == {2: "income", 3: "spending", 4: "spending", 5: "own_transfer", 6: "spending"}
    assert row(result, 3).counterparty == "张三"
    assert row(result, 2).counterparty == "北京住房公积金管理中心"
    assert row(result, 2).balance_fen == 127166
    owned = parse(CMB_DEBIT, "bank:cmb-debit", ParseContext(owner_names=("张三",)))
    assert natures(owned)[3] == "own_transfer"


def test_own_account_tail_makes_own_transfer() -> None:
    result = parse(BOC_DEBIT, "bank:boc-debit", ParseContext(own_accounts=("4664",)))
    assert natures(result)[8] == "own_transfer"  # 对方卡号 6222******4664
    assert natures(result)[9] == "spending"
