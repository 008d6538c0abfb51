import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingzhai.core.validators import (
    is_valid_mobile,
    is_valid_prc_id,
    is_valid_uscc,
    normalise_mobile,
    prc_id_check_digit,
    prc_id_problem,
    uscc_check_char,
    uscc_problem,
)


@pytest.mark.parametrize("value", ["11010519491231002X", "11010519491231002x", "110105 19491231 002X"])
def test_known_valid_prc_id(value):
    assert is_valid_prc_id(value)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("110105194912310021", "id_checksum"),
        ("11010519491331002X", "id_birthdate"),
        ("11010518991231002X", "id_birthdate"),
        ("1101051949123100", "id_format"),
        ("", "id_format"),
        ("A1010519491231002X", "id_format"),
    ],
)
def test_invalid_prc_id(value, problem):
    assert prc_id_problem(value) == problem


@given(st.integers(min_value=0, max_value=999), st.dates())
def test_generated_prc_ids_validate(seq, born):
    if born.year < 1900 or born.year > 2020:
        return
    first17 = f"310104{born:%Y%m%d}{seq:03d}"
    assert is_valid_prc_id(first17 + prc_id_check_digit(first17))


@pytest.mark.parametrize("value", ["91350100M000100Y43", "91110000802100433B", "91440300708461136T"])
def test_known_valid_uscc(value):
    assert is_valid_uscc(value)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("91350100M000100Y44", "uscc_checksum"),
        ("91350100M000100Y4", "uscc_format"),
        ("9135010OM000100Y43", "uscc_format"),
    ],
)
def test_invalid_uscc(value, problem):
    assert uscc_problem(value) == problem


def test_uscc_check_char_matches_known_code():
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("value", ["13812345678", "+86 138 1234 5678", "0086-19912345678", "8615012345678"])
def test_valid_mobiles(value):
    assert is_valid_mobile(value)


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "010-12345678", "", "138123456789"])
def test_invalid_mobiles(value):
    assert not is_valid_mobile(value)


def test_normalise_mobile_strips_country_code():
    assert normalise_mobile("+86 138-1234-5678") == "13812345678"
