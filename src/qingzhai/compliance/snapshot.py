"""Gate inputs to and from JSON, so that a stored decision can be re-explained later. Pure: no Django."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from qingzhai.compliance.gate.facts import (
    AgreedWindow,
    Channel,
    ContactRequest,
    DebtorFacts,
    Outcome,
    Party,
    PastContact,
)


def _dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def window_to_dict(w: AgreedWindow) -> dict[str, Any]:
    out: dict[str, Any] = {"start": w.start.strftime("%H:%M"), "end": w.end.strftime("%H:%M")}
    if w.on is not None:
        out["on"] = w.on.isoformat()
    if w.weekdays is not None:
        out["weekdays"] = sorted(w.weekdays)
    return out


def window_from_dict(d: dict[str, Any]) -> AgreedWindow:
    return AgreedWindow(
        start=time.fromisoformat(d["start"]),
        end=time.fromisoformat(d["end"]),
        on=date.fromisoformat(d["on"]) if d.get("on") else None,
        weekdays=frozenset(int(x) for x in d["weekdays"]) if d.get("weekdays") is not None else None,
    )


_FLAGS = (
    "dispute_open",
    "dishonest_listed",
    "bankrupt",
    "deceased",
    "minor",
    "incapacitated",
    "time_barred",
    "lawyer_represented",
    "debtor_unreachable",
    "guarantor_contact_allowed",
)


def facts_to_dict(f: DebtorFacts) -> dict[str, Any]:
    out: dict[str, Any] = {"timezone": f.timezone}
    out.update({name: getattr(f, name) for name in _FLAGS})
    out["agreed_windows"] = [window_to_dict(w) for w in f.agreed_windows]
    out["opted_out"] = sorted(c.value for c in f.opted_out)
    out["refused_contacts"] = sorted(f.refused_contacts)
    out["hardship_until"] = f.hardship_until.isoformat() if f.hardship_until else None
    out["initial_communication_at"] = (
        f.initial_communication_at.isoformat() if f.initial_communication_at else None
    )
    out["validation_notice_sent_at"] = (
        f.validation_notice_sent_at.isoformat() if f.validation_notice_sent_at else None
    )
    return out


def facts_from_dict(d: dict[str, Any]) -> DebtorFacts:
    return DebtorFacts(
        timezone=d.get("timezone", "Asia/Shanghai"),
        agreed_windows=tuple(window_from_dict(w) for w in d.get("agreed_windows", [])),
        opted_out=frozenset(Channel(c) for c in d.get("opted_out", [])),
        refused_contacts=frozenset(d.get("refused_contacts", [])),
        hardship_until=date.fromisoformat(d["hardship_until"]) if d.get("hardship_until") else None,
        initial_communication_at=_dt(d.get("initial_communication_at")),
        validation_notice_sent_at=_dt(d.get("validation_notice_sent_at")),
        **{name: bool(d[name]) for name in _FLAGS if name in d},
    )


def request_to_dict(r: ContactRequest) -> dict[str, Any]:
    return {
        "at": r.at.isoformat(),
        "channel": r.channel.value,
        "party": r.party.value,
        "contact_id": r.contact_id,
        "debt_id": r.debt_id,
        "pressure": r.pressure,
        "includes_disclosure": r.includes_disclosure,
        "threatens_suit": r.threatens_suit,
        "debtor_agreed": r.debtor_agreed,
    }


def request_from_dict(d: dict[str, Any]) -> ContactRequest:
    return ContactRequest(
        at=datetime.fromisoformat(d["at"]),
        channel=Channel(d["channel"]),
        party=Party(d["party"]),
        contact_id=d.get("contact_id", ""),
        debt_id=d.get("debt_id", ""),
        pressure=bool(d.get("pressure", True)),
        includes_disclosure=bool(d.get("includes_disclosure", False)),
        threatens_suit=bool(d.get("threatens_suit", False)),
        debtor_agreed=bool(d.get("debtor_agreed", False)),
    )


def past_to_dict(p: PastContact) -> dict[str, Any]:
    return {
        "at": p.at.isoformat(),
        "channel": p.channel.value,
        "party": p.party.value,
        "contact_id": p.contact_id,
        "debt_id": p.debt_id,
        "outcome": p.outcome.value,
        "pressure": p.pressure,
    }


def past_from_dict(d: dict[str, Any]) -> PastContact:
    return PastContact(
        at=datetime.fromisoformat(d["at"]),
        channel=Channel(d["channel"]),
        party=Party(d["party"]),
        contact_id=d.get("contact_id", ""),
        debt_id=d.get("debt_id", ""),
        outcome=Outcome(d["outcome"]),
        pressure=bool(d.get("pressure", True)),
    )
