"""Scenario simulator: play a list of planned contacts through the gate, in time order. Pure: no Django import.

Each contact is decided against the earlier contacts that were allowed (a denied contact did not happen and
counts for nothing), with the pack version in force on its date unless the scenario pins one. The simulator
passes the engine only the history inside `history_lookback(pack)` and keeps third-party refusals in the
debtor's facts, the same way the application does, so a scenario shows what production would decide.
The file format is described in docs/compliance-scenarios.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from qingzhai.compliance.gate.engine import evaluate, history_lookback
from qingzhai.compliance.gate.facts import (
    AgreedWindow,
    Channel,
    ContactRequest,
    DebtorFacts,
    Decision,
    Outcome,
    Party,
    PastContact,
)
from qingzhai.compliance.gate.rules.base import GateError, zone
from qingzhai.compliance.policies.packs import (
    PolicyError,
    PolicyPack,
    apply_overrides,
    load_pack,
    load_pack_version,
)


class ScenarioError(ValueError):
    """A scenario cannot be run: the message names the field (and the contact index) that is wrong."""

    def __init__(self, code: str, zh: str, en: str, *, fields: dict[str, list[str]] | None = None) -> None:
        self.code = code
        self.zh = zh
        self.en = en
        self.fields = fields or {}
        super().__init__(f"{code}: {en}")

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "zh": self.zh, "en": self.en, "fields": self.fields}


def _err(where: str, zh: str, en: str, code: str = "scenario_invalid") -> ScenarioError:
    return ScenarioError(code, f"{where}：{zh}", f"{where}: {en}", fields={where: [en]})


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """A decision as plain JSON-ready data."""
    return {
        "allowed": decision.allowed,
        "pack": decision.pack,
        "pack_version": decision.pack_version,
        "route": decision.route,
        "requirements": list(decision.requirements),
        "rules": [
            {
                "rule": hit.rule,
                "effect": hit.effect.value,
                "basis": hit.basis,
                "zh": hit.zh,
                "en": hit.en,
                "params": dict(hit.params),
            }
            for hit in decision.hits
        ],
    }


# --- input parsing -------------------------------------------------------------------------------------

_TOP_KEYS = frozenset(
    {"pack", "pack_version", "overrides", "debtor", "contacts", "expect", "title", "description"}
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
_DEBTOR_KEYS = frozenset(
    {
        "timezone",
        "agreed_windows",
        "flags",
        "hardship_until",
        "opted_out",
        "refused_contacts",
        "initial_communication_at",
        "validation_notice_sent_at",
        *_FLAGS,
    }
)
_WINDOW_KEYS = frozenset({"start", "end", "on", "weekdays"})
_CONTACT_KEYS = frozenset(
    {
        "id",
        "at",
        "channel",
        "party",
        "contact_id",
        "debt_id",
        "outcome",
        "pressure",
        "includes_disclosure",
        "threatens_suit",
        "debtor_agreed",
        "note",
    }
)


def _keys(data: object, allowed: frozenset[str], where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _err(where, "应为 JSON 对象", "must be a JSON object")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise _err(
            where,
            f"未知字段 {', '.join(map(str, unknown))}；可用：{', '.join(sorted(allowed))}",
            f"unknown field(s) {', '.join(map(str, unknown))}; allowed: {', '.join(sorted(allowed))}",
        )
    return data


def _bool(raw: object, where: str) -> bool:
    if not isinstance(raw, bool):
        raise _err(where, f"应为 true 或 false，收到 {raw!r}", f"must be true or false, got {raw!r}")
    return raw


def _str(raw: object, where: str) -> str:
    if not isinstance(raw, str):
        raise _err(where, f"应为文字，收到 {raw!r}", f"must be text, got {raw!r}")
    return raw


def _date(raw: object, where: str) -> date:
    try:
        return date.fromisoformat(_str(raw, where))
    except ValueError:
        raise _err(
            where, f"日期应为 YYYY-MM-DD，收到 {raw!r}", f"date must be YYYY-MM-DD, got {raw!r}"
        ) from None


def _time(raw: object, where: str) -> time:
    text = _str(raw, where)
    try:
        if len(text) != 5 or text[2] != ":":
            raise ValueError
        return time.fromisoformat(text)
    except ValueError:
        raise _err(where, f"时间应为 HH:MM，收到 {raw!r}", f"time must be HH:MM, got {raw!r}") from None


def _instant(raw: object, where: str, tz_name: str) -> datetime:
    """ISO 8601 with an offset, or naive = debtor-local (a local time that does not exist is refused)."""
    text = _str(raw, where)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or ("T" not in text.upper() and " " not in text):
        raise _err(
            where,
            f"时间应为 ISO 8601（如 2026-03-01T09:00:00+08:00），收到 {raw!r}",
            f"must be an ISO 8601 date-time (e.g. 2026-03-01T09:00:00+08:00), got {raw!r}",
        )
    if value.tzinfo is not None:
        return value
    tz = zone(tz_name)
    local = value.replace(tzinfo=tz)
    back = local.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if back != value:
        raise _err(
            where,
            f"当地时间 {text} 在 {tz_name} 不存在（夏令时跳过的时段）；请写明偏移量",
            f"local time {text} does not exist in {tz_name} (skipped by daylight saving); give an offset",
        )
    return local


def _choice(enum: Any, raw: object, where: str) -> Any:
    text = _str(raw, where)
    try:
        return enum(text)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise _err(
            where, f"未知取值 {text!r}；可用：{allowed}", f"unknown value {text!r}; allowed: {allowed}"
        ) from None


def _str_list(raw: object, where: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise _err(where, "应为文字列表", "must be a list of text")
    return raw


def parse_debtor(raw: object) -> DebtorFacts:
    data = _keys({} if raw is None else raw, _DEBTOR_KEYS, "debtor")
    tz_name = _str(data.get("timezone", "Asia/Shanghai"), "debtor.timezone")
    try:
        zone(tz_name)
    except GateError:
        raise _err("debtor.timezone", f"未知时区 {tz_name!r}", f"unknown time zone {tz_name!r}") from None
    values: dict[str, Any] = {"timezone": tz_name}
    flags = data.get("flags", [])
    if isinstance(flags, list):
        for i, name in enumerate(flags):
            if name not in _FLAGS:
                raise _err(
                    f"debtor.flags[{i}]",
                    f"未知标志 {name!r}；可用：{', '.join(_FLAGS)}",
                    f"unknown flag {name!r}; allowed: {', '.join(_FLAGS)}",
                )
            values[name] = True
    elif isinstance(flags, Mapping):
        for name, flag in _keys(flags, frozenset(_FLAGS), "debtor.flags").items():
            values[name] = _bool(flag, f"debtor.flags.{name}")
    else:
        raise _err(
            "debtor.flags",
            "应为标志名列表或 {标志: true/false}",
            "must be a list of flag names or {flag: bool}",
        )
    for name in _FLAGS:
        if name in data:
            values[name] = _bool(data[name], f"debtor.{name}")
    windows = []
    raw_windows = data.get("agreed_windows", [])
    if not isinstance(raw_windows, list):
        raise _err("debtor.agreed_windows", "应为列表", "must be a list")
    for i, w in enumerate(raw_windows):
        where = f"debtor.agreed_windows[{i}]"
        wd = _keys(w, _WINDOW_KEYS, where)
        if "start" not in wd or "end" not in wd:
            raise _err(where, "须有 start 与 end", "start and end are required")
        start, end = _time(wd["start"], f"{where}.start"), _time(wd["end"], f"{where}.end")
        if start == end:
            raise _err(where, "开始与结束不能相同", "start and end must differ")
        weekdays = None
        if "weekdays" in wd:
            days = wd["weekdays"]
            if not isinstance(days, list) or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
                raise _err(
                    f"{where}.weekdays",
                    "应为 0–6 的整数列表（0 = 周一）",
                    "must be integers 0–6 (0 = Monday)",
                )
            weekdays = frozenset(days)
        on = _date(wd["on"], f"{where}.on") if "on" in wd else None
        windows.append(AgreedWindow(start=start, end=end, on=on, weekdays=weekdays))
    values["agreed_windows"] = tuple(windows)
    if data.get("hardship_until") is not None:
        values["hardship_until"] = _date(data["hardship_until"], "debtor.hardship_until")
    opted = _str_list(data.get("opted_out", []), "debtor.opted_out")
    values["opted_out"] = frozenset(
        _choice(Channel, c, f"debtor.opted_out[{i}]") for i, c in enumerate(opted)
    )
    values["refused_contacts"] = frozenset(
        _str_list(data.get("refused_contacts", []), "debtor.refused_contacts")
    )
    for name in ("initial_communication_at", "validation_notice_sent_at"):
        if data.get(name) is not None:
            values[name] = _instant(data[name], f"debtor.{name}", tz_name)
    return DebtorFacts(**values)


@dataclass(frozen=True)
class _Planned:
    index: int
    id: str
    request: ContactRequest
    outcome: Outcome


_MESSAGE_CHANNELS = frozenset({Channel.SMS, Channel.EMAIL, Channel.LETTER})


def _parse_contact(index: int, raw: object, tz_name: str) -> _Planned:
    where = f"contacts[{index}]"
    data = _keys(raw, _CONTACT_KEYS, where)
    for required in ("at", "channel"):
        if required not in data:
            raise _err(f"{where}.{required}", "缺少此字段", "this field is required")
    cid = data.get("id", f"#{index + 1}")
    if not isinstance(cid, str | int) or isinstance(cid, bool):
        raise _err(f"{where}.id", "应为文字或整数", "must be text or an integer")
    channel: Channel = _choice(Channel, data["channel"], f"{where}.channel")
    party: Party = _choice(Party, data.get("party", "debtor"), f"{where}.party")
    default_outcome = "sent" if channel in _MESSAGE_CHANNELS else "connected"
    outcome: Outcome = _choice(Outcome, data.get("outcome", default_outcome), f"{where}.outcome")
    if outcome == Outcome.DENIED:
        raise _err(
            f"{where}.outcome",
            "denied 由闸门决定，不能作为输入",
            "denied is what the gate decides; it is not an input",
        )
    flags = {
        name: _bool(data.get(name, default), f"{where}.{name}")
        for name, default in (
            ("pressure", True),
            ("includes_disclosure", False),
            ("threatens_suit", False),
            ("debtor_agreed", False),
        )
    }
    request = ContactRequest(
        at=_instant(data["at"], f"{where}.at", tz_name),
        channel=channel,
        party=party,
        contact_id=_str(data.get("contact_id", ""), f"{where}.contact_id"),
        debt_id=_str(data.get("debt_id", ""), f"{where}.debt_id"),
        **flags,
    )
    return _Planned(index=index, id=str(cid), request=request, outcome=outcome)


def _wrap(exc: PolicyError, where: str) -> ScenarioError:
    if where == "overrides" and exc.fields:
        fields = {f"overrides.{k}": v for k, v in exc.fields.items()}
    else:
        fields = {where: [exc.en]}
    return ScenarioError(exc.code, f"{where}：{exc.zh}", f"{where}: {exc.en}", fields=fields)


# --- running -------------------------------------------------------------------------------------------


def run_scenario(data: Mapping[str, Any]) -> dict[str, Any]:
    """Decide every contact of a scenario; see docs/compliance-scenarios.md for the format."""
    top = _keys(data, _TOP_KEYS, "scenario")
    if "pack" not in top:
        raise _err("pack", "缺少政策包代码（cn 或 us-regf）", "the pack code is required (cn or us-regf)")
    code = _str(top["pack"], "pack")
    pinned = top.get("pack_version")
    overrides = top.get("overrides") or {}
    if not isinstance(overrides, Mapping):
        raise _err("overrides", "应为 {规则编号: {参数: 值}}", "must be {rule id: {parameter: value}}")
    facts = parse_debtor(top.get("debtor"))
    raw_contacts = top.get("contacts")
    if not isinstance(raw_contacts, list):
        raise _err("contacts", "应为联系列表", "must be a list of contacts")
    planned = [_parse_contact(i, c, facts.timezone) for i, c in enumerate(raw_contacts)]
    seen: dict[str, int] = {}
    for p in planned:
        if p.id in seen:
            raise _err(
                f"contacts[{p.index}].id",
                f"编号 {p.id} 与 contacts[{seen[p.id]}] 重复",
                f"id {p.id} repeats contacts[{seen[p.id]}]",
            )
        seen[p.id] = p.index

    packs: dict[str, PolicyPack] = {}

    def pack_for(p: _Planned) -> PolicyPack:
        try:
            if pinned is not None:
                base = load_pack_version(code, _str(pinned, "pack_version"))
            else:
                base = load_pack(code, p.request.at)
        except PolicyError as exc:
            if exc.code == "policy_pack_unknown":
                raise _wrap(exc, "pack") from None
            if exc.code == "policy_pack_version_unknown":
                raise _wrap(exc, "pack_version") from None
            raise _wrap(exc, f"contacts[{p.index}].at") from None
        if base.version_id not in packs:
            try:
                packs[base.version_id] = apply_overrides(base, overrides)
            except PolicyError as exc:
                raise _wrap(exc, "overrides") from None
        return packs[base.version_id]

    if not planned:  # still check the pack (and the pin) of an empty scenario
        try:
            load_pack_version(code, _str(pinned, "pack_version")) if pinned is not None else load_pack(code)
        except PolicyError as exc:
            raise _wrap(exc, "pack_version" if pinned is not None else "pack") from None

    history: list[PastContact] = []
    refused = set(facts.refused_contacts)
    decisions = []
    allowed_n = denied_n = 0
    for p in sorted(planned, key=lambda p: (p.request.at, p.index)):
        pack = pack_for(p)
        since = p.request.at - history_lookback(pack)
        window = [h for h in history if h.at >= since]
        current = (
            facts
            if len(refused) == len(facts.refused_contacts)
            else replace(facts, refused_contacts=frozenset(refused))
        )
        decision = evaluate(pack, current, p.request, window)
        if decision.allowed:
            allowed_n += 1
            req = p.request
            history.append(
                PastContact(
                    at=req.at,
                    channel=req.channel,
                    party=req.party,
                    contact_id=req.contact_id,
                    debt_id=req.debt_id,
                    outcome=p.outcome,
                    pressure=req.pressure,
                )
            )
            if p.outcome == Outcome.REFUSED and req.party == Party.THIRD_PARTY:
                refused.add(req.contact_id)
        else:
            denied_n += 1
        local = p.request.at.astimezone(zone(facts.timezone))
        out = decision_to_dict(decision)
        decisions.append(
            {
                "id": p.id,
                "at": local.isoformat(),
                "allowed": out["allowed"],
                "pack_version": out["pack_version"],
                "route": out["route"],
                "requirements": out["requirements"],
                "rules": out["rules"],
            }
        )
    return {
        "pack": code,
        "decisions": decisions,
        "summary": {"allowed": allowed_n, "denied": denied_n},
    }


def load_scenario(path: str | Path) -> dict[str, Any]:
    """Read a scenario file (JSON). Errors come back as `ScenarioError`, never as a traceback."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(
            "scenario_unreadable",
            f"无法读取场景文件 {p}：{exc.strerror}",
            f"cannot read scenario file {p}: {exc.strerror}",
            fields={"path": [str(exc.strerror)]},
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            "scenario_not_json",
            f"场景文件 {p.name} 不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）",
            f"scenario file {p.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            fields={"path": [exc.msg]},
        ) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            "scenario_invalid",
            "场景文件应为 JSON 对象",
            "a scenario file must be a JSON object",
            fields={"path": ["not an object"]},
        )
    return data
