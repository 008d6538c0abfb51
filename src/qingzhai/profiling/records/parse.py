"""Reading a registry extract or declaration (records/schema.py) from CSV, XLS, XLSX or JSON.

Pure module (no Django). Documented for users in docs/profiling-sources.md.

* Tables: the header is the first row (of any sheet, within the first 60 rows) naming every required field
  of the kind, by field name or an alias (records/aliases.py). Row numbers are the file's own (1-based
  physical line or worksheet row). Blank rows and repeated header rows are skipped.
* JSON: a list of objects, or ``{"records": [...]}`` (optionally with ``"kind"``); the row of a record is its
  1-based index in the list.
* Money: ``x_fen`` in integer fen, ``x_yuan`` or ``x`` (or a Chinese alias) in yuan with at most two
  decimals; a unit in brackets (``(分)``, ``(元)``, ``(万元)``) overrides.
* A row with any bad field gives RowError(s) and no record; other rows still parse. A file lacking a
  required column altogether is for another kind: UnreadableFile names the missing columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from qingzhai.profiling.records import aliases, values
from qingzhai.profiling.records.schema import KINDS, FieldSpec, KindSpec
from qingzhai.profiling.sources import reading
from qingzhai.profiling.sources.base import RowError, UnreadableFile

WITHIN = 60  # header search depth, as reading.find_header


@dataclass
class RecordsResult:
    kind: str
    rows: int = 0  # data rows seen (blank lines excluded)
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row, record)
    errors: list[RowError] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)  # field -> the file's columns read for it
    ignored: list[str] = field(default_factory=list)  # the file's columns no field reads


Column = tuple[str, str]  # (field name, unit: "fen" / "yuan" / "wan" / "" for non-money)
_UNITS = {
    "分": "fen", "fen": "fen",
    "元": "yuan", "yuan": "yuan", "人民币元": "yuan", "rmb": "yuan", "cny": "yuan", "¥": "yuan", "￥": "yuan",
    "万元": "wan", "万": "wan", "万元人民币": "wan", "wan": "wan",
}  # fmt: skip
_MAPS: dict[str, dict[str, Column]] = {}


def spec_of(kind: str) -> KindSpec:
    spec = KINDS.get(kind)
    if spec is None:
        raise UnreadableFile(
            "unknown_kind",
            f"未知的记录类型：{kind}（可选：{', '.join(KINDS)}）",
            f"Unknown record kind: {kind} (choose from: {', '.join(KINDS)})",
        )
    return spec


def _column_map(kind: str) -> dict[str, Column]:
    found = _MAPS.get(kind)
    if found is not None:
        return found
    out: dict[str, Column] = {}
    for f in KINDS[kind].fields:
        extra = aliases.COLUMNS.get(kind, {}).get(f.name, ())
        if f.type == "fen":
            base = f.name.removesuffix("_fen")
            names: list[Column] = [(f"{base}_fen", "fen"), (f"{base}_yuan", "yuan"), (base, "yuan")]
            names += [(a, "yuan") for a in extra]
        else:
            names = [(f.name, "")] + [(a, "") for a in extra]
        for name, unit in names:
            out.setdefault(aliases.normalise_header(name), (f.name, unit))
    _MAPS[kind] = out
    return out


def resolve(kind: str, header: str) -> Column | None:
    """The field (and money unit) a column header names in `kind`, or None."""
    table = _column_map(kind)
    key = aliases.normalise_header(header)
    if not key:
        return None
    if key in table:
        return table[key]
    base, unit_text = aliases.split_unit(key)
    hit = table.get(base)
    if hit is None:
        return None
    name, unit = hit
    if not unit:  # not money: brackets hold a note such as (%) or (平方米)
        return hit
    unit = _UNITS.get(unit_text, "")
    return (name, unit) if unit else None  # a foreign currency or unknown unit is not read


# --- tables ------------------------------------------------------------------------------------------


@dataclass
class _Header:
    sheet: reading.Sheet
    index: int
    columns: list[tuple[int, str, Column]]  # (column index, header text, field+unit)
    ignored: list[str]

    @property
    def fields(self) -> set[str]:
        return {c[2][0] for c in self.columns}


def _header_in(row: list[Any], kind: str) -> tuple[list[tuple[int, str, Column]], list[str]]:
    cols, ignored = [], []
    for i, cell in enumerate(row):
        text = reading.clean(cell)
        if not text:
            continue
        hit = resolve(kind, text)
        if hit is None:
            ignored.append(text)
        else:
            cols.append((i, text, hit))
    return cols, ignored


def _find(book: reading.Workbook, spec: KindSpec) -> tuple[_Header | None, _Header | None]:
    """(the header row naming every required field, the row naming most of them)."""
    required = {f.name for f in spec.fields if f.required}
    best: _Header | None = None
    for sheet in book.sheets:
        for i, row in enumerate(sheet.rows[:WITHIN]):
            cols, ignored = _header_in(row, spec.key)
            if not cols:
                continue
            header = _Header(sheet, i, cols, ignored)
            if required <= header.fields:
                return header, header
            if best is None or len(required & header.fields) > len(required & best.fields):
                best = header
    return None, best


def detect_kind(book: reading.Workbook) -> str | None:
    """The record kind whose required columns a header of the workbook names; when several do, the one
    whose header reads most columns; None when none does or the best are tied."""
    scores: list[tuple[int, str]] = []
    for key, spec in KINDS.items():
        header, _ = _find(book, spec)
        if header is not None:
            scores.append((len(header.fields), key))
    scores.sort(reverse=True)
    if not scores or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]


def _missing(spec: KindSpec, present: set[str], guess: str | None) -> UnreadableFile:
    missing = [f for f in spec.fields if f.required and f.name not in present]
    names = "、".join(_label(spec.key, f) for f in missing)
    names_en = ", ".join(_label(spec.key, f) for f in missing)
    hint_zh = hint_en = ""
    if guess and guess != spec.key:
        hint_zh = f"；该文件看起来是{KINDS[guess].label_zh}（{guess}）"
        hint_en = f"; the file looks like {KINDS[guess].label_en} ({guess})"
    return UnreadableFile(
        "missing_columns",
        f"不是{spec.label_zh}文件：缺少必填列 {names}{hint_zh}",
        f"Not a {spec.label_en} file: required columns missing: {names_en}{hint_en}",
    )


def _label(kind: str, f: FieldSpec) -> str:
    zh = aliases.COLUMNS.get(kind, {}).get(f.name, ())
    return f"{f.name}（{zh[0]}）" if zh else f.name


def _parse_table(spec: KindSpec, book: reading.Workbook) -> RecordsResult:
    header, best = _find(book, spec)
    if header is None:
        raise _missing(spec, best.fields if best else set(), detect_kind(book))
    result = RecordsResult(spec.key, ignored=header.ignored)
    for _, text, (name, _unit) in header.columns:
        result.columns.setdefault(name, []).append(text)
    serials = book.container in ("xls", "xlsx")
    for row_no, row in header.sheet.numbered(header.index + 1):
        if reading.is_blank(row):
            continue
        first, first_text, _ = header.columns[0]
        if (
            first < len(row)
            and reading.clean(row[first]) == first_text
            and _header_in(row, spec.key)[0] == header.columns
        ):
            continue  # the header repeated (a multi-page export)
        result.rows += 1
        cells = [(text, col, row[i] if i < len(row) else None) for i, text, col in header.columns]
        _add(result, spec, row_no, cells, serials=serials)
    return result


# --- JSON --------------------------------------------------------------------------------------------


def _json_items(spec: KindSpec, text: str, filename: str) -> list[Any] | None:
    """The list of records, or None when the text is not JSON and the file is not named .json."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        if filename.lower().endswith(".json"):
            raise UnreadableFile("json", f"JSON 格式错误：{exc}", f"Malformed JSON: {exc}") from exc
        return None
    if isinstance(data, dict):
        kind = data.get("kind")
        if kind not in (None, "", spec.key):
            raise UnreadableFile(
                "wrong_kind",
                f"文件声明的类型为 {kind}，不是{spec.label_zh}（{spec.key}）",
                f"The file declares kind {kind}, not {spec.label_en} ({spec.key})",
            )
        data = data.get("records")
    if not isinstance(data, list):
        raise UnreadableFile(
            "json_shape",
            "JSON 须为记录数组，或含 records 数组的对象",
            'JSON must be a list of records or an object with a "records" list',
        )
    return data


