"""Meituan bill parser: the sample (row count and sums of 实付金额 from formats/README.md), 月付 repayments,
refund pairing, net spending, and tolerance."""

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
PARSER = MeituanParser()
NAME = "deg_example-mt-records.csv"


def sample(where: Path = COPIES) -> bytes:
    if not where.is_dir():
        pytest.skip(f"{where} is absent (the shared sample folder is not checked out here)")
    return (where / "meituan" / NAME).read_bytes()


def parse(data: bytes) -> ParseResult:
    return PARSER.parse(load(data, "mt.csv"), ParseContext())


def by_row(result: ParseResult) -> dict[int, Txn]:
    return {t.row: t for t in result.txns}


@pytest.mark.parametrize("where", [COPIES, SHARED], ids=["copies", "shared"])
def test_sample_rows_and_sums(where):
    result = parse(sample(where))
    assert (result.source, result.layout, result.rows, len(result.txns)) == ("meituan", "meituan", 29, 29)
    assert result.errors == []
    sums: dict[str, tuple[int, int]] = {}
    for t in result.txns:
        n, total = sums.get(t.side, (0, 0))
        sums[t.side] = (n + 1, total + t.amount_fen)
    assert sums == {"out": (23, 122380), "in": (6, 20973)}


def test_sniff_tells_meituan_from_the_other_bills():
    book = load(sample())
    assert PARSER.sniff(book)
    assert registry.detect(book).key == "meituan"  # and no other parser, banks included
    assert not any(p.sniff(book) for p in (AlipayParser(), WechatParser(), JdParser()))
    for folder in ("alipay", "wechat", "jd", "bank-icbc", "bank-cmb"):
        for path in sorted((COPIES / folder).iterdir()):
            assert not PARSER.sniff(load(path.read_bytes(), path.name)), path.name


def test_repayment_is_neutral_so_spending_matches_the_preamble():
    result = parse(sample())
    rows = by_row(result)
    repay = rows[45]
    assert (repay.category, repay.side, repay.direction, repay.nature) == (
        "还款",
        "out",
        "neutral",
        "credit_repay",
    )
    assert repay.amount_fen == 4812  # 实付金额, not 订单金额 (48.14)
    # 支出：23笔 1175.68元 — the preamble leaves out the 月付 repayment.
    assert sum(t.amount_fen for t in result.txns if t.direction == "out") == 117568
    assert (rows[21].channel, rows[21].nature) == ("美团月付", "spending")  # bought on credit


def test_refunds_pair_with_the_payment_of_the_same_title_and_amount():
    result = parse(sample())
    rows = by_row(result)
    refunds = {n: t.refund_of for n, t in rows.items() if t.nature == "refund"}
    assert refunds == {
        22: rows[32].ref,  # 葡式蛋挞 20.00, paid on 02-22
        38: rows[47].ref,  # 代金券 11.77
        39: rows[48].ref,  # 代金券 10.06
        40: "",  # KTV: paid before the period
        41: "",
        44: "",
    }
    assert rows[22].ref == "2502270181541103443"
    assert all(rows[n].direction == "neutral" and rows[n].side == "in" for n in refunds)
    counted = {t.ref for t in result.txns if t.direction == "out"}
    spent = sum(t.amount_fen for t in result.txns if t.direction == "out")
    offset = sum(t.amount_fen for t in result.txns if t.nature == "refund" and t.refund_of in counted)
    assert spent - offset == 117568 - 2000 - 1177 - 1006
    assert sum(t.amount_fen for t in result.txns if t.direction == "in") == 0


def test_fields_and_meta():
    result = parse(sample())
    first = result.txns[0]
    assert (first.row, first.time) == (21, datetime(2025, 2, 28, 20, 35, 25))  # 交易成功时间
    assert (first.ref, first.memo, first.channel) == (
        "25022811100401670006000394166443",
        "喜茶（北京大兴万科广场店） 订单详情",
        "美团月付",
    )
    assert result.meta == {"holder": "SJT714453696", "period_from": "2025-02-01", "period_to": "2025-02-28"}


def test_tolerance_encoding_blank_success_time_and_bad_rows():
    text = sample().decode("utf-8-sig")
    assert parse(text.replace("\r\n", "\n").encode("gb18030")).txns == parse(sample()).txns
    lines = text.split("\r\n")
    lines[20] = lines[20].replace(",2025-02-28 20:35:25,", ",,")  # no success time: the creation time
    lines[21] = lines[21].replace("¥20.00,¥20.00", "¥20.00,¥二十")
    lines[22] = lines[22].replace(
        "2025-02-23 18:36:01,2025-02-23 18:36:06", "2025-02-23 18:36,2025-02-31 18:36"
    )
    result = parse("\n".join(lines).encode("utf-8"))
    assert result.txns[0].time == datetime(2025, 2, 28, 20, 35, 13)
    assert [(e.row, e.field) for e in result.errors] == [(22, "实付金额"), (23, "交易成功时间")]
    assert result.rows == 29 and len(result.txns) == 27
