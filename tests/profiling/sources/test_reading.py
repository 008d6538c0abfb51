"""reading.py: decoding, loading CSV/XLS/XLSX into rows, header search, amounts and times."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from qingzhai.profiling.sources.base import UnreadableFile
from qingzhai.profiling.sources.reading import (
    Amount,
    AmountUnreadable,
    DateUnreadable,
    clean,
    decode,
    find_header,
    header_key,
    is_blank,
    load,
    parse_amount,
    parse_time,
)

ROOT = Path(__file__).resolve().parents[3]
COPIES = ROOT / "tests" / "data" / "profiling" / "formats"


# --- decoding and loading ------------------------------------------------------------------------------


def test_decode_bom_then_utf8_then_gb18030():
    text = "交易时间,金额\n"
    assert decode(b"\xef\xbb\xbf" + text.encode()) == (text, "utf-8-sig")
    assert decode(text.encode()) == (text, "utf-8")
    assert decode(text.encode("gbk")) == (text, "gb18030")
    assert decode("䶮,€".encode("gb18030")) == ("䶮,€", "gb18030")  # beyond GBK
    assert decode(text.encode("utf-16")) == (text, "utf-16")


def test_gbk_sample_decodes_as_gb18030():
    book = load((COPIES / "alipay" / "deg_2023-layout_example-alipay-records.csv").read_bytes(), "a.csv")
    assert (book.container, book.encoding, len(book.sheets)) == ("csv", "gb18030", 1)
    assert book.sheets[0].rows[2] == ["姓名：xx"]
    assert len(book.sheets[0].rows) == 35


def test_load_refuses_empty_and_binary_files():
    with pytest.raises(UnreadableFile) as empty:
        load(b"", "x.csv")
    assert empty.value.code == "empty"
    with pytest.raises(UnreadableFile) as binary:
        load(b"a,b\x00\x00c\n", "x.csv")
    assert binary.value.code == "binary"
    with pytest.raises(UnreadableFile) as broken:
        load(b"PK\x03\x04not really a zip", "x.xlsx")
    assert broken.value.code == "xlsx"
    assert "XLSX" in broken.value.message_zh


def test_csv_rows_are_physical_lines_whatever_the_line_ending():
    lf = "a,b\n\n1,2\n3,4"
    expected = [["a", "b"], [], ["1", "2"], ["3", "4"]]
    for text in (lf, lf + "\n", lf.replace("\n", "\r\n") + "\r\n", lf.replace("\n", "\r")):
        assert load(text.encode(), "x.csv").sheets[0].rows == expected


def test_a_line_separator_inside_a_field_does_not_split_the_row():
    text = "时间,商品,金额\n2024-01-01,毛巾\u2028浴巾\x0c,1.00\n2024-01-02,牙刷\x85,2.00\n"
    rows = load(text.encode(), "x.csv").sheets[0].rows
    assert rows == [
        ["时间", "商品", "金额"],
        ["2024-01-01", "毛巾\u2028浴巾\x0c", "1.00"],
        ["2024-01-02", "牙刷\x85", "2.00"],
    ]


def test_quoted_fields_keep_commas_quotes_and_tabs():
    text = 'a,"b,c","say ""hi""","1000\t"\t,x\n'
    assert load(text.encode(), "x.csv").sheets[0].rows == [["a", "b,c", 'say "hi"', "1000\t\t", "x"]]


def test_xlsx_every_sheet_with_typed_cells():
    book = openpyxl.Workbook()
    book.active.title = "first"
    book.active.append(["x"])
    sheet = book.create_sheet("Sheet1")
    sheet.append(["交易时间", "金额"])
    sheet.append([datetime(2026, 3, 20, 12, 45, 27), 28.16])
    sheet.append([None, 12])
    buffer = io.BytesIO()
    book.save(buffer)
    loaded = load(buffer.getvalue(), "x.xlsx")
    assert loaded.container == "xlsx"
    assert [s.name for s in loaded.sheets] == ["first", "Sheet1"]
    assert loaded.sheets[1].rows == [
        ["交易时间", "金额"],
        [datetime(2026, 3, 20, 12, 45, 27), 28.16],
        [None, 12],
    ]


def test_xls_sample_reads_dates_numbers_and_sheet_name():
    book = load((COPIES / "bank-ccb" / "deg_交易明细_xxxx_2025xxxx_2025xxxx.xls").read_bytes(), "ccb.xls")
    assert book.container == "xls"
    assert book.sheets[0].name == "交易明细_1546_20250101_20250620.xls"
    header = find_header(book, ["记账日", "交易日期", "支出", "收入"])
    assert header is not None and header.index == 5
    assert clean(book.sheets[0].rows[0][0]) == "China Construction Bank"


