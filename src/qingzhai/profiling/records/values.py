"""Typed values of record fields: one converter per schema type (records/schema.py).

Pure module (no Django). Each converter takes a cell (str from CSV, str/int/float/bool/None from JSON,
str/int/float/datetime from spreadsheets) and returns the typed value, or raises `Bad` with a bilingual
message (without the row or field, which the caller adds).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from qingzhai.profiling.records import aliases
from qingzhai.profiling.records.schema import FieldSpec
from qingzhai.profiling.sources.reading import clean

MAX_FEN = 10**15
MAX_TEXT = 1000
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_MONTH_FORMATS = ("%Y-%m", "%Y/%m", "%Y.%m", "%Y%m", "%Y年%m月")
UNIT_FACTORS = {"fen": 1, "yuan": 100, "wan": 1_000_000}  # fen per unit


class Bad(ValueError):
    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


def is_empty(cell: Any) -> bool:
    return cell is None or (not isinstance(cell, (bool, int, float)) and clean(cell) == "")


def to_text(cell: Any) -> str:
    if isinstance(cell, bool):
        return "true" if cell else "false"
    text = clean(cell)
    if len(text) > MAX_TEXT:
        raise Bad(f"文字过长（最多 {MAX_TEXT} 字）", f"text too long ({MAX_TEXT} characters at most)")
    return text


def to_date(cell: Any, *, serials: bool) -> date:
    """ISO and common Chinese date forms; date cells; Excel serial numbers when `serials` (spreadsheets)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        raise _bad_date(str(cell))
    if isinstance(cell, (int, float)) and serials and 20_000 < float(cell) < 80_000:
        return date(1899, 12, 30) + timedelta(days=int(float(cell)))
    text = clean(cell)
    head = re.split(r"[ T]", text, maxsplit=1)[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2}[ T]", text) else text
    for fmt in _DATE_FORMATS:
        try:
            found = datetime.strptime(head, fmt).date()
        except ValueError:
            continue
        if not 1900 <= found.year <= 2100:
            raise Bad(f"日期超出范围：{text}", f"date out of range: {text}")
        return found
    raise _bad_date(text)


def _bad_date(text: str) -> Bad:
    return Bad(f"日期无法识别：{text}（应为 YYYY-MM-DD）", f"unreadable date: {text} (expected YYYY-MM-DD)")


def to_month(cell: Any, *, serials: bool) -> str:
    """A month as ``YYYY-MM`` (contribution periods): 2024-03, 2024/3, 202403, 2024年3月, or a date."""
    if isinstance(cell, (date, datetime)) or (
        isinstance(cell, (int, float)) and not isinstance(cell, bool) and serials and 20_000 < cell < 80_000
    ):
        return to_date(cell, serials=serials).strftime("%Y-%m")
    text = clean(cell)
    for fmt in _MONTH_FORMATS:
        try:
            found = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if 1900 <= found.year <= 2100:
            return found.strftime("%Y-%m")
    try:
        return to_date(text, serials=False).strftime("%Y-%m")
    except Bad:
        raise Bad(
            f"月份无法识别：{text}（应为 YYYY-MM）", f"unreadable month: {text} (expected YYYY-MM)"
        ) from None


def decimal_of(cell: Any) -> Decimal:
    """A plain non-negative decimal number; currency signs, thousands separators and 元 allowed."""
    if isinstance(cell, bool):
        raise _bad_number(str(cell))
    if isinstance(cell, int):
        value = Decimal(cell)
    elif isinstance(cell, float):
        value = Decimal(repr(cell))
    elif isinstance(cell, Decimal):
        value = cell
    else:
        text = re.sub(r"[\s,，¥￥]", "", clean(cell))
        text = re.sub(r"^(?:rmb|cny|人民币)", "", text, flags=re.IGNORECASE)
        text = re.sub(r"(?:万元|元)$", "", text)
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise _bad_number(clean(cell))
        value = Decimal(text)
    if not value.is_finite():
        raise _bad_number(str(cell))
    if value < 0:
        raise Bad(f"不能为负数：{clean(cell)}", f"must not be negative: {clean(cell)}")
    return value


def _bad_number(text: str) -> Bad:
    return Bad(f"数字无法识别：{text}", f"unreadable number: {text}")


