"""Reading an uploaded bill or statement into rows of cells, whatever its container and encoding.

Pure module (no Django). CSV in UTF-8 (with or without BOM), GBK or GB18030; legacy XLS (BIFF8, via xlrd);
XLSX (via openpyxl). Every sheet is read; a parser picks the sheet whose header it recognises.
Cells keep their type from spreadsheets (float, int, datetime) and are strings from CSV.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from qingzhai.profiling.sources.base import UnreadableFile

Cell = Any  # str | int | float | datetime | None

_BLANKS = "\t\r\n \u00a0\u3000\ufeff"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
MAX_ROWS = 5_000_000


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]  # rows[i] is physical line / worksheet row i + 1

    def numbered(self, start: int = 0) -> Iterator[tuple[int, list[Cell]]]:
        """(1-based row number, cells) from index `start` on."""
        for i in range(start, len(self.rows)):
            yield i + 1, self.rows[i]


@dataclass
class Workbook:
    filename: str
    container: str  # "csv", "xls", "xlsx"
    encoding: str = ""  # for CSV: "utf-8-sig", "utf-8" or "gb18030"
    sheets: list[Sheet] = field(default_factory=list)

    def head_text(self, lines: int = 40) -> str:
        """The first lines of every sheet as text, cells joined by commas (for sniffing)."""
        out = []
        for sheet in self.sheets:
            for row in sheet.rows[:lines]:
                out.append(",".join(clean(c) for c in row))
        return "\n".join(out)


def clean(cell: Cell) -> str:
    """A cell as trimmed text: tabs, spaces, NBSP, ideographic spaces and BOM removed at both ends;
    floats that are whole numbers lose their ``.0`` (card tails stored as 6688.0)."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M:%S")
    return str(cell).strip(_BLANKS)


def header_key(cell: Cell) -> str:
    """A header cell compared without any whitespace inside (`日 志 号` == `日志号`, `币　　种` == `币种`)."""
    return re.sub(r"[\s\u00a0\u3000\ufeff]+", "", clean(cell))


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM first, then strict UTF-8, then GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "encoding",
            "无法识别文件编码（支持 UTF-8、GBK、GB18030）",
            "Unknown text encoding (UTF-8, GBK and GB18030 are supported)",
        ) from exc


def load(data: bytes, filename: str = "") -> Workbook:
    """Any supported upload -> Workbook. Raises UnreadableFile with a bilingual message."""
    if not data:
        raise UnreadableFile("empty", "文件为空", "The file is empty")
    if data.startswith(_XLS_MAGIC):
        return _load_xls(data, filename)
    if data.startswith(_ZIP_MAGIC):
        return _load_xlsx(data, filename)
    text, encoding = decode(data)
    if "\x00" in text[:4096]:
        raise UnreadableFile("binary", "不是表格文件（CSV、XLS 或 XLSX）", "Not a table (CSV, XLS or XLSX)")
    rows = _csv_rows(text)
    return Workbook(filename=filename, container="csv", encoding=encoding, sheets=[Sheet("", rows)])


def _csv_rows(text: str) -> list[list[Cell]]:
    # One physical line = one row, as users see the file: a quoted field never spans lines in these
    # exports, and counting lines keeps row numbers equal to what an editor shows.
    # Only CR, LF and CRLF end a line: str.splitlines() also splits on U+2028, U+0085, form feed and
    # the like, which may sit inside a field and would shift every later row number.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if len(lines) > MAX_ROWS:
        raise _too_large()
    rows: list[list[Cell]] = []
    append = rows.append
    for line in lines:
        if '"' not in line:  # the common case, and ten times faster than the csv module
            append(line.split(",") if line else [])
            continue
        try:
            append(next(csv.reader([line], skipinitialspace=False)))
        except (csv.Error, StopIteration):
            append([line])
    return rows


