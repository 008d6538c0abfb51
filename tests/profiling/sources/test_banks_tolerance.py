"""Files as users re-save them: re-encoded (GB18030, UTF-8 BOM), CRLF, an extra column, a bad amount."""

from __future__ import annotations

import copy

import pytest

from qingzhai.profiling.sources.base import ParseContext, ParseResult
from qingzhai.profiling.sources.reading import Workbook, header_key, is_blank, load
from tests.profiling.sources.test_banks_samples import BY_KEY, LOCAL, SAMPLE_IDS, SAMPLES

# the amount column of each parser, as the parser names it in a RowError
AMOUNT_COLUMN = {
    "bank:icbc-credit": "记账金额(支出)",
    "bank:icbc-debit": "记账金额(支出)",
    "bank:ccb-debit": "支出",
    "bank:citic-credit": "结算金额",
    "bank:spdb-debit": "取出金额",
    "bank:cmb-credit": "人民币金额",
    "bank:cmb-debit": "交易金额",
    "bank:abc-debit": "交易金额",
    "bank:boc-credit": "支出",
    "bank:boc-debit": "金额",
    "bank:bocom-credit": "入账币种/金额",
    "bank:bocom-debit": "交易金额",
    "bank:cgb-credit": "入账金额",
    "bank:cib-debit": "支出",
    "bank:hsbchk-credit": "Billing amount",
    "bank:hsbchk-debit": "Billing amount",
    "bank:bmo-credit": "Transaction Amount",
    "bank:bmo-debit": "Transaction Amount",
    "bank:td": "debit",
}
VARIANTS = [
    pytest.param(s[0], s[1], variant, id=f"{i}-{variant}")
    for s, i in zip(SAMPLES, SAMPLE_IDS, strict=True)
    if s[0].endswith(".csv")
    for variant in ("gb18030", "utf-8-bom", "crlf")
    # an ASCII file (HSBC, BMO, TD) is the same bytes in GB18030
    if not (variant == "gb18030" and (LOCAL / s[0]).read_bytes().isascii())
]


def run(key: str, book: Workbook) -> ParseResult:
    return BY_KEY[key].parse(book, ParseContext())


def original(name: str) -> tuple[bytes, Workbook]:
    data = (LOCAL / name).read_bytes()
    return data, load(data, name)


@pytest.mark.parametrize(("name", "key", "variant"), VARIANTS)
def test_reencoded_and_crlf_copies_read_the_same(name: str, key: str, variant: str) -> None:
    data, book = original(name)
    text = data.decode(book.encoding or "utf-8")
    if variant == "gb18030":
        changed = text.encode("gb18030")
    elif variant == "utf-8-bom":
        changed = b"\xef\xbb\xbf" + text.encode("utf-8")
    else:
        changed = text.replace("\r\n", "\n").replace("\n", "\r\n").encode(book.encoding or "utf-8")
    assert changed != data
    before, after = run(key, book), run(key, load(changed, name))
    assert after.txns == before.txns
    assert (after.rows, after.errors, after.meta) == (before.rows, [], before.meta)


@pytest.mark.parametrize(
    ("name", "key"), [(s[0], s[1]) for s in SAMPLES if s[1] != "bank:td"], ids=SAMPLE_IDS[:-1]
)
def test_an_extra_unknown_column_changes_nothing(name: str, key: str) -> None:
    _, book = original(name)
    before = run(key, book)
    header = BY_KEY[key].find(book)  # type: ignore[attr-defined]
    widened = copy.deepcopy(book)
    sheet = next(s for s in widened.sheets if s.name == header.sheet.name)
    for i in range(header.index, len(sheet.rows)):
        if not is_blank(sheet.rows[i]):
            sheet.rows[i].insert(1, "未知列" if i == header.index else "x")
    after = run(key, widened)
    assert after.txns == before.txns
    assert (after.rows, after.errors) == (before.rows, [])


@pytest.mark.parametrize(("name", "key"), [(s[0], s[1]) for s in SAMPLES], ids=SAMPLE_IDS)
def test_a_bad_amount_is_a_row_error_and_the_rest_parse(name: str, key: str) -> None:
    _, book = original(name)
    before = run(key, book)
    first = before.txns[0].row
    header = BY_KEY[key].find(book)  # type: ignore[attr-defined]
    broken = copy.deepcopy(book)
    sheet = next(s for s in broken.sheets if s.name == header.sheet.name)
    field = AMOUNT_COLUMN[key]
    col = header.columns[header_key(field)]
    sheet.rows[first - 1][col] = "12.3.4"
    after = run(key, broken)
    assert [(e.row, e.field) for e in after.errors] == [(first, field)]
    assert f"第 {first} 行" in after.errors[0].message_zh
    assert f"Row {first}" in after.errors[0].message_en and "12.3.4" in after.errors[0].message_en
    assert after.rows == before.rows
    assert after.txns == before.txns[1:]


def test_an_extra_column_in_the_file_bytes() -> None:
    name = "bank-cmb/deg_debit_example-cmb-records.csv"
    data, book = original(name)
    lines = data.decode("utf-8").split("\n")
    widened = "\n".join(
        f"备用,{line}" if i == 0 else f"y,{line}" if line else line for i, line in enumerate(lines)
    )
    assert run("bank:cmb-debit", load(widened.encode(), name)).txns == run("bank:cmb-debit", book).txns
