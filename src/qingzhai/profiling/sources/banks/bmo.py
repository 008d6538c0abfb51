"""BMO Bank of Montreal CSV exports (Canada; for reference). Amounts are CAD; dates ``YYYYMMDD``.

* credit (``bmo-credit``): 2 preamble lines (``Following data is valid as of …:``, blank), then Item #,
  Card # (``'5191…'`` in apostrophes), Transaction Date, Posting Date, Transaction Amount (positive is a
  charge: side out), Description.
* debit (``bmo-debit``): 3 preamble lines, the header (``" Transaction Amount"`` with a leading space), 2
  blank lines, then First Bank Card, Transaction Type (``CREDIT``/``DEBIT``), Date Posted, Transaction
  Amount (signed), Description.
"""

from __future__ import annotations

from typing import Any

from qingzhai.profiling.sources.banks.common import BankParser, Row, RowFail, tail
from qingzhai.profiling.sources.banks.rules import card_nature, debit_nature, squash
from qingzhai.profiling.sources.base import ParseContext, Txn
from qingzhai.profiling.sources.reading import Header, clean


def _card(value: str) -> str:
    return value.strip("'\" ")


def _first_card(header: Header, name: str) -> str:
    col = header.columns.get(name)
    if col is None:
        return ""
    for row in header.sheet.rows[header.index + 1 :]:
        if col < len(row) and clean(row[col]):
            card = tail(_card(clean(row[col])))
            return f"****{card}" if card else ""
    return ""


class BmoCredit(BankParser):
    key = "bank:bmo-credit"
    label_zh = "加拿大蒙特利尔银行信用卡"
    label_en = "BMO credit card"
    layout = "bmo-credit"
    required = ("Item #", "Card #", "Transaction Date", "Posting Date", "Transaction Amount", "Description")

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        return {"account": _first_card(header, "Card#")}

    def read_row(self, row: Row) -> Txn | None:
        fen, side = row.signed("Transaction Amount", "out")
        description = squash(row.text("Description"))
        date_col = "Transaction Date" if row.text("Transaction Date") else "Posting Date"
        return row.txn(
            time=row.when(date_col, ("%Y%m%d",)),
            amount_fen=fen,
            side=side,
            nature=card_nature(side, (description,), own=row.owner.mentioned(description)),
            currency="CAD",
            counterparty=description,
            account=tail(_card(row.text("Card #"))),
        )


class BmoDebit(BankParser):
    key = "bank:bmo-debit"
    label_zh = "加拿大蒙特利尔银行账户"
    label_en = "BMO bank account"
    layout = "bmo-debit"
    required = ("First Bank Card", "Transaction Type", "Date Posted", "Transaction Amount", "Description")

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        return {"account": _first_card(header, "FirstBankCard")}

    def read_row(self, row: Row) -> Txn | None:
        kind = row.text("Transaction Type").upper()
        fen, side = row.signed("Transaction Amount", "in")
        if kind in ("CREDIT", "DEBIT"):
            side = "in" if kind == "CREDIT" else "out"
        elif kind:
            raise RowFail("Transaction Type", f"无法识别：{kind!r}", f"is neither CREDIT nor DEBIT: {kind!r}")
        description = squash(row.text("Description"))
        return row.txn(
            time=row.when("Date Posted", ("%Y%m%d",)),
            amount_fen=fen,
            side=side,
            nature=debit_nature(side, (description,), own=row.owner.mentioned(description)),
            currency="CAD",
            category=kind,
            memo=description,
            account=tail(_card(row.text("First Bank Card"))),
        )


PARSERS = [BmoCredit(), BmoDebit()]
