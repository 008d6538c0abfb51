"""How a bank row is classified: whether a counterparty is the debtor, and the row's nature.

Pure module (no Django).

Nature rules (documented choices)
---------------------------------
Debit accounts, in this order:

1. reversal and refund words (冲正, 冲账, 退款, 退货, REFUND, RETURN) -> ``refund``;
2. repayment (还款: a card or loan paid from this account) -> ``credit_repay``;
3. currency exchange between the debtor's own sub-accounts (购汇, 结汇) -> ``own_transfer``;
4. the counterparty is the debtor (`ParseContext.is_owner`, the holder named in the file, also inside
   ``支付宝-张三`` forms, or one of `ParseContext.own_accounts` by tail) -> ``own_transfer``;
5. money in: withdrawal from the debtor's own e-wallet (提现: Alipay/WeChat only pay out to the owner's
   card) and cash deposits -> ``own_transfer``; loan payout (放款) -> ``credit_draw``; funds and wealth
   products (基金, 理财, 赎回) -> ``investment``; anything else (salary, interest 结息, transfers from
   others) -> ``income``;
6. money out: cash withdrawal (取款, ATM, WITHDRAWAL) and top-up of an own e-wallet (余额充值) ->
   ``own_transfer``; funds and wealth products (申购, 基金) -> ``investment``; anything else (purchases,
   fees, transfers to others) -> ``spending``.

Credit cards: a charge is ``spending``, instalment postings (分期) included, because the statement shows the
period's share of a purchase and not the purchase; a cash advance (取现, 预借现金) is ``credit_draw``; a
reversal is ``refund``. Money in: repayment (还款, PAYMENT) -> ``credit_repay``; refunds, reversals and
cash-back (退货, 退款, 返现, 奖励, RETURN) -> ``refund``; interest (利息) -> ``income``; money from the debtor
or from someone named like a person -> ``credit_repay``; any other credit -> ``refund`` (a merchant credit).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qingzhai.profiling.sources.base import ParseContext


def squash(value: str) -> str:
    """Runs of whitespace inside fixed-width text (HSBC descriptions) as one space."""
    return re.sub(r"\s+", " ", value).strip()


# --- owner -------------------------------------------------------------------------------------------


class Owner:
    """Whether a counterparty is the debtor: by name (ParseContext names plus the holder the file names)
    or by account tail (ParseContext.own_accounts)."""

    def __init__(self, ctx: ParseContext, holder: str = "") -> None:
        self.ctx = ParseContext(owner_names=(*ctx.owner_names, holder), own_accounts=ctx.own_accounts)
        self._seen: dict[str, bool] = {}

    def name(self, *names: str) -> bool:
        return any(self._name(n.strip()) for n in names if n and n.strip())

    def _name(self, name: str) -> bool:
        found = self._seen.get(name)
        if found is None:
            found = self._match(name) if self.ctx.owner_names else False
            if len(self._seen) < 10_000:
                self._seen[name] = found
        return found

    def _match(self, name: str) -> bool:
        """The whole text or any part of it ('支付宝-张三', '张三 6666…', '张三66666666')."""
        for part in {name, *re.split(r"[-－—_\s/|()（）:：,，]+", name)}:
            bare = re.sub(r"[\d*]{4,}$", "", part)
            if part and (self.ctx.is_owner(part) or (bare and self.ctx.is_owner(bare))):
                return True
        return False

    def account(self, *accounts: str) -> bool:
        for account in accounts:
            digits = re.sub(r"\D", "", account)
            if digits and any(len(t) >= 4 and digits.endswith(t) for t in self.ctx.own_accounts):
                return True
        return False

    def mentioned(self, description: str) -> bool:
        """An owner name inside free English text ('FUND TRANSFER FROM 12-345 JOHN SMITH')."""
        up = f" {squash(description).upper()} "
        return any(len(n) >= 4 and f" {squash(n).upper()} " in up for n in self.ctx.owner_names)


# --- nature ------------------------------------------------------------------------------------------

REVERSAL = ("冲正", "冲账", "冲销", "REVERSAL")
REFUND = ("退款", "退货", "退回", "REFUND", "RETURN")
REBATE = ("返现", "奖励", "笔笔返", "CASH BACK", "CASHBACK", "REBATE")
CARD_REPAY = ("还款", "PAYMENT", "REPAY")
DEBIT_REPAY = ("还款", "CREDIT CARD PAYMENT")
FX = ("购汇", "结汇")
WALLET_WITHDRAW = ("提现",)
CASH_DEPOSIT = ("存现", "现金存入", "ATM存款", "CASH DEPOSIT")
LOAN = ("放款", "贷款发放", "贷款放款")
INVEST = ("基金", "理财", "申购", "赎回", "余额宝", "零钱通", "理财通", "小金库", "定期存款", "银证转")
CASH_OUT = ("取款", "ATM", "WITHDRAWAL")
WALLET_TOPUP = ("余额充值", "零钱充值")
INTEREST = ("利息", "结息", "INTEREST")
CASH_ADVANCE = ("取现", "预借现金", "CASH ADVANCE")
_ORG = (
    "公司",
    "银行",
    "中心",
    "商户",
    "平台",
    "超市",
    "店",
    "局",
    "院",
    "集团",
    "中国",
    "支付",
    "科技",
    "利息",
)


def has(hay: str, words: Iterable[str]) -> bool:
    return any(w in hay for w in words)


def haystack(texts: Iterable[str]) -> str:
    return " ".join(t for t in texts if t).upper()


def looks_like_person(name: str) -> bool:
    """A short Chinese name, possibly masked ('曾三', '李*明'), with no organisation word."""
    name = name.strip()
    return bool(re.fullmatch(r"[\u4e00-\u9fff*＊·]{2,5}", name)) and not has(name, _ORG)


def debit_nature(side: str, texts: Iterable[str], *, own: bool = False) -> str:
    """Nature of a debit-account row (see the module docstring); `own`: the counterparty is the debtor."""
    hay = haystack(texts)
    if has(hay, REVERSAL + REFUND):
        return "refund"
    if has(hay, DEBIT_REPAY):
        return "credit_repay"
    if has(hay, FX) or own:
        return "own_transfer"
    if side == "in":
        if has(hay, WALLET_WITHDRAW + CASH_DEPOSIT):
            return "own_transfer"
        if has(hay, LOAN):
            return "credit_draw"
        if has(hay, INVEST):
            return "investment"
        return "income"
    if side == "out":
        if has(hay, CASH_OUT + WALLET_TOPUP):
            return "own_transfer"
        if has(hay, INVEST):
            return "investment"
        return "spending"
    return "other"


def card_nature(side: str, texts: Iterable[str], *, payer: str = "", own: bool = False) -> str:
    """Nature of a credit-card row (see the module docstring); `payer` the counterparty of a credit."""
    hay = haystack(texts)
    if side == "out":
        if has(hay, REVERSAL):
            return "refund"
        if has(hay, CASH_ADVANCE):
            return "credit_draw"
        return "spending"
    if side == "in":
        if has(hay, CARD_REPAY):
            return "credit_repay"
        if has(hay, REVERSAL + REFUND + REBATE):
            return "refund"
        if has(hay, INTEREST):
            return "income"
        if own or looks_like_person(payer):
            return "credit_repay"
        return "refund"
    return "other"
