from datetime import date, datetime

import pytest

from qingzhai.core.dates import DateError, parse_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024/3/1", date(2024, 3, 1)),
        ("2024.03.01", date(2024, 3, 1)),
        ("20240301", date(2024, 3, 1)),
        ("2024年3月1日", date(2024, 3, 1)),
        ("2024 年 3 月 1 日", date(2024, 3, 1)),
        ("2024-03-01 10:30:00", date(2024, 3, 1)),
        (45352, date(2024, 3, 1)),
        (datetime(2024, 3, 1, 8, 0), date(2024, 3, 1)),
    ],
)
def test_accepted_dates(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2024/13/01", "date_impossible"),
        ("2023-02-29", "date_impossible"),
        ("next week", "date_format"),
        ("", "date_format"),
    ],
)
def test_refused_dates(raw, code):
    with pytest.raises(DateError) as info:
        parse_date(raw)
    assert info.value.code == code
