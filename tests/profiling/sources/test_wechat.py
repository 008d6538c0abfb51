"""WeChat Pay bill parser: every sample file (row counts and sums from formats/README.md), the sheet choice
in the XLSX exports, classification on real rows, refunds stated in 当前状态, and tolerance."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from qingzhai.profiling.sources import registry
from qingzhai.profiling.sources.alipay import AlipayParser
from qingzhai.profiling.sources.base import ParseContext, ParseResult, Txn
from qingzhai.profiling.sources.jd import JdParser
from qingzhai.profiling.sources.meituan import MeituanParser
from qingzhai.profiling.sources.reading import load
from qingzhai.profiling.sources.wechat import WechatParser

ROOT = Path(__file__).resolve().parents[3]
COPIES = ROOT / "tests" / "data" / "profiling" / "formats"
SHARED = ROOT.parent / "shared" / "formats"
PARSER = WechatParser()

DEG = {"out": (11, 290453), "in": (5, 2849), "neutral": (11, 2610089)}
SAMPLES = {
    "deg_2026-layout_example-wechat-records.xlsx": ("wechat-xlsx-2026", 27, DEG),
    "deg_2025-layout_example-wechat-records.xlsx": ("wechat-xlsx-2025", 27, DEG),
    "deg_example-wechat-records.csv": ("wechat-csv", 27, DEG),
    "deg_2019_example-wechat-records.csv": ("wechat-csv", 2, {"out": (1, 2816), "in": (1, 35)}),
    "trim21_微信支付账单(20200830-20200906).csv": ("wechat-csv", 7, {"out": (5, 62188), "in": (2, 141200)}),
    "dhr2333_完整测试_微信.csv": (
        "wechat-csv",
        37,
        {"out": (21, 376939), "in": (8, 97891), "neutral": (8, 1284108)},
    ),
}
DHR = "dhr2333_完整测试_微信.csv"
HEADER = [
    "交易时间",
    "交易类型",
    "交易对方",
    "商品",
    "收/支",
    "金额(元)",
    "支付方式",
    "当前状态",
    "交易单号",
    "商户单号",
    "备注",
]
DEG_CSV = "deg_example-wechat-records.csv"


def sample(name: str, where: Path = COPIES) -> bytes:
    if not where.is_dir():
        pytest.skip(f"{where} is absent (the shared sample folder is not checked out here)")
    return (where / "wechat" / name).read_bytes()


def parse(data: bytes, ctx: ParseContext | None = None, filename: str = "x.csv") -> ParseResult:
    return PARSER.parse(load(data, filename), ctx or ParseContext())


def side_sums(result: ParseResult) -> dict[str, tuple[int, int]]:
    sums: dict[str, tuple[int, int]] = {}
    for t in result.txns:
        n, total = sums.get(t.side, (0, 0))
        sums[t.side] = (n + 1, total + t.amount_fen)
    return sums


def by_row(result: ParseResult) -> dict[int, Txn]:
    return {t.row: t for t in result.txns}


@pytest.mark.parametrize("where", [COPIES, SHARED], ids=["copies", "shared"])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_rows_and_sums(name, where):
    layout, rows, sums = SAMPLES[name]
    result = parse(sample(name, where), filename=name)
    assert (result.source, result.layout) == ("wechat", layout)
    assert result.rows == rows == len(result.txns)
    assert result.errors == []
    assert side_sums(result) == sums


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sniff_tells_wechat_from_the_other_bills(name):
    book = load(sample(name), name)
    assert PARSER.sniff(book)
    assert registry.detect(book).key == "wechat"  # and no other parser, banks included
    assert not any(p.sniff(book) for p in (AlipayParser(), JdParser(), MeituanParser()))


def test_other_formats_are_not_wechat():
    for folder in ("alipay", "jd", "meituan", "bank-icbc", "bank-ccb", "bank-cib"):
        for path in sorted((COPIES / folder).iterdir()):
            assert not PARSER.sniff(load(path.read_bytes(), path.name)), path.name


def test_xlsx_reads_sheet1_not_the_power_query_copy_in_the_first_sheet():
    name26, name25 = (
        "deg_2026-layout_example-wechat-records.xlsx",
        "deg_2025-layout_example-wechat-records.xlsx",
    )
    book = load(sample(name26), name26)
    assert [s.name for s in book.sheets] == ["example-wechat-records", "Sheet1"]
    result = parse(sample(name26), filename=name26)
    assert result.txns[0].row == 19  # header on row 18 of Sheet1
    assert result.layout == "wechat-xlsx-2026"  # numeric amounts: only Sheet1 has them
    # 2025: header on row 17 of Sheet1 (row 18 in the Power Query copy).
    assert parse(sample(name25), filename=name25).txns[0].row == 18
    assert [t.amount_fen for t in result.txns] == [t.amount_fen for t in parse(sample(DEG_CSV)).txns]


def test_meta_from_the_preamble():
    assert parse(sample(DHR)).meta == {
        "holder": "测试用户名称",
        "period_from": "2022-11-01 00:00:00",
        "period_to": "2023-02-01 23:59:59",
    }


def test_neutral_types_are_transfers_investments_or_repayments():
    rows = by_row(parse(sample(DEG_CSV)))
    kinds = {t.category: t.nature for t in rows.values() if t.side == "neutral"}
    assert kinds == {
        "转入零钱通-来自工商银行(9876)": "investment",
        "零钱提现": "own_transfer",
        "信用卡还款": "credit_repay",
        "购买理财通": "investment",
        "零钱通转出-到零钱": "investment",
        "转入零钱通-来自零钱": "investment",
        "零钱通转出-到工商银行(9876)": "investment",
        "零钱充值": "own_transfer",
    }
    assert all(t.direction == "neutral" for t in rows.values() if t.side == "neutral")
    withdrawal = rows[24]
    assert (withdrawal.category, withdrawal.nature, withdrawal.memo) == (
        "零钱提现",
        "own_transfer",
        "服务费¥0.10",
    )
    assert (withdrawal.amount_fen, withdrawal.ref) == (10010, "207210715100077148235523883175")
    assert rows[42].amount_fen == 5000  # '¥50.0': one decimal
    assert rows[44].nature == "spending"  # an unknown 交易类型 keeps the file's direction


def test_refunds_stated_on_the_purchase_and_refund_rows_that_point_nowhere():
    rows = by_row(parse(sample(DHR)))
    partial = rows[39]
    assert (partial.status, partial.amount_fen, partial.refunded_fen) == ("已退款(￥39.93)", 10000, 3993)
    assert (partial.direction, partial.nature) == ("out", "spending")
    assert (rows[41].status, rows[41].refunded_fen) == ("已全额退款", 4010)
    assert (rows[34].status, rows[34].refunded_fen) == ("对方已退还", 70000)  # transfer sent back
    refunds = [n for n, t in rows.items() if t.nature == "refund"]
    assert refunds == [30, 33, 35, 40, 42]
    for n in refunds:
        t = rows[n]
        assert (t.side, t.direction, t.refund_of, t.refunded_fen) == ("in", "neutral", "", 0)
    assert rows[40].status == "已退款￥39.93"
    trim = by_row(parse(sample("trim21_微信支付账单(20200830-20200906).csv")))
    assert (trim[24].category, trim[24].nature, trim[24].refunded_fen) == ("同程旅行-退款", "refund", 0)
    # Net spending: purchases less what their own rows say was refunded; refund rows are not income.
    result = parse(sample(DHR))
    out = sum(t.amount_fen - t.refunded_fen for t in result.txns if t.direction == "out")
    assert out == 376939 - 3993 - 4010 - 10000 - 300 - 70000
    assert (
        sum(t.amount_fen for t in result.txns if t.direction == "in")
        == 97891 - 10000 - 300 - 70000 - 3993 - 4010
    )


def test_transfer_from_the_debtors_own_name_is_an_own_transfer():
    rows = by_row(parse(sample(DHR), ParseContext(owner_names=("测试用户",))))
    assert (rows[36].category, rows[36].side, rows[36].nature) == ("转账", "in", "own_transfer")
    assert rows[27].nature == "own_transfer"  # 微信红包 from the same name
    assert rows[37].nature == "own_transfer"  # 转账 to the same name
    assert rows[31].nature == "spending"  # 群收款 paid to '测试用户.' (another name)
    assert by_row(parse(sample(DHR)))[36].nature == "income"


# --- tolerance ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_same_rows_in_any_encoding_and_line_ending(encoding):
    expected = parse(sample(DEG_CSV))
    text = sample(DEG_CSV).decode("utf-8")
    for variant in (text, text.replace("\n", "\r\n")):
        result = parse(variant.encode(encoding))
        assert result.txns == expected.txns
        assert result.meta == expected.meta


def test_bom_and_crlf_sample_reads_the_same_without_them():
    name = "trim21_微信支付账单(20200830-20200906).csv"
    plain = sample(name).decode("utf-8-sig").replace("\r\n", "\n").encode("utf-8")
    assert parse(plain).txns == parse(sample(name)).txns


def test_missing_seconds_extra_column_and_a_shorter_preamble():
    lines = sample(DEG_CSV).decode("utf-8").split("\n")
    del lines[10]  # 注：
    header = 15
    lines[header] = lines[header] + ",新增列"
    lines[header + 1] = lines[header + 1].replace("2019-09-26 12:45:27", "2019/9/26 12:45") + ",x"
    lines[header + 2] = lines[header + 2].replace("2019-09-24 10:10:11", "2019-09-24 10:10")
    result = parse("\n".join(lines).encode("utf-8"))
    assert result.errors == []
    assert side_sums(result) == DEG
    first, second = result.txns[:2]
    assert (first.row, first.time, first.memo) == (17, datetime(2019, 9, 26, 12, 45), "总共消费:28.16")
    assert second.time == datetime(2019, 9, 24, 10, 10)


def test_unreadable_cells_become_row_errors_and_the_rest_still_parse():
    text = sample(DEG_CSV).decode("utf-8")
    text = text.replace("¥23.00", "¥2.3.0").replace("2021-01-17 10:07:31", "yesterday")
    result = parse(text.encode("utf-8"))
    assert [(e.row, e.field) for e in result.errors] == [(22, "金额(元)"), (23, "交易时间")]
    assert result.errors[1].message_en == "Row 23: 交易时间 is not a time: 'yesterday'"
    assert len(result.txns) == 25 and result.rows == 27
    bad_status = text.replace("提现已到账", "已退款(¥abc)", 1)
    result = parse(bad_status.encode("utf-8"))
    assert [(e.row, e.field) for e in result.errors][-1] == (24, "当前状态")


def _xlsx_2026(time_cells: list[object], first_sheet_copy: bool = True) -> bytes:
    book = openpyxl.Workbook()
    if first_sheet_copy:
        copy = book.active
        copy.title = "example-wechat-records"
        copy.append([f"Column{i}" for i in range(1, 12)])
        copy.append(["微信支付账单明细"])
        copy.append(HEADER)
        copy.append(
            ["2020-01-01 00:00:00", "商户消费", "x", "/", "支出", "¥1.00", "/", "支付成功", "1", "/", "/"]
        )
        sheet = book.create_sheet("Sheet1")
    else:
        sheet = book.active
    preamble = [
        "微信支付账单明细",
        "微信昵称：[张三]",
        "起始时间：[2026-01-01 00:00:00] 终止时间：[2026-03-31 23:59:59]",
        "导出类型：[全部]",
        None,
        "4. 本账单中所有时间均为UTC+08:00时间",
        "----------------------微信支付账单明细列表--------------------",
    ]
    for line in preamble:
        sheet.append([line])
    sheet.append(HEADER)
    for n, when in enumerate(time_cells):
        sheet.append(
            [when, "商户消费", "商家", "商品", "支出", 12.5 + n, "零钱", "支付成功", f"42000{n}", "/", "/"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_2026_xlsx_with_excel_serial_dates_and_datetime_cells():
    # 2026-03-20 12:45:27 as an Excel serial (15 significant digits) and as a typed datetime cell.
    data = _xlsx_2026([46101.5315625, datetime(2026, 3, 20, 8, 0, 1), "2026-03-20 09:30:00"])
    result = parse(data, filename="wechat.xlsx")
    assert result.layout == "wechat-xlsx-2026"
    assert result.errors == []
    assert [t.time for t in result.txns] == [
        datetime(2026, 3, 20, 12, 45, 27),
        datetime(2026, 3, 20, 8, 0, 1),
        datetime(2026, 3, 20, 9, 30),
    ]
    assert [t.amount_fen for t in result.txns] == [1250, 1350, 1450]
    assert [t.row for t in result.txns] == [9, 10, 11]
    assert result.meta == {
        "holder": "张三",
        "period_from": "2026-01-01 00:00:00",
        "period_to": "2026-03-31 23:59:59",
    }
    single = parse(_xlsx_2026([46101.5315625], first_sheet_copy=False), filename="w.xlsx")
    assert [t.time for t in single.txns] == [datetime(2026, 3, 20, 12, 45, 27)]