def _too_large() -> UnreadableFile:
    return UnreadableFile(
        "too_large",
        f"文件超过 {MAX_ROWS:,} 行，请分批上传",
        f"More than {MAX_ROWS:,} rows; upload it in parts",
    )


def _load_xls(data: bytes, filename: str) -> Workbook:
    import xlrd  # type: ignore[import-untyped]

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # xlrd raises many types for damaged or encrypted files
        raise UnreadableFile(
            "xls", f"无法读取 XLS 文件（{exc.__class__.__name__}）", f"Cannot read the XLS file ({exc})"
        ) from exc
    sheets = []
    for index in range(book.nsheets):
        sh = book.sheet_by_index(index)
        rows: list[list[Cell]] = []
        for r in range(sh.nrows):
            cells: list[Cell] = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    cells.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    cells.append(None)
                else:
                    cells.append(cell.value)
            rows.append(cells)
        sheets.append(Sheet(sh.name, rows))
    return Workbook(filename=filename, container="xls", sheets=sheets)


def _load_xlsx(data: bytes, filename: str) -> Workbook:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(
            "xlsx",
            "无法读取 XLSX 文件（可能是加密的压缩包，请先解压）",
            "Cannot read the XLSX file (an encrypted zip? unpack it first)",
        ) from exc
    sheets = []
    try:
        for ws in book.worksheets:
            # Read-only sheets trust the file's <dimension>, which some writers leave at A1 (CIB export):
            # forget it so every row is read.
            reset = getattr(ws, "reset_dimensions", None)
            if reset is not None:
                reset()
            rows = [list(row) for row in ws.iter_rows(values_only=True)]
            if len(rows) > MAX_ROWS:
                raise _too_large()
            sheets.append(Sheet(ws.title, rows))
    finally:
        book.close()
    return Workbook(filename=filename, container="xlsx", sheets=sheets)


@dataclass
class Header:
    sheet: Sheet
    index: int  # 0-based index of the header row in sheet.rows
    columns: dict[str, int]  # header_key -> first column index with that name

    def get(self, row: list[Cell], name: str) -> Cell:
        col = self.columns.get(name)
        if col is None or col >= len(row):
            return None
        return row[col]

    def text(self, row: list[Cell], name: str) -> str:
        return clean(self.get(row, name))


def find_header(book: Workbook, required: Iterable[str], *, within: int = 60) -> Header | None:
    """The first row (in any sheet, within the first `within` rows) holding every `required` column name,
    compared by `header_key`. Extra and duplicate columns are allowed; the first duplicate wins."""
    need = [header_key(r) for r in required]
    for sheet in book.sheets:
        for i, row in enumerate(sheet.rows[:within]):
            keys = [header_key(c) for c in row]
            if all(n in keys for n in need):
                columns: dict[str, int] = {}
                for col, key in enumerate(keys):
                    if key and key not in columns:
                        columns[key] = col
                return Header(sheet=sheet, index=i, columns=columns)
    return None


def is_blank(row: list[Cell]) -> bool:
    return all(clean(c) == "" for c in row)


# --- amounts -----------------------------------------------------------------------------------------

# Currency names as statements write them -> ISO 4217 (amount prefixes here, currency columns in banks/).
CURRENCY_WORDS = (
    ("人民币", "CNY"),
    ("RMB", "CNY"),
    ("CNY", "CNY"),
    ("美元", "USD"),
    ("港币", "HKD"),
    ("港元", "HKD"),
    ("日元", "JPY"),
    ("欧元", "EUR"),
    ("英镑", "GBP"),
    ("澳元", "AUD"),
    ("加元", "CAD"),
    ("加拿大元", "CAD"),
    ("新加坡元", "SGD"),
)
_AMOUNT_RE = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)$")
_REFUND_RE = re.compile(r"[（(]已退款[¥￥]?([\d,]+(?:\.\d+)?)[)）]")
_FULL_REFUND_RE = re.compile(r"[（(]已全额退款[)）]")


class AmountUnreadable(ValueError):
    pass


