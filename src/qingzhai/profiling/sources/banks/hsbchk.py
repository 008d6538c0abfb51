"""HSBC Hong Kong CSV exports (ASCII, no preamble). Dates are ``DD/MM/YYYY``. The amount is quoted and
followed by TABs outside the quotes (``"-18.00"\\t\\t,CNY``); amounts may or may not have thousands
separators. Each row carries its own currency (CNY and HKD mix in one file).

* credit (``hsbchk-credit``): Transaction date, Post date, Description (fixed-width padded), Billing amount
  (signed; negative is a spend), Billing currency, Transaction status, Merchant name, Country / region,
  Area / district, Credit / Debit (``DEBIT`` side out, ``CREDIT`` side in; the sign decides when blank).
* debit (``hsbchk-debit``): Date, Description, Billing amount (signed; positive is money in), Billing
  currency, Balance, Balance currency.
"""

from __future__ import annotations

from qingzhai.profiling.sources.banks.common import BankParser, Row, RowFail
from qingzhai.profiling.sources.banks.rules import card_nature, debit_nature, squash
from qingzhai.profiling.sources.base import Txn

DATES = ("%d/%m/%Y",)


class HsbcHkCredit(BankParser):
    key = "bank:hsbchk-credit"
    label_zh = "汇丰银行（香港）信用卡"
    label_en = "HSBC Hong Kong credit card"
    layout = "hsbchk-credit"
    required = (
        "Transaction date",
        "Post date",
        "Description",
        "Billing amount",
        "Billing currency",
        "Credit / Debit",
    )

    def read_row(self, row: Row) -> Txn | None:
        fen, side = row.signed("Billing amount", "in")  # negative is a spend
        flag = row.text("Credit / Debit").upper()
        if flag in ("CREDIT", "DEBIT"):
            side = "in" if flag == "CREDIT" else "out"
        elif flag:
            raise RowFail("Credit / Debit", f"无法识别：{flag!r}", f"is neither CREDIT nor DEBIT: {flag!r}")
        description = squash(row.text("Description"))
        merchant = row.text("Merchant name")
        own = row.owner.mentioned(description)
        date_col = "Transaction date" if row.text("Transaction date") else "Post date"
        return row.txn(
            time=row.when(date_col, DATES),
            amount_fen=fen,
            side=side,
            nature=card_nature(side, (description,), payer="", own=own),
            currency=row.currency("Billing currency", "HKD"),
            counterparty=merchant or description,
            memo=description,
            status=row.text("Transaction status"),
        )


class HsbcHkDebit(BankParser):
    key = "bank:hsbchk-debit"
    label_zh = "汇丰银行（香港）账户"
    label_en = "HSBC Hong Kong bank account"
    layout = "hsbchk-debit"
    required = ("Date", "Description", "Billing amount", "Billing currency", "Balance", "Balance currency")

    def read_row(self, row: Row) -> Txn | None:
        fen, side = row.signed("Billing amount", "in")
        description = squash(row.text("Description"))
        currency = row.currency("Billing currency", "HKD")
        same = row.currency("Balance currency", currency) == currency
        return row.txn(
            time=row.when("Date", DATES),
            amount_fen=fen,
            side=side,
            nature=debit_nature(side, (description,), own=row.owner.mentioned(description)),
            currency=currency,
            memo=description,
            balance_fen=row.balance("Balance") if same else None,
        )


PARSERS = [HsbcHkCredit(), HsbcHkDebit()]
