"""Amounts in capital numerals: the examples of the settlement-document rules, and properties checked
against an independent reader of capital numerals over the whole range."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingzhai.legal.documents.numerals import MAX_FEN, amount_text, capital, figures

DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def read_yuan(text: str) -> int:
    """An independent reader: 壹亿零壹仟 → 100001000 (万 multiplies its section, 亿 all that precedes)."""
    total = section = digit = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c in DIGIT:
            digit = DIGIT[c]
        elif c in SMALL:
            section += digit * SMALL[c]
            digit = 0
        elif c == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif c == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
        else:
            raise ValueError(c)
        i += 1
    return total + section + digit


def read(text: str) -> int:
    """Capital numerals back to fen."""
    if text == "零元整":
        return 0
    body = text.removesuffix("整")
    yuan = 0
    if "元" in body:
        head, body = body.split("元", 1)
        yuan = read_yuan(head)
    body = body.removeprefix("零")
    jiao = fen = 0
    if "角" in body:
        head, body = body.split("角", 1)
        jiao = DIGIT[head]
    if "分" in body:
        fen = DIGIT[body.removesuffix("分")]
    return yuan * 100 + jiao * 10 + fen


@pytest.mark.parametrize(
    ("fen", "expected"),
    [
        (1_234_567, "壹万贰仟叁佰肆拾伍元陆角柒分"),
        (10_000_000, "壹拾万元整"),
        (10_000_507, "壹拾万零伍元零柒分"),
        (0, "零元整"),
        (5, "伍分"),
        (50, "伍角"),
        (56, "伍角陆分"),
        (100, "壹元整"),
        (1_000, "壹拾元整"),
        (1_050, "壹拾元伍角"),
        (101, "壹元零壹分"),
        (168_032, "壹仟陆佰捌拾元叁角贰分"),  # 元 place zero before 角: 零 may be left out
        (10_100_000, "壹拾万壹仟元整"),  # 万 place zero before a thousands digit: 零 may be left out
        (10_010_000, "壹拾万零壹佰元整"),
        (100_100, "壹仟零壹元整"),
        (1_080_000, "壹万零捌佰元整"),
        (10_000_100_000, "壹亿零壹仟元整"),  # a whole zero group between: one 零
        (10_000_000_100, "壹亿零壹元整"),
        (10_000_000_010, "壹亿元壹角"),
        (1_000_010_000_000, "壹佰亿零壹拾万元整"),
        (200_000_000_000_000, "贰万亿元整"),
        (100_010_000_000_000, "壹万零壹亿元整"),
        (10_000_001_000_000_000, "壹佰万亿壹仟万元整"),
        (MAX_FEN, "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_examples(fen, expected):
    assert capital(fen) == expected


def test_figures_and_amount_text():
    assert figures(1_234_567) == "12,345.67"
    assert figures(5) == "0.05"
    assert figures(-123_456) == "-1,234.56"
    assert figures(100_000_000_000) == "1,000,000,000.00"
    assert amount_text(1_080_000) == "人民币10,800.00元（大写：壹万零捌佰元整）"


@pytest.mark.parametrize("bad", [-1, MAX_FEN + 1])
def test_out_of_range_is_refused(bad):
    with pytest.raises(ValueError):
        capital(bad)


@pytest.mark.parametrize("bad", [1.5, "100", True, None])
def test_only_integer_fen(bad):
    with pytest.raises(TypeError):
        capital(bad)


@given(st.integers(min_value=0, max_value=MAX_FEN))
def test_reads_back_to_the_same_amount(fen):
    assert read(capital(fen)) == fen


@given(st.integers(min_value=0, max_value=MAX_FEN))
def test_shape(fen):
    text = capital(fen)
    assert "零零" not in text  # a run of zeros is one 零
    assert not text.startswith("零") or text == "零元整"
    assert text.endswith("整") == (fen % 100 == 0)  # 整 exactly when the amount ends at 元
    assert ("元" in text) == (fen >= 100 or fen == 0)
    assert not text.removesuffix("整").endswith("零")
    if fen % 100 and fen % 100 < 10 and fen >= 100:
        assert "元零" in text  # 角 zero, 分 non-zero: 零 after 元
    assert set(text) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
