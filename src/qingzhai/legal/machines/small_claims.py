"""Small-claims threshold per province and year, from a data file that can be updated without code.

CPL 2023 art. 165 (../shared/domain/cn-legal-reference.md §3.2): a simple money claim in a basic court
whose amount is AT MOST 50 % of the province's previous-year average annual wage of employed persons is
heard under the small-claims procedure (final at first instance); ABOVE 50 % and AT MOST TWICE that wage
(二倍以下: twice the wage itself, not twice the 50 % figure) the parties may agree to it. "以下" includes
the figure itself (Civil Code art. 1259). CPLI art. 272: the wage is the most recently published figure.

The file is CSV `province,year,average_annual_wage_yuan,source,confirmed` (`#` lines are comments);
`year` is the year courts apply the figure. Default: qingzhai/legal/data/small_claims.csv; set
QINGZHAI_SMALL_CLAIMS_FILE to use another. Read lazily and cached by (path, mtime, size). Provinces
match with or without their 省/市/自治区 suffix ("上海" = "上海市"). Pure: no Django.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from qingzhai.legal.machines.base import MachineError

ENV_VAR = "QINGZHAI_SMALL_CLAIMS_FILE"
DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "small_claims.csv"
COLUMNS = ("province", "year", "average_annual_wage_yuan", "source", "confirmed")
SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


@dataclass(frozen=True)
class Threshold:
    fen: int  # 50 % of the wage: the small-claims ceiling, inclusive
    wage_fen: int  # the average annual wage itself
    source: str
    confirmed: bool


_cache: dict[str, tuple[tuple[int, int], dict[tuple[str, int], Threshold]]] = {}
_lock = threading.Lock()


def small_claims_file() -> Path:
    """The file in use: $QINGZHAI_SMALL_CLAIMS_FILE if set, else the packaged legal/data/small_claims.csv."""
    override = os.environ.get(ENV_VAR, "").strip()
    return Path(override) if override else DEFAULT_FILE


def province_key(province: str) -> str:
    name = province.strip()
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _bad(path: Path, line: int, why_zh: str, why_en: str) -> MachineError:
    return MachineError(
        "small_claims_file_invalid",
        f"小额诉讼标准数据文件 {path} 第 {line} 行有误：{why_zh}",
        f"Small-claims data file {path}, line {line}: {why_en}",
        field="small_claims_file",
    )


def parse_small_claims_text(text: str, path: Path = DEFAULT_FILE) -> dict[tuple[str, int], Threshold]:
    """Rows keyed by (province key, year), validated: integer year, wage > 0 in at most 2 decimals,
    confirmed 0 or 1, no duplicate province and year."""
    numbered = [
        (i, ln)
        for i, ln in enumerate(text.splitlines(), start=1)
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if not numbered:
        raise _bad(path, 0, "文件为空", "the file is empty")
    reader = csv.DictReader(io.StringIO("\n".join(ln for _, ln in numbered)))
    if [f.strip() for f in reader.fieldnames or []] != list(COLUMNS):
        raise _bad(
            path, numbered[0][0], f"表头须为 {','.join(COLUMNS)}", f"the header must be {','.join(COLUMNS)}"
        )
    rows: dict[tuple[str, int], Threshold] = {}
    for (line, _), raw in zip(numbered[1:], reader, strict=False):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        if not row["province"] or not row["year"].isdigit() or not 2000 <= int(row["year"]) <= 2100:
            raise _bad(path, line, "省份或年份无效", "bad province or year")
        try:
            wage = Decimal(row["average_annual_wage_yuan"])
        except InvalidOperation:
            wage = Decimal(0)
        if not wage.is_finite() or wage <= 0 or wage != wage.quantize(Decimal("0.01")):
            raise _bad(
                path,
                line,
                "平均工资须为正数（最多两位小数）",
                "the wage must be positive (at most 2 decimals)",
            )
        if row["confirmed"] not in ("0", "1"):
            raise _bad(path, line, "confirmed 须为 0 或 1", "confirmed must be 0 or 1")
        key = (province_key(row["province"]), int(row["year"]))
        if key in rows:
            raise _bad(path, line, "省份和年份重复", "duplicate province and year")
        wage_fen = int(wage * 100)
        rows[key] = Threshold(wage_fen // 2, wage_fen, row["source"], row["confirmed"] == "1")
    if not rows:
        raise _bad(path, numbered[0][0], "没有数据行", "no data rows")
    return rows


def load_small_claims(path: Path | None = None) -> dict[tuple[str, int], Threshold]:
    """The rows of `path` (default: `small_claims_file()`), cached until its mtime or size changes."""
    path = path or small_claims_file()
    try:
        stat = path.stat()
    except OSError as exc:
        raise MachineError(
            "small_claims_file_missing",
            f"找不到小额诉讼标准数据文件：{path}（可用环境变量 {ENV_VAR} 指定）",
            f"Small-claims data file not found: {path} (set {ENV_VAR} to use another)",
            field="small_claims_file",
        ) from exc
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        hit = _cache.get(str(path))
        if hit and hit[0] == stamp:
            return hit[1]
    rows = parse_small_claims_text(path.read_text(encoding="utf-8-sig"), path)
    with _lock:
        _cache[str(path)] = (stamp, rows)
    return rows


def small_claims_threshold(province: str, year: int, *, path: Path | None = None) -> Threshold:
    """50 % of the average annual wage courts of `province` apply in `year` (MachineError
    `small_claims_unknown` when the file has no row for them: nothing is guessed)."""
    found = load_small_claims(path).get((province_key(province), year))
    if found is None:
        raise MachineError(
            "small_claims_unknown",
            f"没有 {province} {year} 年的小额诉讼标准（上年度就业人员年平均工资）：请在数据文件中补充",
            f"No small-claims threshold (previous-year average wage) for {province} in {year}: add it to "
            "the data file",
            field="province",
        )
    return found


def procedure_for(amount_fen: int, province: str, year: int, *, path: Path | None = None) -> str:
    """ "small_claims" (≤ 50 % of the wage), "small_claims_by_agreement" (above that, ≤ 2 × the wage:
    only if both parties agree; otherwise simple procedure), else "simple"."""
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise MachineError(
            "bad_fact",
            f"标的额须为正整数（分）：{amount_fen!r}",
            f"The amount must be a positive whole number of fen: {amount_fen!r}",
            field="amount_fen",
        )
    wage_fen = small_claims_threshold(province, year, path=path).wage_fen
    if 2 * amount_fen <= wage_fen:
        return "small_claims"
    if amount_fen <= 2 * wage_fen:
        return "small_claims_by_agreement"
    return "simple"
