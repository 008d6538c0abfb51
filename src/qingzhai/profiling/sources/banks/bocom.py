"""BoCom 交通银行 statements converted from EML (credit, 买单吧 账单补发) and PDF (debit).

* credit (``bocom-credit-converted``): 交易日期, 记账日期, 交易说明, 交易币种/金额, 入账币种/金额
  (``CNY 123.18``, ``JPY 1000.00``, ``CNY13.50``). There is **no sign**: the first word of 交易说明 gives the
  direction (``消费 `` spend, ``退货 `` refund, ``信用卡还款 `` repayment; see `OUT_WORDS` / `IN_WORDS`); a
  row with an unknown word is a row error. The posted amount (入账币种/金额) is used.
* debit (``bocom-debit-converted``): 序号, 交易日期, 交易时间, 交易类型, 借贷 (``借 Dr`` out / ``贷 Cr`` in),
  交易金额 (unsigned), 余额, 对方账号, 对方户名, 交易地点, 摘要.
"""

from __future__ import annotations

from qingzhai.profiling.sources.banks.common import BankParser, Row, RowFail, flip
from qingzhai.profiling.sources.banks.rules import debit_nature
from qingzhai.profiling.sources.base import Txn

# First word of 交易说明 -> (side, nature)
OUT_WORDS = {
    "消费": "spending",
    "分期": "spending",
    "年费": "spending",
    "利息": "spending",
    "手续费": "spending",
    "滞纳金": "spending",
    "取现": "credit_draw",
    "预借现金": "credit_draw",
}
IN_WORDS = {
    "退货": "refund",
    "退款": "refund",
    "返现": "refund",
    "信用卡还款": "credit_repay",
    "还款": "credit_repay",
}


class BocomCredit(BankParser):
    key = "bank:bocom-credit"
    label_zh = "交通银行信用卡账单（邮件转换）"
    label_en = "BoCom credit card statement (converted from e-mail)"
    layout = "bocom-credit-converted"
    required = ("交易日期", "记账日期", "交易说明", "交易币种/金额", "入账币种/金额")

    def read_row(self, row: Row) -> Txn | None:
        description = row.text("交易说明")
        word, _, rest = description.partition(" ")
        if word in OUT_WORDS:
            side, nature = "out", OUT_WORDS[word]
        elif word in IN_WORDS:
            side, nature = "in", IN_WORDS[word]
        else:
            raise RowFail(
                "交易说明",
                f"无法判断收支方向：{description!r}",
                f"cannot tell the direction: {description!r}",
            )
        posted = row.amount("入账币种/金额")
        if posted.fen < 0:  # a signed amount after all: a reversal of the word's direction
            side, nature, row.reversal = flip(side), "refund", True
        currency = posted.currency or "CNY"
        original = row.text("交易币种/金额")  # 'JPY 1000.00', 'CNY13.50': shown when it differs
        try:
            spent = row.maybe_amount("交易币种/金额")
            shown = spent is not None and ((spent.currency or "CNY"), abs(spent.fen)) != (
                currency,
                abs(posted.fen),
            )
        except RowFail:
            shown = bool(original)
        return row.txn(
            time=row.when("交易日期", ("%Y-%m-%d", "%Y/%m/%d")),
            amount_fen=abs(posted.fen),
            side=side,
            nature=nature,
            currency=currency,
            counterparty=rest.strip(),
            category=word,
            memo=f"交易金额 {original}" if shown else "",
        )


class BocomDebit(BankParser):
    key = "bank:bocom-debit"
    label_zh = "交通银行借记卡明细（PDF 转换）"
    label_en = "BoCom debit card statement (converted from PDF)"
    layout = "bocom-debit-converted"
    required = ("序号", "交易日期", "交易时间", "交易类型", "借贷", "交易金额", "余额")

    def read_row(self, row: Row) -> Txn | None:
        flag = row.text("借贷")
        if flag.startswith("借") or flag.upper().endswith("DR"):
            side = "out"
        elif flag.startswith("贷") or flag.upper().endswith("CR"):
            side = "in"
        else:
            raise RowFail("借贷", f"无法判断借贷方向：{flag!r}", f"is neither debit nor credit: {flag!r}")
        fen, side = row.signed("交易金额", side)
        kind, name, note = row.text("交易类型"), row.text("对方户名"), row.text("摘要")
        own = row.owner.name(name) or row.owner.account(row.text("对方账号"))
        return row.txn(
            time=row.when("交易日期", ("%Y-%m-%d", "%Y/%m/%d"), "交易时间"),
            amount_fen=fen,
            side=side,
            nature=debit_nature(side, (kind, name, note), own=own),
            counterparty=name,
            category=kind,
            channel=row.text("交易地点"),
            memo=note,
            balance_fen=row.balance("余额"),
        )


PARSERS = [BocomCredit(), BocomDebit()]
