"""Proceedings engine: data types, the bilingual error, the fact catalogue and the registry (pure: no Django).

Each kind (demand, payment_order, suit, enforcement, mediation) is a `Machine` in its own module: its
states, the terminal states with their outcome, and an explicit table of `EventSpec` rows. A row says
from which states the event may happen, where it leads, which facts it needs, which deadlines it opens
(`DeadlineRule`), meets (`closes`) or makes irrelevant (`cancels`). engine.transition() reads the table
and refuses everything the table does not allow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from qingzhai.legal.errors import LegalError

KINDS: tuple[str, ...] = ("demand", "payment_order", "suit", "enforcement", "mediation")
PARTIES: tuple[str, ...] = ("creditor", "court", "debtor", "mediator")


class MachineError(LegalError):
    """An event the engine refuses; bilingual, with a stable code and the field it concerns."""

    default_field = "event"


@dataclass(frozen=True)
class DeadlineRule:
    """How an event opens a deadline. The period runs from `base`: "on" (the event date), a date fact
    (e.g. "hearing_on", "objection_due_on") or "performance_end" (the last day of the performance
    period of an effective instrument, CPL 2023 art. 250). Exactly one of days/months/years is used
    (`days_fact` takes the days from a fact). `when` = (fact, values): opened only when the fact has one
    of the values. `record_as`: the due date is also recorded in Step.facts under that name."""

    code: str
    zh: str
    en: str
    party: str
    basis_zh: str
    basis_en: str
    days: int = 0
    months: int = 0
    years: int = 0
    days_fact: str = ""
    statutory: bool = True
    base: str = "on"
    when: tuple[str, tuple[str, ...]] | None = None
    record_as: str = ""


@dataclass(frozen=True)
class EventSpec:
    """One row of a kind's transition table. `to_state` "" means the event keeps the current state (a
    flag such as a defaulter-list application). Beyond the contract fields, a row carries its effects:
    `optional` facts; `branches` ((fact, value, state), …: first match overrides `to_state`); `guards`
    ((">" | ">=" | "<=", date fact), …: the event date must stand so to that date); `records_on`
    (fact names recording the event date); `copies` ((name, prior fact), …); `effective` ((date fact or
    "on", days after)) = the day the instrument takes effect, for "performance_end" deadlines."""

    code: str
    zh: str
    en: str
    from_states: tuple[str, ...]
    to_state: str
    facts: tuple[str, ...]
    party: str
    optional: tuple[str, ...] = ()
    opens: tuple[DeadlineRule, ...] = ()
    closes: tuple[str, ...] = ()
    cancels: tuple[str, ...] = ()
    interrupts_limitation: bool = False
    spawn: str = ""
    branches: tuple[tuple[str, str, str], ...] = ()
    guards: tuple[tuple[str, str], ...] = ()
    records_on: tuple[str, ...] = ()
    copies: tuple[tuple[str, str], ...] = ()
    effective: tuple[str, int] | None = None


@dataclass(frozen=True)
class DeadlineSpec:
    code: str
    zh: str
    en: str
    due_on: date
    party: str
    basis_zh: str
    basis_en: str
    statutory: bool


@dataclass(frozen=True)
class Step:
    kind: str
    event: str
    from_state: str
    to_state: str
    on: date
    opens: tuple[DeadlineSpec, ...]
    closes: tuple[str, ...]
    cancels: tuple[str, ...]
    interrupts_limitation: bool
    outcome: str
    spawn: str
    facts: Mapping[str, Any]


@dataclass(frozen=True)
class Machine:
    kind: str
    zh: str
    en: str
    initial: str
    states: Mapping[str, tuple[str, str]]  # state -> (zh, en), in display order
    terminal: Mapping[str, str]  # terminal state -> outcome
    events: tuple[EventSpec, ...]
    procedures: tuple[str, ...] = ()  # allowed values of the "procedure" fact
    by_code: dict[str, EventSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", {e.code: e for e in self.events})


_REGISTRY: dict[str, Machine] = {}


def register(machine: Machine) -> Machine:
    """Add a kind to the registry (each kind module does this once on import)."""
    _REGISTRY[machine.kind] = machine
    return machine


def machine(kind: str) -> Machine:
    if kind not in _REGISTRY:
        raise MachineError(
            "unknown_kind",
            f"未知的程序类型：{kind}（可选：{'、'.join(KINDS)}）",
            f"Unknown proceeding kind: {kind} (one of {', '.join(KINDS)})",
            field="kind",
        )
    return _REGISTRY[kind]


# name -> (type, zh, en). Types: "date", "int", "choice". Names ending in _on that no form asks for are
# derived by the engine and recorded in Step.facts for later events.
FACTS: dict[str, tuple[str, str, str]] = {
    "procedure": ("choice", "程序", "procedure"),
    "hearing_on": ("date", "开庭日期", "hearing date"),
    "performance_days": ("int", "履行期限（日）", "performance period (days)"),
    "last_instalment_on": ("date", "最后一期履行日", "last instalment date"),
    "asset": ("choice", "财产类别", "asset type"),
    "amount_fen": ("int", "金额（分）", "amount (fen)"),
    "reply_days": ("int", "答复期限（日）", "reply period (days)"),
    "agreement_on": ("date", "调解协议生效日", "date the agreement takes effect"),
    # derived
    "applied_on": ("date", "申请日", "application date"),
    "served_on": ("date", "送达日", "service date"),
    "objection_due_on": ("date", "异议期届满日", "last day to object"),
    "appeal_due_on": ("date", "上诉期届满日", "last day to appeal"),
    "effective_on": ("date", "生效日", "effective date"),
    "performance_ends_on": ("date", "履行期间最后一日", "last day of the performance period"),
    "filed_on": ("date", "起诉日", "filing date"),
}
ASSETS: tuple[str, ...] = ("deposit", "movable", "real_estate")
INT_RANGES: dict[str, tuple[int, int]] = {
    "performance_days": (0, 3650),
    "reply_days": (1, 365),
    "amount_fen": (0, 10**15),
}
NOT_BEFORE_EVENT = ("hearing_on", "agreement_on", "last_instalment_on")  # cannot precede the event


def _bad(name: str, zh: str, en: str) -> MachineError:
    return MachineError("bad_fact", zh, en, field=name)


def parse_date(value: object, name: str = "on") -> date:
    """A business date from a `date` or an ISO string (a datetime is refused: give the business date)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _bad(
        name, f"{name} 不是有效日期（YYYY-MM-DD）：{value!r}", f"{name} is not a date (YYYY-MM-DD): {value!r}"
    )


