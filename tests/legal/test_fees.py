"""Court fees (《诉讼费用交纳办法》): every row of cn-legal-reference.md §4.4, halving, rounding, brackets, errors."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from qingzhai.legal.fees import FEE_KEYS, LegalInputError, fees

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "domain" / "cn-legal-reference.md"

# cn-legal-reference.md §4.4, copied so the test runs without ../shared:
# claim, acceptance, halved, payment order (1/3), enforcement, preservation.
WORKED_EXAMPLES = [
    ("8000", "50.00", "25.00", "16.67", "50.00", "100.00"),
    ("50000", "1050.00", "525.00", "350.00", "650.00", "520.00"),
    ("100000", "2300.00", "1150.00", "766.67", "1400.00", "1020.00"),
    ("200000", "4300.00", "2150.00", "1433.33", "2900.00", "1520.00"),
    ("500000", "8800.00", "4400.00", "2933.33", "7400.00", "3020.00"),
    ("1000000", "13800.00", "6900.00", "4600.00", "12400.00", "5000.00"),
    ("2000000", "22800.00", "11400.00", "7600.00", "22400.00", "5000.00"),
    ("5000000", "46800.00", "23400.00", "15600.00", "52400.00", "5000.00"),
    ("10000000", "81800.00", "40900.00", "27266.67", "77400.00", "5000.00"),
    ("30000000", "191800.00", "95900.00", "63933.33", "97400.00", "5000.00"),
]


def _as_strings(result):
    return tuple(str(result[key]) for key in FEE_KEYS)


@pytest.mark.parametrize("row", WORKED_EXAMPLES, ids=lambda r: r[0])
def test_worked_example_rows(row):
    assert _as_strings(fees(Decimal(row[0]))) == row[1:]


def _reference_rows():
    text = REFERENCE.read_text(encoding="utf-8")
    section = text.split("### 4.4", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[\d,]+", cells[0]):
            rows.append(tuple(re.sub(r"[,\s]|\(cap\)", "", c) for c in cells))
    return rows


def test_every_row_of_the_reference_table():
    if not REFERENCE.exists():
        pytest.skip(f"../shared absent ({REFERENCE}); the copied rows above still run")
    rows = _reference_rows()
    assert len(rows) == 10
    assert rows == WORKED_EXAMPLES
    for row in rows:
        assert _as_strings(fees(row[0])) == row[1:]


def test_result_is_decimal_with_two_places():
    result = fees("8000")
    assert list(result) == list(FEE_KEYS)
    assert all(isinstance(v, Decimal) and v.as_tuple().exponent == -2 for v in result.values())


@pytest.mark.parametrize(
    ("amount", "acceptance"),
    [
        ("0.01", "50.00"),
        ("10000", "50.00"),
        ("10000.01", "50.00"),  # 50 + 0.01 × 2.5 % = 50.00025
        ("10000.20", "50.01"),  # 50.005 rounds half up
        ("10040", "51.00"),
        ("100000.01", "2300.00"),
        ("20000000", "141800.00"),
        ("20000100", "141800.50"),
    ],
)
def test_acceptance_bracket_boundaries(amount, acceptance):
    assert str(fees(amount)["acceptance"]) == acceptance


@pytest.mark.parametrize(
    ("amount", "enforcement", "preservation"),
    [
        ("1000", "50.00", "30.00"),
        ("1001", "50.00", "30.01"),
        ("10000", "50.00", "120.00"),
        ("10001", "50.02", "120.01"),  # 50 + 1 × 1.5 % = 50.015 half up
        ("500000", "7400.00", "3020.00"),
        ("895998", "11359.98", "4999.99"),
        ("895999", "11359.99", "5000.00"),  # 0.005 × 895,999 + 520 = 4,999.995 → half up, not the cap
        ("896000", "11360.00", "5000.00"),  # the preservation cap is reached here
        ("10000001", "77400.00", "5000.00"),  # 77,400.001
    ],
)
def test_application_fee_boundaries_and_preservation_cap(amount, enforcement, preservation):
    result = fees(amount)
    assert (str(result["enforcement"]), str(result["preservation"])) == (enforcement, preservation)


def test_halving_is_half_of_the_acceptance_fee_once():
    result = fees("123456.78")
    # 2300 + 23456.78 × 2 % = 2769.1356
    assert str(result["acceptance"]) == "2769.14"
    assert str(result["acceptance_halved"]) == "1384.57"  # 1384.5678
    assert str(result["payment_order"]) == "923.05"  # 923.0452


def test_yuan_rounding_half_up_to_whole_yuan():
    assert _as_strings(fees("8000", rounding="yuan")) == ("50.00", "25.00", "17.00", "50.00", "100.00")
    assert _as_strings(fees("100000", rounding="yuan")) == (
        "2300.00",
        "1150.00",
        "767.00",
        "1400.00",
        "1020.00",
    )
    assert _as_strings(fees("200000", rounding="yuan"))[2] == "1433.00"
    # acceptance 2769.1356 → 2769; halved 1384.5678 → 1385 (rounded once, from the exact fee)
    result = fees("123456.78", rounding="yuan")
    assert (str(result["acceptance"]), str(result["acceptance_halved"])) == ("2769.00", "1385.00")


def test_fen_and_yuan_agree_on_whole_yuan_fees():
    for row in WORKED_EXAMPLES[1:2] + WORKED_EXAMPLES[5:8]:
        assert fees(row[0], rounding="yuan") == fees(row[0], rounding="fen")


def test_amount_formats_accepted():
    assert fees("¥1,000,000") == fees(1000000) == fees(Decimal("1000000.00"))


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0", "amount_not_positive"),
        (0, "amount_not_positive"),
        ("-5", "amount_negative"),
        ("abc", "amount_invalid"),
        ("", "amount_invalid"),
        (None, "amount_invalid"),
        (True, "amount_invalid"),
        ("1.001", "amount_precision"),
        ("1e3", "amount_invalid"),
        ("100000000000000", "amount_too_large"),
    ],
)
def test_bad_amounts_are_refused_bilingually(amount, code):
    with pytest.raises(LegalInputError) as info:
        fees(amount)
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.code, err.field) == (code, "amount")
    assert re.search(r"[\u4e00-\u9fff]", err.zh) and re.search(r"[A-Za-z]{3}", err.en)
    assert err.as_dict()["fields"] == {"amount": [err.message]}


def test_unknown_rounding_is_refused():
    with pytest.raises(LegalInputError) as info:
        fees("100", rounding="jiao")
    assert (info.value.code, info.value.field) == ("rounding_invalid", "rounding")
