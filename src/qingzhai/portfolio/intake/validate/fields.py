"""Parsers for one cell each: the cell's value (as read from the file) and its text in, a clean value out,
or CellProblem naming what is wrong. No Django here."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from qingzhai.core.dates import DateError, parse_date
from qingzhai.core.money import AmountError, parse_fen
from qingzhai.core.validators import (
    is_valid_mobile,
    normalise_id,
    normalise_mobile,
    prc_id_check_digit,
    prc_id_problem,
    uscc_problem,
)
from qingzhai.portfolio.intake.reading import Percent

MAX_AMOUNT_FEN = 10**15  # ten trillion yuan: anything larger is a typing or unit error
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPLIT_PHONES = re.compile(r"[,;/、，；|]+|\s{2,}")
_ACCOUNT_RE = re.compile(r"^\d{8,30}$")
_ACCOUNT_NOISE = re.compile(r"[\s-]")
_OLD_ID_RE = re.compile(r"^\d{15}$")
_EXCEL_NUMBER = re.compile(r"\d(\.\d+)?[eE]\+\d+")
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
_CENT = Decimal("0.01")
_RATE_STEP = Decimal("0.0001")
_EXCEL_NOISE = Decimal("0.000001")

PERSON, ENTERPRISE = "person", "enterprise"
_KINDS = {
    "个人": PERSON,
    "自然人": PERSON,
    "person": PERSON,
    "individual": PERSON,
    "p": PERSON,
    "企业": ENTERPRISE,
    "公司": ENTERPRISE,
    "单位": ENTERPRISE,
    "法人": ENTERPRISE,
    "enterprise": ENTERPRISE,
    "company": ENTERPRISE,
    "corporate": ENTERPRISE,
    "e": ENTERPRISE,
}
_CURRENCIES = {
    "人民币": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "¥": "CNY",
    "元": "CNY",
    "美元": "USD",
    "港币": "HKD",
    "港元": "HKD",
    "欧元": "EUR",
}
_TRUE = {"是", "y", "yes", "true", "1", "同意", "已同意", "√", "t"}
_FALSE = {"否", "n", "no", "false", "0", "不同意", "未同意", "×", "f"}
_ENTERPRISE_MARKERS = ("公司", "有限", "集团", "企业", "合作社", "厂", "商行", "事务所", "中心", "店")


class CellProblem(Exception):
    """A cell that cannot be used: `code` names a message (validate.messages), `params` fill it in."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def looks_like_enterprise(name: str) -> bool:
    return any(marker in name for marker in _ENTERPRISE_MARKERS)


def cell_text(value: Any) -> str:
    """A cell as trimmed text: Excel numbers without '.0', dates as ISO, no control characters."""
    if type(value) is str and value.isprintable():
        # The common case. Printable text has no control characters, no ideographic or no-break
        # spaces (str.isprintable() is false for every separator but the ASCII space).
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    text = str(value)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.replace("\u3000", " ").replace("\xa0", " ").strip()


def parse_amount(raw: Any, text: str) -> int:
    """A non-blank amount cell as fen."""
    try:
        if isinstance(raw, float):
            value = Decimal(repr(raw))
            rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
            # Excel arithmetic leaves binary noise (0.1 + 0.2): accept it when below a millionth.
            fen = parse_fen(rounded if abs(value - rounded) < _EXCEL_NOISE else value)
        elif isinstance(raw, int) and not isinstance(raw, bool):
            fen = parse_fen(raw)
        else:
            fen = parse_fen(text)
    except AmountError as exc:
        raise CellProblem(exc.code, value=text) from exc
    if fen > MAX_AMOUNT_FEN:
        raise CellProblem("amount_too_large", value=text)
    return fen


