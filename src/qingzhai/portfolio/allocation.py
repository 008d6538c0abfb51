"""Payment allocation across balance components. Pure: no Django import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

COMPONENTS = ("fee", "interest", "penalty", "principal")
DEFAULT_ORDER: tuple[str, ...] = ("fee", "interest", "penalty", "principal")


def parse_order(text: str) -> tuple[str, ...]:
    """'fee,interest,penalty,principal' -> tuple; every component exactly once."""
    parts = tuple(p.strip() for p in (text or "").split(",") if p.strip())
    if not parts:
        return DEFAULT_ORDER
    if sorted(parts) != sorted(COMPONENTS):
        raise ValueError(f"allocation order must name each of {', '.join(COMPONENTS)} once: {text!r}")
    return parts


@dataclass(frozen=True)
class Allocation:
    parts: dict[str, int]  # component -> fen applied
    unapplied: int  # fen beyond the whole balance

    @property
    def applied(self) -> int:
        return sum(self.parts.values())


def allocate(amount: int, balances: Mapping[str, int], order: Sequence[str] = DEFAULT_ORDER) -> Allocation:
    """Apply `amount` fen to balances in `order`; what is left over is reported as unapplied."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    remaining = amount
    parts = {c: 0 for c in COMPONENTS}
    for component in order:
        take = min(remaining, max(balances.get(component, 0), 0))
        parts[component] = take
        remaining -= take
    return Allocation(parts=parts, unapplied=remaining)
