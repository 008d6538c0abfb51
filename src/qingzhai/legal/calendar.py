"""Statutory periods on the official PRC working-day calendar (pure: no Django).

Rules (Civil Code, ../shared/domain/cn-legal-reference.md §5.1):
- art. 201: a period counted in days, months or years starts on the day AFTER the event;
- art. 202: a period in months or years ends on the corresponding day of the last month, or on that
  month's last day when it has no corresponding day (Jan 31 + 1 month → Feb 28/29);
- art. 203: when the last day is a statutory holiday (法定休假日: public holidays and ordinary weekend
  rest days), the period ends on the first working day after it. Weekend days the State Council
  declares working days (调休上班) are working days, so a period ending on one does not move.

Calendar source: the `chinese-calendar` package (import `chinese_calendar`), which transcribes the
State Council General Office's yearly notice on public-holiday arrangements (国务院办公厅关于〔年份〕年部分节假日
安排的通知, usually published in November for the next year). It covers 2004 up to the last year it
knows (2026 in version 1.11). Dates outside that range are refused with `CalendarError`: nobody can
tell whether a day of an unpublished year is a holiday, so nothing is guessed. When the State Council
publishes the next year's arrangement, bump the package version (see docs/legal-deadlines.md).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import csv
import functools
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar

from qingzhai.legal.errors import LegalError

SOURCE = {
    "package": "chinese-calendar",
    "zh": "国务院办公厅每年发布的部分节假日安排通知（经 chinese-calendar 软件包转录）",
    "en": "State Council General Office yearly notice on public-holiday arrangements, "
    "as transcribed by the chinese-calendar package",
}


class CalendarError(LegalError):
    """A date the official calendar cannot answer for; bilingual, with a stable code."""

    default_field = "date"


EXTRA_ENV = "QINGZHAI_HOLIDAYS_FILE"
EXTRA_FILE = Path(__file__).resolve().parent / "data" / "holidays_extra.csv"
EXTRA_KINDS = ("holiday", "workday")


@dataclass(frozen=True)
class _Tables:
    holidays: frozenset[date]
    workdays: frozenset[date]
    first: int
    last: int


def extra_file() -> Path:
    """$QINGZHAI_HOLIDAYS_FILE if set, else the packaged legal/data/holidays_extra.csv."""
    override = os.environ.get(EXTRA_ENV, "").strip()
    return Path(override) if override else EXTRA_FILE


def _bad_extra(path: Path, line: int, zh: str, en: str) -> CalendarError:
    return CalendarError(
        "holidays_file_invalid",
        f"节假日补充文件 {path.name} 第 {line} 行：{zh}",
        f"Holiday supplement {path.name}, line {line}: {en}",
        field="holidays_file",
    )


def _read_extra(path: Path, first: int, last: int) -> tuple[dict[date, str], set[int]]:
    """Rows `date,kind,name,source` (kind holiday|workday) for whole years after the package's last year."""
    days: dict[date, str] = {}
    years: set[int] = set()
    if not path.is_file():
        if path != EXTRA_FILE:
            raise CalendarError(
                "holidays_file_missing",
                f"找不到节假日补充文件：{path}",
                f"Holiday supplement not found: {path}",
                field="holidays_file",
            )
        return days, years
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [
            (n, r) for n, r in enumerate(csv.reader(fh), start=1) if r and not r[0].lstrip().startswith("#")
        ]
    for n, row in rows[1:]:  # the first row is the header
        if len(row) < 4 or not row[3].strip():
            raise _bad_extra(
                path, n, "需要 date,kind,name,source 四列，来源不能为空", "needs date,kind,name,source"
            )
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError as exc:
            raise _bad_extra(path, n, f"日期无效：{row[0]}", f"bad date: {row[0]}") from exc
        kind = row[1].strip()
        if kind not in EXTRA_KINDS:
            raise _bad_extra(
                path, n, f"类型只能是 holiday 或 workday：{kind}", f"kind must be holiday or workday: {kind}"
            )
        if day.year <= last:
            raise _bad_extra(
                path,
                n,
                f"{day.year} 年已由 chinese-calendar 软件包覆盖（{first}–{last}），请升级软件包而不是补充",
                f"{day.year} is covered by the chinese-calendar package ({first}–{last}); upgrade it instead",
            )
        if day in days:
            raise _bad_extra(path, n, f"日期重复：{day}", f"duplicate date: {day}")
        days[day] = kind
        years.add(day.year)
    if years and sorted(years) != list(range(last + 1, max(years) + 1)):
        raise _bad_extra(
            path, 1, "补充的年份须紧接软件包的最后一年且连续", "supplement years must follow the package's"
        )
    return days, years


@functools.cache
def _tables(path: Path) -> _Tables:
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    extra, years = _read_extra(path, first, last)
    holidays = set(chinese_calendar.holidays) | {d for d, k in extra.items() if k == "holiday"}
    workdays = set(chinese_calendar.workdays) | {d for d, k in extra.items() if k == "workday"}
    return _Tables(frozenset(holidays), frozenset(workdays), first, max(years) if years else last)


def reload() -> None:
    """Forget the loaded tables (after the supplement file or its environment variable changed)."""
    _tables.cache_clear()


def covered_years() -> tuple[int, int]:
    """First and last year the calendar data knows: the package's years plus the supplement's."""
    tables = _tables(extra_file())
    return tables.first, tables.last


def _check(d: date) -> _Tables:
    tables = _tables(extra_file())
    if not tables.first <= d.year <= tables.last:
        raise CalendarError(
            "calendar_year_not_covered",
            f"节假日日历没有 {d.year} 年的数据（已知 {tables.first}–{tables.last} 年）："
            "请在国务院公布该年节假日安排后升级 chinese-calendar 软件包，或把该年安排录入节假日补充文件"
            "（docs/legal-deadlines.md）",
            f"The holiday calendar has no data for {d.year} (it knows {tables.first}–{tables.last}): "
            "update the chinese-calendar package once the State Council publishes that year's arrangement, "
            "or enter it in the holiday supplement file (docs/legal-deadlines.md)",
        )
    return tables


def is_working_day(d: date) -> bool:
    """True on a working day: a weekday that is not a public holiday, or an adjusted working weekend day."""
    tables = _check(d)
    if isinstance(d, datetime):
        d = d.date()
    return d in tables.workdays or (d.weekday() < 5 and d not in tables.holidays)


def next_working_day(d: date) -> date:
    """`d` itself when it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def add_months(d: date, months: int) -> date:
    """The corresponding day `months` later, or that month's last day when it has none (art. 202)."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, _stdlib_calendar.monthrange(year, month)[1]))


def nominal_end(
    start: date, *, days: int | None = None, months: int | None = None, years: int | None = None
) -> date:
    """The last day of the period before any holiday move (arts 201–202); needs no calendar data."""
    given = [v for v in (days, months, years) if v is not None]
    if len(given) != 1 or given[0] < 0:
        raise ValueError("give exactly one of days, months, years, not negative")
    if days is not None:
        return start + timedelta(days=days)
    return add_months(start, months if months is not None else 12 * (years or 0))


def period_end(
    start: date, *, days: int | None = None, months: int | None = None, years: int | None = None
) -> date:
    """The last day of a statutory period that begins with the event on `start` (arts 201–203).

    The day of the event is not counted; `days=15` from 2025-01-20 ends on 2025-02-04 nominally, a
    Spring Festival holiday, so the period ends on 2025-02-05. Raises CalendarError when the nominal
    end (or a day it moves over) lies outside the calendar data."""
    return next_working_day(nominal_end(start, days=days, months=months, years=years))