def normalise(name: str, value: object, on: date | None, procedures: tuple[str, ...]) -> object:
    """The typed value of fact `name`; KeyError for a name the engine does not know; MachineError
    bad_fact for a wrong value. With `on`, dates that cannot precede the event are checked."""
    kind, zh, en = FACTS[name]
    if kind == "date":
        day = parse_date(value, name)
        if on is not None and name in NOT_BEFORE_EVENT and day < on:
            raise _bad(
                name,
                f"{zh}（{day.isoformat()}）不能早于事件日期 {on.isoformat()}",
                f"The {en} ({day.isoformat()}) cannot be before the event date {on.isoformat()}",
            )
        return day
    if kind == "int":
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.strip().isdigit():
            number = int(value.strip())
        low, high = INT_RANGES[name]
        if number is None or not low <= number <= high:
            raise _bad(
                name,
                f"{zh}须为 {low} 至 {high} 之间的整数：{value!r}",
                f"The {en} must be a whole number from {low} to {high}: {value!r}",
            )
        return number
    choices = procedures if name == "procedure" else ASSETS
    if value not in choices:
        raise _bad(
            name,
            f"{zh}须为以下之一：{'、'.join(choices)}（收到 {value!r}）",
            f"The {en} must be one of {', '.join(choices)} (got {value!r})",
        )
    return value


def to_json(value: object) -> object:
    """A fact value as stored: dates as ISO strings, the rest unchanged."""
    return value.isoformat() if isinstance(value, date) else value
