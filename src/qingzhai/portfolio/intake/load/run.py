"""Importing a portfolio file: stream the rows, validate each, write in batches, all in one transaction.

What one valid row creates or touches, keyed so that importing the same file twice changes nothing:
- Debtor: per creditor, found by the blind index of the ID number (created with the row's name,
  type, addresses and employer; an existing debtor's details are left as they are).
- ContactPoint: the debtor's mobile numbers (the first one primary when the debtor has none) and the
  emergency contact (name, relation, consent); added only when the debtor does not have that number.
- BankAccount: added when the debtor does not have that account number.
- Case: one per debtor in the target portfolio, created for the debtor's first new debt.
- Debt: per creditor + contract number. A new one is created in the case; an existing one stays in its
  case and has the balances and terms given in the file applied (counted as updated, audited old -> new)
  or, when nothing differs, counts as unchanged. Only columns present in the file are compared.
- Guarantor: added to the debt unless it already has one with that ID number (or name).
The portfolio is created on first need, with the code given or `<creditor code>-<placement YYYYMMDD>`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.core.clock import business_today
from qingzhai.core.errors import AccessDenied
from qingzhai.portfolio.intake.columns import header_score, map_columns, parse_mapping
from qingzhai.portfolio.intake.load.sql import analyze, large_page_cache
from qingzhai.portfolio.intake.load.writer import BatchWriter
from qingzhai.portfolio.intake.reading import is_blank, open_table
from qingzhai.portfolio.intake.results import (
    MAX_PORTFOLIO_CODE,
    ImportOptions,
    ImportResult,
    UnusableInput,
    check_portfolio_code,
    check_recall_date,
    empty_file,
)
from qingzhai.portfolio.intake.validate import CleanRow, RowValidator
from qingzhai.portfolio.models import (
    BankAccount,
    Case,
    ContactPoint,
    Creditor,
    Debt,
    Debtor,
    Guarantor,
    Portfolio,
)

BATCH_SIZE = 1000
MAX_ERRORS_KEPT = 10_000
PREVIEW_ROWS = 20
HEADER_SEARCH_ROWS = 10
ANALYZE_AFTER_ROWS = 10_000  # new debts after which the statistics of the tables looked up are refreshed

ProgressFn = Callable[[int, int], None]


class _Rollback(Exception):
    """Leave the import transaction without committing anything."""


def actor_parts(actor: Any) -> tuple[Any, str]:
    """(user or None, label). Users need the import capability; a plain label (cli, system) is trusted."""
    if getattr(actor, "is_authenticated", False):
        if not actor.can(roles.IMPORT):
            raise AccessDenied()
        return actor, actor.username
    if isinstance(actor, str) and actor.strip():
        return None, actor.strip()
    raise AccessDenied()


def default_portfolio_code(creditor: Creditor, placement: date) -> str:
    return f"{creditor.code}-{placement:%Y%m%d}"[:MAX_PORTFOLIO_CODE]


def resolve_portfolio(options: ImportOptions, today: date) -> tuple[str, date, Portfolio | None]:
    """The target portfolio's code and placement date, and the portfolio when it exists already."""
    placement = options.placement_date or today
    code = (options.portfolio_code or "").strip() or default_portfolio_code(options.creditor, placement)
    check_portfolio_code(code)
    check_recall_date(placement, options.recall_date)
    existing = Portfolio.objects.filter(creditor=options.creditor, code=code).first()
    if existing and options.placement_date and existing.placement_date != options.placement_date:
        raise UnusableInput(
            "options_invalid",
            "批次 {p} 已存在，委案日期为 {d}，与指定的 {given} 不一致",
            "Portfolio {p} exists with placement date {d}, not {given}",
            p=code,
            d=existing.placement_date.isoformat(),
            given=options.placement_date.isoformat(),
        )
    return code, existing.placement_date if existing else placement, existing


def find_header(
    rows: Iterator[tuple[int, list[Any]]],
) -> tuple[int, list[Any], Iterable[tuple[int, list[Any]]]]:
    """The header is the first non-blank row naming two or more of our fields (title rows above it are
    skipped); if none of the first rows does, the first non-blank row (whose columns then mismatch)."""
    seen: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        if is_blank(cells):
            continue
        if header_score(cells) >= 2:
            return number, cells, rows
        seen.append((number, cells))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise empty_file()
    number, cells = seen[0]
    return number, cells, itertools.chain(seen[1:], rows)


def import_file(
    *, actor: Any, path: Path, options: ImportOptions, progress: ProgressFn | None = None
) -> ImportResult:
    """Import (or with dry_run only check) a portfolio file. Raises UnusableInput when the file as a whole
    cannot be used; row problems come back in ImportResult.errors, and then nothing is imported unless
    options.skip_invalid."""
    return run_import(actor=actor, path=path, options=options, progress=progress)


