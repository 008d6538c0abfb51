"""ABC 农业银行 debit card statement, converted from PDF.

Columns: 交易日期 (``YYYYMMDD``), 交易时间 (``HHMMSS``, may be empty: midnight), 交易摘要, 交易金额 (explicit
``+``/``-``; ``+0.00`` is money in), 本次余额, 对手信息 (``--`` when none), ``日 志 号`` (spaces inside the
header), 交易渠道, 交易附言. Rows have 7 or 9 fields: the missing trailing cells are empty.
"""

from __future__ import annotations

from qingzhai.profiling.sources.banks.common import BankParser, Row
from qingzhai.profiling.sources.banks.rules import debit_nature
from qingzhai.profiling.sources.base import Txn


class AbcDebit(BankParser):
    key = "bank:abc-debit"
    label_zh = "农业银行借记卡明细（PDF 转换）"
    label_en = "ABC debit card statement (converted from PDF)"
    layout = "abc-debit-converted"
    required = ("交易日期", "交易时间", "交易摘要", "交易金额", "本次余额", "日志号")

    def read_row(self, row: Row) -> Txn | None:
        fen, side = row.signed("交易金额", "in")
        summary, who, channel, note = (row.text(c) for c in ("交易摘要", "对手信息", "交易渠道", "交易附言"))
        log = row.text("日志号")
        return row.txn(
            time=row.when("交易日期", ("%Y%m%d",), "交易时间", ("%H%M%S", "%H:%M:%S")),
            amount_fen=fen,
            side=side,
            nature=debit_nature(
                side, (summary, who, note), own=row.owner.name(who) or row.owner.account(who)
            ),
            counterparty=who,
            category=summary,
            channel=channel,
            memo=note,
            ref="" if set(log) <= {"0"} else log,
            balance_fen=row.balance("本次余额"),
        )


PARSERS = [AbcDebit()]
