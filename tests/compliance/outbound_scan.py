"""Find, in the source tree, every place that makes or records an outbound contact.

A place is: a function that constructs or bulk-creates `Activity` rows, calls `activity_log` or
`activities_log_cleared`, calls a gate service (`contact_clear`, `contact_log`, `bot_utterance_release`,
`contacts_clear_bulk`), or is named like a sender
(`send_*`, `dial*`, `deliver*`, `*_send`). The test next door checks the list against the known paths.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "qingzhai"
SENDER_NAME = re.compile(r"^(send|dial|deliver|sms_send|email_send|letter_send)|_send$")
GATE_CALLS = frozenset({"contact_clear", "contact_log", "bot_utterance_release", "contacts_clear_bulk"})


@dataclass(frozen=True)
class Site:
    module: str  # dotted path under qingzhai
    function: str  # enclosing function (Class.method or function), "" at module level
    what: str  # "creates_activity", "activity_log", "gate:<name>", "sender"


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _creates_activity(node: ast.Call) -> bool:
    func = node.func
    if isinstance(func, ast.Name) and func.id == "Activity":
        return True
    # Activity.objects.create(...) / Activity.objects.bulk_create(...)
    if isinstance(func, ast.Attribute) and func.attr in ("create", "bulk_create", "get_or_create"):
        target = func.value
        if isinstance(target, ast.Attribute) and target.attr == "objects":
            base = target.value
            return isinstance(base, ast.Name) and base.id == "Activity"
    return False


class _Visitor(ast.NodeVisitor):
    def __init__(self, module: str) -> None:
        self.module = module
        self.stack: list[str] = []
        self.sites: set[Site] = set()

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.stack.append(node.name)
        if not isinstance(node, ast.ClassDef) and SENDER_NAME.search(node.name):
            self.sites.add(Site(self.module, ".".join(self.stack), "sender"))
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = _enter
    visit_AsyncFunctionDef = _enter
    visit_ClassDef = _enter

    def visit_Call(self, node: ast.Call) -> None:
        where = ".".join(self.stack)
        name = _called_name(node)
        if _creates_activity(node):
            self.sites.add(Site(self.module, where, "creates_activity"))
        elif name in ("activity_log", "activities_log_cleared"):
            self.sites.add(Site(self.module, where, name))
        elif name in GATE_CALLS:
            self.sites.add(Site(self.module, where, f"gate:{name}"))
        self.generic_visit(node)


def scan(root: Path = SRC) -> set[Site]:
    sites: set[Site] = set()
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        visitor = _Visitor(module)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        sites |= visitor.sites
    return sites
