"""Reading files as streams: a 50 MB file is read without holding it in memory."""

from __future__ import annotations

import tracemalloc

import pytest

from qingzhai.portfolio.intake.reading import is_blank, open_table
from tests.portfolio.intake.helpers import csv_text, row


@pytest.mark.slow
def test_a_50_mb_file_is_streamed(tmp_path):
    path = tmp_path / "big.csv"
    header, line = csv_text([row(1)]).split("\r\n")[:2]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(header + "\r\n")
        n = 0
        while fh.tell() < 50 * 1024 * 1024:
            n += 1
            fh.write(line.replace("HT000001", f"HT{n:08d}") + "\r\n")
    assert path.stat().st_size >= 50 * 1024 * 1024
    tracemalloc.start()
    try:
        with open_table(path) as table:
            assert table.estimated_rows == n
            rows = table.rows()
            first = [next(rows) for _ in range(1000)]
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first[1][1][0] == "HT00000001" and not is_blank(first[-1][1])
    assert peak < 8 * 1024 * 1024, peak


def test_delimiters_are_sniffed(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text(csv_text([row(1)], delimiter=";"), encoding="utf-8")
    with open_table(path) as table:
        cells = list(table.rows())
    assert cells[0][1][:2] == ["合同编号", "债务人姓名"] and cells[1][1][0] == "HT000001"
