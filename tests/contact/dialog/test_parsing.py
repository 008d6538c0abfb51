"""Chinese amounts and dates as debtors say them, against a fixed business date."""

from datetime import date

import pytest

from qingzhai.contact.dialog.parsing import (
    cn_number,
    parse_amount_fen,
    parse_count,
    parse_date,
    parse_discount_pct,
)

from .conftest import TODAY


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("三千", 300000),
        ("3000块", 300000),
        ("一千五", 150000),
        ("两万三", 2300000),
        ("1.5万", 1500000),
        ("3,000元", 300000),
        ("五百块钱", 50000),
        ("两千五百块", 250000),
        ("我先还一千二，下周五", 120000),
        ("2000元五毛", 200050),
        ("一万零五百", 1050000),
        ("3000.5元", 300050),
    ],
)
def test_amounts(text, fen):
    assert parse_amount_fen(text) == fen


@pytest.mark.parametrize("text", ["15号", "后四位1234", "分六期", "十五", "下周五", "打八折", "三天后"])
def test_not_amounts(text):
    assert parse_amount_fen(text) is None


def test_cn_numbers():
    assert [cn_number(x) for x in ("十五", "二十", "一百零八", "三零零零", "两万", "一千五")] == [
        15,
        20,
        108,
        3000,
        20000,
        1500,
    ]
    assert cn_number("三千块") is None


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("下周五", date(2026, 5, 22)),
        ("周五", date(2026, 5, 15)),
        ("这周一", date(2026, 5, 11)),
        ("下下周一", date(2026, 5, 25)),
        ("15号", date(2026, 5, 15)),
        ("十五号", date(2026, 5, 15)),
        ("5号", date(2026, 6, 5)),  # already past this month: next month
        ("月底", date(2026, 5, 31)),
        ("下个月底", date(2026, 6, 30)),
        ("月初", date(2026, 6, 1)),
        ("下个月10号", date(2026, 6, 10)),
        ("6月1日", date(2026, 6, 1)),
        ("今天", date(2026, 5, 13)),
        ("明天", date(2026, 5, 14)),
        ("后天", date(2026, 5, 15)),
        ("大后天", date(2026, 5, 16)),
        ("三天后", date(2026, 5, 16)),
        ("2026-06-03", date(2026, 6, 3)),
        ("我月底发工资，月底前可以吗", date(2026, 5, 31)),
    ],
)
def test_dates(text, when):
    assert parse_date(text, TODAY) == when


def test_dates_follow_the_business_date_not_the_clock():
    assert parse_date("下周五", date(2027, 2, 26)) == date(2027, 3, 5)
    assert parse_date("月底", date(2028, 2, 3)) == date(2028, 2, 29)
    assert parse_date("31号", date(2026, 4, 10)) is None  # April has no 31st
    assert parse_date("还不了", TODAY) is None


def test_counts_and_discounts():
    assert parse_count("能不能分六期") == 6
    assert parse_count("分3个月还") == 3
    assert parse_count("一次性有点困难，分三期") == 3
    assert parse_count("一次性还清") is None
    assert parse_discount_pct("打八折") == 20
    assert parse_discount_pct("八五折行吗") == 15
    assert parse_discount_pct("减免20%") == 20
    assert parse_discount_pct("减两成") == 20
    assert parse_discount_pct("好的") is None
