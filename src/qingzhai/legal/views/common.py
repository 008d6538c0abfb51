"""What the legal pages share: labels of kinds, states, parties and alerts, the presenters of proceedings
and deadlines, and the web action wrapper (audit source, engine errors as bilingual domain errors)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from qingzhai.core import audit
from qingzhai.core.i18n import bi
from qingzhai.legal import machines
from qingzhai.legal.models import Deadline, Proceeding
from qingzhai.legal.services.proceedings import alert_level

PARTIES = {
    "court": ("法院", "Court"),
    "creditor": ("债权人（我方）", "Creditor (us)"),
    "debtor": ("债务人", "Debtor"),
    "mediator": ("调解组织", "Mediator"),
}
ALERTS = {
    "overdue": ("已逾期", "Overdue"),
    "due": ("今日到期", "Due today"),
    "soon": ("即将到期", "Due soon"),
    "": ("", ""),
}
DEADLINE_STATUS = {
    "open": ("未到期", "Open"),
    "met": ("已履行", "Met"),
    "missed": ("已错过", "Missed"),
    "cancelled": ("已取消", "Cancelled"),
}
OUTCOMES = {
    "recovered": ("已回款", "Recovered"),
    "effective": ("已生效", "Effective"),
    "terminated": ("已终结", "Terminated"),
    "withdrawn": ("已撤回", "Withdrawn"),
    "dismissed": ("已驳回", "Dismissed"),
    "rejected": ("不予受理", "Rejected"),
    "no_assets": ("无财产可供执行", "No assets"),
    "settled": ("已和解", "Settled"),
    "failed": ("失败", "Failed"),
    "converted": ("已转诉讼", "Converted to a suit"),
    "escalated": ("已升级", "Escalated"),
    "breached": ("协议未履行", "Agreement breached"),
}
LIMITATION_STATUS = {
    "running": ("进行中", "Running"),
    "expiring_soon": ("即将届满", "Expiring soon"),
    "expired": ("已届满", "Expired"),
}


def pick(table: dict[str, tuple[str, str]], code: str) -> str:
    zh, en = table.get(code, (code, code))
    return bi(zh, en)


def kind_text(kind: str) -> str:
    try:
        return bi(*machines.kind_label(kind))
    except machines.MachineError:
        return kind


def state_text(kind: str, state: str) -> str:
    if not state:
        return ""
    try:
        return bi(*machines.state_label(kind, state))
    except machines.MachineError:
        return state


def event_text(kind: str, code: str) -> str:
    if code == "opened":
        return bi("立案登记（本系统）", "Opened (in this system)")
    try:
        spec = next((e for e in machines.events(kind) if e.code == code), None)
    except machines.MachineError:
        spec = None
    return bi(spec.zh, spec.en) if spec else code


def kind_choices(blank: str | None = None) -> list[tuple[str, str]]:
    out = [("", blank)] if blank is not None else []
    return out + [(k, kind_text(k)) for k in machines.KINDS]


def state_choices(blank: str) -> list[tuple[str, str]]:
    """Every state of every kind, once, labelled with its first kind's label."""
    seen: dict[str, str] = {}
    for kind in machines.KINDS:
        for state in machines.states(kind):
            seen.setdefault(state, state_text(kind, state))
    return [("", blank), *sorted(seen.items(), key=lambda kv: kv[0])]


def deadline_row(d: Deadline, today: date) -> dict[str, Any]:
    level = alert_level(d.due_on, today) if d.status == Deadline.Status.OPEN else ""
    return {
        "d": d,
        "label": bi(d.label_zh, d.label_en),
        "basis": bi(d.basis_zh, d.basis_en) if (d.basis_zh or d.basis_en) else "",
        "party": pick(PARTIES, d.party),
        "status": pick(DEADLINE_STATUS, d.status),
        "level": level,
        "level_text": pick(ALERTS, level),
        "days_left": (d.due_on - today).days,
    }


def proceeding_row(p: Proceeding) -> dict[str, Any]:
    return {
        "p": p,
        "kind": kind_text(p.kind),
        "state": state_text(p.kind, p.state),
        "outcome": pick(OUTCOMES, p.outcome) if p.outcome else "",
        "terminal": bool(p.outcome),
    }


@contextmanager
def web_action() -> Iterator[None]:
    """Audit events written by a service call are labelled as coming from the web."""
    with audit.source("web"):
        yield
