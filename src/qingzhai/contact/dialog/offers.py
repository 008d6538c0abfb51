"""What the bot may offer (the authority the strategy grants) and the amounts it says.

Money is integer fen throughout; percentages are whole numbers; nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


class OfferError(ValueError):
    """An unusable account or authority, with a stable code and Chinese and English text."""

    def __init__(self, code: str, zh: str, en: str, field: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.code, self.zh, self.en, self.field = code, zh, en, field


@dataclass(frozen=True)
class Authority:
    """Limits on what the bot may concede: the largest discount (percent of the balance), the most
    instalments, and the smallest first instalment (fen)."""

    max_discount_pct: int = 0
    max_instalments: int = 1
    min_first_instalment_fen: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.max_discount_pct <= 90:
            raise OfferError(
                "authority_discount",
                "减免比例应在0到90之间",
                "max discount must be 0-90 %",
                "max_discount_pct",
            )
        if not 1 <= self.max_instalments <= 60:
            raise OfferError(
                "authority_instalments",
                "分期期数应在1到60之间",
                "max instalments must be 1-60",
                "max_instalments",
            )
        if self.min_first_instalment_fen < 0:
            raise OfferError(
                "authority_first",
                "首期金额不能为负",
                "min first instalment cannot be negative",
                "min_first_instalment_fen",
            )


@dataclass(frozen=True)
class Account:
    """The debt the call is about, as the engine needs it (no PII beyond a surname and ID digits)."""

    surname: str
    gender: str  # "m", "f" or "" (unknown)
    balance_fen: int
    creditor: str
    authority: Authority
    id_last4: str = ""  # empty: verification by confirmation only
    company: str = "清债服务中心"
    max_promise_days: int = 30

    def __post_init__(self) -> None:
        if self.balance_fen <= 0:
            raise OfferError(
                "balance_not_positive", "欠款金额必须大于零", "balance must be positive", "balance_fen"
            )
        if not self.surname:
            raise OfferError("surname_missing", "缺少姓氏", "surname is missing", "surname")


@dataclass(frozen=True)
class Plan:
    """One offer: ``kind`` full, instalment or discount; ``due_now_fen`` is what a promise must cover."""

    kind: str
    total_fen: int
    due_now_fen: int
    instalments: int = 1
    first_fen: int = 0
    monthly_fen: int = 0
    discount_pct: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "total_fen": self.total_fen,
            "due_now_fen": self.due_now_fen,
            "instalments": self.instalments,
            "first_fen": self.first_fen,
            "monthly_fen": self.monthly_fen,
            "discount_pct": self.discount_pct,
        }


def yuan(fen: int) -> str:
    """人民币3,000.00元"""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"人民币{sign}{whole:,}.{cents:02d}元"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def honorific(account: Account) -> str:
    """张先生 / 张女士 / 张先生/女士 when the gender is not known."""
    title = {"m": "先生", "f": "女士"}.get(account.gender, "先生/女士")
    return f"{account.surname}{title}"


def full_plan(account: Account) -> Plan:
    return Plan("full", account.balance_fen, account.balance_fen)


def instalment_plan(account: Account, wanted: int | None = None, *, gentle: bool = False) -> Plan:
    """Instalments within authority. ``gentle`` (soothing and hardship branches): the smallest first
    instalment the authority allows, the rest spread evenly; otherwise an even split, never below the
    minimum first instalment."""
    auth = account.authority
    n = max(1, min(wanted or auth.max_instalments, auth.max_instalments))
    balance = account.balance_fen
    if n == 1:
        return full_plan(account)
    even = -(-balance // n)  # ceiling
    floor = min(auth.min_first_instalment_fen, balance)
    # gentle: the smallest first instalment allowed (half an even share when no minimum is set)
    first = (floor or -(-even // 2)) if gentle else max(floor, even)
    first = min(first, balance)
    rest = balance - first
    monthly = -(-rest // (n - 1)) if rest else 0
    return Plan("instalment", balance, first, n, first, monthly)


def discount_plan(account: Account, wanted_pct: int | None = None) -> Plan | None:
    """A one-off settlement at a discount within authority (None when no discount is granted)."""
    top = account.authority.max_discount_pct
    if top <= 0:
        return None
    pct = top if wanted_pct is None else max(1, min(wanted_pct, top))
    total = account.balance_fen - account.balance_fen * pct // 100
    return Plan("discount", total, total, discount_pct=pct)


def variables(account: Account, plan: Plan | None) -> dict[str, str]:
    """Template variables for the script's lines."""
    out = {
        "name": honorific(account),
        "company": account.company,
        "creditor": account.creditor,
        "amount": yuan(account.balance_fen),
        "max_promise_days": str(account.max_promise_days),
    }
    if plan is not None:
        out.update(
            {
                "plan_total": yuan(plan.total_fen),
                "due_now": yuan(plan.due_now_fen),
                "instalments": str(plan.instalments),
                "first_amount": yuan(plan.first_fen),
                "monthly_amount": yuan(plan.monthly_fen),
                "discount_pct": str(plan.discount_pct),
            }
        )
    return out
