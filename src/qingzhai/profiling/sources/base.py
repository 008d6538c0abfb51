"""What every statement and bill parser produces: one normalised transaction table.

Pure module (no Django). A parser turns a decoded `Workbook` (see `reading.py`) into a `ParseResult`.

Direction and nature
--------------------
`direction` is the effect of a row on the debtor's income and spending, not merely what the file says:

* ``in``: counted as income (salary, business receipts, transfers received from others);
* ``out``: counted as spending (purchases, fees, transfers sent to others);
* ``neutral``: counted as neither.

`nature` says why, so indicators can still look at neutral rows (credit drawn, repayments, investments):

=================  =========  ===========================================================================
nature             direction  meaning
=================  =========  ===========================================================================
income             in         money received from someone else
spending           out        money paid to someone else (consumption, fees, transfers out)
refund             neutral    a refund of an earlier purchase (offsets spending; see `refund_of`)
own_transfer       neutral    between the debtor's own accounts (balance -> card, top-up, withdrawal)
investment         neutral    into or out of savings / wealth products (余额宝, 理财通, 零钱通)
credit_draw        neutral    credit drawn (loan payout 放款, 借呗 borrow, cash advance)
credit_repay       neutral    repayment of credit (信用卡还款, 花呗/白条/月付 repayment, 还款)
failed             neutral    failed, cancelled or unpaid trade
closed             neutral    closed trade (交易关闭: nothing moved, or fully refunded)
other              neutral    a neutral row the source does not explain
=================  =========  ===========================================================================

A purchase that was partly refunded keeps direction ``out`` with its full amount; the refund shows either
in `refunded_fen` of the same row (JD ``131.77(已退款89.84)``, WeChat ``已退款(¥39.93)``) or as a separate
``refund`` row whose `refund_of` names the original `ref` (Alipay). Net spending = out amounts - their
`refunded_fen` - refunds pointing at them; refund rows never count as income.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

DIRECTIONS = ("in", "out", "neutral")
NATURES = (
    "income",
    "spending",
    "refund",
    "own_transfer",
    "investment",
    "credit_draw",
    "credit_repay",
    "failed",
    "closed",
    "other",
)
DIRECTION_OF_NATURE = {
    "income": "in",
    "spending": "out",
}


@dataclass(slots=True)
class Txn:
    """One normalised transaction. Times are naive wall-clock times in the source's zone (China time,
    Asia/Shanghai, for every Chinese source); amounts are unsigned integer fen of `currency`."""

    row: int  # 1-based line number in the CSV, or 1-based worksheet row number in XLS/XLSX
    time: datetime
    amount_fen: int
    direction: str  # one of DIRECTIONS
    nature: str  # one of NATURES
    currency: str = "CNY"
    side: str = ""  # the file's own direction, normalised: in (收入/存入/credit), out (支出/debit), neutral
    counterparty: str = ""
    category: str = ""  # the source's own category or type text (交易分类, 交易类型, 摘要)
    channel: str = ""  # funding method or channel (余额, 花呗, 中国银行(1234), 网银, ATM)
    memo: str = ""  # item, description, remark joined by " | "
    status: str = ""  # the source's status text (交易成功, 退款成功, 已全额退款 ...)
    ref: str = ""  # the source's transaction id, "" when there is none
    refund_of: str = ""  # for a refund row: the `ref` of the trade it reverses, when known
    refunded_fen: int = 0  # refunded part of this row, when the source states it on the row
    account: str = ""  # the debtor's own account or card the row is on (tail digits), when given
    balance_fen: int | None = None  # running balance after the row, when given and unmasked

    def __post_init__(self) -> None:
        if self.side and self.side not in DIRECTIONS:
            raise ValueError(f"side {self.side!r}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction {self.direction!r}")
        if self.nature not in NATURES:
            raise ValueError(f"nature {self.nature!r}")
        if self.amount_fen < 0 or self.refunded_fen < 0:
            raise ValueError("amounts are unsigned")
        expected = DIRECTION_OF_NATURE.get(self.nature, "neutral")
        if self.direction != expected:
            raise ValueError(f"nature {self.nature} goes with direction {expected}, not {self.direction}")


@dataclass(slots=True)
class RowError:
    """A row that could not be read. `row` as in Txn; `field` the column name in the file."""

    row: int
    field: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "message": self.message_zh,
            "message_en": self.message_en,
        }


@dataclass
class ParseResult:
    source: str  # parser key, e.g. "alipay", "wechat", "bank:icbc-debit"
    layout: str  # layout version, e.g. "alipay-2023", "icbc-debit-v2"
    rows: int = 0  # data rows seen (summary, footer and blank lines excluded)
    txns: list[Txn] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: int = 0  # data rows deliberately left out (e.g. zero-amount placeholders), with no error
    meta: dict[str, Any] = field(default_factory=dict)  # holder name, account, period from the preamble

    @property
    def period(self) -> tuple[datetime, datetime] | None:
        if not self.txns:
            return None
        times = [t.time for t in self.txns]
        return min(times), max(times)


class ParseContext:
    """What a parser may know beyond the file: the debtor's own names and account tails (to recognise
    transfers between the debtor's own accounts) and, for layouts without a year, a fallback year."""

    def __init__(self, *, owner_names: tuple[str, ...] = (), own_accounts: tuple[str, ...] = ()) -> None:
        self.owner_names = tuple(n for n in owner_names if n)
        self.own_accounts = tuple(a for a in own_accounts if a)

    def is_owner(self, name: str) -> bool:
        """The debtor by name: exactly, or a masked form of it (``*小明``, ``李*明`` for 李小明)."""
        name = name.strip()
        return bool(name) and any(_same_name(name, n) for n in self.owner_names)


def _same_name(shown: str, real: str) -> bool:
    if shown == real:
        return True
    if "*" not in shown or len(shown) != len(real) or shown.count("*") == len(shown):
        return False
    return all(a == "*" or a == b for a, b in zip(shown, real, strict=True))


class Parser(Protocol):
    key: str  # "alipay", "wechat", "jd", "meituan", "bank:icbc-debit", "bank:generic"
    label_zh: str
    label_en: str

    def sniff(self, book: Any) -> bool:
        """True when this parser recognises the workbook (by its header row, never by line counts)."""

    def parse(self, book: Any, ctx: ParseContext) -> ParseResult: ...


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (not a table, wrong password, unknown layout)."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
