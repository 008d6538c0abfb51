"""What an import takes and gives back: options, per-row errors, the result, unusable input."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi
from qingzhai.portfolio.models import Creditor


@dataclass
class ImportOptions:
    creditor: Creditor
    portfolio_code: str = ""
    placement_date: date | None = None
    recall_date: date | None = None
    mapping: dict[str, str] | None = None
    skip_invalid: bool = False
    dry_run: bool = False
    sheet: str | None = None


@dataclass
class RowError:
    """One problem in one cell (or one row when `column` is empty). `row` is the row number Excel shows."""

    row: int
    column: str
    code: str
    message_zh: str
    message_en: str

    @property
    def message(self) -> str:
        return bi(self.message_zh, self.message_en)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}

    def as_stored(self) -> dict[str, Any]:
        """Both languages, for keeping on an ImportJob and showing later in either language."""
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


@dataclass
class ImportResult:
    """Counts are of data rows (debts). With errors and without skip_invalid nothing is imported."""

    rows: int
    imported: int
    updated: int
    unchanged: int
    errors: list[RowError]
    error_count: int = 0  # all errors found; `errors` keeps at most the first MAX_ERRORS_KEPT
    skipped: int = 0  # rows left out because they had errors (skip_invalid)
    valid_rows: int = 0
    dry_run: bool = False
    file_type: str = ""
    encoding: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    header_row: int = 1
    columns: dict[str, str] = field(default_factory=dict)  # header in the file -> our field
    ignored_columns: list[str] = field(default_factory=list)
    portfolio_code: str = ""
    portfolio_id: int | None = None
    portfolio_created: bool = False
    preview: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "error_count": self.error_count,
            "skipped": self.skipped,
            "valid_rows": self.valid_rows,
            "dry_run": self.dry_run,
            "file_type": self.file_type,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "portfolio": self.portfolio_code,
            "portfolio_created": self.portfolio_created,
        }


class UnusableInput(DomainError):
    """The file as a whole cannot be read as a portfolio table (nothing row-level to report).

    Codes: empty_file, no_rows, undecodable, mixed_encoding, not_a_table, csv_malformed, too_large,
    missing_columns, duplicate_headers, sheet_not_found, mapping_invalid, options_invalid.
    """

    status = 400


MAX_PORTFOLIO_CODE = 60


def empty_file() -> UnusableInput:
    return UnusableInput("empty_file", "文件是空的", "The file is empty")


def options_invalid(zh: str, en: str, field: str) -> UnusableInput:
    return UnusableInput("options_invalid", zh, en, fields={field: ["invalid"]})


def check_portfolio_code(code: str) -> None:
    if len(code) > MAX_PORTFOLIO_CODE:
        raise options_invalid(
            "批次代码过长（最多 60 个字符）", "The portfolio code is too long (60 at most)", "portfolio_code"
        )


def check_recall_date(placement: date | None, recall: date | None) -> None:
    if placement and recall and recall < placement:
        raise options_invalid(
            "退案日期不能早于委案日期", "The recall date cannot be before the placement date", "recall_date"
        )