@dataclass(frozen=True)
class Amount:
    fen: int  # signed as written in the file
    currency: str | None  # when the cell names it (CNY 12.00, ¥)
    refunded_fen: int = 0  # (已退款x) suffix
    fully_refunded: bool = False  # (已全额退款) suffix


def parse_amount(cell: Cell) -> Amount:
    """'¥1,234.50', '￥50.0', '-2,600.00', '+10000.00', 'CNY 123.18', 'CNY13.50', '-3.90(CN)',
    '131.77(已退款89.84)', '468.32(已全额退款)', numeric cells -> Amount. '-' / '/' / '' raise
    AmountUnreadable (callers treat them as an empty cell when the layout says so)."""
    if isinstance(cell, bool):
        raise AmountUnreadable(str(cell))
    if isinstance(cell, int):
        return Amount(cell * 100, None)
    if isinstance(cell, float):
        return Amount(_to_fen(Decimal(repr(cell))), None)
    if isinstance(cell, Decimal):
        return Amount(_to_fen(cell), None)
    text = clean(cell)
    refunded = 0
    full = False
    m = _REFUND_RE.search(text)
    if m:
        refunded = _to_fen(Decimal(m.group(1).replace(",", "")))
        text = text[: m.start()] + text[m.end() :]
    if _FULL_REFUND_RE.search(text):
        full = True
        text = _FULL_REFUND_RE.sub("", text)
    text = re.sub(r"[（(][A-Z]{2}[)）]$", "", text.strip())  # (CN) place suffix
    currency = None
    for word, code in CURRENCY_WORDS:
        if text.upper().startswith(word):
            currency, text = code, text[len(word) :]
            break
    m3 = re.match(r"^([A-Z]{3})\s*(?=[-+\d.])", text)
    if currency is None and m3:
        currency, text = m3.group(1), text[m3.end() :]
    if "¥" in text or "￥" in text:
        currency = currency or "CNY"
    text = re.sub(r"[\s,¥￥元]", "", text)
    m2 = _AMOUNT_RE.match(text)
    if not m2:
        raise AmountUnreadable(clean(cell))
    value = Decimal(m2.group(2))
    if m2.group(1) == "-":
        value = -value
    return Amount(_to_fen(value), currency, refunded, full)


def _to_fen(value: Decimal) -> int:
    try:
        fen = value * 100
    except InvalidOperation as exc:
        raise AmountUnreadable(str(value)) from exc
    if fen != fen.to_integral_value():
        # Statements never carry sub-fen amounts; a third decimal means a misread column.
        raise AmountUnreadable(str(value))
    if abs(fen) >= 10**15:
        raise AmountUnreadable(str(value))
    return int(fen)


# --- dates -------------------------------------------------------------------------------------------


class DateUnreadable(ValueError):
    pass


def parse_time(cell: Cell, formats: Iterable[str]) -> datetime:
    """A date/time cell with one of `formats` (strptime), or a datetime/date cell, or an Excel serial
    number when the layout allows numbers. Whitespace runs inside are collapsed to one space first,
    so 'YYYY/MM/DD  HH:MM:SS' (two spaces) matches '%Y/%m/%d %H:%M:%S'."""
    if isinstance(cell, datetime):
        return cell.replace(tzinfo=None)
    if isinstance(cell, date):
        return datetime.combine(cell, time())
    text = re.sub(r"\s+", " ", clean(cell))
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    if isinstance(cell, (int, float)) and 20_000 < float(cell) < 80_000:
        from datetime import timedelta

        # Rounded to the millisecond: a serial carries ~15 digits, so days=float lands microseconds off
        # (12:45:26.999996 for 12:45:27).
        return datetime(1899, 12, 30) + timedelta(milliseconds=round(float(cell) * 86_400_000))
    raise DateUnreadable(text)


def sniff_csv_dialect(sample: str) -> str:
    """The delimiter of a generic CSV: comma, tab, semicolon or pipe."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return ","
