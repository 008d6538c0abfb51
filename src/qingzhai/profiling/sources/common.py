"""Helpers shared by the Alipay, WeChat Pay, JD and Meituan bill parsers.

Pure module (no Django). `fen_of` and `when` have a fast path for the plain cells these exports are made of
and fall back to `reading.parse_amount` / `reading.parse_time`, so they accept exactly what those accept.
In their row loops the parsers trim text cells with `str.strip()` (any Unicode whitespace, twice as fast
as `reading.clean`'s explicit set; the only difference is a stray BOM, which stays). Cells of XLS/XLSX
rows that are not text go through `clean` first (see `cells`).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from qingzhai.profiling.sources.base import ParseContext, RowError, UnreadableFile
from qingzhai.profiling.sources.reading import (
    Cell,
    Header,
    Workbook,
    clean,
    find_header,
    is_blank,
    parse_amount,
    parse_time,
)

BLANKS = "\t\r\n \u00a0\u3000\ufeff"
# Exports write seconds; a file re-saved in Excel or WPS loses them and may switch to slashes.
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")

# The file's own direction column (收/支; 资金状态 of the old Alipay web export) -> Txn.side.
SIDES = {
    "收入": "in",
    "支出": "out",
    "不计收支": "neutral",
    "其他": "neutral",
    "/": "neutral",
    "": "neutral",
    "已收入": "in",
    "已支出": "out",
}

_FAILED_WORDS = ("失败", "等待付款", "待付款", "未付款", "未支付", "取消", "撤销", "撤回")
_status_cache: dict[str, str] = {}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a parser builds many acyclic objects (Txns): reference
    counting still frees them, and the collector's full passes over every loaded row are skipped
    (a million-row Alipay file: 12.3 s instead of 16.1 s of CPU on the development machine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def label(value: str) -> str:
    """A text cell where `/` (or JD's `null`) means "nothing": counterparty, channel, id."""
    return "" if value in ("/", "null") else value


def fen_of(cell: Cell) -> int:
    """Signed fen of an amount cell (any suffix such as ``(已退款x)`` ignored); raises AmountUnreadable."""
    if type(cell) is str:
        whole, _, frac = cell.strip().partition(".")
        if len(frac) == 2 and whole.isdecimal() and frac.isdecimal() and len(whole) < 13:
            return int(whole + frac)  # '49.74': the common case
    return parse_amount(cell).fen


def when(cell: Cell) -> datetime:
    """A date/time cell in one of TIME_FORMATS, a datetime cell or an Excel serial number; raises
    DateUnreadable."""
    if type(cell) is str:
        t = cell.strip()
        if len(t) == 19 and t[4] == "-" and t[10] == " " and t[13] == ":" and t[16] == ":":
            try:
                return datetime.fromisoformat(t)
            except ValueError:
                pass
    return parse_time(cell, TIME_FORMATS)


def cells(row: list[Cell], width: int, is_text: bool) -> tuple[list[Cell], list[str]]:
    """(raw cells, text cells) of a data row, both padded with "" to `width`. For CSV (`is_text`) both
    are the row itself; for spreadsheets numbers and dates become `clean` text in the second list."""
    if len(row) < width:
        row = row + [""] * (width - len(row))
    if is_text:
        return row, row
    return row, [c if type(c) is str else clean(c) for c in row]


def is_end(row: list[Cell]) -> bool:
    """True at the end of the data: a blank line or a line of dashes (a footer or summary follows)."""
    if not row:
        return True
    first = row[0]
    if type(first) is str:
        first = first.strip(BLANKS)
        if first.startswith("---"):
            return True
        if first:
            return False
    elif first is not None:
        return False
    return is_blank(row)


def status_nature(status: str) -> str:
    """'closed' (交易关闭, 已关闭), 'failed' (失败, 等待付款, 已取消 ...) or '' for a status text."""
    found = _status_cache.get(status)
    if found is None:
        if "关闭" in status:
            found = "closed"
        elif any(w in status for w in _FAILED_WORDS):
            found = "failed"
        else:
            found = ""
        if len(_status_cache) < 10_000:
            _status_cache[status] = found
    return found


_BY_SIDE = {"in": ("in", "income"), "out": ("out", "spending"), "neutral": ("neutral", "other")}


def by_side(side: str) -> tuple[str, str]:
    """(direction, nature) of an ordinary row, from the file's own direction."""
    return _BY_SIDE[side]


def is_own(ctx: ParseContext, side: str, counterparty: str) -> bool:
    """The row moves money to or from the debtor's own name (callers check that it is a transfer)."""
    return side != "neutral" and bool(ctx.owner_names) and ctx.is_owner(counterparty)


def card_tail(channel: str) -> str:
    """'中国银行(1234)' or '中信银行信用卡(6428)&红包' -> the tail digits; '' when no card is named."""
    start = channel.find("(")
    if start < 0:  # the common case first
        return ""
    end = channel.find(")", start)
    tail = channel[start + 1 : end]
    return tail if end > 0 and tail.isascii() and tail.isdigit() else ""


def join_memo(item: str, note: str) -> str:
    """Item and remark joined by " | ", leaving out empty ones and "/"."""
    if not note or note == "/":
        return "" if item == "/" else item
    if not item or item == "/":
        return note
    return item + " | " + note


def column(header: Header, *names: str) -> int:
    """Index of the first of `names` (header keys) present in the header, or -1."""
    for name in names:
        col = header.columns.get(name)
        if col is not None:
            return col
    return -1


def headers(book: Workbook, required: tuple[str, ...]) -> list[Header]:
    """The header row of each sheet that has one, in sheet order."""
    found = []
    for sheet in book.sheets:
        header = find_header(Workbook(book.filename, book.container, book.encoding, [sheet]), required)
        if header is not None:
            found.append(header)
    return found


def no_header(label_zh: str, label_en: str) -> UnreadableFile:
    return UnreadableFile(
        "unknown_layout",
        f"未找到{label_zh}的表头行，请确认上传的是原始导出文件",
        f"No {label_en} header row found; upload the file as exported",
    )


def bad_time(row: int, field: str, cell: Cell) -> RowError:
    value = clean(cell)
    return RowError(
        row,
        field,
        f"第 {row} 行“{field}”不是有效的时间：{value!r}",
        f"Row {row}: {field} is not a time: {value!r}",
    )


def bad_amount(row: int, field: str, cell: Cell) -> RowError:
    value = clean(cell)
    return RowError(
        row,
        field,
        f"第 {row} 行“{field}”不是有效的金额：{value!r}",
        f"Row {row}: {field} is not an amount: {value!r}",
    )


# --- preamble ------------------------------------------------------------------------------------------

_META_RE = re.compile(r"([\u4e00-\u9fff]+)\s*[:：]\s*(\[[^\]]*\]|[^\s,]+)")


def preamble_meta(rows: list[list[Cell]], labels: dict[str, str]) -> dict[str, Any]:
    """Holder, account and period from preamble or summary lines, as shown in the file (masks kept,
    brackets removed). `labels` maps a label (姓名, 支付宝账户, 起始时间 ...) to a meta key; the first
    occurrence of a key wins. `日期区间：A 至 B` (JD) gives period_from and period_to."""
    meta: dict[str, Any] = {}
    for row in rows:
        line = ",".join(t for t in (clean(c) for c in row) if t)
        if "：" not in line and ":" not in line:
            continue
        for m in _META_RE.finditer(line):
            name, value = m.group(1), m.group(2).strip("[]").strip()
            if name == "日期区间":
                rest = line[m.start(2) :].split("至")
                if len(rest) == 2:
                    meta.setdefault("period_from", rest[0].strip())
                    meta.setdefault("period_to", rest[1].strip())
                continue
            key = labels.get(name)
            if key and value:
                meta.setdefault(key, value)
    return meta