def run_import(
    *,
    actor: Any,
    path: Path,
    options: ImportOptions,
    progress: ProgressFn | None = None,
    on_success: Callable[[ImportResult], None] | None = None,
    filename: str = "",
) -> ImportResult:
    """import_file, plus `on_success(result)` run inside the import's transaction when it commits."""
    user, label = actor_parts(actor)
    mapping = parse_mapping(options.mapping)
    today = business_today()
    code, placement, portfolio = resolve_portfolio(options, today)
    path = Path(path)
    with open_table(path, sheet=options.sheet, max_bytes=settings.QINGZHAI_IMPORT_MAX_BYTES) as table:
        header_row, header, data = find_header(table.rows())
        columns = map_columns(header, mapping)
        result = ImportResult(
            rows=0,
            imported=0,
            updated=0,
            unchanged=0,
            errors=[],
            dry_run=options.dry_run,
            file_type=table.file_type,
            encoding=table.encoding,
            sheet=table.sheet,
            sheets=table.sheets,
            header_row=header_row,
            columns=columns.as_dict(),
            ignored_columns=columns.ignored,
            portfolio_code=code,
            portfolio_id=portfolio.pk if portfolio else None,
        )
        writer = BatchWriter(
            creditor=options.creditor,
            portfolio=portfolio,
            portfolio_code=code,
            placement=placement,
            recall=options.recall_date,
            today=today,
            actor=actor,
            user=user,
            label=label,
            columns=columns,
            write=not options.dry_run,
            reason=f"导入 import: {filename or path.name}",
        )
        loop = _Loop(data, RowValidator(columns), writer, result, options, progress, table.estimated_rows)
        if options.dry_run:
            loop.run()
            _finish_counts(result, writer, options)
            result.portfolio_created = portfolio is None and result.imported > 0
            return result
        try:
            with large_page_cache(), transaction.atomic():
                Creditor.objects.select_for_update().filter(pk=options.creditor.pk).first()
                loop.run()
                if result.error_count and not options.skip_invalid:
                    raise _Rollback
                writer.finish(result, filename or path.name)
                _finish_counts(result, writer, options)
                if on_success is not None:
                    on_success(result)
        except _Rollback:
            writer.cases.portfolio, writer.cases.portfolio_created = portfolio, False
            _finish_counts(result, writer, options)
            return result
    if result.imported >= ANALYZE_AFTER_ROWS:
        analyze(Debtor, ContactPoint, BankAccount, Case, Debt, Guarantor)
    return result


def _finish_counts(result: ImportResult, writer: BatchWriter, options: ImportOptions) -> None:
    if result.error_count and not options.skip_invalid:
        result.imported = result.updated = result.unchanged = 0
    else:
        result.imported, result.updated, result.unchanged = writer.imported, writer.updated, writer.unchanged
    result.skipped = (result.rows - result.valid_rows) if options.skip_invalid else 0
    if writer.cases.portfolio is not None:
        result.portfolio_id = writer.cases.portfolio.pk
        result.portfolio_created = writer.cases.portfolio_created


@dataclass
class _Loop:
    data: Iterable[tuple[int, list[Any]]]
    validator: RowValidator
    writer: BatchWriter
    result: ImportResult
    options: ImportOptions
    progress: ProgressFn | None
    estimated: int

    def run(self) -> None:
        result, validator = self.result, self.validator
        batch: list[CleanRow] = []
        for number, cells in self.data:
            if is_blank(cells):
                continue
            result.rows += 1
            clean, errors = validator.validate(number, cells)
            if errors:
                result.error_count += len(errors)
                room = MAX_ERRORS_KEPT - len(result.errors)
                if room > 0:
                    result.errors.extend(errors[:room])
            else:
                result.valid_rows += 1
                batch.append(clean)  # type: ignore[arg-type]
            if len(result.preview) < PREVIEW_ROWS:
                result.preview.append(validator.preview(number, cells, clean, len(errors)))
            if len(batch) >= BATCH_SIZE:
                self._flush(batch)
                batch = []
            if self.progress is not None and result.rows % BATCH_SIZE == 0:
                self.progress(result.rows, max(self.estimated, result.rows))
        self._flush(batch)
        if result.rows == 0:
            raise UnusableInput(
                "no_rows", "文件只有表头，没有数据行", "The file has a header but no data rows"
            )
        if self.progress is not None:
            self.progress(result.rows, result.rows)

    def _flush(self, batch: list[CleanRow]) -> None:
        # After the first error nothing more is written unless invalid rows are skipped: it would be
        # rolled back anyway. Validation goes on, to report every error at once.
        if batch and (self.options.skip_invalid or not self.result.error_count):
            self.writer.write(batch)
