"""TD Canada Trust account CSV (Canada; for reference). **No header row**: every line is date
(``MM/DD/YYYY``; compare HSBC's DD/MM), description, debit (side out), credit (side in), balance; CAD.

With no header the layout cannot be told apart from other headerless CSVs, so `sniff` is always False and the
parser runs only when the user names the source ``bank:td``. It then checks the shape: at least one line must
start with an ``MM/DD/YYYY`` date and have 4 or 5 fields, or the file is refused. Other non-blank lines are row
errors.
"""

from __future__ import annotations

import re

from qingzhai.profiling.sources.banks.common import BankParser, Row
from qingzhai.profiling.sources.banks.rules import debit_nature, squash
from qingzhai.profiling.sources.base import ParseContext, ParseResult, Txn
from qingzhai.profiling.sources.common import no_header
from qingzhai.profiling.sources.reading import Header, Workbook, clean

COLUMNS = {"date": 0, "description": 1, "debit": 2, "credit": 3, "balance": 4}
_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


class TdBank(BankParser):
    key = "bank:td"
    label_zh = "加拿大道明银行账户（无表头）"
    label_en = "TD Canada Trust account (no header row)"
    layout = "td"

    def sniff(self, book: Workbook) -> bool:
        return False

    def find(self, book: Workbook) -> Header | None:
        for sheet in book.sheets:
            for row in sheet.rows:
                if 4 <= len(row) <= 5 and _DATE.fullmatch(clean(row[0])):
                    return Header(sheet=sheet, index=-1, columns=dict(COLUMNS))
        return None

    def parse(self, book: Workbook, ctx: ParseContext) -> ParseResult:
        if self.find(book) is None:
            raise no_header(self.label_zh, self.label_en)
        return super().parse(book, ctx)

    def read_row(self, row: Row) -> Txn | None:
        found = row.two_columns("credit", "debit")
        if found is None:
            return None
        fen, side, reversal = found
        description = squash(row.text("description"))
        own = row.owner.mentioned(description)
        return row.txn(
            time=row.when("date", ("%m/%d/%Y",)),
            amount_fen=fen,
            side=side,
            nature="refund" if reversal else debit_nature(side, (description,), own=own),
            currency="CAD",
            memo=description,
            balance_fen=row.balance("balance"),
        )


PARSERS = [TdBank()]
