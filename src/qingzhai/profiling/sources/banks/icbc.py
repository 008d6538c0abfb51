"""ICBC 工商银行 网银 "明细查询文件下载" CSV: credit card, and debit card in two layouts.

Preamble: ``明细查询文件下载``, ``卡号: 1234****5678,"卡别名: …"``, ``子账户序号/子账户类别``. Every field is padded
and ends in a TAB (cleaned away). The footer ``合计金额`` / ``人民币合计`` is not a row. Amounts are the posted
ones (记账金额(收入) / 记账金额(支出), in 记账币种); the 交易金额 columns hold ``-`` placeholders on debit cards.
Balances may be masked (``xx,yyyy.zz``: balance_fen None).

* credit (``icbc-credit``): 交易日期, 记账日期, … 记账金额(收入), 记账金额(支出), 记账币种, 余额 (negative = owed).
* debit v1 (``icbc-debit-v1``, before Sept 2024): 13 columns with 钞/汇 and no 记账日期.
* debit v2 (``icbc-debit-v2``): v1 plus 交易详情 and 对方账户.
"""

from __future__ import annotations

from typing import Any

from qingzhai.profiling.sources.banks.common import BankParser, Row, first_text, join, preamble, tail
from qingzhai.profiling.sources.banks.rules import card_nature, debit_nature
from qingzhai.profiling.sources.base import ParseContext, Txn
from qingzhai.profiling.sources.reading import Cell, Header

IN, OUT = "记账金额(收入)", "记账金额(支出)"


class _Icbc(BankParser):
    card = False

    def is_footer(self, cells: list[Cell]) -> bool:
        return "合计" in first_text(cells)  # 合计金额, 人民币合计, 美元合计 …

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        pairs = preamble(header)
        meta: dict[str, Any] = {"account": pairs.get("卡号", "")}
        for label, key in (
            ("卡别名", "alias"),
            ("子账户序号", "sub_account"),
            ("子账户类别", "sub_account_kind"),
        ):
            if pairs.get(label):
                meta[key] = pairs[label]
        return meta

    def read_row(self, row: Row) -> Txn | None:
        found = row.two_columns(IN, OUT)
        if found is None:
            return None
        fen, side, reversal = found
        place, detail, name = row.text("交易场所"), row.text("交易详情"), row.text("对方户名")
        summary = row.text("摘要")
        texts = (summary, detail, place, name)
        if reversal:
            nature = "refund"
        elif self.card:
            nature = card_nature(side, texts, payer=name, own=row.owner.name(name))
        else:
            own = row.owner.name(name) or row.owner.account(row.text("对方账户"))
            nature = debit_nature(side, texts, own=own)
        return row.txn(
            time=row.when("交易日期", ("%Y-%m-%d",)),
            amount_fen=fen,
            side=side,
            nature=nature,
            currency=row.currency("记账币种"),
            counterparty=name or place,
            category=summary,
            memo=join(detail, place if name else ""),
            account=tail(str(row.result.meta.get("account", ""))),
            balance_fen=row.balance("余额"),
        )


class IcbcCredit(_Icbc):
    key = "bank:icbc-credit"
    label_zh = "工商银行信用卡明细"
    label_en = "ICBC credit card statement"
    layout = "icbc-credit"
    required = ("交易日期", "记账日期", "摘要", "交易场所", IN, OUT, "记账币种")
    absent = ("钞/汇",)
    card = True


class IcbcDebit(_Icbc):
    key = "bank:icbc-debit"
    label_zh = "工商银行借记卡明细"
    label_en = "ICBC debit card statement"
    layout = "icbc-debit-v1"
    required = ("交易日期", "摘要", "交易场所", "钞/汇", IN, OUT, "记账币种")

    def layout_of(self, header: Header) -> str:
        v2 = "交易详情" in header.columns or "对方账户" in header.columns
        return "icbc-debit-v2" if v2 else "icbc-debit-v1"


PARSERS = [IcbcCredit(), IcbcDebit()]
