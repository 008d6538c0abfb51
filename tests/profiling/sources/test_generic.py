"""The generic bank parser: a column mapping (YAML or JSON) read against CSV and XLSX files."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from qingzhai.profiling.sources.banks.generic import (
    ColumnMapping,
    GenericBank,
    MappingError,
    load_mapping,
    parse_with_mapping,
)
from qingzhai.profiling.sources.base import ParseContext, UnreadableFile
from qingzhai.profiling.sources.reading import load

LOCAL = Path(__file__).resolve().parents[3] / "tests" / "data" / "profiling" / "formats"

STATEMENT = """某银行账户明细
户名,李小明
交易日期,交易时间,收入,支出,余额,对方户名,摘要,附言,流水号,备用
2024-03-01,09:00:00,5000.00,,5100.00,某某科技有限公司,工资,三月,A001,
2024-03-02,12:30:00,,35.50,5064.50,美团,消费,,A002,
2024-03-03,08:00:00,,1000.00,4064.50,李*明,转账,,A003,
2024-03-04,10:00:00,,-35.50,4100.00,美团,冲正,,A004,
2024-03-05,10:00:00,,12.3.4,4100.00,美团,消费,,A005,
合计,,5000.00,1035.50,,,,,,
"""
YAML_MAPPING = """
time: [交易日期, 交易时间]
time_format: "%Y-%m-%d %H:%M:%S"
amount: {in: 收入, out: 支出}
counterparty: 对方户名
category: 摘要
memo: [附言]
balance: 余额
ref: 流水号
"""


def statement(text: str = STATEMENT, encoding: str = "utf-8"):
    return load(text.encode(encoding), "bank.csv")


def test_yaml_mapping_two_columns_reversal_and_bad_amount() -> None:
    result = parse_with_mapping(statement(), YAML_MAPPING, ParseContext(owner_names=("李小明",)))
    assert (result.source, result.layout, result.rows) == ("bank:generic", "generic", 5)  # 合计 is a footer
    assert [(t.row, t.time, t.amount_fen, t.side, t.nature) for t in result.txns] == [
        (4, datetime(2024, 3, 1, 9), 500000, "in", "income"),
        (5, datetime(2024, 3, 2, 12, 30), 3550, "out", "spending"),
        (6, datetime(2024, 3, 3, 8), 100000, "out", "own_transfer"),  # 李*明 is the debtor
        (7, datetime(2024, 3, 4, 10), 3550, "in", "refund"),  # negative 支出: a reversal
    ]
    first = result.txns[0]
    assert (first.counterparty, first.category, first.memo, first.ref, first.balance_fen, first.currency) == (
        "某某科技有限公司",
        "工资",
        "三月",
        "A001",
        510000,
        "CNY",
    )
    assert result.meta["reversals"] == [7]
    [error] = result.errors
    assert (error.row, error.field) == (8, "支出")
    assert "第 8 行" in error.message_zh and "Row 8" in error.message_en


def test_json_mapping_single_signed_column_credit_card() -> None:
    data = (
        "交易日,描述,金额\n2024/01/05,超市,88.00\n2024/01/20,信用卡还款,-88.00\n2024/01/21,退货 超市,-8.00\n"
    )
    mapping = '{"time": "交易日", "time_format": "%Y/%m/%d", "amount": "金额", "kind": "credit", "counterparty": "描述"}'
    result = GenericBank(mapping).parse(load(data.encode(), "card.csv"), ParseContext())
    assert [(t.side, t.nature, t.amount_fen) for t in result.txns] == [
        ("out", "spending", 8800),
        ("in", "credit_repay", 8800),
        ("in", "refund", 800),
    ]


def test_direction_column_and_unknown_value() -> None:
    data = "日期,借贷,金额,摘要\n20240101,贷,10.00,利息\n20240102,借,5.00,消费\n20240103,？,1.00,消费\n"
    mapping = {"time": "日期", "amount": "金额", "direction": {"column": "借贷", "in": ["贷"], "out": ["借"]}}
    result = GenericBank().with_mapping(mapping).parse(load(data.encode(), "x.csv"), ParseContext())
    assert [(t.row, t.side, t.amount_fen) for t in result.txns] == [(2, "in", 1000), (3, "out", 500)]
    assert [(e.row, e.field) for e in result.errors] == [(4, "借贷")]


def test_xlsx_with_datetime_and_numeric_cells() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Account statement"])
    ws.append(["When", "Amount", "Currency", "Payee"])
    ws.append([datetime(2024, 5, 1, 8, 30), -12.5, "HKD", "Cafe"])
    ws.append([datetime(2024, 5, 2), 100, "港币", "Employer Ltd"])
    buffer = io.BytesIO()
    wb.save(buffer)
    mapping = {"time": "When", "amount": "Amount", "currency": "Currency", "counterparty": "Payee"}
    result = parse_with_mapping(load(buffer.getvalue(), "s.xlsx"), mapping, ParseContext())
    assert [(t.row, t.time, t.amount_fen, t.side, t.currency) for t in result.txns] == [
        (3, datetime(2024, 5, 1, 8, 30), 1250, "out", "HKD"),
        (4, datetime(2024, 5, 2), 10000, "in", "HKD"),
    ]


def test_tab_separated_csv_is_resplit() -> None:
    data = "日期\t金额\t对方\n2024-01-01\t-3.50\t便利店\n2024-01-02\t1,200.00\t公司\n"
    result = parse_with_mapping(
        load(data.encode("gb18030"), "t.csv"), {"time": "日期", "amount": "金额"}, ParseContext()
    )
    assert [(t.amount_fen, t.side) for t in result.txns] == [(350, "out"), (120000, "in")]


def test_a_real_sample_through_a_mapping_matches_the_readme() -> None:
    book = load((LOCAL / "bank-bocom/deg_example-bocom_debit-records.csv").read_bytes(), "bocom.csv")
    mapping = {
        "time": ["交易日期", "交易时间"],
        "amount": "交易金额",
        "direction": {"column": "借贷", "in": ["贷 Cr"], "out": ["借 Dr"]},
        "counterparty": "对方户名",
        "category": "交易类型",
        "memo": "摘要",
    }
    result = parse_with_mapping(book, mapping, ParseContext())
    sums: dict[str, tuple[int, int]] = {}
    for t in result.txns:
        count, total = sums.get(t.side, (0, 0))
        sums[t.side] = (count + 1, total + t.amount_fen)
    assert sums == {"in": (3, 1125), "out": (3, 11400)}  # README: 借 3 / 114.00; 贷 3 / 11.25
    assert result.meta["mapping"]["columns"][:2] == ["交易日期", "交易时间"]


def test_generic_is_never_sniffed_and_needs_a_mapping() -> None:
    parser = GenericBank()
    assert parser.key == "bank:generic"
    assert parser.sniff(statement()) is False
    with pytest.raises(MappingError) as caught:
        parser.parse(statement(), ParseContext())
    assert isinstance(caught.value, UnreadableFile)
    assert caught.value.code == "bad_mapping"
    assert "列映射" in caught.value.message_zh and "column mapping" in caught.value.message_en


@pytest.mark.parametrize(
    ("mapping", "zh", "en"),
    [
        ("- time\n- amount\n", "必须是一个对象", "must be an object"),
        ("time: [\n", "不是有效的 YAML 或 JSON", "not valid YAML or JSON"),
        ({"amount": "金额"}, "缺少“time”", "'time' (the time column) is missing"),
        ({"time": "日期"}, "缺少“amount”", "'amount' (the amount column) is missing"),
        ({"time": "日期", "amount": "金额", "colour": "x"}, "未知的映射项“colour”", "unknown key 'colour'"),
        ({"time": 3, "amount": "金额"}, "“time”必须是列名", "'time' must be a column name"),
        (
            {"time": "日期", "amount": {"in": "收入"}},
            "{in: 收入列, out: 支出列}",
            "{in: column, out: column}",
        ),
        ({"time": "日期", "amount": "金额", "sign": "up"}, "“sign”只能是", "'sign' must be"),
        ({"time": "日期", "amount": "金额", "kind": "loan"}, "“kind”只能是", "'kind' must be"),
        (
            {"time": "日期", "amount": "金额", "direction": {"column": "借贷"}},
            "“direction”的写法",
            "'direction' must be",
        ),
        (
            {
                "time": "日期",
                "amount": "金额",
                "sign": "positive_in",
                "direction": {"column": "d", "in": ["a"], "out": ["b"]},
            },
            "不能同时使用",
            "not both",
        ),
        ({"time": "日期", "amount": "金额", "time_format": "YYYY"}, "strptime", "strptime"),
        ({"time": "日期", "amount": "金额", "default_currency": "rmb"}, "三个大写字母", "a code like CNY"),
        (
            {"time": "日期", "amount": "金额", "balance": ["a", "b"]},
            "必须是一个列名",
            "must be one column name",
        ),
    ],
)
def test_bad_mappings_are_refused_in_both_languages(mapping, zh: str, en: str) -> None:
    with pytest.raises(MappingError) as caught:
        load_mapping(mapping)
    assert caught.value.code == "bad_mapping"
    assert zh in caught.value.message_zh
    assert en in caught.value.message_en


def test_several_problems_are_listed_together() -> None:
    with pytest.raises(MappingError) as caught:
        load_mapping({"colour": "x"})
    assert caught.value.message_en.count(";") == 2  # unknown key; no time; no amount


def test_a_column_missing_from_the_file_is_named() -> None:
    mapping = {"time": ["交易日期", "交易时间"], "amount": "金额", "counterparty": "对方名称"}
    with pytest.raises(MappingError) as caught:
        parse_with_mapping(statement(), mapping, ParseContext())
    assert "金额、对方名称" in caught.value.message_zh
    assert "金额, 对方名称" in caught.value.message_en


def test_mapping_object_defaults() -> None:
    mapping = load_mapping({"time": "t", "amount": "a", "kind": "credit"})
    assert isinstance(mapping, ColumnMapping)
    assert (mapping.sign, mapping.default_currency, mapping.columns()) == ("positive_out", "CNY", ("t", "a"))
    assert load_mapping(mapping) is mapping
    assert load_mapping(b'{"time": "t", "amount": "a"}').sign == "positive_in"
