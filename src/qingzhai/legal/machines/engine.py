"""The one `transition()` over the kinds' tables, and the read-only lookups for forms and docs (pure).

Deadlines are computed here, once, when the event happens: statutory ones with calendar.period_end (the
day of the event is not counted; a last day on a holiday moves to the next working day; an adjusted
working weekend day does not move), the others in plain calendar days. When the holiday calendar has no
data for the year of a creditor or court deadline, the unmoved date is used (a holiday move could only
make it later, so the unmoved date is the safe one to act on) and the basis says so; a debtor's period,
or one that a later event is checked against, is refused instead (MachineError
`calendar_year_not_covered`) until the calendar package knows that year.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from qingzhai.legal import calendar
from qingzhai.legal.machines.base import (
    DeadlineRule,
    DeadlineSpec,
    EventSpec,
    Machine,
    MachineError,
    Step,
    machine,
    normalise,
    parse_date,
    to_json,
)

DEFAULTS: dict[str, int | None] = {"reply_days": 7, "agreement_on": None}  # None: the event date
UNMOVED_ZH = "（该年节假日安排未公布：按日历日，未顺延）"
UNMOVED_EN = " (holiday arrangement for that year not yet published: calendar days, not moved)"


def _known_state(m: Machine, state: str) -> None:
    if state not in m.states:
        raise MachineError(
            "unknown_state",
            f"{m.zh}没有“{state}”这一状态",
            f"A {m.en.lower()} has no state {state!r}",
            field="state",
        )


def kind_label(kind: str) -> tuple[str, str]:
    m = machine(kind)
    return m.zh, m.en


def initial_state(kind: str) -> str:
    return machine(kind).initial


def state_label(kind: str, state: str) -> tuple[str, str]:
    m = machine(kind)
    _known_state(m, state)
    return m.states[state]


def is_terminal(kind: str, state: str) -> bool:
    m = machine(kind)
    _known_state(m, state)
    return state in m.terminal


def states(kind: str) -> list[str]:
    return list(machine(kind).states)


def events(kind: str) -> list[EventSpec]:
    return list(machine(kind).events)


def events_from(kind: str, state: str) -> list[EventSpec]:
    """The events that may happen next in `state` (none in a terminal state)."""
    m = machine(kind)
    _known_state(m, state)
    return [e for e in m.events if state in e.from_states]


def _need(merged: Mapping[str, Any], name: str, event: EventSpec) -> Any:
    value = merged.get(name)
    if value is None:
        raise MachineError(
            "missing_fact",
            f"“{event.zh}”需要事实 {name}",
            f"{event.en} needs the fact {name}",
            field=name,
        )
    return value


def _length(rule: DeadlineRule, merged: Mapping[str, Any]) -> dict[str, int]:
    if rule.months:
        return {"months": rule.months}
    if rule.years:
        return {"years": rule.years}
    return {"days": int(merged[rule.days_fact]) if rule.days_fact else rule.days}


def _end(start: date, length: dict[str, int], *, exact: bool) -> tuple[date, bool]:
    """(last day, moved on the holiday calendar). Outside the calendar data: the unmoved day, or refused."""
    try:
        return calendar.period_end(start, **length), True
    except calendar.CalendarError as exc:
        if exact:
            raise MachineError(exc.code, exc.zh, exc.en, field="on") from exc
        return calendar.nominal_end(start, **length), False


def _performance(spec: EventSpec, on: date, merged: dict[str, Any]) -> dict[str, date]:
    """effective_on and performance_ends_on of the instrument this event makes effective (CPL art. 250)."""
    source, offset = spec.effective or ("on", 0)
    effective = (on if source == "on" else _need(merged, source, spec)) + timedelta(days=offset)
    if merged.get("last_instalment_on") is not None:
        end = merged["last_instalment_on"]
    elif merged.get("performance_days"):
        end, _ = _end(effective, {"days": int(merged["performance_days"])}, exact=False)
    else:
        end = effective
    return {"effective_on": effective, "performance_ends_on": end}


def _open(rule: DeadlineRule, on: date, merged: dict[str, Any], spec: EventSpec) -> DeadlineSpec:
    start = on if rule.base == "on" else _need(merged, rule.base, spec)
    length = _length(rule, merged)
    if rule.statutory:
        exact = rule.party == "debtor" or bool(rule.record_as)
        due, moved = _end(start, length, exact=exact)
    else:
        due, moved = calendar.nominal_end(start, **length), True
    return DeadlineSpec(
        code=rule.code,
        zh=rule.zh,
        en=rule.en,
        due_on=due,
        party=rule.party,
        basis_zh=rule.basis_zh + ("" if moved else UNMOVED_ZH),
        basis_en=rule.basis_en + ("" if moved else UNMOVED_EN),
        statutory=rule.statutory and moved,
    )


def _guard(spec: EventSpec, on: date, op: str, limit: date) -> None:
    ok = {">": on > limit, ">=": on >= limit, "<=": on <= limit}[op]
    if not ok:
        words = {
            ">": ("晚于", "after"),
            ">=": ("不早于", "on or after"),
            "<=": ("不晚于", "on or before"),
        }[op]
        raise MachineError(
            "illegal_transition",
            f"“{spec.zh}”的日期须{words[0]} {limit.isoformat()}（本次为 {on.isoformat()}）",
            f"{spec.en} must be dated {words[1]} {limit.isoformat()} (given {on.isoformat()})",
            field="on",
        )


def transition(
    kind: str,
    state: str,
    event: str,
    on: date | str,
    facts: Mapping[str, Any] | None = None,
    *,
    prior: Mapping[str, Any] | None = None,
) -> Step:
    """The step `event` takes a `kind` proceeding from `state` on business date `on`, or MachineError.

    `facts` are those given with this event (only the event's own facts are accepted); `prior` are the
    facts accumulated on the proceeding (the merged Step.facts of earlier events), read under `facts`.
    Step.facts holds this event's facts JSON-ready (dates as ISO strings) plus derived dates that later
    events need (e.g. applied_on, objection_due_on, appeal_due_on, effective_on, performance_ends_on)."""
    m = machine(kind)
    _known_state(m, state)
    spec = m.by_code.get(event)
    if spec is None:
        raise MachineError(
            "unknown_event",
            f"{m.zh}没有“{event}”这一事件",
            f"A {m.en.lower()} has no event {event!r}",
        )
    if state not in spec.from_states:
        closed = "（程序已终结）" if state in m.terminal else ""
        raise MachineError(
            "illegal_transition",
            f"{m.zh}处于“{m.states[state][0]}”{closed}，不能“{spec.zh}”",
            f"A {m.en.lower()} in state {state!r}{' (closed)' if closed else ''} cannot take {event!r}",
        )
    day = parse_date(on, "on")
    allowed = set(spec.facts) | set(spec.optional)
    given: dict[str, Any] = {}
    for name, raw in (facts or {}).items():
        if raw is None or raw == "":
            continue
        if name not in allowed:
            raise MachineError(
                "bad_fact",
                f"“{spec.zh}”不使用事实 {name}",
                f"{spec.en} does not take the fact {name}",
                field=name,
            )
        given[name] = normalise(name, raw, day, m.procedures)
    merged: dict[str, Any] = {}
    for name, raw in (prior or {}).items():
        if raw is not None and raw != "":
            try:
                merged[name] = normalise(name, raw, None, m.procedures)
            except KeyError:
                continue  # facts the engine does not know are the service's own
    merged.update(given)
    for name, default in DEFAULTS.items():  # recorded with the event, from the proceeding or the default
        if name in allowed and name not in given:
            given[name] = merged.setdefault(name, day if default is None else default)
    for name in spec.facts:
        _need(merged, name, spec)
    for op, name in spec.guards:
        _guard(spec, day, op, _need(merged, name, spec))
    to_state = spec.to_state or state
    for name, value, target in spec.branches:
        if _need(merged, name, spec) == value:
            to_state = target
            break
    recorded: dict[str, Any] = dict(given)
    recorded.update({name: day for name in spec.records_on})
    recorded.update({name: _need(merged, source, spec) for name, source in spec.copies})
    opens: list[DeadlineSpec] = []
    for rule in spec.opens:
        if rule.when is not None and _need(merged, rule.when[0], spec) not in rule.when[1]:
            continue
        if rule.base == "performance_end" and "performance_end" not in merged:
            derived = _performance(spec, day, merged)
            merged["performance_end"] = derived["performance_ends_on"]
            recorded.update(derived)
        opened = _open(rule, day, merged, spec)
        opens.append(opened)
        if rule.record_as:
            recorded[rule.record_as] = merged[rule.record_as] = opened.due_on
    return Step(
        kind=kind,
        event=event,
        from_state=state,
        to_state=to_state,
        on=day,
        opens=tuple(opens),
        closes=tuple(c.format(**merged) if "{" in c else c for c in spec.closes),
        cancels=tuple(c.format(**merged) if "{" in c else c for c in spec.cancels),
        interrupts_limitation=spec.interrupts_limitation,
        outcome=m.terminal.get(to_state, ""),
        spawn=spec.spawn,
        facts={name: to_json(value) for name, value in recorded.items()},
    )
