"""SPDB 浦发银行 debit card detail, XLS (BIFF8).

One preamble row ``账号 | 6200… | 账户类型 | 借记卡 | 日期范围 | 20251201-20251231``, then 顺序号, 交易日期
(``YYYY/MM/DD  HH:MM:SS``, two spaces), 交易类型, 存入金额, 取出金额, 余额, 交易对手名称, 交易对手账号, 附言.
"""

from __future__ import annotations

import re
from typing import Any

from qingzhai.profiling.sources.banks.common import BankParser, Row, iso_day, preamble, tail
from qingzhai.profiling.sources.banks.rules import debit_nature
from qingzhai.profiling.sources.base import ParseContext, Txn
from qingzhai.profiling.sources.reading import Header


class SpdbDebit(BankParser):
    key = "bank:spdb-debit"
    label_zh = "浦发银行借记卡明细"
    label_en = "SPDB debit card statement"
    layout = "spdb-debit-xls"
    required = ("顺序号", "交易日期", "交易类型", "存入金额", "取出金额", "余额")

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        pairs = preamble(header)
        meta: dict[str, Any] = {"account": pairs.get("账号", ""), "account_kind": pairs.get("账户类型", "")}
        m = re.fullmatch(r"\s*(\d{8})\s*[-~至]\s*(\d{8})\s*", pairs.get("日期范围", ""))
        if m:
            meta["period_from"], meta["period_to"] = iso_day(m.group(1)), iso_day(m.group(2))
        return meta

    def read_row(self, row: Row) -> Txn | None:
        found = row.two_columns("存入金额", "取出金额")
        if found is None:
            return None
        fen, side, reversal = found
        kind, name, note = row.text("交易类型"), row.text("交易对手名称"), row.text("附言")
        own = row.owner.name(name) or row.owner.account(row.text("交易对手账号"))
        return row.txn(
            time=row.when("交易日期", ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d")),
            amount_fen=fen,
            side=side,
            nature="refund" if reversal else debit_nature(side, (kind, name, note), own=own),
            counterparty=name,
            category=kind,
            memo=note,
            account=tail(str(row.result.meta.get("account", ""))),
            balance_fen=row.balance("余额"),
        )


PARSERS = [SpdbDebit()]
