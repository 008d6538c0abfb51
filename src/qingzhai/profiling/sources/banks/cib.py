"""CIB 兴业银行 debit card detail, XLSX, one file per currency sub-account (samples are mock data).

Ten preamble rows: ``兴业银行交易明细``, blank, 账户别名, 账户户名 (holder), 账户账号 (account), 卡内账户
(``001 活期储蓄存款 人民币`` / ``002 … 港币 现汇``: the currency of every row), 起始日期, 截止日期, 下载日期, blank.
Columns: 交易时间, 记账日, 支出, 收入, 账户余额, 摘要, 对方户名, 对方银行, 对方账号, 用途, 交易渠道, 备注. The
footer ``说明 | 交易明细涉及您的个人隐私…`` is not a row.

A reversal (``隔日冲账``) is written as a **negative 支出**: it becomes side ``in``, nature ``refund``, the
unsigned amount, and its row is listed in ``meta["reversals"]`` (so 支出 net = out − reversals: HKD sample
17.60 − 5.50 = 12.10). The 购汇 rows move money between the holder's own sub-accounts: ``own_transfer``.
"""

from __future__ import annotations

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

TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d")


class CibDebit(BankParser):
    key = "bank:cib-debit"
    label_zh = "兴业银行借记卡明细"
    label_en = "CIB debit card statement"
    layout = "cib-debit-xlsx"
    required = ("交易时间", "记账日", "支出", "收入", "账户余额", "对方银行", "用途")
    footer_words = ("说明",)

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        pairs = preamble(header)
        sub = pairs.get("卡内账户", "")
        meta: dict[str, Any] = {
            "holder": pairs.get("账户户名", ""),
            "account": pairs.get("账户账号", ""),
            "sub_account": sub,
            "currency": currency_of(sub) or "CNY",
        }
        if pairs.get("起始日期"):
            meta["period_from"] = iso_day(pairs["起始日期"])
        if pairs.get("截止日期"):
            meta["period_to"] = iso_day(pairs["截止日期"])
        return meta

    def read_row(self, row: Row) -> Txn | None:
        found = row.two_columns("收入", "支出")
        if found is None:
            return None
        fen, side, reversal = found
        summary, name, purpose = row.text("摘要"), row.text("对方户名"), row.text("用途")
        own = row.owner.name(name) or row.owner.account(row.text("对方账号"))
        date_col = "交易时间" if row.text("交易时间") else "记账日"
        return row.txn(
            time=row.when(date_col, TIME_FORMATS),
            amount_fen=fen,
            side=side,
            nature="refund" if reversal else debit_nature(side, (summary, name, purpose), own=own),
            currency=str(row.result.meta["currency"]),
            counterparty=name,
            category=summary,
            channel=row.text("交易渠道"),
            memo=join(purpose, row.text("备注"), row.text("对方银行")),
            account=tail(str(row.result.meta.get("account", ""))),
            balance_fen=row.balance("账户余额"),
        )


PARSERS = [CibDebit()]
