"""CCB 建设银行 debit card detail, legacy Excel (BIFF8).

Five preamble rows (``China Construction Bank``, 开户机构, 币　　种, 账　　号, blank), then the header: 记账日,
交易日期 (``YYYYMMDD``), 交易时间 (``HH:MM:SS``), 支出, 收入 (numeric; 0 when unused), 账户余额, 币种, 摘要,
对方账号, 对方户名, 交易地点. The footer ``以上数据仅供参考|具体内容请以柜台为准`` is not a row. The sheet name
``交易明细_<tail>_<from>_<to>.xls`` gives the period. A row with 0 in both columns is skipped.
"""

from __future__ import annotations

import re
from typing import Any

from qingzhai.profiling.sources.banks.common import (
    BankParser,
    Row,
    currency_of,
    iso_day,
    join,
    preamble,
    tail,
)
from qingzhai.profiling.sources.banks.rules import debit_nature
from qingzhai.profiling.sources.base import ParseContext, Txn
from qingzhai.profiling.sources.reading import Header


class CcbDebit(BankParser):
    key = "bank:ccb-debit"
    label_zh = "建设银行借记卡明细"
    label_en = "CCB debit card statement"
    layout = "ccb-debit-xls"
    required = ("记账日", "交易日期", "交易时间", "支出", "收入", "账户余额", "摘要", "对方户名", "交易地点")
    footer_words = ("以上数据仅供参考",)

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        pairs = preamble(header)
        meta: dict[str, Any] = {"account": pairs.get("账号", ""), "branch": pairs.get("开户机构", "")}
        meta["currency"] = currency_of(pairs.get("币种", "")) or "CNY"
        m = re.search(r"_(\d{8})_(\d{8})", header.sheet.name)
        if m:
            meta["period_from"], meta["period_to"] = iso_day(m.group(1)), iso_day(m.group(2))
        return meta

    def read_row(self, row: Row) -> Txn | None:
        found = row.two_columns("收入", "支出")
        if found is None:
            return None
        fen, side, reversal = found
        name, place, summary = row.text("对方户名"), row.text("交易地点"), row.text("摘要")
        own = row.owner.name(name) or row.owner.account(row.text("对方账号"))
        nature = "refund" if reversal else debit_nature(side, (summary, name, place), own=own)
        date_col = "交易日期" if row.text("交易日期") else "记账日"
        return row.txn(
            time=row.when(date_col, ("%Y%m%d",), "交易时间"),
            amount_fen=fen,
            side=side,
            nature=nature,
            currency=row.currency("币种", str(row.result.meta.get("currency", "CNY"))),
            counterparty=name,
            category=summary,
            memo=join(place),
            account=tail(str(row.result.meta.get("account", ""))),
            balance_fen=row.balance("账户余额"),
        )


PARSERS = [CcbDebit()]
