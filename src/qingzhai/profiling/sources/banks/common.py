"""Pieces shared by the bank statement parsers: a header-driven row loop, and cell readers that turn a bad
cell into a bilingual row error.

Pure module (no Django).

Sides and reversals
-------------------
`Txn.side` is the file's own direction: a filled 收入/存入/CREDIT column, a positive debit-account amount or
a negative credit-card amount is ``in``; the opposite is ``out``. **On credit-card statements a positive
amount means the debtor spent** (side ``out``). A *negative* amount in a one-direction column (the CIB
``隔日冲账`` written as -5.50 in 支出) is a reversal of that column: the row gets the opposite side, nature
``refund`` and an unsigned amount, and its row number is listed in ``ParseResult.meta["reversals"]`` so the
column totals can be rebuilt (支出 net = out − reversals).

The nature of each row comes from `rules` (documented there).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from qingzhai.profiling.sources.banks.rules import Owner
from qingzhai.profiling.sources.base import (
    DIRECTION_OF_NATURE,
    ParseContext,
    ParseResult,
    RowError,
    Txn,
)
from qingzhai.profiling.sources.common import no_header
from qingzhai.profiling.sources.reading import (
    CURRENCY_WORDS,
    Amount,
    AmountUnreadable,
    Cell,
    DateUnreadable,
    Header,
    Workbook,
    clean,
    find_header,
    header_key,
    is_blank,
    parse_amount,
    parse_time,
)

_PLACEHOLDER = re.compile(r"^-+$")  # ICBC '-', BOC '-------------------', ABC '--'
_key = lru_cache(maxsize=4096)(header_key)
_PLAIN = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")


@lru_cache(maxsize=8192)
def _day(value: str, formats: tuple[str, ...]) -> datetime:
    """parse_time of a text date, cached: statements repeat the same dates."""
    return parse_time(value, formats)


class RowFail(Exception):
    """One cell of a row cannot be read; the row loop turns it into a RowError."""

    def __init__(self, field: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.field = field
        self.message_zh = message_zh
        self.message_en = message_en

    def error(self, row: int) -> RowError:
        where_zh = f"第 {row} 行“{self.field}”" if self.field else f"第 {row} 行"
        where_en = f"Row {row}: {self.field}" if self.field else f"Row {row}"
        return RowError(row, self.field, f"{where_zh}{self.message_zh}", f"{where_en} {self.message_en}")


def text(cell: Cell) -> str:
    """A cell as trimmed text; dash-only placeholders are empty."""
    value = clean(cell)
    return "" if _PLACEHOLDER.match(value) else value


def join(*parts: str) -> str:
    return " | ".join(p for p in parts if p)


def tail(account: str) -> str:
    """The last four digits of an account or card number as shown ('1234****5678' -> '5678'), or ''."""
    digits = re.sub(r"\D", "", account)
    return digits[-4:] if len(digits) >= 4 else ""


def currency_of(value: str) -> str:
    """'人民币' / 'RMB' / 'CNY' / '港币 现汇' -> ISO code, or '' when unknown."""
    up = value.strip().upper()
    for word, code in CURRENCY_WORDS:
        if word in up:
            return code
    return up if re.fullmatch(r"[A-Z]{3}", up) else ""


def iso_day(value: str) -> str:
    """'20251201', '2025/12/01', '2025-12-01 10:00:00' -> '2025-12-01'; other text as shown."""
    m = re.fullmatch(r"(\d{4})[-/.年]?(\d{2})[-/.月]?(\d{2})日?(?:[ T].*)?", value.strip())
    if not m:
        return value.strip()
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return value.strip()


def preamble(header: Header) -> dict[str, str]:
    """Label -> value pairs from the rows above the header: 'label: value' cells (ICBC '卡号: 1234****5678')
    and label cells followed by a value cell (CCB '账　　号：', CIB '账户户名', SPDB '账号'). Labels are
    compared by header_key without colons or '#'."""
    pairs: dict[str, str] = {}
    for row in header.sheet.rows[: header.index]:
        cells = [clean(c) for c in row]
        i = 0
        while i < len(cells):
            cell = cells[i].lstrip("#").strip()
            i += 1
            if not cell:
                continue
            m = re.match(r"^([^:：]+)[:：]\s*(.*)$", cell)
            if m:
                label, value = m.group(1), m.group(2).strip()
                if not value and i < len(cells) and cells[i] and not re.search(r"[:：]", cells[i]):
                    value, i = cells[i], i + 1
            else:
                label, value = cell, cells[i] if i < len(cells) else ""
                i += 1
            pairs.setdefault(header_key(label), value.strip("[] "))
    return pairs


def title_month(header: Header) -> tuple[int, int] | None:
    """(year, month) from a title line above the header ('…账单(2025年01月)')."""
    for row in header.sheet.rows[: header.index]:
        for cell in row:
            m = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月", clean(cell))
            if m and 1 <= int(m.group(2)) <= 12:
                return int(m.group(1)), int(m.group(2))
    return None


# --- rows --------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One data row under a header, with readers that raise RowFail naming the column."""

    header: Header
    cells: list[Cell]
    number: int
    owner: Owner
    result: ParseResult
    reversal: bool = False  # set by two_columns: a negative amount reversed its column

    def cell(self, name: str) -> Cell:
        return self.header.get(self.cells, _key(name))

    def text(self, name: str) -> str:
        return text(self.cell(name))

    def has(self, name: str) -> bool:
        return _key(name) in self.header.columns

    def amount(self, name: str) -> Amount:
        found = self.maybe_amount(name)
        if found is None:
            raise RowFail(name, "金额为空", "amount is empty")
        return found

    def maybe_amount(self, name: str) -> Amount | None:
        """An amount, or None when the cell is blank or a dash placeholder."""
        cell = self.cell(name)
        value = text(cell)
        if not value:
            return None
        plain = _PLAIN.fullmatch(value) if isinstance(cell, str) else None
        if plain:  # the common '1,234.56' / '-12.5' / '+10000.00' without the general parser
            fen = int(plain.group(2).replace(",", "")) * 100 + int((plain.group(3) or "").ljust(2, "0"))
            return Amount(-fen if plain.group(1) == "-" else fen, None)
        try:
            return parse_amount(cell)
        except AmountUnreadable:
            raise RowFail(name, f"不是有效的金额：{value!r}", f"is not an amount: {value!r}") from None

    def balance(self, name: str) -> int | None:
        """A balance, or None when blank or masked ('xx,yyyy.zz')."""
        try:
            return parse_amount(self.cell(name)).fen if self.text(name) else None
        except AmountUnreadable:
            return None

    def when(
        self,
        date_name: str,
        formats: Iterable[str],
        time_name: str = "",
        time_formats: Iterable[str] = ("%H:%M:%S",),
    ) -> datetime:
        """A date column, plus a separate time column when named (an empty time is midnight)."""
        cell = self.cell(date_name)
        value = text(cell)
        if not value:
            raise RowFail(date_name, "日期为空", "date is empty")
        try:
            day = _day(value, tuple(formats)) if isinstance(cell, str) else parse_time(cell, formats)
        except DateUnreadable:
            raise RowFail(date_name, f"不是有效的日期：{value!r}", f"is not a date: {value!r}") from None
        if not time_name:
            return day
        tcell = self.cell(time_name)
        if isinstance(tcell, datetime):
            return datetime.combine(day.date(), tcell.time())
        tvalue = text(tcell)
        if not tvalue:
            return day
        for fmt in time_formats:
            try:
                return datetime.combine(day.date(), datetime.strptime(tvalue, fmt).time())
            except ValueError:
                continue
        raise RowFail(time_name, f"不是有效的时间：{tvalue!r}", f"is not a time: {tvalue!r}")

    def currency(self, name: str, default: str = "CNY") -> str:
        value = self.text(name)
        if not value:
            return default
        code = currency_of(value)
        if not code:
            raise RowFail(name, f"无法识别的币种：{value!r}", f"unknown currency: {value!r}")
        return code

    def signed(self, name: str, positive: str) -> tuple[int, str]:
        """(unsigned fen, side) of a signed amount column; `positive` is the side of a positive amount
        (an explicit '-0.00' keeps the negative side)."""
        amount = self.amount(name)
        negative = amount.fen < 0 or (amount.fen == 0 and self.text(name).startswith("-"))
        return abs(amount.fen), (flip(positive) if negative else positive)

    def two_columns(self, in_name: str, out_name: str) -> tuple[int, str, bool] | None:
        """(unsigned fen, side, reversal) from a credit column and a debit column; None when both are
        empty or zero (nothing moved). A negative amount is a reversal of its column (see the module
        docstring); the row loop records it in meta['reversals']."""
        a_in = self.maybe_amount(in_name)
        a_out = self.maybe_amount(out_name)
        if a_in is None and a_out is None:
            raise RowFail(f"{in_name}/{out_name}", "两列都没有金额", "both columns are empty")
        v_in = a_in.fen if a_in else 0
        v_out = a_out.fen if a_out else 0
        if v_in and v_out:
            raise RowFail(f"{in_name}/{out_name}", "两列同时有金额", "both columns hold an amount")
        if not v_in and not v_out:
            return None
        value, side = (v_in, "in") if v_in else (v_out, "out")
        if value < 0:
            self.reversal = True
            return -value, flip(side), True
        return value, side, False

    def txn(self, *, time: datetime, amount_fen: int, side: str, nature: str, **fields: Any) -> Txn:
        return Txn(
            row=self.number,
            time=time,
            amount_fen=amount_fen,
            direction=DIRECTION_OF_NATURE.get(nature, "neutral"),
            nature=nature,
            side=side,
            **fields,
        )


