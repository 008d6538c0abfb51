"""A built profile as the page and the PDF show it: formatted values, grouped indicators, chart data."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.urls import reverse

from qingzhai.core.i18n import bi
from qingzhai.core.money import format_fen
from qingzhai.profiling import indicators as ind
from qingzhai.profiling.profile import HEADLINE, Profile, records_of
from qingzhai.profiling.records.schema import KINDS as RECORD_KINDS
from qingzhai.profiling.sources import registry

REASONS = {
    "no_data": ("无数据：尚未导入该类来源", "No data: no source of this kind was ingested"),
    "not_permitted": (
        "未计算：处理目的未获合法性基础覆盖",
        "Not computed: no legal basis covers its purpose",
    ),
    "undefined": ("无法计算（分母为零等）", "Undefined (e.g. zero denominator)"),
}
SEVERITY = {"high": ("高", "High"), "medium": ("中", "Medium"), "low": ("低", "Low")}
ASSET_KINDS = ("property", "vehicle", "business", "marriage", "court")


def fmt(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool) or unit == "bool":
        return bi("是", "Yes") if value else bi("否", "No")
    if unit == "fen":
        return format_fen(int(value))
    if unit == "ratio":
        return f"{Decimal(str(value)):.2f}×"
    if unit == "pct":
        return f"{Decimal(str(value)):.1f}%"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def source_choices() -> list[tuple[str, str]]:
    out = [("", bi("自动识别", "Detect automatically"))]
    out += [(key, f"{bi(p.label_zh, p.label_en)} ({key})") for key, p in sorted(registry.parsers().items())]
    out += [(key, f"{bi(spec.label_zh, spec.label_en)} ({key})") for key, spec in RECORD_KINDS.items()]
    return out


def indicator_groups(built: Profile) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {
        key: {"key": key, "name": bi(*names), "items": [], "missing": 0}
        for key, names in ind.categories().items()
    }
    for item in ind.catalogue():
        value = built.values.get(item.code)
        reason = built.reasons.get(item.code, "")
        group = groups[item.category]
        group["missing"] += value is None
        group["items"].append(
            {
                "code": item.code,
                "name": bi(item.name_zh, item.name_en),
                "definition": bi(item.definition_zh, item.definition_en),
                "value": fmt(value, item.unit),
                "missing": value is None,
                "reason": bi(*REASONS[reason]) if reason in REASONS else "",
                "window": item.window_months,
                "purpose": item.purpose,
            }
        )
    return list(groups.values())


def headline(built: Profile) -> list[dict[str, str]]:
    by_code = {i.code: i for i in ind.catalogue()}
    out = []
    for code in HEADLINE:
        item = by_code.get(code)
        if item is None:
            continue
        out.append(
            {
                "code": code,
                "name": bi(item.name_zh, item.name_en),
                "value": fmt(built.values.get(code), item.unit),
            }
        )
    return out


def fact_rows(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Each fact as the page shows it: money keys (``*_fen``) as yuan, nested values folded as JSON."""
    rows = []
    for key, value in facts.items():
        if isinstance(value, (dict, list)):
            text = json.dumps(value, ensure_ascii=False, indent=1, default=str)
            rows.append({"key": key, "value": f"{len(value)} 项 / items", "nested": text})
        elif key.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
            rows.append({"key": key, "value": format_fen(value), "nested": ""})
        else:
            rows.append(
                {"key": key, "value": fmt(value, "bool" if isinstance(value, bool) else ""), "nested": ""}
            )
    return rows


def flag_rows(built: Profile) -> list[dict[str, Any]]:
    rows = []
    for f in built.flags:
        evidence = []
        for e in f.get("evidence", []):
            link = ""
            if e.get("source_id"):
                link = (
                    reverse("profiling:source_rows", args=[built.debtor_id, e["source_id"]])
                    + f"?row={e.get('row')}#row-{e.get('row')}"
                )
            evidence.append({**e, "link": link})
        title = f.get("title") or {}
        rule = f.get("rule") or {}
        rows.append(
            {
                **f,
                "title_text": bi(title.get("zh", f["flag"]), title.get("en", f["flag"]))
                if isinstance(title, dict)
                else title,
                "rule_text": bi(rule.get("zh", ""), rule.get("en", "")) if isinstance(rule, dict) else rule,
                "fact_rows": fact_rows(f.get("facts") or {}),
                "severity_text": bi(*SEVERITY.get(f["severity"], (f["severity"], f["severity"]))),
                "evidence_rows": evidence,
            }
        )
    return rows


def chart_data(built: Profile) -> dict[str, Any]:
    return {
        "months": [m["month"] for m in built.months],
        "inflow": [round((m["in_fen"] or 0) / 100, 2) for m in built.months],
        "outflow": [round((m["out_fen"] or 0) / 100, 2) for m in built.months],
        "categories": [
            {"name": c["category"], "value": round((c["out_fen"] or 0) / 100, 2)}
            for c in built.categories_out
        ],
        "labels": {
            "inflow": bi("收入", "Inflow"),
            "outflow": bi("支出（净额）", "Outflow (net)"),
            "yuan": bi("元", "CNY"),
        },
    }


def page_context(built: Profile) -> dict[str, Any]:
    return {
        "built": built,
        "headline": headline(built),
        "groups": indicator_groups(built),
        "flags": flag_rows(built),
        "chart": chart_data(built),
        "assets": {kind: records_of(built.frames, kind) for kind in ASSET_KINDS},
        "indicator_count": len(ind.catalogue()),
    }
