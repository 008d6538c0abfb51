"""Per-row validation: cells in, a clean row or precise errors (row, column, Chinese and English) out.
No Django database access here."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from qingzhai.core.dates import DateError, parse_date
from qingzhai.core.masking import mask_id, mask_phone
from qingzhai.core.money import AmountError, parse_fen
from qingzhai.core.validators import (
    is_valid_mobile,
    normalise_id,
    normalise_mobile,
    prc_id_check_digit,
    prc_id_problem,
    uscc_problem,
)
from qingzhai.portfolio.intake.columns import FIELDS_BY_KEY, ColumnMap
from qingzhai.portfolio.intake.reading import Percent
from qingzhai.portfolio.intake.results import RowError

MAX_AMOUNT_FEN = 10**15  # ten trillion yuan: anything larger is a typing or unit error
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPLIT_PHONES = re.compile(r"[,;/、，；|]+|\s{2,}")
_ACCOUNT_RE = re.compile(r"^\d{8,30}$")
_OLD_ID_RE = re.compile(r"^\d{15}$")

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

# code -> (Chinese, English); {value} is the cell as typed, {col} the column header.
MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("「{col}」不能为空", "'{col}' is required"),
    "too_long": ("「{col}」过长（最多 {max} 个字）", "'{col}' is too long (at most {max} characters)"),
    "contract_duplicate": (
        "合同编号 {value} 在文件中重复（第 {first} 行已出现）",
        "Contract No. {value} appears twice in the file (first in row {first})",
    ),
    "id_format": (
        "证件号码格式不对：{value}（应为 18 位居民身份证号或统一社会信用代码）",
        "Malformed ID number: {value} (expected an 18-character PRC ID or Unified Social Credit Code)",
    ),
    "id_birthdate": (
        "身份证号中的出生日期不存在：{value}",
        "The birth date inside the PRC ID number does not exist: {value}",
    ),
    "id_checksum": (
        "身份证号校验位错误：{value}（GB 11643）",
        "Wrong check digit in the PRC ID number: {value} (GB 11643)",
    ),
    "uscc_format": (
        "统一社会信用代码格式不对：{value}（GB 32100）",
        "Malformed Unified Social Credit Code: {value} (GB 32100)",
    ),
    "uscc_checksum": (
        "统一社会信用代码校验码错误：{value}（GB 32100）",
        "Wrong check character in the Unified Social Credit Code: {value} (GB 32100)",
    ),
    "id_excel_number": (
        "证件号码被 Excel 存成了数字，末几位已丢失（{value}）。请把该列设为文本格式后重新录入",
        "Excel stored the ID number as a number and lost its last digits ({value}). Format the column "
        "as text and enter it again",
    ),
    "kind_mismatch": (
        "债务人类型为「{kind}」，但证件号码 {value} 是{what}",
        "The debtor type is '{kind}' but {value} is {what_en}",
    ),
    "kind_invalid": (
        "债务人类型无法识别：{value}（应为 个人 或 企业）",
        "Unknown debtor type: {value} (expected person or enterprise)",
    ),
    "mobile_invalid": (
        "手机号码无效：{value}（应为 11 位中国大陆手机号）",
        "Invalid mobile number: {value} (expected an 11-digit mainland China mobile number)",
    ),
    "amount_invalid": ("金额不是数字：{value}", "The amount is not a number: {value}"),
    "amount_negative": ("金额不能为负数：{value}", "The amount cannot be negative: {value}"),
    "amount_precision": (
        "金额最多精确到分（两位小数）：{value}",
        "Amounts have at most two decimals (fen): {value}",
    ),
    "amount_too_large": ("金额过大：{value}", "The amount is too large: {value}"),
    "date_format": (
        "日期格式无法识别：{value}（可用 2024-03-01、2024/3/1、2024年3月1日）",
        "Unrecognised date: {value} (use 2024-03-01, 2024/3/1 or 2024年3月1日)",
    ),
    "date_impossible": ("日期不存在：{value}", "The date does not exist: {value}"),
    "date_range": ("日期不合理：{value}", "The date is out of range: {value}"),
    "rate_invalid": (
        "年利率无效：{value}（填百分数，例如 24 或 24%）",
        "Invalid annual rate: {value} (a percentage such as 24 or 24%)",
    ),
    "currency_invalid": (
        "币种无法识别：{value}（例如 CNY、人民币）",
        "Unknown currency: {value} (for example CNY)",
    ),
    "bool_invalid": ("无法识别「是/否」：{value}", "Expected yes or no: {value}"),
    "bank_account_invalid": (
        "银行账号无效：{value}（应为 8 到 30 位数字）",
        "Invalid bank account number: {value} (expected 8 to 30 digits)",
    ),
    "emergency_phone_missing": (
        "填写了紧急联系人但缺少紧急联系人电话",
        "An emergency contact is given without a phone number",
    ),
    "guarantor_name_missing": (
        "填写了担保人证件或电话但缺少担保人姓名",
        "A guarantor ID number or phone is given without the guarantor's name",
    ),
}


_ENTERPRISE_MARKERS = ("公司", "有限", "集团", "企业", "合作社", "厂", "商行", "事务所", "中心", "店")


def looks_like_enterprise(name: str) -> bool:
    return any(marker in name for marker in _ENTERPRISE_MARKERS)


def row_error(row: int, column: str, code: str, **params: Any) -> RowError:
    zh, en = MESSAGES[code]
    return RowError(
        row=row, column=column, code=code, message_zh=zh.format(**params), message_en=en.format(**params)
    )


@dataclass(slots=True)
class CleanRow:
    row: int
    contract_no: str
    debtor_name: str
    debtor_kind: str
    id_number: str
    mobiles: tuple[str, ...]
    home_address: str
    work_address: str
    employer: str
    product: str
    currency: str
    original_principal_fen: int
    principal_fen: int
    interest_fen: int
    penalty_fen: int
    fee_fen: int
    contract_date: date | None
    annual_rate: Decimal | None
    due_date: date | None
    overdue_since: date | None
    emergency_name: str
    emergency_relation: str
    emergency_phone: str
    emergency_consent: bool
    bank_name: str
    bank_account: str
    guarantor_name: str
    guarantor_id_number: str
    guarantor_phone: str

    @property
    def balance_fen(self) -> int:
        return self.principal_fen + self.interest_fen + self.penalty_fen + self.fee_fen


def cell_text(value: Any) -> str:
    """A cell as trimmed text: Excel numbers without '.0', dates as ISO, no control characters."""
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


class RowValidator:
    """Validates rows one by one; remembers contract numbers to report duplicates within the file."""

    def __init__(self, columns: ColumnMap) -> None:
        self.columns = columns
        self._index = columns.index
        self._headers = columns.headers
        self.first_row_of_contract: dict[str, int] = {}

    # -- cells -------------------------------------------------------------------------------------

    def _raw(self, cells: list[Any], key: str) -> Any:
        pos = self._index.get(key)
        if pos is None or pos >= len(cells):
            return None
        return cells[pos]

    def raw_text(self, cells: list[Any], key: str) -> str:
        return cell_text(self._raw(cells, key))

    def _col(self, key: str) -> str:
        return self._headers.get(key, FIELDS_BY_KEY[key].zh)

    def _text(self, cells: list[Any], key: str, errors: list[RowError], row: int) -> str:
        text = cell_text(self._raw(cells, key))
        field = FIELDS_BY_KEY[key]
        if not text and field.required:
            errors.append(row_error(row, self._col(key), "required", col=self._col(key)))
        elif field.max_length and len(text) > field.max_length:
            errors.append(
                row_error(row, self._col(key), "too_long", col=self._col(key), max=field.max_length)
            )
            return text[: field.max_length]
        return text

    def _amount(self, cells: list[Any], key: str, errors: list[RowError], row: int) -> int | None:
        raw = self._raw(cells, key)
        text = cell_text(raw)
        if not text:
            if FIELDS_BY_KEY[key].required:
                errors.append(row_error(row, self._col(key), "required", col=self._col(key)))
            return None
        try:
            if isinstance(raw, float) and not isinstance(raw, bool):
                value = Decimal(repr(raw))
                rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                # Excel arithmetic leaves binary noise (0.1 + 0.2): accept it when below a millionth.
                fen = parse_fen(rounded if abs(value - rounded) < Decimal("0.000001") else value)
            elif isinstance(raw, int) and not isinstance(raw, bool):
                fen = parse_fen(raw)
            else:
                fen = parse_fen(text)
        except AmountError as exc:
            errors.append(row_error(row, self._col(key), exc.code, value=text))
            return None
        if fen > MAX_AMOUNT_FEN:
            errors.append(row_error(row, self._col(key), "amount_too_large", value=text))
            return None
        return fen

    def _date(self, cells: list[Any], key: str, errors: list[RowError], row: int) -> date | None:
        raw = self._raw(cells, key)
        if isinstance(raw, int | float) and not isinstance(raw, bool) and 19000101 <= raw <= 21991231:
            raw = str(int(raw))  # 20240301 typed into a number cell
        text = cell_text(raw)
        if not text:
            return None
        try:
            value = parse_date(raw if isinstance(raw, date | int | float) else text)
        except DateError as exc:
            errors.append(row_error(row, self._col(key), exc.code, value=text))
            return None
        if not 1900 <= value.year <= 2100:
            errors.append(row_error(row, self._col(key), "date_range", value=text))
            return None
        return value

    def _mobile(self, text: str, key: str, errors: list[RowError], row: int) -> str:
        if not text:
            return ""
        if not is_valid_mobile(text):
            errors.append(row_error(row, self._col(key), "mobile_invalid", value=text))
            return ""
        return normalise_mobile(text)

    def _identity(
        self, cells: list[Any], key: str, kind: str, errors: list[RowError], row: int, name_hint: str = ""
    ) -> tuple[str, str]:
        """(normalised ID, kind); kind '' means unknown. Appends errors."""
        raw = self._raw(cells, key)
        text = cell_text(raw)
        if not text:
            if FIELDS_BY_KEY[key].required:
                errors.append(row_error(row, self._col(key), "required", col=self._col(key)))
            return "", kind
        if isinstance(raw, float) or (isinstance(raw, str) and re.fullmatch(r"\d(\.\d+)?[eE]\+\d+", text)):
            errors.append(row_error(row, self._col(key), "id_excel_number", value=text))
            return "", kind
        value = normalise_id(text)
        if _OLD_ID_RE.match(value):
            # First-generation 15-digit resident ID: born 19yy, no check digit. Convert to 18 digits.
            first17 = value[:6] + "19" + value[6:]
            value = first17 + prc_id_check_digit(first17)
        col = self._col(key)
        if kind == PERSON:
            problem = prc_id_problem(value)
            if problem and uscc_problem(value) is None:
                errors.append(
                    row_error(
                        row,
                        col,
                        "kind_mismatch",
                        kind="个人",
                        value=text,
                        what="统一社会信用代码",
                        what_en="a Unified Social Credit Code",
                    )
                )
            elif problem:
                errors.append(row_error(row, col, problem, value=text))
            return value, kind
        if kind == ENTERPRISE:
            problem = uscc_problem(value)
            if problem and prc_id_problem(value) is None:
                errors.append(
                    row_error(
                        row,
                        col,
                        "kind_mismatch",
                        kind="企业",
                        value=text,
                        what="居民身份证号",
                        what_en="a PRC resident ID number",
                    )
                )
            elif problem:
                errors.append(row_error(row, col, problem, value=text))
            return value, kind
        prc = prc_id_problem(value)
        if prc is None:
            return value, PERSON
        uscc = uscc_problem(value)
        if uscc is None and prc == "id_checksum" and not looks_like_enterprise(name_hint):
            # All digits with a real birth date inside: a resident ID with a wrong check digit, which
            # only by chance also passes as a credit code (about one in 31).
            errors.append(row_error(row, col, "id_checksum", value=text))
            return value, ""
        if uscc is None:
            return value, ENTERPRISE
        if uscc == "uscc_checksum" and (prc == "id_format" or looks_like_enterprise(name_hint)):
            errors.append(row_error(row, col, "uscc_checksum", value=text))
        else:
            # Shaped like a resident ID (17 digits and a check character): say what is wrong with it.
            errors.append(row_error(row, col, prc, value=text))
        return value, ""

    # -- the row -----------------------------------------------------------------------------------

    def validate(self, row: int, cells: list[Any]) -> tuple[CleanRow | None, list[RowError]]:
        errors: list[RowError] = []
        has = self.columns.has
        contract_no = self._text(cells, "contract_no", errors, row)
        if contract_no:
            first = self.first_row_of_contract.setdefault(contract_no, row)
            if first != row:
                errors.append(
                    row_error(
                        row, self._col("contract_no"), "contract_duplicate", value=contract_no, first=first
                    )
                )
        name = self._text(cells, "debtor_name", errors, row)

        kind = ""
        if has("debtor_kind"):
            kind_text = self.raw_text(cells, "debtor_kind")
            if kind_text:
                kind = _KINDS.get(unicodedata.normalize("NFKC", kind_text).strip().lower(), "")
                if not kind:
                    errors.append(row_error(row, self._col("debtor_kind"), "kind_invalid", value=kind_text))
                    kind = "?"
        id_number, kind = self._identity(
            cells, "id_number", "" if kind == "?" else kind, errors, row, name_hint=name
        )

        mobiles: list[str] = []
        if has("mobile"):
            for part in _SPLIT_PHONES.split(self.raw_text(cells, "mobile")):
                phone = self._mobile(part.strip(), "mobile", errors, row)
                if phone and phone not in mobiles:
                    mobiles.append(phone)

        amounts: dict[str, int | None] = {}
        for key in ("principal", "interest", "penalty", "fee", "original_principal"):
            amounts[key] = (
                self._amount(cells, key, errors, row) if has(key) or FIELDS_BY_KEY[key].required else None
            )

        dates: dict[str, date | None] = {}
        for key in ("contract_date", "due_date", "overdue_since"):
            dates[key] = self._date(cells, key, errors, row) if has(key) else None

        rate = self._rate(cells, errors, row) if has("annual_rate") else None

        currency = "CNY"
        if has("currency"):
            text = self.raw_text(cells, "currency")
            if text:
                code = _CURRENCIES.get(text.lower(), text.upper())
                if not re.fullmatch(r"[A-Z]{3}", code):
                    errors.append(row_error(row, self._col("currency"), "currency_invalid", value=text))
                currency = code

        texts = {
            key: self._text(cells, key, errors, row) if has(key) else ""
            for key in (
                "home_address",
                "work_address",
                "employer",
                "product",
                "emergency_name",
                "emergency_relation",
                "bank_name",
                "guarantor_name",
            )
        }

        emergency_phone = ""
        if has("emergency_phone"):
            emergency_phone = self._mobile(
                self.raw_text(cells, "emergency_phone"), "emergency_phone", errors, row
            )
        if texts["emergency_name"] and not emergency_phone and not self.raw_text(cells, "emergency_phone"):
            column = self._headers.get("emergency_phone", self._col("emergency_name"))
            errors.append(row_error(row, column, "emergency_phone_missing"))
        consent = False
        if has("emergency_consent"):
            text = self.raw_text(cells, "emergency_consent")
            lowered = unicodedata.normalize("NFKC", text).strip().lower()
            if lowered in _TRUE:
                consent = True
            elif lowered and lowered not in _FALSE:
                errors.append(row_error(row, self._col("emergency_consent"), "bool_invalid", value=text))

        bank_account = ""
        if has("bank_account"):
            text = self.raw_text(cells, "bank_account")
            if text:
                compact = re.sub(r"[\s-]", "", text)
                if _ACCOUNT_RE.match(compact):
                    bank_account = compact
                else:
                    errors.append(
                        row_error(row, self._col("bank_account"), "bank_account_invalid", value=text)
                    )

        guarantor_id = ""
        if has("guarantor_id_number") and self.raw_text(cells, "guarantor_id_number"):
            guarantor_id, _ = self._identity(
                cells,
                "guarantor_id_number",
                "",
                errors,
                row,
                name_hint=self.raw_text(cells, "guarantor_name"),
            )
        guarantor_phone = ""
        if has("guarantor_phone"):
            guarantor_phone = self._mobile(
                self.raw_text(cells, "guarantor_phone"), "guarantor_phone", errors, row
            )
        if not texts["guarantor_name"] and (
            (has("guarantor_id_number") and self.raw_text(cells, "guarantor_id_number"))
            or (has("guarantor_phone") and self.raw_text(cells, "guarantor_phone"))
        ):
            errors.append(
                row_error(
                    row,
                    self._headers.get("guarantor_name", self._col("guarantor_id_number")),
                    "guarantor_name_missing",
                )
            )

        if errors:
            return None, errors
        principal = amounts["principal"] or 0
        return (
            CleanRow(
                row=row,
                contract_no=contract_no,
                debtor_name=name,
                debtor_kind=kind or PERSON,
                id_number=id_number,
                mobiles=tuple(mobiles),
                home_address=texts["home_address"],
                work_address=texts["work_address"],
                employer=texts["employer"],
                product=texts["product"],
                currency=currency,
                original_principal_fen=(
                    amounts["original_principal"] if amounts["original_principal"] is not None else principal
                ),
                principal_fen=principal,
                interest_fen=amounts["interest"] or 0,
                penalty_fen=amounts["penalty"] or 0,
                fee_fen=amounts["fee"] or 0,
                contract_date=dates["contract_date"],
                annual_rate=rate,
                due_date=dates["due_date"],
                overdue_since=dates["overdue_since"],
                emergency_name=texts["emergency_name"],
                emergency_relation=texts["emergency_relation"],
                emergency_phone=emergency_phone,
                emergency_consent=consent,
                bank_name=texts["bank_name"],
                bank_account=bank_account,
                guarantor_name=texts["guarantor_name"],
                guarantor_id_number=guarantor_id,
                guarantor_phone=guarantor_phone,
            ),
            [],
        )

    def _rate(self, cells: list[Any], errors: list[RowError], row: int) -> Decimal | None:
        raw = self._raw(cells, "annual_rate")
        text = cell_text(raw)
        if not text:
            return None
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
            errors.append(row_error(row, self._col("annual_rate"), "rate_invalid", value=text))
            return None
        return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    # -- preview -----------------------------------------------------------------------------------

    def preview(self, row: int, cells: list[Any], clean: CleanRow | None, error_count: int) -> dict[str, Any]:
        """One row for the preview table, personal data masked."""
        if clean is not None:
            return {
                "row": row,
                "contract_no": clean.contract_no,
                "debtor_name": clean.debtor_name,
                "debtor_kind": clean.debtor_kind,
                "id_number": mask_id(clean.id_number),
                "mobile": mask_phone(clean.mobiles[0]) if clean.mobiles else "",
                "product": clean.product,
                "principal_fen": clean.principal_fen,
                "balance_fen": clean.balance_fen,
                "overdue_since": clean.overdue_since.isoformat() if clean.overdue_since else "",
                "errors": 0,
            }
        phone = (
            normalise_mobile(_SPLIT_PHONES.split(self.raw_text(cells, "mobile"))[0])
            if self.columns.has("mobile")
            else ""
        )
        return {
            "row": row,
            "contract_no": self.raw_text(cells, "contract_no"),
            "debtor_name": self.raw_text(cells, "debtor_name"),
            "debtor_kind": "",
            "id_number": mask_id(normalise_id(self.raw_text(cells, "id_number"))),
            "mobile": mask_phone(phone) if phone else "",
            "product": self.raw_text(cells, "product")[:100],
            "principal_fen": None,
            "balance_fen": None,
            "overdue_since": self.raw_text(cells, "overdue_since"),
            "errors": error_count,
        }
