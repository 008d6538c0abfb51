"""Court fees under 《诉讼费用交纳办法》 (State Council Order 481, effective 2007-04-01).

Pure: no Django. Amounts are integer fen inside; Decimal (2 places) only at the edges; never float.

- Acceptance fee for property cases (案件受理费), art. 13(1): cumulative brackets (分段累计), first
  RMB 10,000 a flat 50.
- Halved (减半), arts. 15-16: mediation settlement, withdrawal (撤诉) or simple procedure. One halving
  only: judgments show a single "减半收取" (the reference marks non-cumulation UNCONFIRMED as a rule).
- Payment order (支付令), art. 14(3): 1/3 of the property-case acceptance fee.
- Enforcement application (执行申请费), art. 14(1): brackets, first RMB 10,000 a flat 50.
- Preservation application (保全申请费), art. 14(2): brackets, first RMB 1,000 a flat 30, capped at 5,000.

Rounding is a per-court setting (reference §4.3): "fen" keeps two decimals (default), "yuan" rounds to
whole yuan. The reference names no rounding mode, so ROUND_HALF_UP (四舍五入) is used. The halved and the
payment-order fees are derived from the unrounded bracket fee and rounded once (no double rounding).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from qingzhai.core.money import AmountError, amount_message, parse_fen

Rounding = Literal["fen", "yuan"]
ROUNDINGS: tuple[str, ...] = ("fen", "yuan")
FEE_KEYS = ("acceptance", "acceptance_halved", "payment_order", "enforcement", "preservation")

MAX_AMOUNT_FEN = 10**15  # RMB 10 trillion: beyond any claim, guards against typos

# (upper bound of the bracket in yuan or None for "and above", rate). The first bracket is a flat fee.
ACCEPTANCE_FLAT = (10_000, Decimal(50))
ACCEPTANCE_BRACKETS: tuple[tuple[int | None, Decimal], ...] = (
    (100_000, Decimal("0.025")),
    (200_000, Decimal("0.02")),
    (500_000, Decimal("0.015")),
    (1_000_000, Decimal("0.01")),
    (2_000_000, Decimal("0.009")),
    (5_000_000, Decimal("0.008")),
    (10_000_000, Decimal("0.007")),
    (20_000_000, Decimal("0.006")),
    (None, Decimal("0.005")),
)
ENFORCEMENT_FLAT = (10_000, Decimal(50))
ENFORCEMENT_BRACKETS: tuple[tuple[int | None, Decimal], ...] = (
    (500_000, Decimal("0.015")),
    (5_000_000, Decimal("0.01")),
    (10_000_000, Decimal("0.005")),
    (None, Decimal("0.001")),
)
PRESERVATION_FLAT = (1_000, Decimal(30))
PRESERVATION_BRACKETS: tuple[tuple[int | None, Decimal], ...] = (
    (100_000, Decimal("0.01")),
    (None, Decimal("0.005")),
)
PRESERVATION_CAP = Decimal(5_000)


class LegalInputError(ValueError):
    """A calculator input was refused: a stable `code`, the `field` it concerns, zh and en messages."""

    def __init__(self, code: str, field: str, zh: str, en: str) -> None:
        super().__init__(f"{code}: {en}")
        self.code = code
        self.field = field
        self.zh = zh
        self.en = en

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": {self.field: [self.message]}}


def parse_amount_fen(raw: object, field: str = "amount", *, allow_zero: bool = False) -> int:
    """'¥1,234.56' / Decimal / int -> fen (int), > 0 (>= 0 with allow_zero). Raises LegalInputError."""
    if isinstance(raw, float) and raw == raw and raw not in (float("inf"), float("-inf")):
        raw = str(raw)  # the shortest repr is what the caller meant; never computed as float
    if not isinstance(raw, str | int | Decimal) or isinstance(raw, bool):
        zh, en = amount_message("amount_invalid", raw)
        raise LegalInputError("amount_invalid", field, zh, en)
    try:
        fen = parse_fen(raw)
    except AmountError as exc:
        zh, en = amount_message(exc.code, raw)
        raise LegalInputError(exc.code, field, zh, en) from exc
    if fen == 0 and not allow_zero:
        zh, en = amount_message("amount_not_positive", raw)
        raise LegalInputError("amount_not_positive", field, zh, en)
    if fen > MAX_AMOUNT_FEN:
        zh, en = amount_message("amount_too_large", raw)
        raise LegalInputError("amount_too_large", field, zh, en)
    return fen


def check_rounding(rounding: str) -> None:
    if rounding not in ROUNDINGS:
        raise LegalInputError(
            "rounding_invalid",
            "rounding",
            f"未知的取整方式：{rounding}（可选 fen、yuan）",
            f"Unknown rounding: {rounding} (fen or yuan)",
        )


def round_fen(exact_fen: Decimal, rounding: str = "fen") -> int:
    """An exact amount in fen rounded half-up to the fen, or to whole yuan (100 fen)."""
    check_rounding(rounding)
    if rounding == "yuan":
        return int((exact_fen / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100
    return int(exact_fen.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _bracketed(
    fen: int, flat: tuple[int, Decimal], brackets: Sequence[tuple[int | None, Decimal]]
) -> Decimal:
    """Exact fee in fen: the flat fee covers the first bracket, each later portion at its rate."""
    flat_upper, flat_fee = flat
    total = flat_fee * 100
    lower = flat_upper * 100
    for upper_yuan, rate in brackets:
        if fen <= lower:
            break
        upper = fen if upper_yuan is None else min(fen, upper_yuan * 100)
        total += Decimal(upper - lower) * rate
        if upper_yuan is None:
            break
        lower = upper_yuan * 100
    return total


def acceptance_exact(fen: int) -> Decimal:
    """Property-case acceptance fee in exact fen (art. 13(1))."""
    return _bracketed(fen, ACCEPTANCE_FLAT, ACCEPTANCE_BRACKETS)


def enforcement_exact(fen: int) -> Decimal:
    """Enforcement application fee in exact fen (art. 14(1)); paid after enforcement, borne by the debtor."""
    return _bracketed(fen, ENFORCEMENT_FLAT, ENFORCEMENT_BRACKETS)


def preservation_exact(fen: int) -> Decimal:
    """Preservation application fee in exact fen on the amount preserved (art. 14(2)), capped at 5,000."""
    return min(_bracketed(fen, PRESERVATION_FLAT, PRESERVATION_BRACKETS), PRESERVATION_CAP * 100)


def fees_fen(amount_fen: int, rounding: str = "fen") -> dict[str, int]:
    """All five fees in fen for a claim of `amount_fen` (> 0)."""
    check_rounding(rounding)
    if amount_fen <= 0:
        zh, en = amount_message("amount_not_positive", Decimal(amount_fen) / 100)
        raise LegalInputError("amount_not_positive", "amount", zh, en)
    acceptance = acceptance_exact(amount_fen)
    return {
        "acceptance": round_fen(acceptance, rounding),
        "acceptance_halved": round_fen(acceptance / 2, rounding),
        "payment_order": round_fen(acceptance / 3, rounding),
        "enforcement": round_fen(enforcement_exact(amount_fen), rounding),
        "preservation": round_fen(preservation_exact(amount_fen), rounding),
    }


def fees(amount: Decimal | str | int, rounding: str = "fen") -> dict[str, Decimal]:
    """{"acceptance", "acceptance_halved", "payment_order", "enforcement", "preservation"} as Decimal
    with 2 places, for a claim (and preserved amount) of `amount` yuan.

    Raises LegalInputError (field "amount" or "rounding") for zero, negative, non-numeric, more than
    two decimals, absurdly large amounts, or an unknown rounding.
    """
    check_rounding(rounding)
    fen = parse_amount_fen(amount)
    return {
        key: (Decimal(value) / 100).quantize(Decimal("0.01"))
        for key, value in fees_fen(fen, rounding).items()
    }
