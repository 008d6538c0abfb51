"""HSBC Hong Kong and the Canadian samples (BMO, TD): DD/MM vs MM/DD dates, signs, CREDIT/DEBIT flags."""

from __future__ import annotations

from datetime import datetime

import pytest

from qingzhai.profiling.sources.banks.td import TdBank
from qingzhai.profiling.sources.base import ParseContext, UnreadableFile
from qingzhai.profiling.sources.reading import load
from tests.profiling.sources.test_banks_samples import parse

HSBC_CREDIT = "bank-hsbchk/deg_example-hsbchk-credit-records.csv"
HSBC_DEBIT = "bank-hsbchk/deg_example-hsbchk-debit-records.csv"


def test_hsbc_credit_day_first_dates_tabs_and_flags() -> None:
    result = parse(HSBC_CREDIT, "bank:hsbchk-credit")
    first = result.txns[0]
    assert (first.row, first.time, first.amount_fen, first.side, first.nature) == (
        2,
        datetime(2025, 4, 9),  # 09/04/2025 is 9 April
        109914,
        "out",
        "spending",
    )
    assert (first.counterparty, first.status, first.currency) == ("UNIONPAY MERCHANT", "POSTED", "CNY")
    assert first.memo == "QR UNIONPAY MERCHANT CHN CN"
    natures = {t.row: t.nature for t in result.txns}
    assert natures[9] == "refund"  # RETURN: PINDUODUO
    assert natures[10] == "credit_repay"  # PAYMENT - THANK YOU
    assert result.txns[-1].side == "out"  # 'DEBIT ' with a trailing space
    assert result.txns[2].amount_fen == 2790  # "-27.90"<TAB><TAB>,CNY


def test_hsbc_debit_signs_and_natures() -> None:
    result = parse(HSBC_DEBIT, "bank:hsbchk-debit")
    assert {t.row: t.nature for t in result.txns} == {
        2: "spending",
        3: "own_transfer",  # MOBILE WITHDRAWAL
        4: "income",  # FUND TRANSFER FROM … JOHN SMITH
        5: "spending",
        6: "own_transfer",  # ATM WITHDRAWAL
        7: "income",  # SALARY PAYMENT
        8: "income",
        9: "spending",  # BILL PAYMENT
        10: "spending",  # ONLINE TRANSFER TO
        11: "income",  # INTEREST CREDIT
    }
    assert result.txns[4].amount_fen == 100000  # "-1000.00" without a separator
    assert result.txns[0].balance_fen == 361217
    owned = parse(HSBC_DEBIT, "bank:hsbchk-debit", ParseContext(owner_names=("John Smith",)))
    assert owned.txns[2].nature == "own_transfer"


def test_bmo_card_numbers_and_blank_lines_after_header() -> None:
    credit = parse("bank-ca-bmo/deg_credit_example-bmo-records.csv", "bank:bmo-credit")
    assert {t.account for t in credit.txns} == {"4561"}
    assert credit.meta == {"account": "****4561"}
    assert credit.txns[2].time == datetime(2023, 5, 12)
    assert credit.txns[2].amount_fen == 600  # 6.0
    debit = parse("bank-ca-bmo/deg_debit_example-bmo-records.csv", "bank:bmo-debit")
    assert [(t.side, t.nature) for t in debit.txns] == [
        ("in", "income"),
        ("out", "spending"),
        ("out", "spending"),
        ("out", "spending"),
    ]
    assert debit.txns[0].time == datetime(2023, 5, 1)


def test_td_month_first_dates_and_columns() -> None:
    result = parse("bank-ca-td/deg_example-td-records.csv", "bank:td")
    assert result.txns[7].time == datetime(2023, 5, 2)  # 05/02/2023 is 2 May
    assert (result.txns[3].side, result.txns[3].amount_fen, result.txns[3].balance_fen) == ("in", 1, 3710)
    assert result.txns[7].memo == "SEND E-TFR ***Y4h"


def test_td_refuses_a_file_of_another_shape() -> None:
    data = b"Date,Description,Amount\n2023-05-01,Coffee,3.00\n"
    with pytest.raises(UnreadableFile) as caught:
        TdBank().parse(load(data, "x.csv"), ParseContext())
    assert caught.value.code == "unknown_layout"


def test_td_bad_lines_are_row_errors() -> None:
    data = b"05/01/2023,SHOP,1.96,,13.04\n13/45/2023,BAD DATE,1.00,,12.04\nnot a row\n05/03/2023,PAY,,x,1\n"
    result = TdBank().parse(load(data, "td.csv"), ParseContext())
    assert [t.row for t in result.txns] == [1]
    assert [(e.row, e.field) for e in result.errors] == [(2, "date"), (3, "credit/debit"), (4, "credit")]
    assert result.rows == 4
