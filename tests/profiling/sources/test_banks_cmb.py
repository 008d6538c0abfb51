"""CMB: the year of MM/DD credit-card dates (Dec/Jan rollover) and the PC 专业版 CSV built from the README."""

from __future__ import annotations

from datetime import datetime

import pytest

from qingzhai.profiling.sources.banks import PARSERS
from qingzhai.profiling.sources.banks.cmb import CmbCredit, CmbPc
from qingzhai.profiling.sources.base import ParseContext, UnreadableFile
from qingzhai.profiling.sources.reading import load
from tests.profiling.sources.test_banks_samples import parse

CREDIT_HEADER = "交易日,记账日,交易摘要,人民币金额,卡号末四位,交易地金额"


def credit_file(title: str, *rows: str) -> bytes:
    return "\n".join([title, CREDIT_HEADER, *rows, ""]).encode("utf-8")


def test_sample_year_comes_from_title_with_rollover() -> None:
    result = parse("bank-cmb/deg_credit_example-cmb-records.csv", "bank:cmb-credit")
    assert [t.time for t in result.txns] == [
        datetime(2023, 12, 29),  # 交易日 blank: 记账日 12/29 on the 2024-01 statement
        datetime(2023, 12, 30),
        datetime(2024, 1, 1),
        datetime(2024, 1, 2),  # 交易日 01/02 (记账日 01/03)
        datetime(2024, 1, 3),
        datetime(2024, 1, 5),
    ]
    assert result.meta == {"statement_month": "2024-01"}
    assert [t.nature for t in result.txns] == [
        "credit_repay",
        "credit_repay",
        "credit_repay",
        "spending",
        "refund",
        "spending",
    ]
    assert result.txns[4].memo == "交易地金额 -3.90(CN)"


def test_december_statement_puts_january_dates_in_the_next_year() -> None:
    data = credit_file(
        "招商银行信用卡对账单（个人消费卡账户 2023年12月）",
        "11/20,11/21,京东商城,100.00,1234,100.00",
        "12/31,01/01,财付通还款,-50.00,1234,-50.00",
        "01/02,01/03,美团,20.00,1234,20.00",
    )
    result = CmbCredit().parse(load(data, "cmb.csv"), ParseContext())
    assert result.errors == []
    assert [(t.time, t.side, t.nature) for t in result.txns] == [
        (datetime(2023, 11, 20), "out", "spending"),
        (datetime(2023, 12, 31), "in", "credit_repay"),
        (datetime(2024, 1, 2), "out", "spending"),
    ]


def test_leap_day_and_bad_date_row() -> None:
    data = credit_file(
        "招商银行信用卡对账单（2024年03月）",
        "02/29,03/01,超市,12.00,1234,12.00",
        "13/45,13/46,坏日期,1.00,1234,1.00",
    )
    result = CmbCredit().parse(load(data, "cmb.csv"), ParseContext())
    assert [t.time for t in result.txns] == [datetime(2024, 2, 29)]
    assert result.rows == 2
    [error] = result.errors
    assert (error.row, error.field) == (4, "交易日")
    assert "第 4 行" in error.message_zh and "Row 4" in error.message_en


def test_without_title_a_context_year_is_needed() -> None:
    data = "\n".join([CREDIT_HEADER, "12/30,12/31,超市,12.00,1234,12.00", ""]).encode()
    book = load(data, "cmb.csv")
    with pytest.raises(UnreadableFile) as caught:
        CmbCredit().parse(book, ParseContext())
    assert caught.value.code == "no_year"
    assert "年份" in caught.value.message_zh
    ctx = ParseContext()
    ctx.year = 2022  # type: ignore[attr-defined]  # the fallback year the contract mentions
    assert [t.time for t in CmbCredit().parse(book, ctx).txns] == [datetime(2022, 12, 30)]


# The PC 专业版 export as the README describes it (7 '#' preamble lines, '#' footer lines).
PC_LINES = [
    "# 招商银行交易记录",
    "# 导出时间: [            2026-02-25 20:54:27]",
    "# 账    号: [一卡通:6214********1234   招商银行]",
    "# 币    种: [                         人民币]",
    "# 起始日期: [20260219]   终止日期: [20260225]",
    "# 过滤设置:  无",
    '""',
    "交易日期,交易时间,收入,支出,余额,交易类型,交易备注",
    "20260219,09:15:02,8000.00,,8100.00,代发工资,某某科技有限公司",
    "20260220,12:30:00,,10.00,8090.00,消费,午饭",
    "20260221,08:00:00,,500.00,7590.00,转账汇款,李小明",
    "20260222,10:00:00,,abc,7590.00,消费,坏金额",
    "20260225,20:00:00,,1000.00,6590.00,ATM取款,",
    "# 收入合计: 8000.00",
    "# 支出合计: 1510.00",
    "# end",
]


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-8-sig", "\n"), ("gb18030", "\r\n"), ("utf-8", "\n")],
    ids=["bom", "gbk-crlf", "utf8"],
)
def test_cmb_pc_export(encoding: str, newline: str) -> None:
    book = load(newline.join(PC_LINES).encode(encoding), "CMB_6214.csv")
    assert [p.key for p in PARSERS if p.sniff(book)] == ["bank:cmb-pc"]
    result = CmbPc().parse(book, ParseContext())
    assert result.layout == "cmb-pc-csv"
    assert result.rows == 5  # '#' footers and the '""' line are not rows
    assert [(t.row, t.time, t.amount_fen, t.side, t.nature) for t in result.txns] == [
        (9, datetime(2026, 2, 19, 9, 15, 2), 800000, "in", "income"),
        (10, datetime(2026, 2, 20, 12, 30), 1000, "out", "spending"),
        (11, datetime(2026, 2, 21, 8, 0), 50000, "out", "spending"),
        (13, datetime(2026, 2, 25, 20, 0), 100000, "out", "own_transfer"),
    ]
    [error] = result.errors
    assert (error.row, error.field) == (12, "支出")
    assert result.txns[0].balance_fen == 810000
    assert result.txns[1].account == "1234"
    assert result.meta == {
        "account": "6214********1234",
        "account_label": "一卡通:6214********1234   招商银行",
        "currency": "CNY",
        "period_from": "2026-02-19",
        "period_to": "2026-02-25",
        "exported_at": "2026-02-25 20:54:27",
    }


def test_cmb_pc_transfer_to_the_debtor() -> None:
    book = load("\n".join(PC_LINES).encode("utf-8"), "CMB_6214.csv")
    result = CmbPc().parse(book, ParseContext(owner_names=("李小明",)))
    assert next(t for t in result.txns if t.row == 11).nature == "own_transfer"