def first_text(cells: list[Cell]) -> str:
    """The first filled cell of a line, cleaned."""
    for cell in cells:
        value = clean(cell)
        if value:
            return value
    return ""


def flip(side: str) -> str:
    return {"in": "out", "out": "in"}.get(side, side)


class BankParser(ABC):
    """A statement with a header row: subclasses name the header columns that recognise it and read one
    row at a time. Blank lines, repeated header lines and footer lines are not rows."""

    key = ""
    label_zh = ""
    label_en = ""
    layout = ""
    required: tuple[str, ...] = ()  # header columns that must all be present
    absent: tuple[str, ...] = ()  # header columns that must not be present
    footer_words: tuple[str, ...] = ()  # a line whose first filled cell starts with one is a footer

    def find(self, book: Workbook) -> Header | None:
        header = find_header(book, self.required)
        if header is None or any(header_key(a) in header.columns for a in self.absent):
            return None
        return header

    def sniff(self, book: Workbook) -> bool:
        return self.find(book) is not None

    def layout_of(self, header: Header) -> str:
        return self.layout

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        """Account, holder, period … from the preamble (JSON-ready values)."""
        return {}

    @abstractmethod
    def read_row(self, row: Row) -> Txn | None:
        """One data row -> a Txn, None to skip it silently, or RowFail for a row error."""

    def is_footer(self, cells: list[Cell]) -> bool:
        return bool(self.footer_words) and first_text(cells).startswith(self.footer_words)

    def _is_header_again(self, cells: list[Cell]) -> bool:
        """A header line repeated further down (page breaks of converted PDFs)."""
        if not self.required or _key(first_text(cells)) not in {_key(r) for r in self.required}:
            return False
        keys = {header_key(c) for c in cells}
        return all(_key(r) in keys for r in self.required)

    def parse(self, book: Workbook, ctx: ParseContext) -> ParseResult:
        header = self.find(book)
        if header is None:
            raise no_header(self.label_zh, self.label_en)
        meta = self.read_meta(header, ctx)
        result = ParseResult(source=self.key, layout=self.layout_of(header), meta=meta)
        owner = Owner(ctx, str(meta.get("holder", "")))
        for number, cells in header.sheet.numbered(header.index + 1):
            if is_blank(cells) or self.is_footer(cells) or self._is_header_again(cells):
                continue
            result.rows += 1
            row = Row(header, cells, number, owner, result)
            try:
                txn = self.read_row(row)
            except RowFail as fail:
                result.errors.append(fail.error(number))
                continue
            except (ValueError, TypeError, ArithmeticError, OverflowError) as exc:
                # A cell of an unexpected type; the row is reported, the file still reads.
                result.errors.append(
                    RowFail("", f"无法读取（{exc}）", f"cannot be read ({exc})").error(number)
                )
                continue
            if txn is None:
                result.skipped += 1
                continue
            result.txns.append(txn)
            if row.reversal:
                result.meta.setdefault("reversals", []).append(number)
        return result
