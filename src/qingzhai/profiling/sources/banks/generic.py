"""A bank statement of any layout (CSV, XLS, XLSX with a header row), read through a column mapping.

Key ``bank:generic``. It is never auto-detected (`sniff` is False): the user names it and supplies a mapping,
given to `GenericBank(mapping)` / `GenericBank().with_mapping(mapping)` or to
`parse_with_mapping(book, mapping, ctx)`. `load_mapping` accepts a YAML or JSON text, bytes or a dict.

Mapping format (keys in English; values are column names exactly as in the file's header, compared
without whitespace, like every header here)::

    time: 交易时间                  # required: a column, or a list joined with a space:
                                   #   [交易日期, 交易时间]
    time_format: "%Y-%m-%d %H:%M:%S"  # optional: strptime format or list; default DEFAULT_TIME_FORMATS.
                                   #   Day-first / month-first dates (01/02/2024) are never guessed.
    amount: 金额                    # required: one column, or {in: 收入, out: 支出} (two columns: the
                                   #   filled one gives the side; a negative amount is a reversal)
    sign: positive_in              # one amount column without `direction`: positive_in (default for
                                   #   kind debit) or positive_out (default for kind credit)
    direction:                     # optional, one amount column: the side comes from another column
      column: 借贷                  #   and the amount is unsigned;
      in: [贷]                      #   values are compared trimmed; a value in none of in / out /
      out: [借]                     #   neutral is a row error
      neutral: []
    counterparty: 对方户名          # optional: a column or a list (joined with a space)
    memo: [摘要, 附言]              # optional: a column or a list (joined with " | ")
    category: 交易类型              # optional: a column or a list
    channel: 交易渠道               # optional
    currency: 币种                  # optional column (人民币, CNY, 港币 …); else the amount's own prefix
    default_currency: CNY          # optional, default CNY
    balance: 余额                   # optional
    ref: 流水号                     # optional
    account: 卡号                   # optional: the debtor's own card or account (tail digits kept)
    kind: debit                    # debit (default) or credit (positive = spent; credit-card natures)

A bad mapping (not an object, an unknown key, no time or amount, a wrong value, or a column the file does
not have) raises `MappingError`, an `UnreadableFile` with a Chinese and an English message. Lines whose
first filled cell starts with 合计, 总计, 小计, 以上数据, 说明, ``#`` or Total are footers, not rows. A CSV split by
tabs, semicolons or pipes is re-split when the mapped header is not found with commas.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from qingzhai.profiling.sources.banks.common import BankParser, Row, RowFail, flip, tail
from qingzhai.profiling.sources.banks.rules import card_nature, debit_nature
from qingzhai.profiling.sources.base import ParseContext, ParseResult, Txn, UnreadableFile
from qingzhai.profiling.sources.reading import (
    DateUnreadable,
    Sheet,
    Workbook,
    header_key,
    parse_time,
    sniff_csv_dialect,
)

DEFAULT_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                        "%Y/%m/%d", "%Y%m%d %H:%M:%S", "%Y%m%d %H%M%S", "%Y%m%d", "%Y.%m.%d",
                        "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日")  # fmt: skip
KEYS = ("time", "time_format", "amount", "sign", "direction", "counterparty", "memo", "category", "channel",
        "currency", "default_currency", "balance", "ref", "account", "kind")  # fmt: skip
_LISTS = ("counterparty", "memo", "category", "channel")
_COLUMNS = ("currency", "balance", "ref", "account")


class MappingError(UnreadableFile):
    """The column mapping is invalid or does not fit the file."""

    def __init__(self, problems_zh: list[str], problems_en: list[str]) -> None:
        super().__init__(
            "bad_mapping",
            "列映射有误：" + "；".join(problems_zh),
            "Bad column mapping: " + "; ".join(problems_en),
        )


@dataclass(frozen=True)
class ColumnMapping:
    time: tuple[str, ...]
    time_formats: tuple[str, ...] = DEFAULT_TIME_FORMATS
    amount: str = ""
    amount_in: str = ""
    amount_out: str = ""
    sign: str = "positive_in"
    direction_column: str = ""
    direction_in: tuple[str, ...] = ()
    direction_out: tuple[str, ...] = ()
    direction_neutral: tuple[str, ...] = ()
    counterparty: tuple[str, ...] = ()
    memo: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    currency: str = ""
    default_currency: str = "CNY"
    balance: str = ""
    ref: str = ""
    account: str = ""
    kind: str = "debit"

    def columns(self) -> tuple[str, ...]:
        """Every column the mapping names, once, in mapping order."""
        names = [*self.time, self.amount, self.amount_in, self.amount_out, self.direction_column]
        names += [*self.counterparty, *self.memo, *self.category, *self.channel]
        names += [self.currency, self.balance, self.ref, self.account]
        return tuple(dict.fromkeys(n for n in names if n))


def _names(value: Any) -> tuple[str, ...] | None:
    """A column name or a non-empty list of them; None when the value is neither."""
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def _values(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return tuple(str(v).strip() for v in value)
    return None


def load_mapping(source: ColumnMapping | Mapping[str, Any] | str | bytes) -> ColumnMapping:
    """A validated ColumnMapping from a YAML or JSON text (or bytes), or a dict. Raises MappingError."""
    if isinstance(source, ColumnMapping):
        return source
    data: Any = source
    if isinstance(source, bytes):
        data = source.decode("utf-8-sig", errors="replace")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            import yaml

            try:
                data = yaml.safe_load(data)
            except yaml.YAMLError as exc:
                raise MappingError(
                    [f"不是有效的 YAML 或 JSON（{exc}）"], [f"not valid YAML or JSON ({exc})"]
                ) from exc
    if not isinstance(data, Mapping):
        raise MappingError(["必须是一个对象（键: 值）"], ["it must be an object (key: value pairs)"])
    return _validate(data)


def _validate(data: Mapping[str, Any]) -> ColumnMapping:
    zh: list[str] = []
    en: list[str] = []

    def bad(message_zh: str, message_en: str) -> None:
        zh.append(message_zh)
        en.append(message_en)

    for key in data:
        if key not in KEYS:
            bad(
                f"未知的映射项“{key}”（可用：{', '.join(KEYS)}）",
                f"unknown key {key!r} (allowed: {', '.join(KEYS)})",
            )
    out: dict[str, Any] = {}
    kind = data.get("kind", "debit")
    if kind not in ("debit", "credit"):
        bad("“kind”只能是 debit 或 credit", "'kind' must be debit or credit")
        kind = "debit"
    out["kind"] = kind
    time = _names(data.get("time"))
    if "time" not in data:
        bad("缺少“time”（交易时间列）", "'time' (the time column) is missing")
    elif time is None:
        bad("“time”必须是列名或列名列表", "'time' must be a column name or a list of column names")
    out["time"] = time or ()
    if "time_format" in data:
        formats = _names(data["time_format"])
        if formats is None or not all("%" in f for f in formats):
            bad(
                "“time_format”必须是 strptime 格式（如 %Y-%m-%d）或其列表",
                "'time_format' must be strptime formats",
            )
        else:
            out["time_formats"] = formats
    amount = data.get("amount")
    if "amount" not in data:
        bad("缺少“amount”（金额列）", "'amount' (the amount column) is missing")
    elif isinstance(amount, Mapping):
        ins, outs = _names(amount.get("in")), _names(amount.get("out"))
        if set(amount) != {"in", "out"} or ins is None or outs is None or len(ins) + len(outs) != 2:
            bad(
                "“amount”的两列写法是 {in: 收入列, out: 支出列}",
                "two-column 'amount' must be {in: column, out: column}",
            )
        else:
            out["amount_in"], out["amount_out"] = ins[0], outs[0]
        if "sign" in data or "direction" in data:
            bad(
                "两列金额时不能再给“sign”或“direction”",
                "'sign' and 'direction' do not apply to two amount columns",
            )
    elif isinstance(amount, str) and amount.strip():
        out["amount"] = amount.strip()
    else:
        bad("“amount”必须是列名或 {in: …, out: …}", "'amount' must be a column name or {in: …, out: …}")
    sign = data.get("sign", "positive_out" if kind == "credit" else "positive_in")
    if sign not in ("positive_in", "positive_out"):
        bad("“sign”只能是 positive_in 或 positive_out", "'sign' must be positive_in or positive_out")
    out["sign"] = sign
    if "direction" in data:
        d = data["direction"]
        column = _names(d.get("column")) if isinstance(d, Mapping) else None
        ins_d = _values(d.get("in")) if isinstance(d, Mapping) else None
        outs_d = _values(d.get("out")) if isinstance(d, Mapping) else None
        neutral = _values(d.get("neutral", [])) if isinstance(d, Mapping) else None
        extra = set(d) - {"column", "in", "out", "neutral"} if isinstance(d, Mapping) else set()
        if column is None or len(column) != 1 or not ins_d or not outs_d or neutral is None or extra:
            bad(
                "“direction”的写法是 {column: 列名, in: [值…], out: [值…], neutral: [值…]}",
                "'direction' must be {column: name, in: [values], out: [values], neutral: [values]}",
            )
        else:
            out["direction_column"] = column[0]
            out["direction_in"], out["direction_out"], out["direction_neutral"] = ins_d, outs_d, neutral
        if "sign" in data:
            bad("“sign”与“direction”不能同时使用", "use either 'sign' or 'direction', not both")
    for key in _LISTS:
        if key in data:
            names = _names(data[key])
            if names is None:
                bad(
                    f"“{key}”必须是列名或列名列表", f"{key!r} must be a column name or a list of column names"
                )
            else:
                out[key] = names
    for key in _COLUMNS:
        if key in data:
            names = _names(data[key])
            if names is None or len(names) != 1:
                bad(f"“{key}”必须是一个列名", f"{key!r} must be one column name")
            else:
                out[key] = names[0]
    if "default_currency" in data:
        code = data["default_currency"]
        if not (isinstance(code, str) and len(code) == 3 and code.isascii() and code.isupper()):
            bad(
                "“default_currency”必须是三个大写字母（如 CNY）", "'default_currency' must be a code like CNY"
            )
        else:
            out["default_currency"] = code
    if zh:
        raise MappingError(zh, en)
    allowed = {f.name for f in fields(ColumnMapping)}
    return ColumnMapping(**{k: v for k, v in out.items() if k in allowed})


def _resplit(book: Workbook) -> Workbook | None:
    """A CSV read with commas, split again with its real delimiter (tab, semicolon, pipe)."""
    if book.container != "csv" or not book.sheets:
        return None
    lines = [",".join("" if c is None else str(c) for c in row) for row in book.sheets[0].rows]
    delimiter = sniff_csv_dialect("\n".join(lines[:50]))
    if delimiter == ",":
        return None
    rows = [next(csv.reader([line], delimiter=delimiter)) if line else [] for line in lines]
    return Workbook(book.filename, book.container, book.encoding, [Sheet(book.sheets[0].name, list(rows))])


class GenericBank(BankParser):
    key = "bank:generic"
    label_zh = "通用银行流水（按列映射）"
    label_en = "Generic bank statement (column mapping)"
    layout = "generic"
    footer_words = ("合计", "总计", "小计", "以上数据", "说明", "#", "Total", "TOTAL")

    def __init__(self, mapping: ColumnMapping | Mapping[str, Any] | str | bytes | None = None) -> None:
        self.mapping = None if mapping is None else load_mapping(mapping)
        self.required = self.mapping.columns() if self.mapping else ()

    def with_mapping(self, mapping: ColumnMapping | Mapping[str, Any] | str | bytes) -> GenericBank:
        return GenericBank(mapping)

    def sniff(self, book: Workbook) -> bool:
        return False  # needs a mapping from the user

    def parse(self, book: Workbook, ctx: ParseContext) -> ParseResult:
        if self.mapping is None:
            raise MappingError(
                ["通用银行流水需要提供列映射"], ["a generic bank statement needs a column mapping"]
            )
        if self.find(book) is None:
            other = _resplit(book)
            if other is not None and self.find(other) is not None:
                book = other
            else:
                raise self._missing(book)
        result = super().parse(book, ctx)
        result.meta["mapping"] = {"columns": list(self.required), "kind": self.mapping.kind}
        return result

    def _missing(self, book: Workbook) -> MappingError:
        wanted = [header_key(c) for c in self.required]
        best: list[str] = list(self.required)
        for sheet in book.sheets:
            for row in sheet.rows[:60]:
                keys = {header_key(c) for c in row}
                missing = [name for name, key in zip(self.required, wanted, strict=True) if key not in keys]
                if len(missing) < len(best):
                    best = missing
        shown = "、".join(best)
        return MappingError(
            [f"文件的表头中找不到这些列：{shown}"], [f"the file's header has no column {', '.join(best)}"]
        )

    def read_row(self, row: Row) -> Txn | None:
        m = self.mapping
        assert m is not None  # parse() checked it
        reversal = False
        currency = ""
        if m.amount_in:
            found = row.two_columns(m.amount_in, m.amount_out)
            if found is None:
                return None
            fen, side, reversal = found
            for name in (m.amount_in, m.amount_out):
                amount = row.maybe_amount(name)
                currency = currency or (amount.currency or "" if amount else "")
        else:
            amount = row.amount(m.amount)
            currency = amount.currency or ""
            if m.direction_column:
                side = self._direction(row, m)
                fen = abs(amount.fen)
                if amount.fen < 0 and side != "neutral":
                    side, reversal = flip(side), True
            else:
                fen, side = row.signed(m.amount, "in" if m.sign == "positive_in" else "out")
        if m.currency and row.text(m.currency):
            currency = row.currency(m.currency)
        counterparty = " ".join(t for t in (row.text(c) for c in m.counterparty) if t)
        category = " ".join(t for t in (row.text(c) for c in m.category) if t)
        memo = " | ".join(t for t in (row.text(c) for c in m.memo) if t)
        texts = (category, counterparty, memo)
        own = row.owner.name(counterparty)
        if reversal:
            nature = "refund"
        elif m.kind == "credit":
            nature = card_nature(side, texts, payer=counterparty, own=own)
        else:
            nature = debit_nature(side, texts, own=own)
        account = row.text(m.account) if m.account else ""
        return row.txn(
            time=self._time(row, m),
            amount_fen=fen,
            side=side,
            nature=nature,
            currency=currency or m.default_currency,
            counterparty=counterparty,
            category=category,
            channel=" ".join(t for t in (row.text(c) for c in m.channel) if t),
            memo=memo,
            ref=row.text(m.ref) if m.ref else "",
            account=tail(account) or account,
            balance_fen=row.balance(m.balance) if m.balance else None,
        )

    @staticmethod
    def _direction(row: Row, m: ColumnMapping) -> str:
        value = row.text(m.direction_column)
        for side, values in (
            ("in", m.direction_in),
            ("out", m.direction_out),
            ("neutral", m.direction_neutral),
        ):
            if value in values:
                return side
        raise RowFail(
            m.direction_column,
            f"不是映射中的收支值：{value!r}",
            f"is not a mapped direction value: {value!r}",
        )

    @staticmethod
    def _time(row: Row, m: ColumnMapping) -> datetime:
        if len(m.time) == 1:
            return row.when(m.time[0], m.time_formats)
        value = " ".join(t for t in (row.text(c) for c in m.time) if t)
        field = "/".join(m.time)
        if not value:
            raise RowFail(field, "日期为空", "date is empty")
        try:
            return parse_time(value, m.time_formats)
        except DateUnreadable:
            raise RowFail(field, f"不是有效的时间：{value!r}", f"is not a time: {value!r}") from None


def parse_with_mapping(
    book: Workbook, mapping: ColumnMapping | Mapping[str, Any] | str | bytes, ctx: ParseContext
) -> ParseResult:
    """Parse a generic bank statement with a column mapping (see the module docstring)."""
    return GenericBank(mapping).parse(book, ctx)


PARSERS = [GenericBank()]
