"""Statutory periods on the official holiday calendar (Civil Code arts 201–203)."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.legal import calendar
from qingzhai.legal.calendar import CalendarError, is_working_day, next_working_day, nominal_end, period_end


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 29), False),  # Spring Festival 2025
        (date(2025, 1, 26), True),  # Sunday made a working day for Spring Festival 2025
        (date(2025, 2, 8), True),  # Saturday made a working day
        (date(2026, 2, 14), True),  # Saturday made a working day for Spring Festival 2026
        (date(2026, 2, 18), False),
        (date(2025, 9, 28), True),  # Sunday made a working day for National Day 2025
        (date(2025, 10, 11), True),  # Saturday made a working day
        (date(2025, 10, 8), False),
        (date(2025, 3, 15), False),  # an ordinary Saturday
        (date(2025, 3, 14), True),  # an ordinary Friday
    ],
)
def test_is_working_day_follows_the_state_council_arrangement(day, working):
    assert is_working_day(day) is working


def test_next_working_day_keeps_a_working_day_and_skips_a_holiday():
    assert next_working_day(date(2025, 3, 14)) == date(2025, 3, 14)
    assert next_working_day(date(2025, 10, 1)) == date(2025, 10, 9)


def test_a_15_day_period_ending_in_spring_festival_2025_moves_to_the_first_working_day():
    # day after 2025-01-20 is day 1; day 15 is 2025-02-04, the last day of the 01-28..02-04 holiday
    assert nominal_end(date(2025, 1, 20), days=15) == date(2025, 2, 4)
    assert period_end(date(2025, 1, 20), days=15) == date(2025, 2, 5)


def test_a_30_day_period_ending_in_spring_festival_2026_moves_past_the_whole_holiday():
    assert nominal_end(date(2026, 1, 17), days=30) == date(2026, 2, 16)
    assert period_end(date(2026, 1, 17), days=30) == date(2026, 2, 24)


def test_a_15_day_period_ending_in_national_day_2025_moves_to_october_9():
    assert nominal_end(date(2025, 9, 20), days=15) == date(2025, 10, 5)
    assert period_end(date(2025, 9, 20), days=15) == date(2025, 10, 9)


def test_a_period_ending_on_an_adjusted_working_weekend_day_does_not_move():
    assert period_end(date(2026, 1, 30), days=15) == date(2026, 2, 14)  # Saturday, working
    assert period_end(date(2025, 9, 13), days=15) == date(2025, 9, 28)  # Sunday, working


def test_a_period_ending_on_an_ordinary_saturday_moves_to_monday():
    assert period_end(date(2025, 2, 28), days=15) == date(2025, 3, 17)


def test_months_end_on_the_corresponding_day_or_the_last_day_of_a_short_month():
    assert period_end(date(2025, 1, 31), months=1) == date(2025, 2, 28)
    assert period_end(date(2024, 1, 31), months=1) == date(2024, 2, 29)
    assert nominal_end(date(2024, 2, 29), years=1) == date(2025, 2, 28)
    assert nominal_end(date(2025, 11, 30), months=3) == date(2026, 2, 28)
    assert period_end(date(2025, 1, 15), months=1) == date(2025, 2, 17)  # 02-15 is a Saturday


def test_years_end_on_the_corresponding_day_moved_past_national_day():
    assert period_end(date(2022, 10, 1), years=3) == date(2025, 10, 9)


def test_a_day_outside_the_calendar_data_is_refused_naming_the_year():
    first, last = calendar.covered_years()
    assert first == 2004 and last >= 2026
    with pytest.raises(CalendarError) as exc:
        period_end(date(last, 12, 1), days=60)
    assert exc.value.code == "calendar_year_not_covered"
    assert str(last + 1) in exc.value.zh and str(last + 1) in exc.value.en
    assert "chinese-calendar" in exc.value.zh and "chinese-calendar" in exc.value.en
    with pytest.raises(CalendarError):
        is_working_day(date(2003, 6, 2))


def test_exactly_one_non_negative_unit_is_required():
    with pytest.raises(ValueError):
        period_end(date(2025, 1, 1), days=1, months=1)
    with pytest.raises(ValueError):
        period_end(date(2025, 1, 1))
    with pytest.raises(ValueError):
        period_end(date(2025, 1, 1), days=-1)
