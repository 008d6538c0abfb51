"""JD bill parser: both layouts (row counts and sums from formats/README.md), refund suffixes on the amount,
credit rows, and tolerance."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

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
PARSER = JdParser()

J2025 = "deg_2025-layout_example-jd-records.csv"
J2024 = "deg_2024-layout_example-jd-records.csv"
SAMPLES = {
    J2025: ("jd-2025", 26, {"out": (16, 227770), "neutral": (10, 160152)}),
    J2024: ("jd-2024", 15, {"out": (6, 78547), "in": (5, 11500), "neutral": (4, 421456)}),
}


def sample(name: str, where: Path = COPIES) -> bytes:
    if not where.is_dir():
        pytest.skip(f"{where} is absent (the shared sample folder is not checked out here)")
    return (where / "jd" / name).read_bytes()


def parse(data: bytes) -> ParseResult:
    return PARSER.parse(load(data, "jd.csv"), ParseContext())


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
    result = parse(sample(name, where))
    assert (result.source, result.layout) == ("jd", layout)
    assert result.rows == rows == len(result.txns)
    assert result.errors == []
    assert side_sums(result) == sums


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sniff_tells_jd_from_the_other_bills(name):
    book = load(sample(name))
    assert PARSER.sniff(book)
    assert registry.detect(book).key == "jd"  # and no other parser, banks included
    assert not any(p.sniff(book) for p in (AlipayParser(), WechatParser(), MeituanParser()))
    for folder in ("alipay", "wechat", "meituan", "bank-icbc"):
        for path in sorted((COPIES / folder).iterdir()):
            assert not PARSER.sniff(load(path.read_bytes(), path.name)), path.name


def test_2025_refund_suffixes_net_spending_to_the_preamble_figure():
    result = parse(sample(J2025))
    rows = by_row(result)
    assert (rows[26].amount_fen, rows[26].refunded_fen, rows[26].nature) == (13177, 8984, "spending")
    full = rows[36]
    assert (full.amount_fen, full.refunded_fen, full.side, full.direction, full.nature) == (
        46832,
        46832,
        "neutral",
        "neutral",
        "closed",
    )
    # 支出：16笔(含4笔部分退款)，1648.43元
    assert sum(t.amount_fen - t.refunded_fen for t in result.txns if t.direction == "out") == 164843
    refunds = {n: t for n, t in rows.items() if t.nature == "refund"}
    assert sorted(refunds) == [25, 28, 32, 34, 35, 43, 44]
    # The purchase rows already carry the refunds, so refund rows point nowhere (never subtracted twice).
    assert {t.refund_of for t in refunds.values()} == {""}
    assert all(t.status == "退款成功" and t.direction == "neutral" for t in refunds.values())
    assert (rows[38].category, rows[38].nature) == ("先享后付", "credit_draw")
    assert rows[23].time == datetime(2024, 12, 30, 17, 16, 2)  # the time ends in a TAB
    assert (rows[23].ref, rows[23].memo) == ("JDX100000011234", "京东外部商户")
    assert rows[24].account == "1875"


def test_2024_refunds_point_at_the_purchase_and_credit_rows_are_neutral():
    rows = by_row(parse(sample(J2024)))
    purchase = rows[29]
    refunds = [t for t in rows.values() if t.nature == "refund"]
    assert [t.row for t in refunds] == [30, 35, 36]
    assert all(t.refund_of == purchase.ref == "88438843884" and t.side == "in" for t in refunds)
    assert (purchase.amount_fen - sum(t.amount_fen for t in refunds)) == 22399 - 11498
    assert (rows[32].memo, rows[32].nature) == ("白条主动还款", "credit_repay")
    assert (rows[37].memo, rows[37].nature) == ("京东小金库-转入", "investment")
    assert (rows[26].memo, rows[26].nature) == ("京东小金库收益", "income")
    assert {rows[23].nature, rows[25].nature} == {"other"}  # 冻结 / 解冻 holds
    assert rows[31].ref == ""  # a blank id (' ')
    assert rows[25].counterparty == ""  # 'null'
    assert sum(t.amount_fen for t in rows.values() if t.direction == "in") == 2


def test_meta_from_both_preambles():
    assert parse(sample(J2025)).meta == {
        "holder": "jd_55370d18d5bb4",
        "period_from": "2024-12-01",
        "period_to": "2024-12-31",
    }
    assert parse(sample(J2024)).meta == {
        "holder": "jd_whatthefuck",
        "period_from": "2021-01-01",
        "period_to": "2021-12-30",
    }


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_same_rows_in_any_encoding_and_line_ending(encoding):
    expected = parse(sample(J2025))
    text = sample(J2025).decode("utf-8-sig")
    for variant in (text, text.replace("\n", "\r\n")):
        assert parse(variant.encode(encoding)).txns == expected.txns


def test_missing_seconds_extra_column_shorter_preamble_and_a_bad_amount():
    lines = sample(J2025).decode("utf-8-sig").split("\n")
    del lines[11]  # the blank line before 特别提示
    header = 20
    lines[header] = "序号," + lines[header]
    for i in range(header + 1, header + 27):
        lines[i] = f"{i}," + lines[i]
    lines[header + 1] = lines[header + 1].replace("2024-12-30 17:16:02\t", "2024/12/30 17:16")
    lines[header + 4] = lines[header + 4].replace("131.77(已退款89.84)", "131.77(已退")
    result = parse("\n".join(lines).encode("utf-8"))
    assert [(e.row, e.field) for e in result.errors] == [(25, "金额")]
    assert result.rows == 26 and len(result.txns) == 25
    assert result.txns[0].time == datetime(2024, 12, 30, 17, 16)
    assert result.txns[0].row == 22
