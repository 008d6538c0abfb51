"""Alipay bill parser: every sample file (row counts and sums from formats/README.md), classification on
real rows, net spending, and tolerance to re-saved, re-encoded and damaged files."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from qingzhai.profiling.sources import registry
from qingzhai.profiling.sources.alipay import AlipayParser
from qingzhai.profiling.sources.base import ParseContext, ParseResult
from qingzhai.profiling.sources.jd import JdParser
from qingzhai.profiling.sources.meituan import MeituanParser
from qingzhai.profiling.sources.reading import load
from qingzhai.profiling.sources.wechat import WechatParser

ROOT = Path(__file__).resolve().parents[3]
COPIES = ROOT / "tests" / "data" / "profiling" / "formats"
SHARED = ROOT.parent / "shared" / "formats"
PARSER = AlipayParser()

# file: (layout, rows, {side: (rows, fen)}) as stated in formats/README.md
SAMPLES = {
    "deg_2023-layout_example-alipay-records.csv": (
        "alipay-2023",
        10,
        {"out": (5, 21164), "in": (1, 22222850), "neutral": (4, 24737)},
    ),
    "dhr2333_单条测试_支付宝.csv": ("alipay-2023", 2, {"out": (2, 1900)}),
    "dhr2333_完整测试_支付宝.csv": (
        "alipay-2023",
        80,
        {"out": (75, 27937083), "in": (3, 2650000), "neutral": (2, 25000)},
    ),
    "deg_2021-app-layout_example-alipay-records.csv": (
        "alipay-2021",
        16,
        {"out": (6, 32181), "in": (3, 16190), "neutral": (7, 319741)},
    ),
    "deg_2019-web-layout_example-alipay-records.csv": ("alipay-web", 2, {"out": (1, 2700), "in": (1, 1)}),
}
A1 = "deg_2023-layout_example-alipay-records.csv"


def sample(name: str, where: Path = COPIES) -> bytes:
    if not where.is_dir():
        pytest.skip(f"{where} is absent (the shared sample folder is not checked out here)")
    return (where / "alipay" / name).read_bytes()


def parse(data: bytes, ctx: ParseContext | None = None, filename: str = "x.csv") -> ParseResult:
    return PARSER.parse(load(data, filename), ctx or ParseContext())


def side_sums(result: ParseResult) -> dict[str, tuple[int, int]]:
    sums: dict[str, tuple[int, int]] = {}
    for t in result.txns:
        n, total = sums.get(t.side, (0, 0))
        sums[t.side] = (n + 1, total + t.amount_fen)
    return sums


def net_spending(result: ParseResult) -> int:
    counted = {t.ref for t in result.txns if t.direction == "out"}
    spent = sum(t.amount_fen - t.refunded_fen for t in result.txns if t.direction == "out")
    refunds = sum(t.amount_fen for t in result.txns if t.nature == "refund" and t.refund_of in counted)
    return spent - refunds


def by_row(result: ParseResult) -> dict[int, object]:
    return {t.row: t for t in result.txns}


@pytest.mark.parametrize("where", [COPIES, SHARED], ids=["copies", "shared"])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_rows_and_sums(name, where):
    layout, rows, sums = SAMPLES[name]
    result = parse(sample(name, where))
    assert (result.source, result.layout) == ("alipay", layout)
    assert result.rows == rows == len(result.txns)
    assert result.errors == []
    assert result.skipped == 0
    assert side_sums(result) == sums


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sniff_tells_alipay_from_the_other_bills(name):
    book = load(sample(name))
    assert PARSER.sniff(book)
    assert registry.detect(book).key == "alipay"  # and no other parser, banks included
    assert not any(p.sniff(book) for p in (WechatParser(), JdParser(), MeituanParser()))


def test_other_formats_are_not_alipay():
    for folder in ("wechat", "jd", "meituan", "bank-icbc", "bank-ccb", "bank-cmb"):
        for path in sorted((COPIES / folder).iterdir()):
            assert not PARSER.sniff(load(path.read_bytes(), path.name)), path.name


def test_row_numbers_are_physical_lines_and_fields_are_cleaned():
    t = parse(sample(A1)).txns[0]
    # Line 26 of the file: the header is line 25 after a 24-line preamble; cells padded with spaces.
    assert (t.row, t.time, t.amount_fen) == (26, datetime(2023, 2, 12, 21, 32, 14), 4974)
    assert (t.category, t.counterparty, t.memo, t.status) == (
        "亲友代付",
        "xxxxxxxxxxxx",
        "亲情卡",
        "交易成功",
    )
    assert (t.channel, t.account, t.currency) == ("交通银行信用卡(7449)", "7449", "CNY")
    assert t.ref == "202302xxxxxx0011000103xxxxxx"  # the trailing TAB is gone


def test_meta_from_the_preamble_and_from_the_summary_after_the_data():
    assert parse(sample("dhr2333_单条测试_支付宝.csv")).meta == {
        "holder": "dhr2333",
        "account": "137****6428",
        "period_from": "2022-05-30 00:00:00",
        "period_to": "2023-05-29 23:59:59",
    }
    assert parse(sample("deg_2021-app-layout_example-alipay-records.csv")).meta == {
        "holder": "TripleZ",
        "account": "abc@triplez.cn",
        "period_from": "2021-05-19 00:00:00",
        "period_to": "2021-06-19 23:59:59",
    }
    web = parse(sample("deg_2019-web-layout_example-alipay-records.csv")).meta
    assert web == {
        "account": "faker@faker.com",
        "period_from": "2019-08-01 00:00:00",
        "period_to": "2019-10-01 00:00:00",
        "holder": "测试",
    }


def test_classification_of_the_2023_sample():
    rows = by_row(parse(sample(A1)))
    natures = {n: (t.direction, t.nature) for n, t in rows.items()}
    assert natures == {
        26: ("out", "spending"),
        27: ("out", "spending"),  # 等待确认收货: paid, waiting for delivery
        28: ("neutral", "refund"),
        29: ("neutral", "investment"),  # fund sold into 余额宝
        30: ("in", "income"),
        31: ("neutral", "closed"),
        32: ("neutral", "refund"),
        33: ("neutral", "closed"),  # 支出 but 交易关闭: counts as nothing
        34: ("out", "spending"),
        35: ("out", "spending"),
    }
    refund, closed = rows[32], rows[33]
    assert refund.ref == "2023xxxxx88_2023xx57"
    assert refund.refund_of == closed.ref == "2023xxxxx88"
    assert rows[28].refund_of == rows[28].ref  # no suffix: the id is the original's
    # The refunded trade was closed, so the refund offsets nothing that was counted.
    assert net_spending(parse(sample(A1))) == 4974 + 2000 + 990 + 8200


def test_income_from_the_debtors_own_name_is_an_own_transfer():
    rows = by_row(parse(sample(A1), ParseContext(owner_names=("xxxx",))))
    assert (rows[30].direction, rows[30].nature, rows[30].side) == ("neutral", "own_transfer", "in")
    assert rows[34].nature == "spending"  # a purchase from a merchant who happens to be named alike


def test_2021_refund_listed_twice_counts_once():
    rows = by_row(parse(sample("deg_2021-app-layout_example-alipay-records.csv")))
    copy, refund, closed = rows[4], rows[5], rows[6]
    assert (copy.side, copy.nature, copy.refund_of) == ("neutral", "other", "")
    assert (refund.side, refund.direction, refund.nature, refund.refund_of) == (
        "in",
        "neutral",
        "refund",
        "123456",
    )
    assert (closed.side, closed.nature) == ("out", "closed")
    assert {n: t.nature for n, t in rows.items() if t.side == "neutral"} == {
        4: "other",
        7: "investment",  # 余额宝-单次转入
        8: "investment",  # 余额宝收益 left in 余额宝 (其他)
        10: "investment",
        11: "investment",
        17: "investment",
        18: "investment",
    }
    assert sum(t.amount_fen for t in rows.values() if t.direction == "in") == 1000 + 4200


def test_web_export_uses_funds_status_when_the_direction_is_blank():
    text = sample("deg_2019-web-layout_example-alipay-records.csv").decode("gb18030")
    text = text.replace("0.01    ,收入      ,", "0.01    ,          ,")
    rows = by_row(parse(text.encode("gb18030")))
    assert (rows[7].side, rows[7].direction, rows[7].nature) == ("in", "in", "income")
    assert rows[6].refunded_fen == 0


PREAMBLE = """------------------------------------------------------------------------------------
导出信息：
姓名：李小明
支付宝账户：138****0000
起始时间：[2024-03-01 00:00:00]    终止时间：[2024-03-31 23:59:59]
导出交易类型：[全部]

