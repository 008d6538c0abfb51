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
from datetime import date, timedelta

import chinese_calendar

SOURCE = {
    "package": "chinese-calendar",
    "zh": "国务院办公厅每年发布的部分节假日安排通知（经 chinese-calendar 软件包转录）",
    "en": "State Council General Office yearly notice on public-holiday arrangements, "
    "as transcribed by the chinese-calendar package",
}


class CalendarError(ValueError):
    """A date the official calendar cannot answer for; bilingual, with a stable code."""

    def __init__(self, code: str, zh: str, en: str, *, field: str = "date") -> None:
        self.code = code
        self.zh = zh
        self.en = en
        self.field = field
        super().__init__(f"{code}: {en}")

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": f"{self.zh} / {self.en}", "fields": {self.field: [self.en]}}


def covered_years() -> tuple[int, int]:
    """First and last year the installed calendar data knows."""
    return min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year


def _check(d: date) -> None:
    first, last = covered_years()
    if not first <= d.year <= last:
        raise CalendarError(
            "calendar_year_not_covered",
            f"节假日日历没有 {d.year} 年的数据（已知 {first}–{last} 年）："
            "请在国务院公布该年节假日安排后升级 chinese-calendar 软件包",
            f"The holiday calendar has no data for {d.year} (it knows {first}–{last}): "
            "update the chinese-calendar package once the State Council publishes that year's arrangement",
        )


def is_working_day(d: date) -> bool:
    """True on a working day: a weekday that is not a public holiday, or an adjusted working weekend day."""
    _check(d)
    return bool(chinese_calendar.is_workday(d))


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
