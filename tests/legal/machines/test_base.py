"""The engine's API, its errors, fact handling, the holiday-calendar edge and the integrity of every table."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from qingzhai.legal import calendar
from qingzhai.legal.machines import (
    FACTS,
    KINDS,
    MachineError,
    events,
    events_from,
    initial_state,
    is_terminal,
    kind_label,
    state_label,
    states,
    transition,
)
from qingzhai.legal.machines.base import machine

PACKAGE = Path(__file__).resolve().parents[3] / "src" / "qingzhai" / "legal" / "machines"
OUTCOMES = {
    "recovered",
    "effective",
    "terminated",
    "withdrawn",
    "dismissed",
    "no_assets",
    "settled",
    "failed",
    "converted",
    "escalated",
    "breached",
}


def test_kinds_labels_and_initial_states():
    assert KINDS == ("demand", "payment_order", "suit", "enforcement", "mediation")
    assert [kind_label(k) for k in KINDS] == [
        ("催告函", "Demand letter"),
        ("支付令", "Payment order"),
        ("诉讼", "Lawsuit"),
        ("强制执行", "Enforcement"),
        ("调解", "Mediation"),
    ]
    assert [initial_state(k) for k in KINDS] == ["drafted", "drafted", "drafted", "drafted", "proposed"]
    assert state_label("payment_order", "objected") == ("债务人已异议", "objection filed")
    assert is_terminal("payment_order", "converted") and not is_terminal("enforcement", "closed_no_assets")
    assert [e.code for e in events_from("payment_order", "served")] == [
        "objection_filed",
        "objection_window_lapsed",
        "paid",
        "withdrawn",
    ]
    assert events_from("suit", "withdrawn") == []


def test_unknown_kind_state_and_event_are_refused_bilingually():
    with pytest.raises(MachineError) as info:
        transition("arbitration", "drafted", "filed", date(2025, 3, 3))
    assert (info.value.code, info.value.field) == ("unknown_kind", "kind")
    assert info.value.as_dict() == {
        "code": "unknown_kind",
        "message": f"{info.value.zh} / {info.value.en}",
        "fields": {"kind": [info.value.en]},
    }
    with pytest.raises(MachineError) as info:
        transition("suit", "pending", "filed", date(2025, 3, 3))
    assert (info.value.code, info.value.field) == ("unknown_state", "state")
    with pytest.raises(MachineError) as info:
        state_label("suit", "pending")
    assert info.value.code == "unknown_state"
    with pytest.raises(MachineError) as info:
        transition("suit", "drafted", "sued", date(2025, 3, 3))
    assert (info.value.code, info.value.field) == ("unknown_event", "event")
    with pytest.raises(MachineError) as info:
        states("arbitration")
    assert info.value.code == "unknown_kind"


def test_dates_come_as_date_or_iso_string_never_datetime():
    step = transition("demand", "sent", "delivered", "2025-03-05", prior={"reply_days": "3"})
    assert step.on == date(2025, 3, 5) and step.opens[0].due_on == date(2025, 3, 8)  # reply_days set earlier
    assert step.facts == {"reply_days": 3}
    for bad in (datetime(2025, 3, 5, 10, 0), "2025-02-30", "05/03/2025", 20250305):
        with pytest.raises(MachineError) as info:
            transition("demand", "sent", "delivered", bad)
        assert (info.value.code, info.value.field) == ("bad_fact", "on")


def test_prior_facts_are_read_from_iso_strings_and_foreign_keys_ignored():
    prior = {"procedure": "ordinary", "court_note": "anything", "hearing_on": "2025-03-10"}
    step = transition("suit", "hearing_scheduled", "heard", date(2025, 3, 10), prior=prior)
    assert step.to_state == "heard"
    with pytest.raises(MachineError) as info:
        transition("suit", "hearing_scheduled", "heard", date(2025, 3, 10), prior={"hearing_on": "soon"})
    assert (info.value.code, info.value.field) == ("bad_fact", "hearing_on")


def test_empty_fact_values_are_ignored():
    step = transition("payment_order", "served", "paid", date(2025, 3, 3), {"amount_fen": ""})
    assert step.facts == {}


def _year_after_calendar() -> int:
    return calendar.covered_years()[1] + 1


def test_a_debtor_window_past_the_calendar_is_refused_not_guessed():
    last = _year_after_calendar() - 1
    with pytest.raises(MachineError) as info:
        transition("payment_order", "issued", "served", date(last, 12, 20))
    assert (info.value.code, info.value.field) == ("calendar_year_not_covered", "on")
    with pytest.raises(MachineError) as info:  # the appeal window is checked against later: exact or nothing
        transition(
            "suit",
            "heard",
            "judgment_served",
            date(last, 12, 20),
            {"performance_days": 10},
            prior={"procedure": "simple", "hearing_on": f"{last}-12-01"},
        )
    assert info.value.code == "calendar_year_not_covered"


def test_a_creditor_or_court_deadline_past_the_calendar_uses_the_unmoved_day_and_says_so():
    year = _year_after_calendar()
    step = transition("payment_order", "drafted", "applied", date(year - 1, 12, 30))
    [spec] = step.opens
    assert spec.due_on == date(year - 1, 12, 30) + timedelta(days=5)
    assert spec.statutory is False
    assert spec.basis_zh.endswith("（该年节假日安排未公布：按日历日，未顺延）")
    assert spec.basis_en.endswith(
        "(holiday arrangement for that year not yet published: calendar days, not moved)"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_table_integrity(kind):
    m = machine(kind)
    known = set(m.states)
    codes = [e.code for e in m.events]
    assert len(codes) == len(set(codes)) and states(kind) == list(m.states) and events(kind) == list(m.events)
    assert m.initial in known and set(m.terminal) <= known and set(m.terminal.values()) <= OUTCOMES
    opened = {r.code for e in m.events for r in e.opens}
    for e in m.events:
        assert set(e.from_states) <= known and not set(e.from_states) & set(m.terminal), e.code
        assert e.to_state == "" or e.to_state in known
        assert {target for _, _, target in e.branches} <= known
        assert e.party in ("creditor", "court", "debtor", "mediator")
        assert set(e.facts) | set(e.optional) <= set(FACTS)
        assert e.spawn in ("", *KINDS)
        assert len(e.code) <= 40
        for code in (*e.closes, *e.cancels):
            assert re.sub(r"\{asset\}", "deposit", code) in opened, (e.code, code)
        for r in e.opens:
            assert r.party in ("creditor", "court", "debtor")
            assert len(r.code) <= 40 and len(r.zh) <= 120 and len(r.en) <= 160
            # room for the note added when the calendar lacks the year (model: 240 / 300 characters)
            assert len(r.basis_zh) + 25 <= 240 and len(r.basis_en) + 90 <= 300, r.code
    for state in known - set(m.terminal):
        assert events_from(kind, state), f"{kind}: {state} is a dead end"
    reachable, todo = {m.initial}, [m.initial]
    while todo:
        for e in events_from(kind, todo.pop()):
            for target in {e.to_state, *(t for _, _, t in e.branches)} - {""} - reachable:
                reachable.add(target)
                todo.append(target)
    assert reachable == known
    assert all(len(s) <= 32 for s in known)


def test_the_package_does_not_import_django():
    for source in PACKAGE.glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+django", source.read_text(encoding="utf-8"), re.M), (
            source.name
        )
