"""Instalment schedule maths for the demo's loans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def add_months(day: date, months: int) -> date:
    """Same day of month `months` later (days past the 28th move to the 28th)."""
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, min(day.day, 28))


def annuity_schedule(principal_fen: int, rate_bp: int, months: int) -> list[tuple[int, int]]:
    """(principal part, interest part) of each equal monthly instalment, in fen."""
    rate = Decimal(rate_bp) / Decimal(120_000)
    if rate == 0:
        payment = Decimal(principal_fen) / months
    else:
        payment = Decimal(principal_fen) * rate / (1 - (1 + rate) ** -months)
    payment_fen = int(payment.quantize(Decimal(1)))
    balance, rows = principal_fen, []
    for seq in range(1, months + 1):
        interest = int((balance * rate).quantize(Decimal(1)))
        part = balance if seq == months else min(balance, payment_fen - interest)
        rows.append((part, interest))
        balance -= part
    return rows
