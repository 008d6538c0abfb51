"""Message templates for campaigns (pure: no Django): loaded from versioned data, checked, rendered.

A template names its channel and language and uses only the variables in `VARIABLES`; rendering formats
amounts as yuan (¥1,234.56) and dates as ISO days. The digest of a template (SHA-256 over its canonical
JSON) is kept with the campaign, so what was sent can be proved later even after the file changes.
"""

from __future__ import annotations

import hashlib
import json
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).with_name("data") / "templates.yaml"
VARIABLES = frozenset({"name", "creditor", "amount", "overdue_days", "case_ref", "pay_by", "hotline"})
CHANNELS = ("sms", "email", "letter", "voice")
# The gate's channel for each campaign channel (a voice reminder is an automated call).
GATE_CHANNEL = {"sms": "sms", "email": "email", "letter": "letter", "voice": "bot_call"}


class TemplateError(ValueError):
    def __init__(self, code: str, zh: str, en: str, *, field: str = "template") -> None:
        self.code, self.zh, self.en, self.field = code, zh, en, field
        super().__init__(f"{code}: {en}")


@dataclass(frozen=True)
class Template:
    id: str
    version: str
    channel: str
    lang: str
    name_zh: str
    name_en: str
    body: str
    subject: str = ""

    @property
    def digest(self) -> str:
        doc = {k: getattr(self, k) for k in ("id", "version", "channel", "lang", "subject", "body")}
        return hashlib.sha256(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode()).hexdigest()

    def render(self, values: dict[str, Any]) -> tuple[str, str]:
        """(subject, body) with the variables filled in; a missing value renders as an empty string."""
        text = {k: format_value(k, values.get(k)) for k in VARIABLES}
        return self.subject.format_map(text), self.body.format_map(text)


def format_value(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name == "amount" and isinstance(value, int):
        sign = "-" if value < 0 else ""
        yuan, fen = divmod(abs(value), 100)
        return f"{sign}¥{yuan:,}.{fen:02d}"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def fields_of(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise TemplateError(
            "template_syntax", f"模板格式错误：{exc}", f"Template syntax error: {exc}"
        ) from None


def check(template: Template) -> Template:
    if template.channel not in CHANNELS:
        raise TemplateError(
            "template_channel",
            f"模板渠道无效：{template.channel}",
            f"Unknown template channel: {template.channel}",
        )
    if not template.body.strip():
        raise TemplateError(
            "template_empty", f"模板{template.id}正文为空", f"Template {template.id} has no body"
        )
    unknown = (fields_of(template.body) | fields_of(template.subject)) - VARIABLES
    if unknown:
        names = ", ".join(sorted(unknown))
        raise TemplateError(
            "template_variable",
            f"模板{template.id}使用了未知变量：{names}",
            f"Template {template.id} uses unknown variables: {names}",
        )
    return template


def parse(doc: dict[str, Any]) -> dict[str, Template]:
    out: dict[str, Template] = {}
    for raw in doc.get("templates") or []:
        names = raw.get("name") or [raw["id"], raw["id"]]
        template = check(
            Template(
                id=str(raw["id"]),
                version=str(raw.get("version", "1")),
                channel=str(raw["channel"]),
                lang=str(raw.get("lang", "zh")),
                name_zh=str(names[0]),
                name_en=str(names[1]),
                body=str(raw["body"]),
                subject=str(raw.get("subject") or ""),
            )
        )
        if template.id in out:
            raise TemplateError(
                "template_duplicate", f"模板编号重复：{template.id}", f"Duplicate template {template.id}"
            )
        out[template.id] = template
    return out


@cache
def catalogue() -> dict[str, Template]:
    return parse(yaml.safe_load(DATA.read_text(encoding="utf-8")))


def template_get(template_id: str) -> Template:
    found = catalogue().get(template_id)
    if found is None:
        raise TemplateError(
            "template_unknown",
            f"没有这个模板：{template_id}",
            f"No such template: {template_id}",
            field="steps",
        )
    return found
