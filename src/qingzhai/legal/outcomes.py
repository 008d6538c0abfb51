"""Which outcomes of a closed proceeding count as a success, per kind (pure: no Django). One definition
for the route advisor's own history and for the legal KPIs; outcome codes are the engine's
(`legal/machines/<kind>.py`, TERMINAL)."""

from __future__ import annotations

SUCCESS: dict[str, frozenset[str]] = {
    "demand": frozenset({"recovered"}),
    # effective: no objection, the order is enforceable
    "payment_order": frozenset({"effective", "recovered"}),
    "suit": frozenset({"effective", "recovered", "settled"}),
    # an agreement was reached; a breached one goes on to enforcement, whose recovery counts
    "mediation": frozenset({"recovered", "breached"}),
    "enforcement": frozenset({"recovered", "settled"}),
}
# No outcome yet, or withdrawn by the creditor: says nothing of the route.
LEFT_OUT: tuple[str, ...] = ("", "withdrawn")
