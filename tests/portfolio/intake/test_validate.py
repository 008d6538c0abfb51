"""Row validation on its own: the clean values and the precise errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from qingzhai.portfolio.intake.columns import map_columns
from qingzhai.portfolio.intake.validate import RowValidator
from tests.portfolio.intake.helpers import HEADER, prc_id, row, uscc


@pytest.fixture
def validator():
    return RowValidator(
        map_columns([*HEADER, "债务人类型", "币种", "担保人", "担保人证件号码", "担保人电话"])
    )


def check(validator, n=1, **over):
    cells = row(n, **over)
    header = [*HEADER, "债务人类型", "币种", "担保人", "担保人证件号码", "担保人电话"]
    return validator.validate(n + 1, [cells.get(h, "") for h in header])


def codes(errors):
    return [(e.column, e.code) for e in errors]


def test_a_valid_row(validator):
    clean, errors = check(validator)
    assert errors == []
    assert (clean.contract_no, clean.debtor_kind, clean.id_number, clean.mobiles) == (
        "HT000001",
        "person",
        prc_id(1),
        ("13800000001",),
    )
    assert (clean.principal_fen, clean.interest_fen, clean.penalty_fen, clean.balance_fen) == (
        1_234_567,
        50_000,
        12_050,
        1_296_617,
    )
    assert (clean.annual_rate, clean.overdue_since, clean.emergency_consent) == (
        Decimal("18.0000"),
        date(2024, 3, 1),
        True,
    )


def test_old_fifteen_digit_id_is_converted(validator):
    clean, errors = check(validator, 证件号码="110105880517123")
    assert errors == [] and clean.id_number == "11010519880517123" + clean.id_number[-1]
    assert len(clean.id_number) == 18


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({"证件号码": "11010519881317001X"}, [("证件号码", "id_birthdate")]),
        ({"证件号码": "12345"}, [("证件号码", "id_format")]),
        ({"债务人类型": "合伙"}, [("债务人类型", "kind_invalid")]),
        ({"币种": "人民币元币"}, [("币种", "currency_invalid")]),
        ({"年利率": "abc"}, [("年利率", "rate_invalid")]),
        ({"年利率": "-1"}, [("年利率", "rate_invalid")]),
        ({"紧急联系人同意联系": "也许"}, [("紧急联系人同意联系", "bool_invalid")]),
        ({"银行账号": "6222-ABCD"}, [("银行账号", "bank_account_invalid")]),
        ({"紧急联系人电话": ""}, [("紧急联系人电话", "emergency_phone_missing")]),
        ({"担保人证件号码": prc_id(3)}, [("担保人", "guarantor_name_missing")]),
        ({"剩余本金": "99999999999999"}, [("剩余本金", "amount_too_large")]),
        ({"逾期开始日期": "1850-01-01"}, [("逾期开始日期", "date_range")]),
        ({"合同编号": "", "债务人姓名": ""}, [("合同编号", "required"), ("债务人姓名", "required")]),
        ({"产品名称": "长" * 101}, [("产品名称", "too_long")]),
        ({"合同编号": "X" * 65}, [("合同编号", "too_long")]),
    ],
)
def test_row_errors(validator, over, expected):
    clean, errors = check(validator, **over)
    assert clean is None and codes(errors) == expected
    assert all(e.message_zh and e.message_en for e in errors)


def test_enterprise_is_recognised_by_its_code(validator):
    clean, errors = check(validator, 债务人姓名="北京某某有限公司", 证件号码=uscc(1), 币种="USD")
    assert errors == [] and (clean.debtor_kind, clean.currency) == ("enterprise", "USD")


def test_messages_follow_the_language(validator):
    from django.utils import translation

    _, errors = check(validator, 剩余本金="abc")
    with translation.override("en"):
        assert errors[0].message == "The amount is not a number: abc"
        assert errors[0].as_dict() == {
            "row": 2,
            "column": "剩余本金",
            "code": "amount_invalid",
            "message": "The amount is not a number: abc",
        }
    with translation.override("zh-hans"):
        assert errors[0].message == "金额不是数字：abc"


def test_control_characters_are_dropped(validator):
    clean, errors = check(validator, 债务人姓名="张\x00三\x07")
    assert errors == [] and clean.debtor_name == "张三"


def test_resident_id_with_wrong_check_digit_that_passes_as_credit_code(validator):
    from qingzhai.core.validators import is_valid_uscc

    lucky = next(
        prc_id(n)[:17] + c
        for n in range(1, 200)
        for c in "0123456789X"
        if c != prc_id(n)[17] and is_valid_uscc(prc_id(n)[:17] + c)
    )
    _, errors = check(validator, 证件号码=lucky)
    assert codes(errors) == [("证件号码", "id_checksum")]
    clean, errors = check(validator, 证件号码=lucky, 债务人姓名="北京某某有限公司")
    assert errors == [] and clean.debtor_kind == "enterprise"


def test_a_repeated_cell_gets_the_same_outcome_on_every_row(validator):
    for n in (1, 2, 3):
        _, errors = check(validator, n, 逾期开始日期="2024/13/01", 利息="12.345")
        assert [(e.row, e.column, e.code, e.message_en) for e in errors] == [
            (n + 1, "利息", "amount_precision", "Amounts have at most two decimals (fen): 12.345"),
            (n + 1, "逾期开始日期", "date_impossible", "The date does not exist: 2024/13/01"),
        ]
    for n in (4, 5):
        clean, errors = check(validator, n, 逾期开始日期="2024年3月1日", 利息="12.34")
        assert errors == [] and (clean.overdue_since, clean.interest_fen) == (date(2024, 3, 1), 1234)
