"""Reading a portfolio file as rows of cells, streamed: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16
with BOM; the encoding is detected) and XLSX (openpyxl in read-only mode). No Django here.

Row numbers are the ones Excel shows: the first line or sheet row is 1.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qingzhai.portfolio.intake.results import UnusableInput, empty_file

BLOCK = 1 << 20
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DELIMITERS = (",", "\t", ";", "|")

# Magic numbers of files people upload by mistake.
_NOT_TABLES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "PDF 文件", "a PDF document"),
    (b"\x89PNG", "PNG 图片", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片", "a JPEG image"),
    (b"GIF8", "GIF 图片", "a GIF image"),
    (b"\x1f\x8b", "gzip 压缩包", "a gzip archive"),
    (b"Rar!", "RAR 压缩包", "a RAR archive"),
    (b"7z\xbc\xaf", "7z 压缩包", "a 7z archive"),
    (b"\x7fELF", "程序文件", "an executable"),
    (b"MZ", "程序文件", "an executable"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Table:
    """An opened table: its rows stream from `rows()`; close() releases the file."""

    file_type: str  # "csv" or "xlsx"
    encoding: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    estimated_rows: int = 0  # data rows (non-blank rows after the first one), for progress
    _path: Path | None = None
    _delimiter: str = ","
    _workbook: Any = None
    _worksheet: Any = None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cells); blank rows are yielded too (as empty or all-empty lists)."""
        if self.file_type == "csv":
            return _csv_rows(self._path, self.encoding, self._delimiter)
        return _xlsx_rows(self._worksheet)

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def open_table(path: Path, *, sheet: str | None = None, max_bytes: int | None = None) -> Table:
    """Open `path` as a table. Raises UnusableInput with a precise code for anything else."""
    path = Path(path)
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise UnusableInput(
            "too_large",
            "文件过大：{mb} MB，上限为 {limit} MB",
            "The file is too large: {mb} MB; the limit is {limit} MB",
            mb=f"{size / 1048576:.1f}",
            limit=f"{max_bytes / 1048576:.1f}",
        )
    with path.open("rb") as fh:
        head = fh.read(8192)
    content = head
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        content = content.removeprefix(bom)
    if size <= len(head) and not content.strip(b" \t\r\n\x00"):
        raise empty_file()
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, sheet)
    if head.startswith(_OLE):
        raise UnusableInput(
            "not_a_table",
            "这是旧版 Excel（.xls）或加密的工作簿，请另存为 .xlsx 或 CSV（UTF-8）后再导入",
            "This is an old Excel (.xls) or a password-protected workbook; save it as .xlsx or CSV (UTF-8) "
            "and import that",
        )
    for magic, zh, en in _NOT_TABLES:
        if head.startswith(magic):
            raise UnusableInput(
                "not_a_table",
                "这不是表格文件，而是{what}。请上传 CSV 或 XLSX 文件",
                "This is not a table but {what_en}. Upload a CSV or XLSX file",
                what=zh,
                what_en=en,
            )
    return _open_csv(path, head)


# --- CSV ------------------------------------------------------------------------------------------


def _guess_name(sample: bytes) -> str:
    """What charset-normalizer thinks an undecodable file is, for the error message."""
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:65536]).best()
    return best.encoding if best is not None else ""


def _blocks(path: Path) -> Iterator[bytes]:
    """The file in blocks of about BLOCK bytes, each ending at a line break (or the end)."""
    with path.open("rb") as fh:
        rest = b""
        while True:
            chunk = fh.read(BLOCK)
            if not chunk:
                if rest:
                    yield rest
                return
            data = rest + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            yield data[: cut + 1]
            rest = data[cut + 1 :]


