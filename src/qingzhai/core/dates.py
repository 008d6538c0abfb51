"""Dates as users type them: 2024-03-01, 2024/3/1, 2024.3.1, 20240301, 2024年3月1日, Excel serials."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


# What to tell a person whose date was refused, by DateError code; {value} is what they typed.
DATE_MESSAGES: dict[str, tuple[str, str]] = {
    "date_format": (
        "日期格式无法识别：{value}（可用 2024-03-01、2024/3/1、2024年3月1日）",
        "Unrecognised date: {value} (use 2024-03-01, 2024/3/1 or 2024年3月1日)",
    ),
    "date_impossible": ("日期不存在：{value}", "The date does not exist: {value}"),
    "date_range": ("日期超出合理范围：{value}", "The date is out of range: {value}"),
}


def date_message(code: str, value: object) -> tuple[str, str]:
    """(Chinese, English) explanation of a refused date."""
    zh, en = DATE_MESSAGES.get(code, DATE_MESSAGES["date_format"])
    text = str(value)
    return zh.format(value=text), en.format(value=text)


class DateError(ValueError):
    def __init__(self, code: str, raw: str) -> None:
        super().__init__(f"{code}: {raw!r}")
        self.code = code
        self.raw = raw


def parse_date(raw: object) -> date:
    """Raises DateError('date_format' | 'date_impossible')."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        serial = int(raw)
        if 1 <= serial <= 2958465:  # Excel serial day numbers
            return date(1899, 12, 30) + timedelta(days=serial)
        raise DateError("date_format", str(raw))
    text = re.sub(r"\s+", "", str(raw or "")) if "年" in str(raw) else str(raw or "").strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups()[:3])
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise DateError("date_impossible", str(raw)) from exc
    raise DateError("date_format", str(raw))