def _parse_json(spec: KindSpec, items: list[Any]) -> RecordsResult:
    result = RecordsResult(spec.key, rows=len(items))
    keyed: list[tuple[int, list[tuple[str, Column, Any]]]] = []
    ignored: dict[str, None] = {}
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            result.errors.append(RowError(n, "", f"第 {n} 条不是对象", f"Record {n} is not an object"))
            continue
        cells = []
        for key, value in item.items():
            hit = resolve(spec.key, str(key))
            if hit is None:
                ignored.setdefault(str(key), None)
            else:
                cells.append((str(key), hit, value))
                if str(key) not in result.columns.setdefault(hit[0], []):
                    result.columns[hit[0]].append(str(key))
        keyed.append((n, cells))
    required = {f.name for f in spec.fields if f.required}
    if keyed and not required <= set(result.columns):
        probe = reading.Workbook(
            "", "json", sheets=[reading.Sheet("", [list(result.columns) + list(ignored)])]
        )
        raise _missing(spec, set(result.columns), detect_kind(probe))
    result.ignored = list(ignored)
    for n, cells in keyed:
        _add(result, spec, n, cells, serials=False)
    return result


# --- both --------------------------------------------------------------------------------------------


def _add(
    result: RecordsResult, spec: KindSpec, row: int, cells: list[tuple[str, Column, Any]], *, serials: bool
) -> None:
    """Validate one row's cells ((column, (field, unit), cell)) into a record or RowErrors."""
    record: dict[str, Any] = {f.name: None for f in spec.fields}
    seen: dict[str, str] = {}  # field -> the column its value came from
    errors: list[RowError] = []
    failed: set[str] = set()
    for column, (name, unit), cell in cells:
        if values.is_empty(cell):
            continue
        f = spec.field(name)
        assert f is not None
        try:
            value = values.convert(spec.key, f, cell, unit, serials=serials)
        except values.Bad as bad:
            errors.append(_error(row, column, bad.message_zh, bad.message_en))
            failed.add(name)
            continue
        if name in seen and record[name] != value:
            errors.append(
                _error(row, column, f"与列「{seen[name]}」的值不一致", f"disagrees with column {seen[name]}")
            )
            continue
        record[name] = value
        seen.setdefault(name, column)
    for f in spec.fields:
        if f.required and record[f.name] is None and f.name not in failed:
            column = (result.columns.get(f.name) or [f.name])[0]
            errors.append(_error(row, column, "必填项为空", "required value is empty"))
    if errors:
        result.errors.extend(errors)
    else:
        result.records.append((row, record))


def _error(row: int, column: str, zh: str, en: str) -> RowError:
    return RowError(row, column, f"第 {row} 行「{column}」：{zh}", f"Row {row}, {column}: {en}")


def parse_records(kind: str, data: bytes, filename: str = "") -> RecordsResult:
    """One uploaded file of `kind` -> records and row errors. Raises UnreadableFile when the file as a
    whole cannot be read (unknown kind, not a table, wrong kind: missing required columns)."""
    spec = spec_of(kind)
    if not data:
        raise UnreadableFile("empty", "文件为空", "The file is empty")
    if not data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        text, _ = reading.decode(data)
        if text.lstrip("\ufeff \t\r\n").startswith(("[", "{")) or filename.lower().endswith(".json"):
            items = _json_items(spec, text.lstrip("\ufeff"), filename)
            if items is not None:
                return _parse_json(spec, items)
    return _parse_table(spec, reading.load(data, filename))