def _valid(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """Decide how the CSV is encoded by decoding every line strictly.

    Lines that are valid UTF-8 with Chinese characters are evidence of UTF-8; lines that are not UTF-8
    but are GB18030 (a superset of GBK and GB2312) are evidence of GBK. Evidence of both is a mixed file.
    """
    with path.open("rb") as fh:
        start = fh.read(4)
    if start.startswith(codecs.BOM_UTF8):
        utf8_name = "utf-8-sig"
    elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    else:
        utf8_name = "utf-8"
    line_no = 0
    first_utf8: int | None = None
    first_gbk: int | None = None
    first_bad: int | None = None
    bad_sample = b""
    for block in _blocks(path):
        if block.isascii():
            line_no += block.count(b"\n")
            continue
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None:
            if first_utf8 is None and _CJK.search(text):
                for i, text_line in enumerate(text.split("\n")):
                    if _CJK.search(text_line):
                        first_utf8 = line_no + i + 1
                        break
            line_no += block.count(b"\n")
            continue
        for line in block.split(b"\n"):
            line_no += 1
            if line.isascii():
                continue
            try:
                decoded = line.decode("utf-8")
            except UnicodeDecodeError:
                if _valid(line, "gb18030"):
                    first_gbk = first_gbk or line_no
                else:
                    if first_bad is None:
                        first_bad, bad_sample = line_no, line
                continue
            if first_utf8 is None and (_CJK.search(decoded) or not _valid(line, "gb18030")):
                first_utf8 = line_no
        line_no -= 1  # the block ends with a line break: its last split part is empty
    if first_bad is not None:
        guess = _guess_name(bad_sample)
        raise UnusableInput(
            "undecodable",
            "无法识别文件编码：第 {row} 行既不是 UTF-8 也不是 GBK/GB18030{hint}。请另存为 CSV（UTF-8）后再导入",
            "Cannot decode the file: row {row} is neither UTF-8 nor GBK/GB18030{hint_en}. Save it as "
            "CSV (UTF-8) and import that",
            row=first_bad,
            hint=f"（看起来像 {guess}）" if guess else "",
            hint_en=f" (it looks like {guess})" if guess else "",
        )
    if first_gbk is None:
        return utf8_name
    if first_utf8 is None and utf8_name == "utf-8":
        return "gb18030"
    raise UnusableInput(
        "mixed_encoding",
        "文件混用了多种编码：第 {u} 行是 UTF-8，第 {g} 行是 GBK。请统一另存为 CSV（UTF-8）后再导入",
        "The file mixes encodings: row {u} is UTF-8 but row {g} is GBK. Save the whole file as "
        "CSV (UTF-8) and import that",
        u=first_utf8 or 1,
        g=first_gbk,
    )


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_reader(path: Path | None, encoding: str, delimiter: str) -> Iterator[list[str]]:
    assert path is not None
    with path.open("r", encoding=encoding, newline="", errors="strict") as fh:
        yield from csv.reader(fh, delimiter=delimiter)


def _csv_rows(path: Path | None, encoding: str, delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    row = 0
    try:
        for row, cells in enumerate(_csv_reader(path, encoding, delimiter), start=1):
            yield row, cells
    except csv.Error as exc:
        raise _malformed(row + 1, exc) from exc
    except UnicodeDecodeError as exc:
        raise UnusableInput(
            "undecodable",
            "第 {row} 行附近无法按 {enc} 解码，请另存为 CSV（UTF-8）后再导入",
            "Cannot decode near row {row} as {enc}; save the file as CSV (UTF-8) and import that",
            row=row + 1,
            enc=encoding,
        ) from exc


def _malformed(row: int, exc: Exception) -> UnusableInput:
    return UnusableInput(
        "csv_malformed",
        "CSV 格式错误（第 {row} 行附近）：引号未闭合、字段过长或含有不可见的空字符",
        "Malformed CSV near row {row}: an unclosed quote, an over-long field or a NUL character",
        fields={"row": [str(row), str(exc)]},
        row=row,
    )


def _open_csv(path: Path, head: bytes) -> Table:
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        guess = _guess_name(head)
        raise UnusableInput(
            "not_a_table",
            "这不是文本表格（含有二进制内容{hint}）。请上传 CSV 或 XLSX 文件",
            "This is not a text table (it has binary content{hint_en}). Upload a CSV or XLSX file",
            hint=f"，可能是 {guess} 编码" if guess else "",
            hint_en=f"; perhaps {guess}" if guess else "",
        )
    encoding = detect_encoding(path)
    delimiter = ","
    estimated = -1
    # One pass to read the header line and count rows: finds malformed CSV before anything is written.
    with path.open("r", encoding=encoding, newline="") as fh:
        for line in fh:
            if line.strip():
                delimiter = _sniff_delimiter(line)
                break
    row = 0
    try:
        for row, cells in enumerate(_csv_reader(path, encoding, delimiter), start=1):  # noqa: B007
            if not is_blank(cells):
                estimated += 1
    except csv.Error as exc:
        raise _malformed(row + 1, exc) from exc
    if estimated < 0:
        raise empty_file()
    return Table(
        file_type="csv",
        encoding=encoding,
        estimated_rows=estimated,
        _path=path,
        _delimiter=delimiter,
    )


# --- XLSX -----------------------------------------------------------------------------------------


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise UnusableInput(
            "not_a_table",
            "文件像是压缩包但已损坏，无法作为 Excel 工作簿打开",
            "The file looks like an archive but is damaged; it cannot be opened as an Excel workbook",
        ) from exc
    if "xl/workbook.xml" not in names:
        raise UnusableInput(
            "not_a_table",
            "这是压缩包，但不是 Excel（.xlsx）工作簿（如果是 WPS 或 .ods 文件，请另存为 .xlsx）",
            "This is a ZIP archive but not an Excel (.xlsx) workbook (for WPS or .ods files, save as .xlsx)",
        )
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged workbooks
        raise UnusableInput(
            "not_a_table",
            "无法打开 Excel 工作簿（文件可能已损坏）：{err}",
            "Cannot open the Excel workbook (it may be damaged): {err}",
            err=exc.__class__.__name__,
        ) from exc
    try:
        names_in_order = list(workbook.sheetnames)
        if sheet:
            if sheet not in names_in_order:
                raise UnusableInput(
                    "sheet_not_found",
                    "工作簿中没有名为「{s}」的工作表。现有工作表：{all}",
                    "The workbook has no sheet named '{s}'. Its sheets: {all}",
                    fields={"sheet": [sheet]},
                    s=sheet,
                    all="、".join(names_in_order),
                )
            worksheet = workbook[sheet]
        else:
            worksheet = _first_non_empty(workbook, names_in_order)
        estimated = max((worksheet.max_row or 0) - 1, 0)
    except BaseException:
        workbook.close()
        raise
    return Table(
        file_type="xlsx",
        sheet=worksheet.title,
        sheets=names_in_order,
        estimated_rows=estimated,
        _workbook=workbook,
        _worksheet=worksheet,
    )


def _first_non_empty(workbook: Any, names: list[str]) -> Any:
    visible = [n for n in names if workbook[n].sheet_state == "visible"] or names
    for name in visible:
        ws = workbook[name]
        for values in ws.iter_rows(values_only=True):
            if not is_blank(list(values)):
                return ws
    raise UnusableInput(
        "empty_file",
        "工作簿中所有工作表都是空的（{all}）",
        "Every sheet of the workbook is empty ({all})",
        all="、".join(names),
    )


def _xlsx_rows(worksheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """Cells as values; a number formatted as a percentage comes as ('%', value)."""
    for number, row in enumerate(worksheet.iter_rows(), start=1):
        cells: list[Any] = []
        for cell in row:
            value = getattr(cell, "value", None)
            if isinstance(value, int | float) and not isinstance(value, bool):
                fmt = getattr(cell, "number_format", None) or ""
                if "%" in fmt:
                    value = Percent(value)
            cells.append(value)
        yield number, cells


class Percent(float):
    """A number Excel shows as a percentage (0.24 shown as 24%)."""