def to_fen(cell: Any, unit: str) -> int:
    """Money in the column's unit -> integer fen. Fen columns take whole numbers only; yuan at most two
    decimal places; 万元 at most six."""
    if unit == "fen":
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        if isinstance(cell, str):
            cell = re.sub(r"[\s,，]", "", clean(cell)).removesuffix("分")
            if not re.fullmatch(r"\+?\d+", cell):
                raise Bad(f"金额（分）须为整数：{cell}", f"an amount in fen must be a whole number: {cell}")
        value = decimal_of(cell)
        if value != value.to_integral_value():
            raise Bad(
                f"金额（分）须为整数：{clean(cell)}",
                f"an amount in fen must be a whole number: {clean(cell)}",
            )
        fen = int(value)
    else:
        value = decimal_of(cell)
        try:
            scaled = value * UNIT_FACTORS[unit]
        except InvalidOperation:
            raise _bad_number(clean(cell)) from None
        if scaled != scaled.to_integral_value():
            raise Bad(
                f"金额最多保留两位小数（元）：{clean(cell)}",
                f"an amount in yuan has at most two decimal places: {clean(cell)}",
            )
        fen = int(scaled)
    if fen >= MAX_FEN:
        raise Bad(f"金额过大：{clean(cell)}", f"amount too large: {clean(cell)}")
    return fen


def to_float(cell: Any, field: FieldSpec) -> float:
    text = cell.strip().removesuffix("%") if isinstance(cell, str) else cell
    value = decimal_of(text)
    if field.name.endswith("_pct") and value > 100:
        raise Bad(
            f"百分比须在 0 到 100 之间：{clean(cell)}", f"a percentage must be within 0-100: {clean(cell)}"
        )
    return float(value)


def to_int(cell: Any) -> int:
    value = decimal_of(cell)
    if value != value.to_integral_value():
        raise Bad(f"须为整数：{clean(cell)}", f"must be a whole number: {clean(cell)}")
    if value > 10**9:
        raise Bad(f"数字过大：{clean(cell)}", f"number too large: {clean(cell)}")
    return int(value)


_TRUE = {"true", "yes", "y", "1", "是", "有", "对"}
_FALSE = {"false", "no", "n", "0", "否", "无", "不是"}


def to_bool(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    text = clean(cell).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Bad(f"应为 是/否：{clean(cell)}", f"expected yes/no: {clean(cell)}")


def to_choice(kind: str, field: FieldSpec, cell: Any) -> str:
    """A choice field's value: the schema value in any case, or a Chinese alias (aliases.VALUES)."""
    text = to_text(cell)
    key = aliases.normalise_value(text)
    if key in field.choices:
        return key
    mapped = _value_table(kind, field.name).get(key)
    if mapped is not None:
        return mapped
    if not field.choices:  # free text with known spellings (transferee_relation)
        return key if key in aliases.TRANSFEREE_RELATIONS else text
    options = ", ".join(field.choices)
    raise Bad(f"取值无效：{text}（可选：{options}）", f"invalid value: {text} (choose from: {options})")


_TABLES: dict[tuple[str, str], dict[str, str]] = {}


def _value_table(kind: str, name: str) -> dict[str, str]:
    found = _TABLES.get((kind, name))
    if found is None:
        raw = aliases.VALUES.get(kind, {}).get(name, {})
        found = _TABLES[(kind, name)] = {aliases.normalise_value(k): v for k, v in raw.items()}
    return found


def has_value_table(kind: str, name: str) -> bool:
    return bool(aliases.VALUES.get(kind, {}).get(name))


def convert(kind: str, field: FieldSpec, cell: Any, unit: str, *, serials: bool) -> Any:
    """One non-empty cell -> the field's typed value."""
    if kind == "contribution" and field.name == "period":
        return to_month(cell, serials=serials)
    if field.type == "date":
        return to_date(cell, serials=serials)
    if field.type == "fen":
        return to_fen(cell, unit or "yuan")
    if field.type == "float":
        return to_float(cell, field)
    if field.type == "int":
        return to_int(cell)
    if field.type == "bool":
        return to_bool(cell)
    if field.choices or has_value_table(kind, field.name):
        return to_choice(kind, field, cell)
    return to_text(cell)
