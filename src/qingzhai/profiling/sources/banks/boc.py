"""BOC 中国银行 statements converted from PDF (the app exports encrypted PDFs).

* credit (``boc-credit-converted``): title ``中国银行信用卡账单(2025年01月)``; 交易日, 银行记账日, 卡号后四位,
  交易描述, 存入 (credit: side in), 支出 (debit: side out), 币种 (CNY, USD …).
* debit (``boc-debit-converted``): title ``中国银行交易流水明细单``; 记账日期, 记账时间, 币别, 金额 (signed,
  ``"-2,600.00"``), 余额, 交易名称, 渠道, 网点名称, 附言, 对方账户名, 对方卡号/账号, 对方开户行, 借记卡号.
  ``-------------------`` is an empty-cell placeholder.
"""

from __future__ import annotations

from typing import Any

from qingzhai.profiling.sources.banks.common import BankParser, Row, join, tail, title_month
from qingzhai.profiling.sources.banks.rules import card_nature, debit_nature
from qingzhai.profiling.sources.base import ParseContext, Txn
from qingzhai.profiling.sources.reading import Header


class BocCredit(BankParser):
    key = "bank:boc-credit"
    label_zh = "中国银行信用卡账单（PDF 转换）"
    label_en = "BOC credit card statement (converted from PDF)"
    layout = "boc-credit-converted"
    required = ("交易日", "银行记账日", "卡号后四位", "交易描述", "存入", "支出", "币种")

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        found = title_month(header)
        return {"statement_month": f"{found[0]:04d}-{found[1]:02d}" if found else ""}

    def read_row(self, row: Row) -> Txn | None:
        found = row.two_columns("存入", "支出")
        if found is None:
            return None
        fen, side, reversal = found
        description = row.text("交易描述")
        own = row.owner.name(description)
        date_col = "交易日" if row.text("交易日") else "银行记账日"
        return row.txn(
            time=row.when(date_col, ("%Y-%m-%d", "%Y/%m/%d")),
            amount_fen=fen,
            side=side,
            nature="refund" if reversal else card_nature(side, (description,), payer=description, own=own),
            currency=row.currency("币种"),
            counterparty=description,
            account=row.text("卡号后四位"),
        )


class BocDebit(BankParser):
    key = "bank:boc-debit"
    label_zh = "中国银行交易流水明细（PDF 转换）"
    label_en = "BOC debit card statement (converted from PDF)"
    layout = "boc-debit-converted"
    required = ("记账日期", "记账时间", "币别", "金额", "余额", "交易名称", "借记卡号")

    def read_row(self, row: Row) -> Txn | None:
        fen, side = row.signed("金额", "in")
        kind, name, note = row.text("交易名称"), row.text("对方账户名"), row.text("附言")
        own = row.owner.name(name) or row.owner.account(row.text("对方卡号/账号"))
        return row.txn(
            time=row.when("记账日期", ("%Y-%m-%d", "%Y/%m/%d"), "记账时间"),
            amount_fen=fen,
            side=side,
            nature=debit_nature(side, (kind, name, note), own=own),
            currency=row.currency("币别"),
            counterparty=name,
            category=kind,
            channel=row.text("渠道"),
            memo=join(note if note != name else "", row.text("网点名称"), row.text("对方开户行")),
            account=tail(row.text("借记卡号")) or row.text("借记卡号"),
            balance_fen=row.balance("余额"),
        )


PARSERS = [BocCredit(), BocDebit()]
