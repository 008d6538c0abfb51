"""Loan Prime Rate (贷款市场报价利率, LPR) history from a data file that can be updated without code.

The file is CSV with a header `effective_date,lpr_1y_percent[,lpr_5y_percent]`, one row per change point
(or per monthly fixing), `#` lines are comments. Default: qingzhai/legal/data/lpr.csv (source in its
header: cn-legal-reference.md §5.5). Set QINGZHAI_LPR_FILE to use another file. The file is read lazily
and cached by (path, mtime, size), so an edited file is picked up without a restart.

LPR in its reformed form is published from 2019-08-20 (reference §5.3, §5.5); there is no LPR before that
date (the PBoC one-year benchmark then was 4.35 %), so `lpr_on` refuses earlier dates.

Pure: no Django.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from qingzhai.legal.fees import LegalInputError

ENV_VAR = "QINGZHAI_LPR_FILE"
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "lpr.csv"
TERMS = ("1y", "5y")
PRIVATE_LENDING_MULTIPLE = Decimal(4)


@dataclass(frozen=True)
class LprFixing:
    effective: date
    one_year: Decimal
    five_year: Decimal | None

    def rate(self, term: str) -> Decimal | None:
        return self.one_year if term == "1y" else self.five_year


class LprError(LegalInputError):
    """The LPR file is missing/invalid, or no LPR applies to the date asked."""


_cache: dict[str, tuple[tuple[int, int], tuple[LprFixing, ...]]] = {}
_lock = threading.Lock()


def lpr_file() -> Path:
    """The file in use: $QINGZHAI_LPR_FILE if set, else the packaged legal/data/lpr.csv."""
    override = os.environ.get(ENV_VAR, "").strip()
    return Path(override) if override else DEFAULT_FILE


def _bad(path: Path, line: int, why_zh: str, why_en: str) -> LprError:
    return LprError(
        "lpr_file_invalid",
        "lpr_file",
        f"LPR 数据文件 {path} 第 {line} 行有误：{why_zh}",
        f"LPR data file {path}, line {line}: {why_en}",
    )


def _rate(text: str, path: Path, line: int, column: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise _bad(path, line, f"{column} 不是数字：{text}", f"{column} is not a number: {text}") from exc
    if not value.is_finite() or value <= 0 or value >= 100:
        raise _bad(path, line, f"{column} 超出范围：{text}", f"{column} out of range: {text}")
    return value


def parse_lpr_text(text: str, path: Path = DEFAULT_FILE) -> tuple[LprFixing, ...]:
    """Rows of the LPR CSV, sorted by date, validated (dates strictly increasing, rates in (0, 100))."""
    numbered = [
        (i, ln)
        for i, ln in enumerate(text.splitlines(), start=1)
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if not numbered:
        raise _bad(path, 0, "文件为空", "the file is empty")
    reader = csv.DictReader(io.StringIO("\n".join(ln for _, ln in numbered)))
    fields = [f.strip() for f in reader.fieldnames or []]
    if "effective_date" not in fields or "lpr_1y_percent" not in fields:
        raise _bad(
            path,
            numbered[0][0],
            "表头须含 effective_date、lpr_1y_percent",
            "the header needs effective_date and lpr_1y_percent",
        )
    rows: list[LprFixing] = []
    for (line, _), raw in zip(numbered[1:], reader, strict=False):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        try:
            effective = date.fromisoformat(row["effective_date"])
        except ValueError as exc:
            raise _bad(
                path, line, f"日期无效：{row['effective_date']}", f"bad date: {row['effective_date']}"
            ) from exc
        five = row.get("lpr_5y_percent", "")
        rows.append(
            LprFixing(
                effective=effective,
                one_year=_rate(row["lpr_1y_percent"], path, line, "lpr_1y_percent"),
                five_year=_rate(five, path, line, "lpr_5y_percent") if five else None,
            )
        )
        if len(rows) > 1 and rows[-2].effective >= effective:
            raise _bad(path, line, "日期须严格递增", "dates must be strictly increasing")
    if not rows:
        raise _bad(path, numbered[0][0], "没有数据行", "no data rows")
    return tuple(rows)


def load_lpr(path: Path | None = None) -> tuple[LprFixing, ...]:
    """The fixings in `path` (default: `lpr_file()`), cached until the file's mtime or size changes."""
    path = path or lpr_file()
    try:
        stat = path.stat()
    except OSError as exc:
        raise LprError(
            "lpr_file_missing",
            "lpr_file",
            f"找不到 LPR 数据文件：{path}（可用环境变量 {ENV_VAR} 指定）",
            f"LPR data file not found: {path} (set {ENV_VAR} to use another)",
        ) from exc
    key = str(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == stamp:
            return hit[1]
    fixings = parse_lpr_text(path.read_text(encoding="utf-8-sig"), path)
    with _lock:
        _cache[key] = (stamp, fixings)
    return fixings


def fixing_on(on: date, *, path: Path | None = None) -> LprFixing:
    """The latest publication on or before `on` (it stays in force until the next one)."""
    fixings = load_lpr(path)
    if on < fixings[0].effective:
        first = fixings[0].effective.isoformat()
        raise LprError(
            "lpr_before_first",
            "date",
            f"{on.isoformat()} 早于首个 LPR（{first}）；此前适用人民银行一年期贷款基准利率 4.35%，请另行确定",
            f"{on.isoformat()} is before the first LPR ({first}); the PBoC one-year benchmark "
            "(4.35 %) applied then: decide the rate separately",
        )
    chosen = fixings[0]
    for fixing in fixings:
        if fixing.effective > on:
            break
        chosen = fixing
    return chosen


def lpr_on(on: date, term: str = "1y", *, path: Path | None = None) -> Decimal:
    """The LPR (% p.a.) for `term` ("1y" or "5y") in force on `on`."""
    if term not in TERMS:
        raise LprError(
            "lpr_term_invalid",
            "term",
            f"未知的期限：{term}（可选 1y、5y）",
            f"Unknown term: {term} (1y or 5y)",
        )
    fixing = fixing_on(on, path=path)
    rate = fixing.rate(term)
    if rate is None:
        raise LprError(
            "lpr_term_missing",
            "term",
            f"LPR 数据文件没有 {fixing.effective.isoformat()} 的五年期利率",
            f"The LPR data file has no five-year rate for {fixing.effective.isoformat()}",
        )
    return rate


def private_lending_cap(contract_date: date, *, path: Path | None = None) -> tuple[Decimal, LprFixing]:
    """4 × the one-year LPR in force when the contract was formed (法释〔2020〕17号 art. 25), % p.a."""
    fixing = fixing_on(contract_date, path=path)
    return fixing.one_year * PRIVATE_LENDING_MULTIPLE, fixing
