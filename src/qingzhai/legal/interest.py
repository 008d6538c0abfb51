"""Contract interest with the legal caps, and doubled interest for late performance of a judgment.

Contract interest over [start, end): annual rate in percent, day count actual/365 by default (the
reference gives no other convention for contract interest; `day_basis=360` is available), simple or
compound (capitalised every `compound_months` calendar months from `start`; a last broken period accrues
without being capitalised), with a penalty rate and other charges on top.

Caps (cn-legal-reference.md §5.3, §0):
- Private lending (lender="private"), 法释〔2020〕17号 (2020-12 revision of the SPC private-lending
  provisions): art. 25 — agreed interest enforceable up to 4 × the one-year LPR *at contract formation*
  (合同成立时); art. 28-29 — overdue interest, penalty and other charges *combined* ≤ 4 × that LPR;
  art. 27 — capitalised (compound) interest may not push the total above simple interest at the cap.
  So the combined rate (interest + penalty + other charges) is cut to the cap, and compound interest is
  cut to simple interest at the cap.
- Licensed institutions (lender="licensed"): banks, consumer-finance companies and the 7 local financial
  organisations are outside those provisions (art. 1 ¶2; SPC Reply of 2020-11-09) — not capped here.
- Transition (art. 31 ¶2): for contracts formed before 2020-08-20 the interest accruing from 2020-08-20 is
  capped at 4 × LPR at filing; this module applies the contract-date cap and adds a note.

Doubled interest for late performance (CPL 2023 art. 264; 法释〔2014〕8号): unpaid money debt fixed by
the judgment × 0.0175 % per day × days of delay (reference §5.4): 100,000 × 30 days → 525.00.

Pure: no Django. Money in fen; rates as Decimal; the result rounded half-up to the fen once, at the end.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from qingzhai.core.dates import DateError, date_message, parse_date
from qingzhai.legal.fees import LegalInputError, parse_amount_fen
from qingzhai.legal.lpr import private_lending_cap

LENDERS = ("private", "licensed")
DAY_BASES = (365, 360)
LATE_DAILY_RATE_PERCENT = Decimal("0.0175")  # 日万分之一点七五
TRANSITION_DATE = date(2020, 8, 20)
MAX_RATE_PERCENT = Decimal(1000)
MAX_DAYS = 366 * 100


def _money(fen: int) -> str:
    return str((Decimal(fen) / 100).quantize(Decimal("0.01")))


def _rate_text(rate: Decimal) -> str:
    """15.4 -> '15.40', 0.0175 -> '0.0175': at least two decimals, no trailing noise."""
    text = format(rate.quantize(Decimal("0.000001")).normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def parse_rate(raw: object, field_name: str = "rate") -> Decimal:
    """A percent per year, '15.4' or '15.4%', in [0, 1000]. Raises LegalInputError."""
    text = str(raw).strip().rstrip("%％").strip() if raw is not None and not isinstance(raw, bool) else ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value > MAX_RATE_PERCENT:
        raise LegalInputError(
            "rate_invalid",
            field_name,
            f"利率须为 0 到 1000 之间的年利率百分数：{raw}",
            f"The rate must be an annual percentage between 0 and 1000: {raw}",
        )
    return value


def parse_day(raw: object, field_name: str) -> date:
    try:
        return parse_date(raw)
    except DateError as exc:
        zh, en = date_message(exc.code, raw)
        raise LegalInputError(exc.code, field_name, zh, en) from exc


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class InterestResult:
    principal_fen: int
    start: date
    end: date
    days: int
    day_basis: int
    lender: str
    contract_date: date | None
    method: str  # "simple" | "compound"
    compound_months: int | None
    agreed_rate: Decimal
    penalty_rate: Decimal
    other_rate: Decimal
    combined_rate: Decimal
    lpr_1y: Decimal | None
    lpr_effective: date | None
    cap_rate: Decimal | None
    capped: bool
    applied_rate: Decimal
    interest_fen: int
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: amounts as 2-place strings, rates (% p.a.) as strings, dates ISO."""
        return {
            "principal": _money(self.principal_fen),
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "days": self.days,
            "day_basis": self.day_basis,
            "lender": self.lender,
            "contract_date": self.contract_date.isoformat() if self.contract_date else None,
            "method": self.method,
            "compound_months": self.compound_months,
            "agreed_rate": _rate_text(self.agreed_rate),
            "penalty_rate": _rate_text(self.penalty_rate),
            "other_rate": _rate_text(self.other_rate),
            "combined_rate": _rate_text(self.combined_rate),
            "lpr_1y": _rate_text(self.lpr_1y) if self.lpr_1y is not None else None,
            "lpr_effective": self.lpr_effective.isoformat() if self.lpr_effective else None,
            "cap_rate": _rate_text(self.cap_rate) if self.cap_rate is not None else None,
            "capped": self.capped,
            "applied_rate": _rate_text(self.applied_rate),
            "interest": _money(self.interest_fen),
            "notes": list(self.notes),
        }


