"""Money as integer fen (分). Decimal only at the edges; never float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_STRIP = re.compile(r"[\s,，¥￥]|RMB|CNY|元", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


# What to tell a person whose amount was refused, by AmountError code; {value} is what they typed.
AMOUNT_MESSAGES: dict[str, tuple[str, str]] = {
    "amount_invalid": (
        "金额格式不对：{value}（例如 1234.56）",
        "Not an amount: {value} (for example 1234.56)",
    ),
    "amount_negative": ("金额不能为负数：{value}", "The amount cannot be negative: {value}"),
    "amount_precision": (
        "金额最多两位小数（精确到分）：{value}",
        "Amounts have at most two decimals (whole fen): {value}",
    ),
    "amount_too_large": ("金额过大：{value}", "The amount is too large: {value}"),
    "amount_not_positive": ("金额必须大于零：{value}", "The amount must be greater than zero: {value}"),
}


def amount_message(code: str, value: object) -> tuple[str, str]:
    """(Chinese, English) explanation of a refused amount."""
    zh, en = AMOUNT_MESSAGES.get(code, AMOUNT_MESSAGES["amount_invalid"])
    text = str(value)
    return zh.format(value=text), en.format(value=text)


class AmountError(ValueError):
    """An amount could not be read; `code` names why."""

    def __init__(self, code: str, raw: str) -> None:
        super().__init__(f"{code}: {raw!r}")
        self.code = code
        self.raw = raw


def parse_fen(raw: str | int | Decimal | None, *, allow_negative: bool = False) -> int:
    """'¥1,234.56' -> 123456. Accepts thousands separators, ¥/￥/元/RMB/CNY, full-width comma.

    Raises AmountError('amount_invalid' | 'amount_negative' | 'amount_precision').
    """
    if raw is None:
        raise AmountError("amount_invalid", "")
    if isinstance(raw, bool):
        raise AmountError("amount_invalid", str(raw))
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    else:
        text = _STRIP.sub("", str(raw).strip())
        if text.startswith("(") and text.endswith(")"):
            text = "-" + text[1:-1]
        if not _NUMBER.match(text):
            raise AmountError("amount_invalid", str(raw))
        try:
            value = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
            raise AmountError("amount_invalid", str(raw)) from exc
    if not value.is_finite():
        raise AmountError("amount_invalid", str(raw))
    fen = value * 100
    if fen != fen.to_integral_value():
        raise AmountError("amount_precision", str(raw))
    if fen < 0 and not allow_negative:
        raise AmountError("amount_negative", str(raw))
    return int(fen)


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def format_fen(fen: int, *, symbol: str = "¥") -> str:
    """123456 -> '¥1,234.56'; negative amounts as '-¥1,234.56'."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{symbol}{yuan:,}.{cents:02d}"


def decimal_to_fen(value: Decimal) -> int:
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, order=True)
class Money:
    """An amount in fen with its currency. Arithmetic only between the same currency."""

    fen: int
    currency: str = "CNY"

    def __post_init__(self) -> None:
        if not isinstance(self.fen, int) or isinstance(self.fen, bool):
            raise TypeError("Money.fen must be int")

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise ValueError(f"currency mismatch: {self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.fen + other.fen, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.fen - other.fen, self.currency)

    def __str__(self) -> str:
        return format_fen(self.fen, symbol="¥" if self.currency == "CNY" else f"{self.currency} ")

    @property
    def decimal(self) -> Decimal:
        return fen_to_decimal(self.fen)
