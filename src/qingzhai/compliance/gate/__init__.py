"""The contact gate: facts in, decision out. Pure Python, no Django import.

The facts and the decision types load eagerly; the engine and the simulator load on first use (they read the
policy packs, which in turn use the fact types).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qingzhai.compliance.gate.facts import (
    AgreedWindow,
    Channel,
    ContactRequest,
    DebtorFacts,
    Decision,
    Effect,
    Outcome,
    Party,
    PastContact,
    RuleHit,
)

if TYPE_CHECKING:
    from qingzhai.compliance.gate.engine import evaluate, history_lookback
    from qingzhai.compliance.gate.rules.base import GateError
    from qingzhai.compliance.gate.scenario import ScenarioError, decision_to_dict, load_scenario, run_scenario

_LAZY = {
    "evaluate": "qingzhai.compliance.gate.engine",
    "history_lookback": "qingzhai.compliance.gate.engine",
    "GateError": "qingzhai.compliance.gate.rules.base",
    "ScenarioError": "qingzhai.compliance.gate.scenario",
    "decision_to_dict": "qingzhai.compliance.gate.scenario",
    "load_scenario": "qingzhai.compliance.gate.scenario",
    "run_scenario": "qingzhai.compliance.gate.scenario",
}

__all__ = [
    "AgreedWindow",
    "Channel",
    "ContactRequest",
    "DebtorFacts",
    "Decision",
    "Effect",
    "GateError",
    "Outcome",
    "Party",
    "PastContact",
    "RuleHit",
    "ScenarioError",
    "decision_to_dict",
    "evaluate",
    "history_lookback",
    "load_scenario",
    "run_scenario",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
