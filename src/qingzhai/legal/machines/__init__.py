"""Legal proceedings engine: one state machine per kind of proceeding, with its deadlines (pure: no Django).

Public API (the service layer, legal/services/proceedings.py, is the only caller that writes):
kinds and labels, the events possible in a state, `transition()` that returns a Step (new state,
deadlines opened / met / cancelled, limitation interruption, outcome, child kind to open) or refuses
with MachineError; and the small-claims threshold per province and year.
"""

from qingzhai.legal.machines import demand, enforcement, mediation, payment_order, suit  # noqa: F401  (register)
from qingzhai.legal.machines.base import (
    FACTS,
    KINDS,
    DeadlineRule,
    DeadlineSpec,
    EventSpec,
    Machine,
    MachineError,
    Step,
)
from qingzhai.legal.machines.engine import (
    events,
    events_from,
    initial_state,
    is_terminal,
    kind_label,
    state_label,
    states,
    transition,
)
from qingzhai.legal.machines.small_claims import Threshold, procedure_for, small_claims_threshold

__all__ = [
    "FACTS",
    "KINDS",
    "DeadlineRule",
    "DeadlineSpec",
    "EventSpec",
    "Machine",
    "MachineError",
    "Step",
    "Threshold",
    "events",
    "events_from",
    "initial_state",
    "is_terminal",
    "kind_label",
    "procedure_for",
    "small_claims_threshold",
    "state_label",
    "states",
    "transition",
]