------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------
交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,
"""
ROWS = """2024-03-01 10:00:00,日用百货,商家甲,/,商品甲,支出,100.00,余额,交易成功,T001\t,M001\t,,
2024-03-02 10:00:00,退款,商家甲,/,退款-商品甲,不计收支,30.00,余额,退款成功,T001_R1\t,M001\t,,
2024-03-03 10:00:00,日用百货,商家乙,/,商品乙,支出,70.00,花呗,交易成功,T003\t,,,
2024-03-04 10:00:00,退款,商家乙,/,退款-商品乙,不计收支,70.00,花呗,退款成功,T003_R1\t,,,
2024-03-05 10:00:00,转账红包,*小明,/,转账,收入,500.00,余额,交易成功,T005\t,,,
2024-03-06 10:00:00,转账红包,王五,/,转账,收入,800.00,余额,交易成功,T006\t,,,
2024-03-07 10:00:00,转账红包,李小明,/,提现-实时提现,不计收支,200.00,余额,交易成功,T007\t,,,
2024-03-08 10:00:00,充值缴费,李小明,/,充值-普通充值,不计收支,300.00,招商银行(1234),交易成功,T008\t,,,
2024-03-09 10:00:00,投资理财,天弘基金,/,余额宝-自动转入,不计收支,50.00,余额,交易成功,T009\t,,,
2024-03-10 10:00:00,信用借还,花呗,/,花呗主动还款-2024年02月账单,不计收支,1000.00,余额,还款成功,T010\t,,,
2024-03-11 10:00:00,信用借还,借呗,/,借呗借款,不计收支,5000.00,余额,放款成功,T011\t,,,
2024-03-12 10:00:00,日用百货,商家丙,/,商品丙,支出,60.00,余额,交易关闭,T012\t,,,
2024-03-13 10:00:00,日用百货,商家丁,/,商品丁,支出,40.00,余额,等待付款,T013\t,,,
2024-03-14 10:00:00,转账红包,*小明,/,转账到银行卡,支出,900.00,余额,交易成功,T014\t,,,
"""


def constructed(rows: str = ROWS, preamble: str = PREAMBLE) -> bytes:
    return (preamble + rows).encode("gb18030")


def test_net_spending_and_income_leave_out_refunds_transfers_credit_and_failed_trades():
    result = parse(constructed(), ParseContext(owner_names=("李小明",)))
    assert result.meta["holder"] == "李小明"
    natures = [t.nature for t in result.txns]
    assert natures == [
        "spending",
        "refund",
        "spending",
        "refund",
        "own_transfer",
        "income",
        "own_transfer",
        "own_transfer",
        "investment",
        "credit_repay",
        "credit_draw",
        "closed",
        "failed",
        "own_transfer",
    ]
    assert [t.refund_of for t in result.txns if t.nature == "refund"] == ["T001", "T003"]
    assert net_spending(result) == 10000 - 3000 + 7000 - 7000
    assert sum(t.amount_fen for t in result.txns if t.direction == "in") == 80000
    assert side_sums(result)["out"] == (5, 10000 + 7000 + 6000 + 4000 + 90000)


# --- tolerance ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_same_rows_in_any_encoding_and_with_crlf(encoding):
    expected = parse(sample(A1))
    text = sample(A1).decode("gb18030")
    for variant in (text, text.replace("\n", "\r\n")):
        result = parse(variant.encode(encoding))
        assert result.txns == expected.txns
        assert result.meta == expected.meta


def test_times_without_seconds_after_an_excel_resave():
    text = sample(A1).decode("gb18030")
    text = text.replace("2023-02-12 21:32:14 ", "2023-02-12 21:32").replace(
        "2023-02-08 14:16:52", "2023/2/8 14:16"
    )
    rows = by_row(parse(text.encode("utf-8")))
    assert rows[26].time == datetime(2023, 2, 12, 21, 32)
    assert rows[27].time == datetime(2023, 2, 8, 14, 16)
    assert len(rows) == 10


def test_header_found_by_content_when_a_preamble_line_is_gone():
    lines = sample(A1).decode("gb18030").split("\n")
    del lines[5]  # 导出交易类型：[全部] (Alipay 2026 drops one preamble line)
    result = parse("\n".join(lines).encode("gb18030"))
    assert [t.row for t in result.txns] == list(range(25, 35))
    assert side_sums(result) == SAMPLES[A1][2]
    assert result.meta["holder"] == "xx"


def test_an_extra_unknown_column_is_ignored():
    lines = sample(A1).decode("gb18030").split("\n")
    lines[24] = "新增列," + lines[24]
    for i in range(25, 35):
        lines[i] = "something," + lines[i]
    result = parse("\n".join(lines).encode("gb18030"))
    assert side_sums(result) == SAMPLES[A1][2]
    assert result.txns[0].ref == "202302xxxxxx0011000103xxxxxx"


def test_unreadable_cells_become_row_errors_and_the_rest_still_parse():
    text = sample(A1).decode("gb18030")
    text = text.replace("20.00               ,余额", "2O.00,余额").replace(
        "2023-01-18 10:17:29 ", "2023-13-18 10:17"
    )
    result = parse(text.encode("gb18030"))
    assert [(e.row, e.field) for e in result.errors] == [(27, "金额"), (30, "交易时间")]
    assert "第 27 行" in result.errors[0].message_zh and "Row 27" in result.errors[0].message_en
    assert "2O.00" in result.errors[0].message_zh
    assert len(result.txns) == 8
    assert result.rows == 10


def test_data_ends_at_a_blank_line_and_trailing_rows_are_not_read():
    rows = ROWS.split("\n")
    text = "\n".join([*rows[:3], "", "共3笔记录,,,", *rows[3:]])
    result = parse(constructed(text))
    assert result.rows == 3
    assert result.errors == []


def test_a_file_re_saved_as_xlsx_with_typed_cells():
    book = openpyxl.Workbook()
    sheet = book.active
    lines = sample(A1).decode("gb18030").split("\n")
    for line in lines[:25]:
        sheet.append(line.split(",")[:12] if "," in line else [line])
    for line in lines[25:35]:
        cells: list[object] = [c.strip() for c in line.split(",")[:12]]
        cells[0] = datetime.fromisoformat(str(cells[0]))
        cells[6] = float(str(cells[6]))
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    result = parse(buffer.getvalue(), filename="alipay.xlsx")
    expected = parse(sample(A1))
    assert result.txns == expected.txns
    assert result.meta == expected.meta


def test_no_header_is_an_unreadable_file():
    from qingzhai.profiling.sources.base import UnreadableFile

    with pytest.raises(UnreadableFile) as exc:
        parse(b"a,b,c\n1,2,3\n")
    assert exc.value.code == "unknown_layout"
    assert "支付宝" in exc.value.message_zh
