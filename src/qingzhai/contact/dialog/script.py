"""Collection scripts (话术) as versioned YAML data files: loading and validation.

A script names its start node, its branches (standard, soothing, de-escalation, hardship), which emotion
or intent switches branch, global intent transitions, and its nodes. A node says one line per branch
(Chinese, with an English gloss for reviewers), then moves on by the debtor's intent. Errors name the
node and are in Chinese and English. See ``data/scripts/standard_v1.yaml``.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qingzhai.contact.dialog.intents import INTENTS

SCRIPTS_DIR = Path(__file__).with_name("data") / "scripts"

BRANCHES = ("standard", "soothing", "deescalation", "hardship")
EMOTIONS = ("anxious", "angry", "sad", "calm", "cooperative")
PHASES = ("greeting", "verification", "reminder", "negotiation", "promise", "objection", "closing")
# phases a node may have before the right party is verified: nothing about the debt is said there
PRE_VERIFICATION = ("greeting", "verification", "closing")
OUTCOMES = (
    "promise",
    "dispute",
    "already_paid",
    "wrong_number",
    "third_party",
    "hardship",
    "handover",
    "refused",
    "no_result",
)
ACTIONS = ("verify", "offer_full", "offer_instalment", "offer_discount")
# intents the engine derives itself (identity checks, promise checks)
DERIVED = (
    "identity_ok",
    "identity_fail",
    "promise_ok",
    "promise_no_date",
    "promise_low",
    "promise_late",
)
RESUME = "@resume"
VARIABLES = (
    "name",
    "company",
    "creditor",
    "amount",
    "max_promise_days",
    "plan_total",
    "due_now",
    "instalments",
    "first_amount",
    "monthly_amount",
    "discount_pct",
    "promise_amount",
    "promise_date",
)
# variables that speak of the debt: never in a line said before verification
DEBT_VARIABLES = frozenset(VARIABLES) - {"name", "company", "max_promise_days"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class ScriptError(ValueError):
    """A script that cannot be used: ``problems`` lists (code, zh, en, field) for every fault found."""

    def __init__(self, problems: list[tuple[str, str, str, str]]) -> None:
        self.problems = problems
        code, zh, en, fld = problems[0]
        self.code, self.zh, self.en, self.field = code, zh, en, fld
        more = f"（另有{len(problems) - 1}处）/ (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{zh} / {en} {more}".strip())

    def as_dicts(self) -> list[dict[str, str]]:
        return [{"code": c, "zh": z, "en": e, "field": f} for c, z, e, f in self.problems]


@dataclass(frozen=True)
class Line:
    zh: str
    en: str


@dataclass(frozen=True)
class Node:
    id: str
    phase: str
    say: dict[str, Line]
    on: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    end: str | None = None  # outcome when the call ends here
    action: str | None = None
    otherwise: str | None = None  # where an offer goes when the authority does not allow it
    fallback: Line | None = None
    interrupt: bool = False  # answers to this node are read against the node it interrupted
    max_visits: int = 0
    exhausted: str | None = None
    mark_number: bool = False

    def line(self, branch: str) -> Line:
        return self.say.get(branch) or self.say["standard"]


@dataclass(frozen=True)
class Script:
    id: str
    version: int
    title: Line
    start: str
    nodes: dict[str, Node]
    branches: dict[str, dict[str, Any]]
    emotion_branches: dict[str, str]
    intent_branches: dict[str, str]
    global_on: dict[str, str]
    settings: dict[str, Any]
    digest: str
    path: str = ""

    @property
    def key(self) -> str:
        return f"{self.id}_v{self.version}"

    def setting(self, name: str, default: Any) -> Any:
        return self.settings.get(name, default)


def _fields(text: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]


class _Builder:
    def __init__(self, data: Any) -> None:
        self.data = data
        self.problems: list[tuple[str, str, str, str]] = []

    def err(self, code: str, zh: str, en: str, fld: str) -> None:
        self.problems.append((code, zh, en, fld))

    def line(self, raw: Any, where: str) -> Line | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("zh"), str) or not raw.get("zh", "").strip():
            self.err(
                "line_missing_zh", f"{where} 缺少中文话术 zh", f"{where} has no Chinese line (zh)", where
            )
            return None
        if not isinstance(raw.get("en"), str) or not raw["en"].strip():
            self.err(
                "line_missing_en", f"{where} 缺少英文释义 en", f"{where} has no English gloss (en)", where
            )
            return None
        try:
            names = _fields(raw["zh"])
        except ValueError:
            self.err(
                "line_bad_template",
                f"{where} 的占位符写法有误",
                f"{where} has a malformed placeholder",
                where,
            )
            return None
        for name in names:
            if name not in VARIABLES:
                self.err(
                    "line_unknown_variable",
                    f"{where} 使用了未知变量 {{{name}}}",
                    f"{where} uses an unknown variable {{{name}}}",
                    where,
                )
        return Line(raw["zh"], raw["en"])

    def node(self, nid: str, raw: Any) -> Node | None:
        where = f"nodes.{nid}"
        if not _ID.match(str(nid)):
            self.err("node_bad_id", f"节点名 {nid} 不合法", f"node id {nid} is not valid", where)
            return None
        if not isinstance(raw, dict):
            self.err("node_invalid", f"节点 {nid} 应为映射", f"node {nid} must be a mapping", where)
            return None
        phase = raw.get("phase")
        if phase not in PHASES:
            self.err(
                "node_bad_phase",
                f"节点 {nid} 的阶段 {phase} 无效（可选：{'、'.join(PHASES)}）",
                f"node {nid} has an invalid phase {phase} (one of {', '.join(PHASES)})",
                f"{where}.phase",
            )
        say_raw = raw.get("say")
        say: dict[str, Line] = {}
        if not isinstance(say_raw, dict) or "standard" not in say_raw:
            self.err(
                "node_no_standard_line",
                f"节点 {nid} 缺少标准话术 say.standard",
                f"node {nid} has no standard line (say.standard)",
                f"{where}.say",
            )
        else:
            for branch, text in say_raw.items():
                if branch not in BRANCHES:
                    self.err(
                        "node_unknown_branch",
                        f"节点 {nid} 有未知分支 {branch}",
                        f"node {nid} has an unknown branch {branch}",
                        f"{where}.say.{branch}",
                    )
                    continue
                got = self.line(text, f"{where}.say.{branch}")
                if got is not None:
                    say[branch] = got
        on = raw.get("on", raw.get(True)) or {}  # YAML 1.1 reads a bare `on` key as true
        if not isinstance(on, dict):
            self.err(
                "node_bad_on",
                f"节点 {nid} 的 on 应为映射",
                f"node {nid}: on must be a mapping",
                f"{where}.on",
            )
            on = {}
        for intent in on:
            if intent not in INTENTS and intent not in DERIVED:
                self.err(
                    "node_unknown_intent",
                    f"节点 {nid} 使用了未知意图 {intent}",
                    f"node {nid} uses an unknown intent {intent}",
                    f"{where}.on.{intent}",
                )
        end = raw.get("end")
        if end is not None and end not in OUTCOMES:
            self.err(
                "node_bad_outcome",
                f"节点 {nid} 的结果 {end} 无效",
                f"node {nid} has an invalid outcome {end}",
                f"{where}.end",
            )
        if end is None and not on and not raw.get("default"):
            self.err(
                "node_dead_end",
                f"节点 {nid} 既不结束通话也没有去向",
                f"node {nid} neither ends the call nor leads anywhere",
                where,
            )
        action = raw.get("action")
        if action is not None and action not in ACTIONS:
            self.err(
                "node_bad_action",
                f"节点 {nid} 的动作 {action} 无效",
                f"node {nid} has an invalid action {action}",
                f"{where}.action",
            )
        fallback = self.line(raw["fallback"], f"{where}.fallback") if "fallback" in raw else None
        return Node(
            id=nid,
            phase=phase if phase in PHASES else "closing",
            say=say,
            on={str(k): str(v) for k, v in on.items()},
            default=raw.get("default"),
            end=end,
            action=action,
            otherwise=raw.get("otherwise"),
            fallback=fallback,
            interrupt=bool(raw.get("interrupt", False)),
            max_visits=int(raw.get("max_visits", 0) or 0),
            exhausted=raw.get("exhausted"),
            mark_number=bool(raw.get("mark_number", False)),
        )


def _check_targets(
    b: _Builder, script_nodes: dict[str, Node], global_on: dict[str, str], settings: dict[str, Any]
) -> None:
    def target(value: str | None, where: str) -> None:
        if value is None or value == RESUME:
            return
        if value not in script_nodes:
            b.err(
                "unknown_target",
                f"{where} 指向不存在的节点 {value}",
                f"{where} points to a missing node {value}",
                where,
            )

    for nid, node in script_nodes.items():
        for intent, dest in node.on.items():
            target(dest, f"nodes.{nid}.on.{intent}")
        target(node.default, f"nodes.{nid}.default")
        target(node.otherwise, f"nodes.{nid}.otherwise")
        target(node.exhausted, f"nodes.{nid}.exhausted")
        if node.phase in PRE_VERIFICATION or node.end in ("wrong_number", "third_party"):
            for branch, line in node.say.items():
                leaked = sorted(set(_fields(line.zh)) & DEBT_VARIABLES)
                if leaked:
                    b.err(
                        "disclosure_before_verification",
                        f"节点 {nid}（{branch}）在核实身份前提到债务信息：{', '.join(leaked)}",
                        f"node {nid} ({branch}) speaks of the debt before verification: {', '.join(leaked)}",
                        f"nodes.{nid}.say.{branch}",
                    )
    for intent, dest in global_on.items():
        if intent not in INTENTS and intent not in DERIVED:
            b.err(
                "global_unknown_intent",
                f"global 使用了未知意图 {intent}",
                f"global uses an unknown intent {intent}",
                f"global.{intent}",
            )
        target(dest, f"global.{intent}")
    for key in ("handover_node", "verify_node", "silence_end", "timeout_node"):
        if key not in settings:
            b.err("setting_missing", f"settings 缺少 {key}", f"settings lacks {key}", f"settings.{key}")
        else:
            target(settings[key], f"settings.{key}")


def parse_script(text: str, path: str = "") -> Script:
    """Build a script from YAML text; raises :class:`ScriptError` listing every fault."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScriptError([("yaml_invalid", f"YAML 格式错误：{exc}", f"invalid YAML: {exc}", "")]) from exc
    if not isinstance(data, dict):
        raise ScriptError([("script_invalid", "话术文件应为映射", "a script file must be a mapping", "")])
    b = _Builder(data)
    sid = data.get("script")
    if not isinstance(sid, str) or not _ID.match(sid):
        b.err("script_no_id", "缺少话术标识 script", "the script has no id (script)", "script")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        b.err(
            "script_no_version",
            "缺少版本号 version（正整数）",
            "version must be a positive integer",
            "version",
        )
    title = b.line(data.get("title"), "title") or Line("", "")
    nodes_raw = data.get("nodes")
    nodes: dict[str, Node] = {}
    if not isinstance(nodes_raw, dict) or not nodes_raw:
        b.err("script_no_nodes", "话术没有节点 nodes", "the script has no nodes", "nodes")
    else:
        for nid, raw in nodes_raw.items():
            node = b.node(str(nid), raw)
            if node is not None:
                nodes[node.id] = node
    start = data.get("start")
    if start not in nodes:
        b.err("script_bad_start", f"起始节点 {start} 不存在", f"start node {start} does not exist", "start")
    branches = data.get("branches") or {}
    for name in branches:
        if name not in BRANCHES:
            b.err("unknown_branch", f"未知分支 {name}", f"unknown branch {name}", f"branches.{name}")
    for name, spec in branches.items():
        entry = (spec or {}).get("entry")
        if entry is not None and entry not in nodes:
            b.err(
                "unknown_target",
                f"branches.{name}.entry 指向不存在的节点 {entry}",
                f"branches.{name}.entry points to a missing node {entry}",
                f"branches.{name}.entry",
            )
    emotion_branches = data.get("emotion_branches") or {}
    for emo, branch in emotion_branches.items():
        if emo not in EMOTIONS:
            b.err("unknown_emotion", f"未知情绪 {emo}", f"unknown emotion {emo}", f"emotion_branches.{emo}")
        if branch not in BRANCHES:
            b.err(
                "unknown_branch", f"未知分支 {branch}", f"unknown branch {branch}", f"emotion_branches.{emo}"
            )
    intent_branches = data.get("intent_branches") or {}
    for intent, branch in intent_branches.items():
        if intent not in INTENTS or branch not in BRANCHES:
            b.err(
                "bad_intent_branch",
                f"intent_branches.{intent} 无效",
                f"intent_branches.{intent} is invalid",
                f"intent_branches.{intent}",
            )
    global_on = {str(k): str(v) for k, v in (data.get("global") or {}).items()}
    settings = dict(data.get("settings") or {})
    _check_targets(b, nodes, global_on, settings)
    if b.problems:
        raise ScriptError(b.problems)
    return Script(
        id=str(sid),
        version=int(version),  # type: ignore[arg-type]
        title=title,
        start=str(start),
        nodes=nodes,
        branches={k: dict(v or {}) for k, v in branches.items()},
        emotion_branches=dict(emotion_branches),
        intent_branches=dict(intent_branches),
        global_on=global_on,
        settings=settings,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        path=path,
    )


def available_scripts() -> list[str]:
    """Names of the packaged scripts (``standard_v1``, ...)."""
    return sorted(p.stem for p in SCRIPTS_DIR.glob("*.yaml"))


def load_script(name_or_path: str | Path) -> Script:
    """A packaged script by name (``standard_v1``) or a YAML file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SCRIPTS_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        names = "、".join(available_scripts())
        raise ScriptError(
            [
                (
                    "script_not_found",
                    f"找不到话术 {name_or_path}（可用：{names}）",
                    f"no script {name_or_path} (available: {', '.join(available_scripts())})",
                    "script",
                )
            ]
        )
    return parse_script(path.read_text(encoding="utf-8"), str(path))