def parse_date_cell(raw: Any, text: str) -> date | None:
    """A date cell (None when blank). `text` is cell_text(raw)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 19000101 <= raw <= 21991231:
        raw = str(int(raw))  # 20240301 typed into a number cell
        text = raw
    if not text:
        return None
    try:
        value = parse_date(raw if isinstance(raw, date | int | float) else text)
    except DateError as exc:
        raise CellProblem(exc.code, value=text) from exc
    if not 1900 <= value.year <= 2100:
        raise CellProblem("date_range", value=text)
    return value


def parse_rate(raw: Any, text: str) -> Decimal:
    """A non-blank annual rate cell, in percent: 24, 24% or an Excel percentage."""
    try:
        if isinstance(raw, Percent):
            value = Decimal(repr(float(raw))) * 100
        elif isinstance(raw, float):
            value = Decimal(repr(raw))
        else:
            value = Decimal(unicodedata.normalize("NFKC", text).replace("%", "").replace(" ", ""))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value >= 1000:
        raise CellProblem("rate_invalid", value=text)
    return value.quantize(_RATE_STEP, rounding=ROUND_HALF_UP)


def parse_kind(text: str) -> str:
    """A non-blank debtor type: PERSON or ENTERPRISE."""
    kind = _KINDS.get(unicodedata.normalize("NFKC", text).strip().lower(), "")
    if not kind:
        raise CellProblem("kind_invalid", value=text)
    return kind


def parse_currency(text: str) -> str:
    """A non-blank currency as its ISO code."""
    code = _CURRENCIES.get(text.lower(), text.upper())
    if not _CURRENCY_CODE.fullmatch(code):
        raise CellProblem("currency_invalid", value=text)
    return code


def parse_consent(text: str) -> bool:
    """Yes or no; blank is no."""
    lowered = unicodedata.normalize("NFKC", text).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered and lowered not in _FALSE:
        raise CellProblem("bool_invalid", value=text)
    return False


def parse_account(text: str) -> str:
    """A non-blank bank account number, digits only."""
    compact = _ACCOUNT_NOISE.sub("", text)
    if not _ACCOUNT_RE.match(compact):
        raise CellProblem("bank_account_invalid", value=text)
    return compact


def split_phones(text: str) -> list[str]:
    """The numbers in a cell that may hold several ("138..., 139..."), each trimmed."""
    return [part.strip() for part in _SPLIT_PHONES.split(text)]


def parse_mobile(text: str) -> str:
    """A mainland mobile number, normalised; '' when blank."""
    if not text:
        return ""
    if not is_valid_mobile(text):
        raise CellProblem("mobile_invalid", value=text)
    return normalise_mobile(text)


def parse_identity(raw: Any, text: str, kind: str, name_hint: str = "") -> tuple[str, str]:
    """A non-blank PRC resident ID or Unified Social Credit Code: (normalised, kind). `kind` is the
    debtor type given in the file ('' when not given); the name helps tell an enterprise."""
    if isinstance(raw, float) or (isinstance(raw, str) and _EXCEL_NUMBER.fullmatch(text)):
        raise CellProblem("id_excel_number", value=text)
    value = normalise_id(text)
    if _OLD_ID_RE.match(value):
        # First-generation 15-digit resident ID: born 19yy, no check digit. Convert to 18 digits.
        first17 = value[:6] + "19" + value[6:]
        value = first17 + prc_id_check_digit(first17)
    if kind == PERSON:
        problem = prc_id_problem(value)
        if problem and uscc_problem(value) is None:
            raise CellProblem(
                "kind_mismatch",
                kind="个人",
                value=text,
                what="统一社会信用代码",
                what_en="a Unified Social Credit Code",
            )
        if problem:
            raise CellProblem(problem, value=text)
        return value, kind
    if kind == ENTERPRISE:
        problem = uscc_problem(value)
        if problem and prc_id_problem(value) is None:
            raise CellProblem(
                "kind_mismatch",
                kind="企业",
                value=text,
                what="居民身份证号",
                what_en="a PRC resident ID number",
            )
        if problem:
            raise CellProblem(problem, value=text)
        return value, kind
    prc = prc_id_problem(value)
    if prc is None:
        return value, PERSON
    uscc = uscc_problem(value)
    if uscc is None and prc == "id_checksum" and not looks_like_enterprise(name_hint):
        # All digits with a real birth date inside: a resident ID with a wrong check digit, which
        # only by chance also passes as a credit code (about one in 31).
        raise CellProblem("id_checksum", value=text)
    if uscc is None:
        return value, ENTERPRISE
    if uscc == "uscc_checksum" and (prc == "id_format" or looks_like_enterprise(name_hint)):
        raise CellProblem("uscc_checksum", value=text)
    # Shaped like a resident ID (17 digits and a check character): say what is wrong with it.
    raise CellProblem(prc, value=text)
