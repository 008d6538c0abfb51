"""Walk a proceeding through events the way the service does: state and accumulated facts threaded."""

from __future__ import annotations

from datetime import date
from typing import Any

from qingzhai.legal.machines import Step, initial_state, transition


def walk(kind: str, *events: tuple[str, date] | tuple[str, date, dict[str, Any]], prior=None) -> list[Step]:
    """Apply `events` (event, on[, facts]) from the initial state; returns every step."""
    state = initial_state(kind)
    facts: dict[str, Any] = dict(prior or {})
    steps: list[Step] = []
    for item in events:
        event, on = item[0], item[1]
        given = item[2] if len(item) > 2 else {}
        step = transition(kind, state, event, on, given, prior=facts)
        facts.update(step.facts)
        state = step.to_state
        steps.append(step)
    return steps


def due(step: Step, code: str) -> date:
    """The due date of the deadline `code` the step opens (exactly one)."""
    [found] = [d for d in step.opens if d.code == code]
    return found.due_on


def path(steps: list[Step]) -> list[str]:
    return [steps[0].from_state, *(s.to_state for s in steps)]
