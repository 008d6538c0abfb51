"""The base-rates file of the route advisor: read, checked and cached by modification time."""

from __future__ import annotations

import os
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from qingzhai.legal.route.model import (
    DEFAULT_FILE,
    ENV_VAR,
    REQUIRED,
    Baselines,
    RouteError,
)

# ---- baselines file ------------------------------------------------------------------------------


_cache: dict[str, tuple[tuple[int, int], Baselines]] = {}
_lock = threading.Lock()


def baselines_file() -> Path:
    override = os.environ.get(ENV_VAR, "").strip()
    return Path(override) if override else DEFAULT_FILE


def _bad(path: Path, why_zh: str, why_en: str, code: str = "route_baselines_invalid") -> RouteError:
    return RouteError(
        code,
        "route_baselines",
        f"路线基准文件 {path} 有误：{why_zh}",
        f"Route baselines file {path}: {why_en}",
    )


def parse_baselines(text: str, path: Path = DEFAULT_FILE) -> Baselines:
    """Validate the YAML text: every REQUIRED key present as {value, source}, values in range."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _bad(path, f"不是有效的 YAML（{exc}）", f"not valid YAML ({exc})") from exc
    if not isinstance(doc, dict):
        raise _bad(path, "顶层须为映射", "the top level must be a mapping")
    values: dict[str, Decimal] = {}
    sources: dict[str, str] = {}
    for key, kind in REQUIRED.items():
        node: Any = doc
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or "value" not in node:
            raise _bad(
                path, f"缺少 {key}（须为 {{value, source}}）", f"{key} is missing (needs {{value, source}})"
            )
        source = node.get("source")
        if not isinstance(source, str) or not source.strip():
            raise _bad(path, f"{key} 缺少来源 source", f"{key} has no source")
        raw = node["value"]
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise _bad(path, f"{key} 不是数字：{raw!r}", f"{key} is not a number: {raw!r}")
        value = Decimal(str(raw))
        if kind == "prob" and not 0 <= value <= 1:
            raise _bad(path, f"{key} 须在 0 到 1 之间：{raw}", f"{key} must be between 0 and 1: {raw}")
        if kind in ("days", "count") and (value != value.to_integral_value() or value <= 0):
            raise _bad(path, f"{key} 须为正整数：{raw}", f"{key} must be a positive whole number: {raw}")
        if kind == "fen" and (value != value.to_integral_value() or value < 0):
            raise _bad(
                path, f"{key} 须为非负整数（分）：{raw}", f"{key} must be whole fen, not negative: {raw}"
            )
        values[key], sources[key] = value, source.strip()
    return Baselines(values=values, sources=sources, path=str(path))


def load_baselines(path: Path | str | None = None) -> Baselines:
    """The baselines in `path` (default: $QINGZHAI_ROUTE_BASELINES_FILE, else the packaged file), cached
    until the file's mtime or size changes. Raises RouteError (bilingual) for a missing or bad file."""
    path = Path(path) if path else baselines_file()
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with _lock:
            hit = _cache.get(str(path))
        if hit and hit[0] == stamp:
            return hit[1]
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RouteError(
            "route_baselines_missing",
            "route_baselines",
            f"无法读取路线基准文件：{path}（可用环境变量 {ENV_VAR} 指定）",
            f"Cannot read the route baselines file: {path} (set {ENV_VAR} to use another)",
        ) from exc
    found = parse_baselines(text, path)
    with _lock:
        _cache[str(path)] = (stamp, found)
    return found
