"""CGB 广发银行 credit card statement, converted from PDF.

Columns: 交易日期, 入账日期 (``YYYY/MM/DD``), 交易摘要 (prefixed ``（消费）``, ``（退款）``, ``（分期）``,
``（还款）``), 交易金额 (signed), 交易货币 (人民币), 入账金额, 入账货币. Positive is a spend or an instalment
(side out, nature spending: an instalment posting is the period's share of a purchase); negative is a refund
or a repayment (side in). The posted amount (入账金额, 入账货币) is used.
"""

from __future__ import annotations

import re

from qingzhai.profiling.sources.banks.common import BankParser, Row
from qingzhai.profiling.sources.banks.rules import card_nature
from qingzhai.profiling.sources.base import Txn


class CgbCredit(BankParser):
    key = "bank:cgb-credit"
    label_zh = "广发银行信用卡账单（PDF 转换）"
    label_en = "CGB credit card statement (converted from PDF)"
    layout = "cgb-credit-converted"
    required = ("交易日期", "入账日期", "交易摘要", "交易金额", "交易货币", "入账金额", "入账货币")

    def read_row(self, row: Row) -> Txn | None:
        fen, side = row.signed("入账金额", "out")
        summary = row.text("交易摘要")
        m = re.match(r"^[（(]([^）)]*)[）)]\s*(.*)$", summary)
        kind, rest = (m.group(1), m.group(2)) if m else ("", summary)
        date_col = "交易日期" if row.text("交易日期") else "入账日期"
        return row.txn(
            time=row.when(date_col, ("%Y/%m/%d", "%Y-%m-%d")),
            amount_fen=fen,
            side=side,
            nature=card_nature(side, (kind, rest), payer=rest, own=row.owner.name(rest)),
            currency=row.currency("入账货币"),
            counterparty=rest,
            category=kind,
        )


PARSERS = [CgbCredit()]
