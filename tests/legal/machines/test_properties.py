"""Properties: random legal event sequences never reach an unknown state, never raise, open no deadline
before the event that opens it, and end only in terminal states with an outcome."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from qingzhai.legal.machines import KINDS, events_from, initial_state, is_terminal, states, transition
from qingzhai.legal.machines.base import ASSETS, machine, parse_date


def _fact(data: st.DataObject, kind: str, name: str, on: date) -> Any:
    if name == "procedure":
        return data.draw(st.sampled_from(machine(kind).procedures))
    if name == "asset":
        return data.draw(st.sampled_from(ASSETS))
    if name in ("hearing_on", "agreement_on", "last_instalment_on"):
        return on + timedelta(days=data.draw(st.integers(0, 90)))
    if name == "performance_days":
        return data.draw(st.integers(0, 30))
    if name == "reply_days":
        return data.draw(st.integers(1, 30))
    assert name == "amount_fen", name
    return data.draw(st.integers(0, 10**9))


def _window(spec, facts: dict[str, Any], earliest: date) -> tuple[date, date | None]:
    """The dates the event's guards allow, from `earliest` on."""
    low, high = earliest, None
    for op, name in spec.guards:
        limit = parse_date(facts[name], name)
        if op == ">":
            low = max(low, limit + timedelta(days=1))
        elif op == ">=":
            low = max(low, limit)
        else:
            high = limit if high is None else min(high, limit)
    return low, high


@settings(max_examples=400, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 6, 30)),
    data=st.data(),
)
def test_random_legal_sequences(kind, start, data):
    state, on, facts = initial_state(kind), start, {}
    for _ in range(data.draw(st.integers(1, 14))):
        candidates = []
        for spec in events_from(kind, state):
            low, high = _window(spec, facts, on)
            if high is None or low <= high:
                candidates.append((spec, low, high))
        if not candidates:
            break
        onward = [c for c in candidates if c[0].to_state == "" or not is_terminal(kind, c[0].to_state)]
        if onward and data.draw(st.integers(0, 3)):  # mostly go on, so deep states are reached too
            candidates = onward
        spec, low, high = data.draw(st.sampled_from(candidates))
        latest = low + timedelta(days=20) if high is None else min(high, low + timedelta(days=20))
        on = data.draw(st.dates(min_value=low, max_value=latest))
        given_facts = {n: _fact(data, kind, n, on) for n in spec.facts}
        for name in spec.optional:
            if name != "procedure" and data.draw(st.booleans()):
                given_facts[name] = _fact(data, kind, name, on)
        step = transition(kind, state, spec.code, on, given_facts, prior=facts)
        assert step.from_state == state and step.to_state in states(kind)
        assert all(d.due_on >= on for d in step.opens), (spec.code, step.opens)
        assert (step.outcome != "") is is_terminal(kind, step.to_state)
        assert step.spawn == "" or step.outcome != ""
        assert not (set(step.closes) & set(step.cancels))
        facts.update(step.facts)
        state = step.to_state
        if is_terminal(kind, state):
            assert events_from(kind, state) == []
            break
    event(f"{kind} ends in {state}")  # --hypothesis-show-statistics shows how deep the walks go