# --- cells and headers ---------------------------------------------------------------------------------


def test_clean_and_header_key():
    assert clean("  2023xx\t") == "2023xx"
    assert clean("\ufeff\u3000值\u00a0") == "值"
    assert clean(None) == ""
    assert clean(6688.0) == "6688"
    assert clean(12.5) == "12.5"
    assert clean(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02 03:04:05"
    assert header_key("日 志 号") == "日志号"
    assert header_key("币　　种 ") == "币种"
    assert is_blank(["", None, " \t"]) and is_blank([]) and not is_blank(["", "x"])


def test_find_header_by_names_in_any_sheet_with_extra_and_duplicate_columns():
    book = load("导出信息\n\n交易时间 ,备注,金额,备注,新列\n1,2,3,4,5\n".encode(), "x.csv")
    header = find_header(book, ["金额", "交易时间"])
    assert header is not None
    assert (header.index, header.columns["备注"], header.columns["金额"]) == (2, 1, 2)
    assert header.text(book.sheets[0].rows[3], "交易时间") == "1"
    assert header.get(["1"], "金额") is None  # a short row
    assert find_header(book, ["金额", "余额"]) is None
    assert find_header(book, ["交易时间"], within=2) is None


# --- amounts -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("49.74", Amount(4974, None)),
        ("  20.00   ", Amount(2000, None)),
        ("¥1,234.50", Amount(123450, "CNY")),
        ("￥50.0", Amount(5000, "CNY")),
        ("-2,600.00", Amount(-260000, None)),
        ("+10000.00", Amount(1000000, None)),
        ("CNY 123.18", Amount(12318, "CNY")),
        ("CNY13.50", Amount(1350, "CNY")),
        ("JPY 1000.00", Amount(100000, "JPY")),
        ("-3.90(CN)", Amount(-390, None)),
        ("131.77(已退款89.84)", Amount(13177, None, 8984)),
        ("100.00(已退款¥1,000.00)", Amount(10000, None, 100000)),
        ("468.32(已全额退款)", Amount(46832, None, 0, True)),
        ("人民币 8.00元", Amount(800, "CNY")),
        (12, Amount(1200, None)),
        (28.16, Amount(2816, None)),
        (0.07, Amount(7, None)),
    ],
)
def test_parse_amount(cell, expected):
    assert parse_amount(cell) == expected


@pytest.mark.parametrize("cell", ["", "-", "/", None, "1.234", "abc", "1.2.3", "¥", True, "12 34x"])
def test_unreadable_amounts(cell):
    with pytest.raises(AmountUnreadable):
        parse_amount(cell)


# --- times ---------------------------------------------------------------------------------------------

FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2023-02-12 21:32:14 ", datetime(2023, 2, 12, 21, 32, 14)),
        ("2024-12-30 17:16:02\t", datetime(2024, 12, 30, 17, 16, 2)),
        ("2025/12/01  09:08:07", datetime(2025, 12, 1, 9, 8, 7)),  # two spaces
        ("2023/2/8 14:16", datetime(2023, 2, 8, 14, 16)),  # re-saved in Excel
        ("2023-02-08 14:16", datetime(2023, 2, 8, 14, 16)),
        (datetime(2024, 1, 1, 8, 0), datetime(2024, 1, 1, 8, 0)),
        (date(2024, 1, 1), datetime(2024, 1, 1)),
        (43734.5315625, datetime(2019, 9, 26, 12, 45, 27)),  # Excel serial
        (45450.98642361111, datetime(2024, 6, 7, 23, 40, 27)),
        (45000, datetime(2023, 3, 15)),
    ],
)
def test_parse_time(cell, expected):
    assert parse_time(cell, FORMATS) == expected


def test_excel_serials_land_on_the_second():
    start = datetime(2015, 1, 1)
    for k in range(2000):
        moment = start + timedelta(seconds=k * 86_399 * 3 + k)
        serial = float(f"{(moment - datetime(1899, 12, 30)).total_seconds() / 86_400:.15g}")
        assert parse_time(serial, FORMATS) == moment


@pytest.mark.parametrize("cell", ["", None, "2023-02-30 10:00:00", "yesterday", "2023-02-12", "12345", 5.5])
def test_unreadable_times(cell):
    with pytest.raises(DateUnreadable):
        parse_time(cell, FORMATS)