def _round(exact_fen: Decimal) -> int:
    return int(exact_fen.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _simple(principal_fen: int, rate: Decimal, days: int, basis: int) -> Decimal:
    return Decimal(principal_fen) * rate / 100 * days / basis


def _compound(principal_fen: int, rate: Decimal, start: date, end: date, basis: int, months: int) -> Decimal:
    balance = Decimal(principal_fen)
    period_start, k = start, 1
    while True:
        period_end = _add_months(start, months * k)
        if period_end > end:
            break
        balance += balance * rate / 100 * (period_end - period_start).days / basis
        period_start, k = period_end, k + 1
    stub = balance * rate / 100 * (end - period_start).days / basis
    return balance + stub - principal_fen


def contract_interest(
    *,
    principal: object,
    rate: object,
    start: object,
    end: object,
    contract_date: object = None,
    lender: str = "private",
    penalty_rate: object = "0",
    other_rate: object = "0",
    compound: bool = False,
    compound_months: int = 1,
    day_basis: int = 365,
    lpr_path: Any = None,
) -> InterestResult:
    """Interest on `principal` (yuan) over [start, end) at `rate` + `penalty_rate` + `other_rate` (% p.a.),
    capped for private lending at 4 × the one-year LPR in force on `contract_date` (see module doc).

    Raises LegalInputError (with `field`) for bad amounts, rates, dates, lender, basis or period, and
    LprError when no LPR applies to the contract date.
    """
    principal_fen = parse_amount_fen(principal, "principal")
    agreed = parse_rate(rate, "rate")
    penalty = parse_rate(penalty_rate, "penalty_rate")
    other = parse_rate(other_rate, "other_rate")
    start_day, end_day = parse_day(start, "from"), parse_day(end, "to")
    if lender not in LENDERS:
        raise LegalInputError(
            "lender_invalid",
            "lender",
            f"未知的出借人类型：{lender}（可选 private、licensed）",
            f"Unknown lender: {lender} (private or licensed)",
        )
    if day_basis not in DAY_BASES:
        raise LegalInputError(
            "day_basis_invalid",
            "day_basis",
            "计息天数基准只能是 365 或 360",
            "The day basis must be 365 or 360",
        )
    if (
        isinstance(compound_months, bool)
        or not isinstance(compound_months, int)
        or not 1 <= compound_months <= 12
    ):
        raise LegalInputError(
            "compound_months_invalid",
            "compound_months",
            "复利周期须为 1 到 12 个月",
            "The compounding period must be 1 to 12 months",
        )
    days = (end_day - start_day).days
    if days < 0:
        raise LegalInputError(
            "period_invalid", "to", "截止日不能早于起算日", "The end date cannot be before the start date"
        )
    if days > MAX_DAYS:
        raise LegalInputError(
            "period_invalid", "to", "计息期间过长（超过 100 年）", "The period is too long (over 100 years)"
        )
    contract_day = parse_day(contract_date, "contract_date") if contract_date not in (None, "") else None
    if lender == "private" and contract_day is None:
        raise LegalInputError(
            "contract_date_required",
            "contract_date",
            "民间借贷须提供合同成立日期（用于利率上限）",
            "Private lending needs the contract date (it fixes the rate cap)",
        )

    combined = agreed + penalty + other
    applied, cap, lpr_1y, lpr_effective, capped = combined, None, None, None, False
    notes: list[str] = []
    if lender == "private" and contract_day is not None:
        cap, fixing = private_lending_cap(contract_day, path=lpr_path)
        lpr_1y, lpr_effective = fixing.one_year, fixing.effective
        if combined > cap:
            applied, capped = cap, True
        if contract_day < TRANSITION_DATE:
            notes.append(
                "合同成立于 2020-08-20 之前：2020-08-20 之前的利息适用旧规则，之后的部分以起诉时 LPR 四倍为限"
                "（法释〔2020〕17号 第31条）/ Contract formed before 2020-08-20: interest before that date "
                "follows the old rules, after it the cap is 4 × LPR at filing (art. 31)"
            )
    if compound:
        exact = _compound(principal_fen, applied, start_day, end_day, day_basis, compound_months)
        if cap is not None:
            ceiling = _simple(principal_fen, cap, days, day_basis)
            if exact > ceiling:
                exact, capped = ceiling, True
    else:
        exact = _simple(principal_fen, applied, days, day_basis)
    return InterestResult(
        principal_fen=principal_fen,
        start=start_day,
        end=end_day,
        days=days,
        day_basis=day_basis,
        lender=lender,
        contract_date=contract_day,
        method="compound" if compound else "simple",
        compound_months=compound_months if compound else None,
        agreed_rate=agreed,
        penalty_rate=penalty,
        other_rate=other,
        combined_rate=combined,
        lpr_1y=lpr_1y,
        lpr_effective=lpr_effective,
        cap_rate=cap,
        capped=capped,
        applied_rate=applied,
        interest_fen=_round(exact),
        notes=notes,
    )


def late_interest(*, principal: object, days: object) -> dict[str, Any]:
    """Doubled interest for late performance: principal × 0.0175 % × days (CPL 2023 art. 264,
    法释〔2014〕8号). JSON-ready: {"principal", "days", "daily_rate_percent", "amount", "basis"}."""
    principal_fen = parse_amount_fen(principal, "principal")
    try:
        n = int(str(days).strip()) if not isinstance(days, bool | float) else None
    except ValueError:
        n = None
    if n is None or n < 0 or n > MAX_DAYS:
        raise LegalInputError(
            "days_invalid",
            "days",
            f"天数须为 0 到 36600 之间的整数：{days}",
            f"Days must be a whole number from 0 to 36600: {days}",
        )
    exact = Decimal(principal_fen) * LATE_DAILY_RATE_PERCENT / 100 * n
    return {
        "principal": _money(principal_fen),
        "days": n,
        "daily_rate_percent": _rate_text(LATE_DAILY_RATE_PERCENT),
        "amount": _money(_round(exact)),
        "basis": "CPL 2023 art. 264; 法释〔2014〕8号",
    }
