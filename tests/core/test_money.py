from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingzhai.core.money import AmountError, Money, format_fen, parse_fen


@pytest.mark.parametrize(
    ("raw", "fen"),
    [
        ("1234.56", 123456),
        ("¥1,234.56", 123456),
        ("￥1，234.5", 123450),
        ("1,234,567元", 123456700),
        (" 12 ", 1200),
        ("RMB 0.01", 1),
        (".5", 50),
        (100, 10000),
        (Decimal("3.10"), 310),
    ],
)
def test_parse_fen_accepts_what_users_type(raw, fen):
    assert parse_fen(raw) == fen


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("-5", "amount_negative"),
        ("(5.00)", "amount_negative"),
        ("abc", "amount_invalid"),
        ("1.2.3", "amount_invalid"),
        ("", "amount_invalid"),
        (None, "amount_invalid"),
        ("1.234", "amount_precision"),
        ("NaN", "amount_invalid"),
        (True, "amount_invalid"),
    ],
)
def test_parse_fen_refuses_nonsense(raw, code):
    with pytest.raises(AmountError) as info:
        parse_fen(raw)
    assert info.value.code == code


def test_negative_allowed_when_asked():
    assert parse_fen("-12.30", allow_negative=True) == -1230


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_then_parse_round_trips(fen):
    assert parse_fen(format_fen(fen), allow_negative=True) == fen


def test_format_fen():
    assert format_fen(123456) == "¥1,234.56"
    assert format_fen(-5) == "-¥0.05"
    assert format_fen(0) == "¥0.00"


def test_money_arithmetic_and_currency_guard():
    assert Money(100) + Money(250) == Money(350)
    assert str(Money(123456)) == "¥1,234.56"
    assert Money(150).decimal == Decimal("1.50")
    with pytest.raises(ValueError):
        Money(1, "USD") + Money(1)
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]
