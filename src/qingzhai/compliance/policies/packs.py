"""Policy packs: the contact rules as versioned, effective-dated data. Pure: no Django import.

A pack (``cn``, ``us-regf``) is a directory of YAML files, one per version, named after the date the version
comes into force (``cn/2025-02-28.yaml``). A version is complete in itself: what was in force on a date is
one file. Every number a rule uses is a parameter with the direction in which it may be made stricter; a
creditor's overrides (``apply_overrides``) may only move a parameter in that direction.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from qingzhai.compliance.gate.facts import Channel, Outcome, Party

PACKS_DIR = Path(__file__).resolve().parent


class PolicyError(ValueError):
    """A pack cannot be found, loaded or overridden. Bilingual, with a stable code and per-field details."""

    def __init__(self, code: str, zh: str, en: str, *, fields: dict[str, list[str]] | None = None) -> None:
        self.code = code
        self.zh = zh
        self.en = en
        self.fields = fields or {}
        super().__init__(f"{code}: {en}")

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "zh": self.zh, "en": self.en, "fields": self.fields}


# --- parameter types and strictness directions ---------------------------------------------------------

# type -> the directions that make sense for it
PARAM_TYPES: dict[str, frozenset[str]] = {
    "int": frozenset({"lower", "higher", "fixed"}),
    "time": frozenset({"later", "earlier", "fixed"}),
    "bool": frozenset({"true", "false", "fixed"}),
    "channels": frozenset({"superset", "subset", "fixed"}),
    "parties": frozenset({"superset", "subset", "fixed"}),
    "outcomes": frozenset({"superset", "subset", "fixed"}),
    "keys": frozenset({"superset", "subset", "fixed"}),
    "grounds": frozenset({"superset", "subset", "fixed"}),
    "str": frozenset({"fixed"}),
}

DIRECTION_TEXT: dict[str, tuple[str, str]] = {
    "lower": ("调低", "lowered"),
    "higher": ("调高", "raised"),
    "later": ("推迟", "made later"),
    "earlier": ("提前", "made earlier"),
    "true": ("设为 true", "set to true"),
    "false": ("设为 false", "set to false"),
    "superset": ("增加项目", "extended with more items"),
    "subset": ("减少项目", "reduced to fewer items"),
    "fixed": ("保持不变", "left unchanged"),
}

GROUNDS = ("unreachable", "deceased", "minor", "incapacitated")  # lawful grounds to approach a third party
KEYS = ("party", "contact_id", "debt_id")  # what a counter may be kept per
STOP_FLAGS = ("dispute_open", "bankrupt", "deceased", "incapacity")
BASIS_STATUSES = ("confirmed_primary", "confirmed_secondary", "engineering_default")

# placeholders every message text may use (filled per language by the engine)
COMMON_PLACEHOLDERS = frozenset(
    {"time", "date", "tz", "channel", "party", "contact_id", "debt_id", "rule", "version"}
)


@dataclass(frozen=True)
class KindSchema:
    """What a rule kind needs from the pack file: its parameters (name -> type) and message texts
    (key -> extra placeholders), and which of those texts are optional."""

    params: Mapping[str, str]
    texts: Mapping[str, frozenset[str]]
    optional_texts: frozenset[str] = frozenset()


_CAP = frozenset({"count", "limit", "window_days", "since"})
KINDS: dict[str, KindSchema] = {
    "hours_window": KindSchema(
        params={"allowed_from": "time", "allowed_until": "time", "honour_agreement": "bool"},
        texts={"deny": frozenset({"start", "end"}), "info": frozenset({"start", "end", "agreement"})},
    ),
    "count_cap": KindSchema(
        params={
            "max": "int",
            "window_days": "int",
            "per": "keys",
            "outcomes": "outcomes",
            "honour_agreement": "bool",
        },
        texts={"deny": _CAP, "info": _CAP},
    ),
    "cooloff": KindSchema(
        params={"window_days": "int", "per": "keys", "outcomes": "outcomes", "honour_agreement": "bool"},
        texts={"deny": frozenset({"last", "next", "window_days"}), "info": frozenset({"last", "next"})},
    ),
    "third_party": KindSchema(
        params={"grounds": "grounds", "require_no_disclosure": "bool", "forbid_pressure": "bool"},
        texts={
            "deny_no_ground": frozenset(),
            "deny_pressure": frozenset({"grounds"}),
            "require": frozenset({"grounds"}),
        },
    ),
    "refused_contact": KindSchema(params={}, texts={"deny": frozenset()}),
    "guarantor": KindSchema(params={}, texts={"deny": frozenset()}),
    "stop_flag": KindSchema(
        params={"flag": "str", "pressure_only": "bool", "route": "str"},
        texts={"deny": frozenset({"condition"}), "route": frozenset({"route", "condition"})},
        optional_texts=frozenset({"route"}),
    ),
    "hardship": KindSchema(params={"pressure_only": "bool"}, texts={"deny": frozenset({"until"})}),
    "opt_out": KindSchema(params={}, texts={"deny": frozenset()}),
    "time_barred": KindSchema(
        params={"require_disclosure": "bool", "forbid_suit_threat": "bool", "pressure_only": "bool"},
        texts={"deny_suit": frozenset(), "deny_no_disclosure": frozenset(), "require": frozenset()},
    ),
    "representation": KindSchema(
        params={"route": "str"},
        texts={
            "deny": frozenset(),
            "route": frozenset({"route"}),
            "info": frozenset(),
            "deny_no_lawyer": frozenset(),
        },
    ),
    "dishonest_listed": KindSchema(
        params={"route": "str", "max_pressure_contacts": "int", "window_days": "int", "outcomes": "outcomes"},
        texts={"route": frozenset({"route"}), "deny": _CAP},
    ),
    "validation_notice": KindSchema(
        params={
            "grace_days": "int",
            "pressure_only": "bool",
            "assumed_receipt_days": "int",
            "dispute_days": "int",
        },
        texts={
            "deny": frozenset({"initial", "days_since", "grace_days"}),
            "info": frozenset({"sent", "window_end", "dispute_days"}),
        },
    ),
}


# --- the pack model ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    value: Any  # int | time | bool | frozenset[...] | str, per `type`
    stricter: str  # the direction an override may move it in (see PARAM_TYPES)
    zh: str = ""
    en: str = ""

    def as_data(self) -> object:
        return _dump_value(self.type, self.value)


@dataclass(frozen=True)
class RuleSpec:
    id: str
    kind: str
    family: str
    channels: frozenset[Channel]
    parties: frozenset[Party]
    basis: str
    basis_status: str
    explain_zh: str
    explain_en: str
    params: Mapping[str, Param]
    texts: Mapping[str, tuple[str, str]]  # key -> (zh template, en template)

    def value(self, name: str) -> Any:
        return self.params[name].value


@dataclass(frozen=True)
class PolicyPack:
    code: str
    effective_from: date
    effective_zone: str
    title_zh: str
    title_en: str
    rules: tuple[RuleSpec, ...]
    sources: tuple[str, ...] = ()
    source_file: str = ""
    overrides: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    # filled by the engine on first use (compiled rule table); not part of the pack's identity
    _compiled: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def version(self) -> str:
        return self.effective_from.isoformat()

    @property
    def version_id(self) -> str:
        return f"{self.code}@{self.version}"

    def rule(self, rule_id: str) -> RuleSpec:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def parameters(self) -> dict[str, dict[str, object]]:
        """All parameters as plain data: {rule id: {name: value}} (times as "HH:MM", sets as sorted lists)."""
        out: dict[str, dict[str, object]] = {}
        for rule in self.rules:
            values: dict[str, object] = {
                "channels": sorted(c.value for c in rule.channels),
                "parties": sorted(p.value for p in rule.parties),
            }
            values.update({name: p.as_data() for name, p in rule.params.items()})
            out[rule.id] = values
        return out


@dataclass(frozen=True)
class PackInfo:
    code: str
    title_zh: str
    title_en: str
    versions: tuple[str, ...]  # version ids, oldest first
    effective_from: tuple[date, ...]


# --- value parsing -------------------------------------------------------------------------------------

_SET_TYPES: dict[str, tuple[str, ...]] = {
    "channels": tuple(c.value for c in Channel),
    "parties": tuple(p.value for p in Party),
    "outcomes": tuple(o.value for o in Outcome if o != Outcome.DENIED),
    "keys": KEYS,
    "grounds": GROUNDS,
}


def _bad(where: str, zh: str, en: str, code: str = "policy_pack_invalid") -> PolicyError:
    return PolicyError(code, f"{where}：{zh}", f"{where}: {en}", fields={where: [en]})


def parse_time(raw: object, where: str) -> time:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raise _bad(
            where,
            '时间须写成带引号的 "HH:MM"（YAML 会把不带引号的 22:00 读成数字）',
            'write times quoted as "HH:MM" (YAML reads an unquoted 22:00 as a number)',
        )
    if isinstance(raw, time):
        return raw
    if not isinstance(raw, str) or len(raw) != 5 or raw[2] != ":":
        raise _bad(where, f"时间格式应为 HH:MM，收到 {raw!r}", f"time must be HH:MM, got {raw!r}")
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise _bad(where, f"无效时间 {raw!r}", f"invalid time {raw!r}") from None


def _parse_value(ptype: str, raw: object, where: str) -> Any:
    if ptype == "int":
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
            raise _bad(where, f"应为非负整数，收到 {raw!r}", f"must be a non-negative integer, got {raw!r}")
        return raw
    if ptype == "bool":
        if not isinstance(raw, bool):
            raise _bad(where, f"应为 true 或 false，收到 {raw!r}", f"must be true or false, got {raw!r}")
        return raw
    if ptype == "time":
        return parse_time(raw, where)
    if ptype == "str":
        if not isinstance(raw, str):
            raise _bad(where, f"应为字符串，收到 {raw!r}", f"must be a string, got {raw!r}")
        return raw
    allowed = _SET_TYPES[ptype]
    if not isinstance(raw, list | tuple | set | frozenset) or not all(isinstance(x, str) for x in raw):
        raise _bad(where, f"应为列表，收到 {raw!r}", f"must be a list, got {raw!r}")
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise _bad(
            where,
            f"未知取值 {', '.join(unknown)}；可用：{', '.join(allowed)}",
            f"unknown value(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}",
        )
    if ptype == "channels":
        return frozenset(Channel(x) for x in raw)
    if ptype == "parties":
        return frozenset(Party(x) for x in raw)
    if ptype == "outcomes":
        return frozenset(Outcome(x) for x in raw)
    return frozenset(raw)


def _dump_value(ptype: str, value: Any) -> object:
    if ptype == "time":
        return value.strftime("%H:%M")
    if ptype in _SET_TYPES:
        return sorted(str(x) for x in value)
    return value


def _as_strict(direction: str, base: Any, value: Any) -> bool:
    """Is `value` at least as strict as `base` in `direction`?"""
    if direction in ("lower", "earlier"):
        return bool(value <= base)
    if direction in ("higher", "later"):
        return bool(value >= base)
    if direction == "true":
        return bool(value) or not base
    if direction == "false":
        return (not value) or bool(base)
    if direction == "superset":
        return bool(value >= base)
    if direction == "subset":
        return bool(value <= base)
    return bool(value == base)


# --- loading and validation ----------------------------------------------------------------------------

_TOP_KEYS = frozenset({"pack", "effective_from", "effective_zone", "title", "sources", "notes", "rules"})
_RULE_KEYS = frozenset(
    {"id", "kind", "family", "channels", "parties", "basis", "basis_status", "explain", "params", "texts"}
)
_PARAM_KEYS = frozenset({"value", "stricter", "zh", "en"})
_FAMILIES = frozenset({"hours", "frequency", "parties", "stops", "usregf"})


def _need(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in mapping or mapping[key] is None:
        raise _bad(where, f"缺少字段 {key}", f"missing field {key}")
    return mapping[key]


def _unknown_keys(mapping: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise _bad(
            where,
            f"未知字段 {', '.join(map(str, unknown))}；可用：{', '.join(sorted(allowed))}",
            f"unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(sorted(allowed))}",
        )


def _bilingual(raw: object, where: str) -> tuple[str, str]:
    if not isinstance(raw, Mapping):
        raise _bad(where, "应为包含 zh 和 en 的映射", "must be a mapping with zh and en")
    _unknown_keys(raw, frozenset({"zh", "en"}), where)
    zh, en = raw.get("zh"), raw.get("en")
    if not isinstance(zh, str) or not zh.strip() or not isinstance(en, str) or not en.strip():
        raise _bad(where, "zh 与 en 均须为非空文字", "zh and en must both be non-empty text")
    return zh.strip(), en.strip()


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _check_rule_invariants(rule: RuleSpec, where: str) -> None:
    if rule.kind == "hours_window" and not rule.value("allowed_from") < rule.value("allowed_until"):
        raise _bad(
            f"{where}.allowed_from",
            "允许联系时段的开始须早于结束",
            "the allowed window must start before it ends",
        )
    if rule.kind in ("count_cap", "cooloff", "dishonest_listed") and rule.value("window_days") < 1:
        raise _bad(f"{where}.window_days", "天数至少为 1", "must be at least 1 day")
    if rule.kind == "stop_flag" and rule.value("flag") not in STOP_FLAGS:
        raise _bad(
            f"{where}.flag",
            f"未知标志 {rule.value('flag')}；可用：{', '.join(STOP_FLAGS)}",
            f"unknown flag {rule.value('flag')}; allowed: {', '.join(STOP_FLAGS)}",
        )
    if rule.kind in ("count_cap", "cooloff") and not rule.value("outcomes"):
        raise _bad(f"{where}.outcomes", "至少列出一种结果", "list at least one outcome")


def _parse_rule(raw: object, where: str) -> RuleSpec:
    if not isinstance(raw, Mapping):
        raise _bad(where, "规则应为映射", "a rule must be a mapping")
    rule_id = _need(raw, "id", where)
    if not isinstance(rule_id, str) or not rule_id:
        raise _bad(f"{where}.id", "规则编号须为文字", "rule id must be text")
    where = f"{where}({rule_id})"
    _unknown_keys(raw, _RULE_KEYS, where)
    kind = _need(raw, "kind", where)
    if kind not in KINDS:
        raise _bad(
            f"{where}.kind",
            f"未知规则类型 {kind!r}；可用：{', '.join(sorted(KINDS))}",
            f"unknown rule kind {kind!r}; allowed: {', '.join(sorted(KINDS))}",
        )
    schema = KINDS[kind]
    family = _need(raw, "family", where)
    if family not in _FAMILIES:
        raise _bad(
            f"{where}.family",
            f"未知规则族 {family!r}；可用：{', '.join(sorted(_FAMILIES))}",
            f"unknown family {family!r}; allowed: {', '.join(sorted(_FAMILIES))}",
        )
    channels = _parse_value("channels", _need(raw, "channels", where), f"{where}.channels")
    parties = _parse_value("parties", _need(raw, "parties", where), f"{where}.parties")
    basis = _need(raw, "basis", where)
    if not isinstance(basis, str) or not basis.strip():
        raise _bad(f"{where}.basis", "须写明法律依据", "the legal basis must be given")
    status = _need(raw, "basis_status", where)
    if status not in BASIS_STATUSES:
        raise _bad(
            f"{where}.basis_status",
            f"应为 {' / '.join(BASIS_STATUSES)} 之一",
            f"must be one of {' / '.join(BASIS_STATUSES)}",
        )
    explain_zh, explain_en = _bilingual(_need(raw, "explain", where), f"{where}.explain")

    raw_params = raw.get("params") or {}
    if not isinstance(raw_params, Mapping):
        raise _bad(f"{where}.params", "应为映射", "must be a mapping")
    _unknown_keys(raw_params, frozenset(schema.params), f"{where}.params")
    params: dict[str, Param] = {}
    for name, ptype in schema.params.items():
        pwhere = f"{where}.params.{name}"
        praw = _need(raw_params, name, f"{where}.params")
        if not isinstance(praw, Mapping):
            raise _bad(pwhere, "参数应写成 {value, stricter}", "a parameter is written as {value, stricter}")
        _unknown_keys(praw, _PARAM_KEYS, pwhere)
        value = _parse_value(ptype, _need(praw, "value", pwhere), f"{pwhere}.value")
        stricter = _need(praw, "stricter", pwhere)
        if isinstance(stricter, bool):  # YAML reads `stricter: true` as a boolean: "stricter when true"
            stricter = "true" if stricter else "false"
        if stricter not in PARAM_TYPES[ptype]:
            raise _bad(
                f"{pwhere}.stricter",
                f"{ptype} 类参数的方向应为 {' / '.join(sorted(PARAM_TYPES[ptype]))}",
                f"direction for a {ptype} parameter must be one of {' / '.join(sorted(PARAM_TYPES[ptype]))}",
            )
        params[name] = Param(
            name, ptype, value, stricter, str(praw.get("zh", "")).strip(), str(praw.get("en", "")).strip()
        )
    # channels and parties are parameters too: applying a rule more widely only makes it stricter
    params["channels"] = Param("channels", "channels", channels, "superset")
    params["parties"] = Param("parties", "parties", parties, "superset")

    raw_texts = _need(raw, "texts", where)
    if not isinstance(raw_texts, Mapping):
        raise _bad(f"{where}.texts", "应为映射", "must be a mapping")
    _unknown_keys(raw_texts, frozenset(schema.texts), f"{where}.texts")
    texts: dict[str, tuple[str, str]] = {}
    for key, extra in schema.texts.items():
        if key not in raw_texts:
            if key in schema.optional_texts:
                continue
            raise _bad(f"{where}.texts", f"缺少文字 {key}", f"missing text {key}")
        zh, en = _bilingual(raw_texts[key], f"{where}.texts.{key}")
        allowed = COMMON_PLACEHOLDERS | extra
        for lang, template in (("zh", zh), ("en", en)):
            try:
                names = _placeholders(template)
            except ValueError as exc:
                raise _bad(
                    f"{where}.texts.{key}.{lang}", f"占位符格式错误：{exc}", f"bad placeholder: {exc}"
                ) from None
            unknown = sorted(names - allowed)
            if unknown:
                raise _bad(
                    f"{where}.texts.{key}.{lang}",
                    f"未知占位符 {', '.join(unknown)}；可用：{', '.join(sorted(allowed))}",
                    f"unknown placeholder(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}",
                )
        texts[key] = (zh, en)
    rule = RuleSpec(
        id=rule_id,
        kind=kind,
        family=family,
        channels=channels,
        parties=parties,
        basis=basis.strip(),
        basis_status=status,
        explain_zh=explain_zh,
        explain_en=explain_en,
        params=params,
        texts=texts,
    )
    _check_rule_invariants(rule, where)
    return rule


def parse_pack(data: object, source: str) -> PolicyPack:
    """Validate one pack version (already parsed from YAML) and build it."""
    if not isinstance(data, Mapping):
        raise _bad(source, "政策包文件应为映射", "a pack file must be a mapping")
    _unknown_keys(data, _TOP_KEYS, source)
    code = _need(data, "pack", source)
    if not isinstance(code, str) or not code:
        raise _bad(f"{source}.pack", "政策包代码须为文字", "pack code must be text")
    eff = _need(data, "effective_from", source)
    if isinstance(eff, str):
        try:
            eff = date.fromisoformat(eff)
        except ValueError:
            eff = None
    if not isinstance(eff, date) or isinstance(eff, datetime):
        raise _bad(f"{source}.effective_from", "生效日期应为 YYYY-MM-DD", "effective_from must be YYYY-MM-DD")
    zone = _need(data, "effective_zone", source)
    try:
        ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError):
        raise _bad(f"{source}.effective_zone", f"未知时区 {zone!r}", f"unknown time zone {zone!r}") from None
    title_zh, title_en = _bilingual(_need(data, "title", source), f"{source}.title")
    sources = data.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise _bad(f"{source}.sources", "应为文字列表", "must be a list of text")
    raw_rules = _need(data, "rules", source)
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _bad(f"{source}.rules", "至少需要一条规则", "at least one rule is needed")
    rules = tuple(_parse_rule(r, f"{source}.rules[{i}]") for i, r in enumerate(raw_rules))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise _bad(f"{source}.rules", f"规则编号重复：{rule.id}", f"duplicate rule id: {rule.id}")
        seen.add(rule.id)
    return PolicyPack(
        code=code,
        effective_from=eff,
        effective_zone=str(zone),
        title_zh=title_zh,
        title_en=title_en,
        rules=rules,
        sources=tuple(sources),
        source_file=source,
    )


def load_pack_file(path: Path) -> PolicyPack:
    where = f"{path.parent.name}/{path.name}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _bad(where, f"YAML 无法解析：{exc}", f"YAML cannot be parsed: {exc}") from None
    pack = parse_pack(data, where)
    if pack.code != path.parent.name:
        raise _bad(
            f"{where}.pack",
            f"文件所在目录 {path.parent.name} 与 pack: {pack.code} 不一致",
            f"the file lies in {path.parent.name} but says pack: {pack.code}",
        )
    if path.stem != pack.version:
        raise _bad(
            f"{where}.effective_from",
            f"文件名应为生效日期 {pack.version}.yaml",
            f"the file name must be the effective date, {pack.version}.yaml",
        )
    return pack


@lru_cache(maxsize=1)
def _pack_codes() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in PACKS_DIR.iterdir() if p.is_dir() and any(p.glob("*.yaml"))))


@lru_cache(maxsize=32)
def _versions(code: str) -> tuple[PolicyPack, ...]:
    if code not in _pack_codes():
        codes = ", ".join(_pack_codes())
        raise PolicyError(
            "policy_pack_unknown",
            f"未知政策包 {code!r}；可用：{codes}",
            f"unknown policy pack {code!r}; available: {codes}",
            fields={"pack": [f"unknown pack {code!r}"]},
        )
    packs = sorted(
        (load_pack_file(p) for p in (PACKS_DIR / code).glob("*.yaml")), key=lambda p: p.effective_from
    )
    return tuple(packs)


def list_packs() -> list[PackInfo]:
    """Every pack with its versions, oldest first."""
    out = []
    for code in _pack_codes():
        versions = _versions(code)
        latest = versions[-1]
        out.append(
            PackInfo(
                code=code,
                title_zh=latest.title_zh,
                title_en=latest.title_en,
                versions=tuple(v.version_id for v in versions),
                effective_from=tuple(v.effective_from for v in versions),
            )
        )
    return out


def _on_date(on: date | datetime | None, zone: str) -> date:
    if on is None:
        return datetime.now(ZoneInfo(zone)).date()
    if isinstance(on, datetime):
        if on.tzinfo is None:
            return on.date()
        return on.astimezone(ZoneInfo(zone)).date()
    return on


def load_pack(code: str, on: date | datetime | None = None) -> PolicyPack:
    """The version of pack `code` in force on `on` (a date; a datetime is read in the pack's zone; None = today)."""
    versions = _versions(code)
    day = _on_date(on, versions[0].effective_zone)
    in_force = [v for v in versions if v.effective_from <= day]
    if not in_force:
        first = versions[0].version
        raise PolicyError(
            "policy_pack_not_in_force",
            f"政策包 {code} 在 {day.isoformat()} 尚无生效版本（最早版本自 {first} 起生效）",
            f"policy pack {code} has no version in force on {day.isoformat()} (the first takes effect on {first})",
            fields={"on": [f"no version of {code} in force on {day.isoformat()}"]},
        )
    return in_force[-1]


def load_pack_version(code: str, version: str) -> PolicyPack:
    """One version by its date ("2025-02-28") or version id ("cn@2025-02-28")."""
    if "@" in version:
        vcode, _, version = version.partition("@")
        if vcode != code:
            raise PolicyError(
                "policy_pack_version_unknown",
                f"版本 {vcode}@{version} 不属于政策包 {code}",
                f"version {vcode}@{version} does not belong to pack {code}",
                fields={"pack_version": [f"belongs to {vcode}, not {code}"]},
            )
    for pack in _versions(code):
        if pack.version == version:
            return pack
    known = ", ".join(v.version_id for v in _versions(code))
    raise PolicyError(
        "policy_pack_version_unknown",
        f"政策包 {code} 没有版本 {version}；现有：{known}",
        f"policy pack {code} has no version {version}; known: {known}",
        fields={"pack_version": [f"unknown version {version}"]},
    )


# --- creditor overrides --------------------------------------------------------------------------------


def apply_overrides(pack: PolicyPack, overrides: Mapping[str, Any] | None) -> PolicyPack:
    """A copy of `pack` with a creditor's overrides: {rule id: {parameter: value}}. Overrides may only make
    the pack stricter, each parameter in its declared direction; anything else raises `PolicyError`."""
    if not overrides:
        return pack
    if not isinstance(overrides, Mapping):
        raise PolicyError(
            "policy_override_invalid",
            "覆盖项应为 {规则编号: {参数: 值}}",
            "overrides must be {rule id: {parameter: value}}",
            fields={"overrides": ["must be a mapping"]},
        )
    by_id = {r.id: r for r in pack.rules}
    for rule_id in overrides:
        if rule_id not in by_id:
            raise PolicyError(
                "policy_override_unknown_rule",
                f"政策包 {pack.version_id} 中没有规则 {rule_id}",
                f"pack {pack.version_id} has no rule {rule_id}",
                fields={str(rule_id): ["unknown rule"]},
            )
    rules = []
    recorded: dict[str, dict[str, object]] = {k: dict(v) for k, v in pack.overrides.items()}
    for rule in pack.rules:
        changes = overrides.get(rule.id)
        if changes is None:
            rules.append(rule)
            continue
        if not isinstance(changes, Mapping):
            raise PolicyError(
                "policy_override_invalid",
                f"{rule.id} 的覆盖项应为 {{参数: 值}}",
                f"the overrides of {rule.id} must be {{parameter: value}}",
                fields={rule.id: ["must be a mapping"]},
            )
        params = dict(rule.params)
        for name, raw in changes.items():
            where = f"{rule.id}.{name}"
            if name not in params:
                known = ", ".join(sorted(params))
                raise PolicyError(
                    "policy_override_unknown_param",
                    f"规则 {rule.id} 没有参数 {name}；可用：{known}",
                    f"rule {rule.id} has no parameter {name}; known: {known}",
                    fields={where: ["unknown parameter"]},
                )
            param = params[name]
            try:
                value = _parse_value(param.type, raw, where)
            except PolicyError as exc:
                raise PolicyError("policy_override_invalid", exc.zh, exc.en, fields=exc.fields) from None
            if not _as_strict(param.stricter, param.value, value):
                dzh, den = DIRECTION_TEXT[param.stricter]
                base = _dump_value(param.type, param.value)
                new = _dump_value(param.type, value)
                raise PolicyError(
                    "policy_override_looser",
                    f"参数 {where} 的覆盖值 {new} 比政策包 {pack.version_id} 的 {base} 更宽松；此参数只能{dzh}",
                    f"override {where} = {new} is looser than {base} in pack {pack.version_id}; "
                    f"this parameter may only be {den}",
                    fields={where: [f"looser than {base}; may only be {den}"]},
                )
            params[name] = replace(param, value=value)
            recorded.setdefault(rule.id, {})[name] = _dump_value(param.type, value)
        new_rule = replace(
            rule, params=params, channels=params["channels"].value, parties=params["parties"].value
        )
        try:
            _check_rule_invariants(new_rule, rule.id)
        except PolicyError as exc:
            raise PolicyError("policy_override_invalid", exc.zh, exc.en, fields=exc.fields) from None
        rules.append(new_rule)
    return replace(pack, rules=tuple(rules), overrides=recorded)
