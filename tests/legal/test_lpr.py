"""LPR history from the data file: the rate in force on a date, file override, cache by mtime, errors."""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from qingzhai.legal import lpr
from qingzhai.legal.lpr import LprError, load_lpr, lpr_on, private_lending_cap

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "domain" / "lpr.csv"


@pytest.mark.parametrize(
    ("day", "term", "rate"),
    [
        (date(2019, 8, 20), "1y", "4.25"),
        (date(2019, 9, 19), "1y", "4.25"),
        (date(2019, 9, 20), "1y", "4.20"),
        (date(2021, 12, 19), "1y", "3.85"),
        (date(2024, 9, 1), "1y", "3.35"),  # between 2024-07-22 and 2024-10-21 → the earlier one
        (date(2024, 9, 1), "5y", "3.85"),
        (date(2025, 5, 20), "1y", "3.00"),
        (date(2030, 1, 1), "1y", "3.00"),  # the last publication stays in force
    ],
)
def test_lpr_in_force_on_a_date(day, term, rate):
    assert lpr_on(day, term) == Decimal(rate)


def test_before_the_first_lpr_is_refused():
    with pytest.raises(LprError) as info:
        lpr_on(date(2019, 8, 19))
    assert (info.value.code, info.value.field) == ("lpr_before_first", "date")
    assert "4.35" in info.value.zh and "4.35" in info.value.en


def test_unknown_term_is_refused():
    with pytest.raises(LprError) as info:
        lpr_on(date(2024, 1, 1), "10y")
    assert info.value.code == "lpr_term_invalid"


def test_private_lending_cap_is_four_times_one_year():
    cap, fixing = private_lending_cap(date(2024, 9, 1))
    assert (cap, fixing.effective) == (Decimal("13.40"), date(2024, 7, 22))


def test_packaged_file_matches_shared_copy():
    if not SHARED.exists():
        pytest.skip(f"../shared absent ({SHARED})")
    packaged = [
        ln for ln in lpr.DEFAULT_FILE.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")
    ]
    assert packaged == SHARED.read_text(encoding="utf-8").splitlines()


def test_env_override_and_reload_on_change(tmp_path, monkeypatch):
    path = tmp_path / "lpr.csv"
    path.write_text("effective_date,lpr_1y_percent\n2019-08-20,4.25\n", encoding="utf-8")
    monkeypatch.setenv(lpr.ENV_VAR, str(path))
    assert lpr.lpr_file() == path
    assert lpr_on(date(2027, 1, 1)) == Decimal("4.25")
    path.write_text("effective_date,lpr_1y_percent\n2019-08-20,4.25\n2026-12-21,2.90\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert lpr_on(date(2027, 1, 1)) == Decimal("2.90")
    assert len(load_lpr()) == 2
    with pytest.raises(LprError) as info:
        lpr_on(date(2027, 1, 1), "5y")
    assert info.value.code == "lpr_term_missing"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("effective_date,lpr_1y_percent\n2019-08-20,abc\n", 2),
        ("effective_date,lpr_1y_percent\n2019-13-20,4.25\n", 2),
        ("# c\neffective_date,lpr_1y_percent\n2020-01-01,4\n2019-08-20,4.25\n", 4),
        ("effective_date,lpr_1y_percent\n2019-08-20,-1\n", 2),
        ("date,rate\n2019-08-20,4.25\n", 1),
    ],
)
def test_invalid_files_are_refused_with_the_line(tmp_path, text, line):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LprError) as info:
        load_lpr(path)
    assert info.value.code == "lpr_file_invalid"
    assert f"line {line}:" in info.value.en


def test_missing_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(lpr.ENV_VAR, str(tmp_path / "nope.csv"))
    with pytest.raises(LprError) as info:
        lpr_on(date(2024, 1, 1))
    assert info.value.code == "lpr_file_missing"
