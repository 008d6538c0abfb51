"""CITIC 中信银行 credit card statement, XLS (BIFF8, re-saved by WPS), sheet ``本期账单明细(人民币)``.

One title row, then 交易日期, 入账日期 (``YYYY-MM-DD`` text), 交易描述, 卡末四位 (stored as a number, 6688.0 ->
account ``6688``), 交易币种, 结算币种, 交易金额, 结算金额. Amounts are signed text: positive is a charge (side
out), negative a repayment or cash-back (side in). The settled amount (结算金额, 结算币种) is used.
"""

from __future__ import annotations

from typing import Any

from qingzhai.profiling.sources.banks.common import BankParser, Row
from qingzhai.profiling.sources.banks.rules import card_nature
from qingzhai.profiling.sources.base import ParseContext, Txn
from qingzhai.profiling.sources.reading import Header, clean


class CiticCredit(BankParser):
    key = "bank:citic-credit"
    label_zh = "中信银行信用卡账单"
    label_en = "CITIC credit card statement"
    layout = "citic-credit-xls"
    required = ("交易日期", "入账日期", "交易描述", "卡末四位", "交易金额", "结算金额")

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        col = header.columns["卡末四位"]
        tails = sorted(
            {clean(r[col]) for r in header.sheet.rows[header.index + 1 :] if col < len(r) and clean(r[col])}
        )
        return {"account": ",".join(t for t in tails if t.isdigit()), "sheet": header.sheet.name}

    def read_row(self, row: Row) -> Txn | None:
        fen, side = row.signed("结算金额", "out")
        description = row.text("交易描述")
        date_col = "交易日期" if row.text("交易日期") else "入账日期"
        return row.txn(
            time=row.when(date_col, ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")),
            amount_fen=fen,
            side=side,
            nature=card_nature(side, (description,), payer=description, own=row.owner.name(description)),
            currency=row.currency("结算币种"),
            counterparty=description,
            account=row.text("卡末四位"),
        )


PARSERS = [CiticCredit()]
