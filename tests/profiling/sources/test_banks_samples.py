"""Every bank sample: exactly one parser recognises it, and its rows and per-side sums are the README's.

Runs over the copies under tests/data/profiling/formats (always present) and over /work/shared/formats
(skipped when absent)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from qingzhai.profiling.sources.banks import PARSERS
from qingzhai.profiling.sources.base import ParseContext, ParseResult
from qingzhai.profiling.sources.reading import Workbook, load

ROOT = Path(__file__).resolve().parents[3]
LOCAL = ROOT / "tests" / "data" / "profiling" / "formats"
SHARED = ROOT.parent / "shared" / "formats"
BASES = [pytest.param(LOCAL, id="local"), pytest.param(SHARED, id="shared")]
BY_KEY = {p.key: p for p in PARSERS}

KEYS = [
    "bank:icbc-credit",
    "bank:icbc-debit",
    "bank:ccb-debit",
    "bank:citic-credit",
    "bank:spdb-debit",
    "bank:cmb-credit",
    "bank:cmb-debit",
    "bank:cmb-pc",
    "bank:abc-debit",
    "bank:boc-credit",
    "bank:boc-debit",
    "bank:bocom-credit",
    "bank:bocom-debit",
    "bank:cgb-credit",
    "bank:cib-debit",
    "bank:hsbchk-credit",
    "bank:hsbchk-debit",
    "bank:bmo-credit",
    "bank:bmo-debit",
    "bank:td",
    "bank:generic",
]

# file, parser key, layout, rows, first and last data row, {side: (count, fen)} as the README states
SAMPLES = [
    ("bank-icbc/deg_example-icbc-credit-records.csv", "bank:icbc-credit", "icbc-credit", 9, 8, 16,
     {"out": (8, 36313), "in": (1, 462101)}),
    ("bank-icbc/deg_example-icbc-debit-v1-records.csv", "bank:icbc-debit", "icbc-debit-v1", 11, 8, 18,
     {"out": (6, 424108), "in": (5, 284174)}),
    ("bank-icbc/deg_example-icbc-debit-v2-records.csv", "bank:icbc-debit", "icbc-debit-v2", 11, 8, 18,
     {"out": (6, 424108), "in": (5, 284174)}),
    ("bank-ccb/deg_交易明细_xxxx_2025xxxx_2025xxxx.xls", "bank:ccb-debit", "ccb-debit-xls", 6, 7, 12,
     {"out": (6, 70326)}),
    ("bank-citic/deg_credit_example-citic-records.xls", "bank:citic-credit", "citic-credit-xls", 13, 3, 15,
     {"out": (11, 109880), "in": (2, 141)}),
    ("bank-spdb/deg_example-spdb_debit-records.xls", "bank:spdb-debit", "spdb-debit-xls", 4, 3, 6,
     {"out": (3, 1164), "in": (1, 1000)}),
    ("bank-cmb/deg_credit_example-cmb-records.csv", "bank:cmb-credit", "cmb-credit-converted", 6, 3, 8,
     {"out": (2, 805678), "in": (4, 38080)}),
    ("bank-cmb/deg_debit_example-cmb-records.csv", "bank:cmb-debit", "cmb-debit-converted", 5, 2, 6,
     {"in": (1, 123400), "out": (4, 201314)}),
    ("bank-abc/deg_example-abc_debit-records.csv", "bank:abc-debit", "abc-debit-converted", 5, 2, 6,
     {"in": (3, 1000001), "out": (2, 1235589)}),
    ("bank-boc/deg_credit_example-boc-records.csv", "bank:boc-credit", "boc-credit-converted", 14, 3, 16,
     {"out": (8, 122809 + 372), "in": (6, 98984)}),
    ("bank-boc/deg_debit_example-boc-records.csv", "bank:boc-debit", "boc-debit-converted", 17, 3, 19,
     {"in": (4, 982100), "out": (13, 939430)}),
    ("bank-bocom/deg_example-bocom_credit-records.csv", "bank:bocom-credit", "bocom-credit-converted", 8, 2, 9,
     {"out": (4, 7358), "in": (4, 12517 + 68010)}),
    ("bank-bocom/deg_example-bocom_debit-records.csv", "bank:bocom-debit", "bocom-debit-converted", 6, 2, 7,
     {"out": (3, 11400), "in": (3, 1125)}),
    ("bank-cgb/deg_example-cgb_credit-records.csv", "bank:cgb-credit", "cgb-credit-converted", 4, 2, 5,
     {"out": (2, 40332), "in": (2, 122788)}),
    ("bank-cib/deg-branch_example-cib_debit-cny-records.xlsx", "bank:cib-debit", "cib-debit-xlsx", 7, 12, 18,
     {"out": (5, 10100), "in": (2, 1001)}),
    # HKD: 支出 3 / 12.10 net with the -5.50 reversal as side in (see test_cib_hkd_reversal_keeps_readme_totals)
    ("bank-cib/deg-branch_example-cib_debit-hkd-records.xlsx", "bank:cib-debit", "cib-debit-xlsx", 5, 12, 16,
     {"out": (2, 1760), "in": (3, 1760)}),
    ("bank-hsbchk/deg_example-hsbchk-credit-records.csv", "bank:hsbchk-credit", "hsbchk-credit", 11, 2, 12,
     {"out": (9, 158679), "in": (2, 329116)}),
    ("bank-hsbchk/deg_example-hsbchk-debit-records.csv", "bank:hsbchk-debit", "hsbchk-debit", 10, 2, 11,
     {"out": (6, 352650), "in": (4, 2550545)}),
    ("bank-ca-bmo/deg_credit_example-bmo-records.csv", "bank:bmo-credit", "bmo-credit", 3, 4, 6,
     {"out": (3, 9433)}),
    ("bank-ca-bmo/deg_debit_example-bmo-records.csv", "bank:bmo-debit", "bmo-debit", 4, 7, 10,
     {"out": (3, 15832), "in": (1, 1)}),
    ("bank-ca-td/deg_example-td-records.csv", "bank:td", "td", 9, 1, 9,
     {"out": (7, 31917), "in": (2, 33223)}),
]  # fmt: skip
SAMPLE_IDS = [s[0].split("/")[0] + ":" + s[2] + ("-hkd" if "hkd" in s[0] else "") for s in SAMPLES]
CONSUMER_DIRS = ("alipay", "wechat", "jd", "meituan")


def read(base: Path, name: str) -> Workbook:
    if not base.exists():
        pytest.skip(f"{base} is absent (the shared samples are not mounted here)")
    path = base / name
    return load(path.read_bytes(), path.name)


def parse(name: str, key: str, ctx: ParseContext | None = None, base: Path = LOCAL) -> ParseResult:
    return BY_KEY[key].parse(read(base, name), ctx or ParseContext())


def sides(result: ParseResult) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for t in result.txns:
        count, total = out.get(t.side, (0, 0))
        out[t.side] = (count + 1, total + t.amount_fen)
    return out


def test_keys_are_the_agreed_ones() -> None:
    assert [p.key for p in PARSERS] == KEYS
    for p in PARSERS:
        assert p.label_zh and p.label_en


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(
    ("name", "key", "layout", "rows", "first", "last", "expected"), SAMPLES, ids=SAMPLE_IDS
)
def test_sample_rows_and_side_sums(base, name, key, layout, rows, first, last, expected) -> None:
    result = BY_KEY[key].parse(read(base, name), ParseContext())
    assert result.source == key
    assert result.layout == layout
    assert result.errors == []
    assert result.skipped == 0
    assert result.rows == rows == len(result.txns)
    assert sides(result) == expected
    assert [t.row for t in result.txns] == list(range(first, last + 1))


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(("name", "key"), [(s[0], s[1]) for s in SAMPLES], ids=SAMPLE_IDS)
def test_exactly_the_intended_parser_sniffs_the_sample(base, name, key) -> None:
    book = read(base, name)
    hits = [p.key for p in PARSERS if p.sniff(book)]
    assert hits == ([] if key == "bank:td" else [key])  # TD has no header: named by the user only


@pytest.mark.parametrize("base", BASES)
def test_no_bank_parser_sniffs_a_consumer_bill(base) -> None:
    if not base.exists():
        pytest.skip(f"{base} is absent")
    files = sorted(p for d in CONSUMER_DIRS for p in (base / d).iterdir())
    assert len(files) == 14
    for path in files:
        book = load(path.read_bytes(), path.name)
        assert [p.key for p in PARSERS if p.sniff(book)] == [], path.name


def test_cib_hkd_reversal_keeps_readme_totals() -> None:
    result = parse("bank-cib/deg-branch_example-cib_debit-hkd-records.xlsx", "bank:cib-debit")
    assert result.meta["reversals"] == [14]
    reversal = next(t for t in result.txns if t.row == 14)
    assert (reversal.side, reversal.nature, reversal.direction, reversal.amount_fen) == (
        "in",
        "refund",
        "neutral",
        550,
    )
    out, ins = sides(result)["out"], sides(result)["in"]
    # README: 支出 3 / 12.10 net (includes -5.50); 收入 2 / 12.10
    assert (out[0] + 1, out[1] - reversal.amount_fen) == (3, 1210)
    assert (ins[0] - 1, ins[1] - reversal.amount_fen) == (2, 1210)
    assert {t.currency for t in result.txns} == {"HKD"}


def test_mixed_currencies_are_per_row() -> None:
    def by_currency(result: ParseResult) -> Counter[tuple[str, str]]:
        totals: Counter[tuple[str, str]] = Counter()
        for t in result.txns:
            totals[(t.side, t.currency)] += t.amount_fen
        return totals

    boc = parse("bank-boc/deg_credit_example-boc-records.csv", "bank:boc-credit")
    assert by_currency(boc) == {("out", "CNY"): 122809, ("out", "USD"): 372, ("in", "CNY"): 98984}
    hsbc = parse("bank-hsbchk/deg_example-hsbchk-credit-records.csv", "bank:hsbchk-credit")
    assert by_currency(hsbc) == {("out", "CNY"): 158679 - 2790, ("out", "HKD"): 2790, ("in", "CNY"): 329116}
    debit = parse("bank-hsbchk/deg_example-hsbchk-debit-records.csv", "bank:hsbchk-debit")
    assert by_currency(debit) == {("out", "HKD"): 352650, ("in", "HKD"): 1300545, ("in", "CNY"): 1250000}
    assert {t.currency for t in parse("bank-ca-td/deg_example-td-records.csv", "bank:td").txns} == {"CAD"}
