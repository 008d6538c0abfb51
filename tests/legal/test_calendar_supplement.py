"""The holiday supplement file: a year the chinese-calendar package does not know yet, entered from the
State Council's notice, extends the calendar; bad files are refused with the line named."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.legal import calendar
from qingzhai.legal.calendar import CalendarError


@pytest.fixture
def supplement(tmp_path, monkeypatch):
    path = tmp_path / "holidays.csv"

    def use(text: str):
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(calendar.EXTRA_ENV, str(path))
        calendar.reload()
        return path

    yield use
    monkeypatch.delenv(calendar.EXTRA_ENV, raising=False)
    calendar.reload()


def _next_year() -> int:
    return calendar.covered_years()[1] + 1


def test_the_packaged_supplement_is_empty_and_the_package_years_are_covered():
    calendar.reload()
    first, last = calendar.covered_years()
    assert (first, last) == (2004, 2026)
    with pytest.raises(CalendarError) as info:
        calendar.period_end(date(last, 12, 28), days=15)
    assert info.value.code == "calendar_year_not_covered"
    assert "holiday supplement" in info.value.en


def test_a_supplemented_year_moves_periods_off_its_holidays_and_counts_its_working_weekends(supplement):
    year = _next_year()
    supplement(
        "# test arrangement\n"
        "date,kind,name,source\n"
        f"{year}-01-01,holiday,元旦,test notice\n"
        f"{year}-01-04,workday,元旦调休,test notice\n"
    )
    assert calendar.covered_years()[1] == year
    assert not calendar.is_working_day(date(year, 1, 1))
    assert calendar.is_working_day(date(year, 1, 4)) is True
    # A period whose nominal last day is that 1 January moves to the next working day.
    start = date(year - 1, 12, 17)
    expected = date(year, 1, 2)
    while not calendar.is_working_day(expected):
        expected = date(year, 1, expected.day + 1)
    assert calendar.period_end(start, days=15) == expected
    with pytest.raises(CalendarError):
        calendar.is_working_day(date(year + 1, 1, 5))


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ("{y}-02-30,holiday,x,s", "bad date"),
        ("{y}-02-01,rest,x,s", "kind must be"),
        ("{y}-02-01,holiday,x,", "needs date"),
        ("2025-02-01,holiday,x,s", "covered by the chinese-calendar package"),
    ],
)
def test_a_bad_supplement_is_refused_with_its_line(supplement, row, why):
    year = _next_year()
    supplement("date,kind,name,source\n" + row.format(y=year) + "\n")
    with pytest.raises(CalendarError) as info:
        calendar.covered_years()
    assert info.value.code == "holidays_file_invalid"
    assert "line 2" in info.value.en
    assert why in info.value.en


def test_a_missing_supplement_named_in_the_environment_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv(calendar.EXTRA_ENV, str(tmp_path / "nope.csv"))
    calendar.reload()
    try:
        with pytest.raises(CalendarError) as info:
            calendar.covered_years()
        assert info.value.code == "holidays_file_missing"
    finally:
        monkeypatch.delenv(calendar.EXTRA_ENV)
        calendar.reload()
