"""Every parser by key, and auto-detection of an upload's format.

Pure module (no Django). Each parser module exposes `PARSERS: list[Parser]`; this module lists the modules.
"""

from __future__ import annotations

import importlib
from functools import cache

from qingzhai.profiling.sources.base import Parser, UnreadableFile
from qingzhai.profiling.sources.reading import Workbook

MODULES = (
    "qingzhai.profiling.sources.alipay",
    "qingzhai.profiling.sources.wechat",
    "qingzhai.profiling.sources.jd",
    "qingzhai.profiling.sources.meituan",
    "qingzhai.profiling.sources.banks",
)


@cache
def parsers() -> dict[str, Parser]:
    out: dict[str, Parser] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for parser in module.PARSERS:
            if parser.key in out:
                raise RuntimeError(f"duplicate parser key {parser.key}")
            out[parser.key] = parser
    return out


def get(key: str) -> Parser:
    """A parser by key: 'alipay', 'wechat', 'jd', 'meituan', 'bank:<format>'."""
    found = parsers().get(key)
    if found is None:
        raise UnreadableFile(
            "unknown_source",
            f"未知的数据来源：{key}（可选：{', '.join(sorted(parsers()))}）",
            f"Unknown source: {key} (choose from: {', '.join(sorted(parsers()))})",
        )
    return found


def detect(book: Workbook) -> Parser:
    """The one parser that recognises the workbook's header. Raises UnreadableFile when none or several
    do (the caller then asks the user to name the source)."""
    hits = [p for p in parsers().values() if p.key != "bank:generic" and p.sniff(book)]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise UnreadableFile(
            "unknown_layout",
            "无法识别文件格式，请指定数据来源（如 alipay、wechat、bank:icbc-debit）",
            "Unrecognised layout; name the source (e.g. alipay, wechat, bank:icbc-debit)",
        )
    keys = ", ".join(sorted(p.key for p in hits))
    raise UnreadableFile(
        "ambiguous_layout",
        f"文件格式可能属于多个来源（{keys}），请指定数据来源",
        f"The layout matches several sources ({keys}); name the source",
    )
