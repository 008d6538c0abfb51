"""One row at a time: the cells through the field parsers, then the checks across fields (an emergency
contact needs a phone, a guarantor a name) and across rows (a contract number once per file). A clean
row or precise errors (row, column, Chinese and English) come out. No Django database access here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from qingzhai.core.masking import mask_id, mask_phone
from qingzhai.core.validators import normalise_id, normalise_mobile
from qingzhai.portfolio.intake.columns import FIELDS_BY_KEY, ColumnMap
from qingzhai.portfolio.intake.results import RowError
from qingzhai.portfolio.intake.validate.fields import (
    PERSON,
    CellProblem,
    cell_text,
    parse_account,
    parse_amount,
    parse_consent,
    parse_currency,
    parse_date_cell,
    parse_identity,
    parse_kind,
    parse_mobile,
    parse_rate,
    split_phones,
)
from qingzhai.portfolio.intake.validate.messages import row_error

MEMO_SIZE = 100_000
AMOUNT_KEYS = ("principal", "interest", "penalty", "fee", "original_principal")
DATE_KEYS = ("contract_date", "due_date", "overdue_since")
TEXT_KEYS = (
    "home_address",
    "work_address",
    "employer",
    "product",
    "emergency_name",
    "emergency_relation",
    "bank_name",
    "guarantor_name",
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


class RowValidator:
    """Validates rows one by one; remembers contract numbers to report duplicates within the file."""

    def __init__(self, columns: ColumnMap) -> None:
        self.columns = columns
        self._positions = list(columns.index.items())
        # The column an error names: the header as in the file, else our Chinese name for the field.
        self._col = {key: columns.headers.get(key, field.zh) for key, field in FIELDS_BY_KEY.items()}
        self._amount_keys = [k for k in AMOUNT_KEYS if columns.has(k) or FIELDS_BY_KEY[k].required]
        self._date_keys = [k for k in DATE_KEYS if columns.has(k)]
        self._text_keys = [k for k in TEXT_KEYS if columns.has(k)]
        self.first_row_of_contract: dict[str, int] = {}
        # Text cells repeat (dates, fees, zero amounts): each distinct one is parsed once per import.
        self._amounts: dict[str, int | CellProblem] = {}
        self._dates: dict[str, date | CellProblem | None] = {}

    def cells_by_field(self, cells: list[Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The mapped cells of a row as {field: value as read} and {field: text}."""
        count = len(cells)
        raw: dict[str, Any] = {}
        text: dict[str, str] = {}
        for key, pos in self._positions:
            raw[key] = value = cells[pos] if pos < count else None
            text[key] = cell_text(value)
        return raw, text

    def _error(self, errors: list[RowError], row: int, key: str, problem: CellProblem) -> None:
        errors.append(row_error(row, self._col[key], problem.code, **problem.params))

    @staticmethod
    def _memo(memo: dict[str, Any], parse: Callable[[Any, str], Any], raw: Any, text: str) -> Any:
        """parse(raw, text), remembered for text cells (the outcome depends on the text alone)."""
        if type(raw) is not str:
            return parse(raw, text)
        try:
            outcome = memo[text]
        except KeyError:
            try:
                outcome = parse(raw, text)
            except CellProblem as problem:
                outcome = problem
            if len(memo) < MEMO_SIZE:
                memo[text] = outcome
        if isinstance(outcome, CellProblem):
            raise CellProblem(outcome.code, **outcome.params)
        return outcome

    def _text(self, text: dict[str, str], key: str, errors: list[RowError], row: int) -> str:
        value = text.get(key, "")
        field = FIELDS_BY_KEY[key]
        if not value and field.required:
            errors.append(row_error(row, self._col[key], "required", col=self._col[key]))
        elif field.max_length and len(value) > field.max_length:
            errors.append(
                row_error(row, self._col[key], "too_long", col=self._col[key], max=field.max_length)
            )
            return value[: field.max_length]
        return value

    def _required(self, text: dict[str, str], key: str, errors: list[RowError], row: int) -> str:
        value = text.get(key, "")
        if not value and FIELDS_BY_KEY[key].required:
            errors.append(row_error(row, self._col[key], "required", col=self._col[key]))
        return value

    def _mobile(self, value: str, key: str, errors: list[RowError], row: int) -> str:
        try:
            return parse_mobile(value)
        except CellProblem as problem:
            self._error(errors, row, key, problem)
            return ""

    def validate(self, row: int, cells: list[Any]) -> tuple[CleanRow | None, list[RowError]]:
        raw, text = self.cells_by_field(cells)
        errors: list[RowError] = []

        contract_no = self._text(text, "contract_no", errors, row)
        if contract_no:
            first = self.first_row_of_contract.setdefault(contract_no, row)
            if first != row:
                errors.append(
                    row_error(
                        row, self._col["contract_no"], "contract_duplicate", value=contract_no, first=first
                    )
                )
        name = self._text(text, "debtor_name", errors, row)

        kind = ""
        if text.get("debtor_kind"):
            try:
                kind = parse_kind(text["debtor_kind"])
            except CellProblem as problem:
                self._error(errors, row, "debtor_kind", problem)
                kind = "?"
        id_number = ""
        if self._required(text, "id_number", errors, row):
            try:
                given = "" if kind == "?" else kind
                id_number, kind = parse_identity(raw["id_number"], text["id_number"], given, name)
            except CellProblem as problem:
                self._error(errors, row, "id_number", problem)

        mobiles: list[str] = []
        if "mobile" in text:
            for part in split_phones(text["mobile"]):
                phone = self._mobile(part, "mobile", errors, row)
                if phone and phone not in mobiles:
                    mobiles.append(phone)

        amounts: dict[str, int | None] = dict.fromkeys(AMOUNT_KEYS)
        for key in self._amount_keys:
            if self._required(text, key, errors, row):
                try:
                    amounts[key] = self._memo(self._amounts, parse_amount, raw[key], text[key])
                except CellProblem as problem:
                    self._error(errors, row, key, problem)

        dates: dict[str, date | None] = dict.fromkeys(DATE_KEYS)
        for key in self._date_keys:
            try:
                dates[key] = self._memo(self._dates, parse_date_cell, raw[key], text[key])
            except CellProblem as problem:
                self._error(errors, row, key, problem)

        rate = None
        if text.get("annual_rate"):
            try:
                rate = parse_rate(raw["annual_rate"], text["annual_rate"])
            except CellProblem as problem:
                self._error(errors, row, "annual_rate", problem)

        currency = "CNY"
        if text.get("currency"):
            try:
                currency = parse_currency(text["currency"])
            except CellProblem as problem:
                self._error(errors, row, "currency", problem)

        texts = dict.fromkeys(TEXT_KEYS, "")
        for key in self._text_keys:
            texts[key] = self._text(text, key, errors, row)

        emergency_phone = self._mobile(text.get("emergency_phone", ""), "emergency_phone", errors, row)
        if texts["emergency_name"] and not emergency_phone and not text.get("emergency_phone"):
            column = self.columns.headers.get("emergency_phone", self._col["emergency_name"])
            errors.append(row_error(row, column, "emergency_phone_missing"))
        consent = False
        try:
            consent = parse_consent(text.get("emergency_consent", ""))
        except CellProblem as problem:
            self._error(errors, row, "emergency_consent", problem)

        bank_account = ""
        if text.get("bank_account"):
            try:
                bank_account = parse_account(text["bank_account"])
            except CellProblem as problem:
                self._error(errors, row, "bank_account", problem)

        guarantor_id = ""
        if text.get("guarantor_id_number"):
            try:
                guarantor_id, _ = parse_identity(
                    raw["guarantor_id_number"],
                    text["guarantor_id_number"],
                    "",
                    text.get("guarantor_name", ""),
                )
            except CellProblem as problem:
                self._error(errors, row, "guarantor_id_number", problem)
        guarantor_phone = self._mobile(text.get("guarantor_phone", ""), "guarantor_phone", errors, row)
        if not texts["guarantor_name"] and (text.get("guarantor_id_number") or text.get("guarantor_phone")):
            column = self.columns.headers.get("guarantor_name", self._col["guarantor_id_number"])
            errors.append(row_error(row, column, "guarantor_name_missing"))

        if errors:
            return None, errors
        principal = amounts["principal"] or 0
        original = amounts["original_principal"]
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
                original_principal_fen=original if original is not None else principal,
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
        _raw, text = self.cells_by_field(cells)
        phone = normalise_mobile(split_phones(text["mobile"])[0]) if "mobile" in text else ""
        return {
            "row": row,
            "contract_no": text.get("contract_no", ""),
            "debtor_name": text.get("debtor_name", ""),
            "debtor_kind": "",
            "id_number": mask_id(normalise_id(text.get("id_number", ""))),
            "mobile": mask_phone(phone) if phone else "",
            "product": text.get("product", "")[:100],
            "principal_fen": None,
            "balance_fen": None,
            "overdue_since": text.get("overdue_since", ""),
            "errors": error_count,
        }
