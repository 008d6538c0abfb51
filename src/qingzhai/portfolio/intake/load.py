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
from django.db import connection, transaction
from django.db.models import BigIntegerField, F, IntegerField, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from qingzhai.accounts import roles
from qingzhai.core import audit, pii
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import AccessDenied
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio.buckets import bucket_for
from qingzhai.portfolio.intake.columns import ColumnMap, header_score, map_columns, parse_mapping
from qingzhai.portfolio.intake.reading import is_blank, open_table
from qingzhai.portfolio.intake.results import ImportOptions, ImportResult, UnusableInput
from qingzhai.portfolio.intake.validate import CleanRow, RowValidator
from qingzhai.portfolio.models import (
    BankAccount,
    BucketHistory,
    Case,
    ContactPoint,
    Creditor,
    Debt,
    Debtor,
    Guarantor,
    Portfolio,
)
from qingzhai.portfolio.services import DEBT_AUDIT_FIELDS, debt_apply_dpd

BATCH_SIZE = 1000
MAX_ERRORS_KEPT = 10_000
PREVIEW_ROWS = 20
HEADER_SEARCH_ROWS = 10

# Debt field <- the column it comes from (a field is compared and written only when its column exists).
DEBT_FIELDS_FROM_COLUMNS: dict[str, str] = {
    "product": "product",
    "currency": "currency",
    "original_principal_fen": "original_principal",
    "principal_fen": "principal",
    "interest_fen": "interest",
    "penalty_fen": "penalty",
    "fee_fen": "fee",
    "contract_date": "contract_date",
    "annual_rate": "annual_rate",
    "due_date": "due_date",
    "overdue_since": "overdue_since",
}
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
    return f"{creditor.code}-{placement:%Y%m%d}"[:60]


def resolve_portfolio(options: ImportOptions) -> tuple[str, date, Portfolio | None]:
    """The target portfolio's code and placement date, and the portfolio when it exists already."""
    placement = options.placement_date or business_today()
    code = (options.portfolio_code or "").strip() or default_portfolio_code(options.creditor, placement)
    if len(code) > 60:
        raise UnusableInput(
            "options_invalid", "批次代码过长（最多 60 个字符）", "The portfolio code is too long (60 at most)"
        )
    if options.recall_date and options.recall_date < placement:
        raise UnusableInput(
            "options_invalid",
            "退案日期不能早于委案日期",
            "The recall date cannot be before the placement date",
            fields={"recall_date": ["recall_date < placement_date"]},
        )
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
        raise UnusableInput("empty_file", "文件是空的", "The file is empty")
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
    code, placement, portfolio = resolve_portfolio(options)
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
        writer = _Writer(
            creditor=options.creditor,
            portfolio=portfolio,
            portfolio_code=code,
            placement=placement,
            recall=options.recall_date,
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
            with transaction.atomic():
                Creditor.objects.select_for_update().filter(pk=options.creditor.pk).first()
                loop.run()
                if result.error_count and not options.skip_invalid:
                    raise _Rollback
                writer.finish(result, filename or path.name)
                _finish_counts(result, writer, options)
                if on_success is not None:
                    on_success(result)
        except _Rollback:
            writer.portfolio, writer.portfolio_created = portfolio, False
            _finish_counts(result, writer, options)
    return result


def _finish_counts(result: ImportResult, writer: _Writer, options: ImportOptions) -> None:
    if result.error_count and not options.skip_invalid:
        result.imported = result.updated = result.unchanged = 0
    else:
        result.imported, result.updated, result.unchanged = writer.imported, writer.updated, writer.unchanged
    result.skipped = (result.rows - result.valid_rows) if options.skip_invalid else 0
    if writer.portfolio is not None:
        result.portfolio_id = writer.portfolio.pk
        result.portfolio_created = writer.portfolio_created


@dataclass
class _Loop:
    data: Iterable[tuple[int, list[Any]]]
    validator: RowValidator
    writer: _Writer
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


class _Writer:
    """Writes batches of clean rows (or, in a dry run, only classifies them)."""

    def __init__(
        self,
        *,
        creditor: Creditor,
        portfolio: Portfolio | None,
        portfolio_code: str,
        placement: date,
        recall: date | None,
        actor: Any,
        user: Any,
        label: str,
        columns: ColumnMap,
        write: bool,
        reason: str,
    ) -> None:
        self.creditor = creditor
        self.portfolio = portfolio
        self.portfolio_created = False
        self.portfolio_code = portfolio_code
        self.placement = placement
        self.recall = recall
        self.actor, self.user, self.label = actor, user, label
        self.write_enabled = write
        self.reason = reason
        self.today = business_today()
        self.fields = [f for f, col in DEBT_FIELDS_FROM_COLUMNS.items() if columns.has(col)]
        self.debtors: dict[str, int] = {}  # ID blind index -> debtor id
        self.cases: dict[int, int] = {}  # debtor id -> case id in the portfolio
        self.phones: dict[int, set[tuple[str, str]]] = {}  # debtor id -> {(party, phone blind index)}
        self.has_primary: set[int] = set()
        self.accounts: dict[int, set[str]] = {}  # debtor id -> {account blind index}
        self.touched_cases: set[int] = set()
        self.imported = self.updated = self.unchanged = 0

    # -- values ------------------------------------------------------------------------------------

    @staticmethod
    def _values(row: CleanRow, fields: Iterable[str]) -> dict[str, Any]:
        return {f: getattr(row, f) for f in fields}

    def _portfolio(self) -> Portfolio:
        if self.portfolio is None:
            self.portfolio = Portfolio.objects.create(
                creditor=self.creditor,
                code=self.portfolio_code,
                placement_date=self.placement,
                recall_date=self.recall,
            )
            self.portfolio_created = True
            audit.record(
                actor=self.actor,
                action="portfolio.create",
                entity=self.portfolio,
                changes={
                    "code": [None, self.portfolio_code],
                    "placement_date": [None, self.placement],
                    "recall_date": [None, self.recall],
                },
                reason=self.reason,
            )
        return self.portfolio

    def _event(self, action: str, debt: Debt, changes: dict[str, Any], moment: Any) -> AuditEvent:
        return AuditEvent(
            occurred_at=moment,
            actor=self.user,
            actor_label=self.label,
            action=action,
            entity_type="portfolio.debt",
            entity_id=str(debt.pk),
            changes=changes,
            reason=self.reason,
            source="import",
        )

    # -- one batch ---------------------------------------------------------------------------------

    def write(self, batch: list[CleanRow]) -> None:
        existing = {
            d.contract_no: d
            for d in Debt.objects.filter(
                creditor=self.creditor, contract_no__in=[r.contract_no for r in batch]
            ).annotate(debtor_ref=F("case__debtor_id"))
        }
        new_rows = [r for r in batch if r.contract_no not in existing]
        changed: list[tuple[CleanRow, Debt, dict[str, Any]]] = []
        for row in batch:
            debt = existing.get(row.contract_no)
            if debt is None:
                continue
            values = self._values(row, self.fields)
            if all(getattr(debt, f) == v for f, v in values.items()):
                self.unchanged += 1
            else:
                changed.append((row, debt, values))
        self.imported += len(new_rows)
        self.updated += len(changed)
        if not self.write_enabled:
            return
        moment = now()
        debtor_of: dict[str, int] = {
            r.contract_no: existing[r.contract_no].debtor_ref for r in batch if r.contract_no in existing
        }  # type: ignore[attr-defined]
        debtor_of.update(self._debtors_for(new_rows))
        self._contacts(batch, debtor_of)
        events: list[AuditEvent] = []
        debt_ids = {contract: debt.pk for contract, debt in existing.items()}
        if new_rows:
            events += self._create_debts(new_rows, debtor_of, moment, debt_ids)
        if changed:
            events += self._update_debts(changed, moment)
        self._guarantors(batch, debt_ids, {r.contract_no for r in new_rows})
        audit.record_many(events)

    def _debtors_for(self, rows: list[CleanRow]) -> dict[str, int]:
        """contract no. -> debtor id for new debts, creating the debtors that do not exist yet."""
        keys = {r.contract_no: pii.lookup_index("id_number", r.id_number) for r in rows}
        unknown = {k for k in keys.values() if k not in self.debtors}
        if unknown:
            found = list(
                Debtor.objects.filter(creditor=self.creditor, id_number_bidx__in=unknown).values_list(
                    "id_number_bidx", "id"
                )
            )
            for bidx, debtor_id in found:
                self.debtors[bidx] = debtor_id
            self._load_known([d for b, d in found])
        to_create: dict[str, Debtor] = {}
        for row in rows:
            bidx = keys[row.contract_no]
            if bidx in self.debtors or bidx in to_create:
                continue
            debtor = Debtor(
                creditor=self.creditor,
                kind=row.debtor_kind,
                name=row.debtor_name,
                employer=row.employer,
            )
            pii.set_value(debtor, "id_number", row.id_number)
            pii.set_value(debtor, "home_address", row.home_address)
            pii.set_value(debtor, "work_address", row.work_address)
            to_create[bidx] = debtor
        if to_create:
            insert_rows(list(to_create.values()))
            for bidx, debtor in to_create.items():
                self.debtors[bidx] = debtor.pk
                self.phones[debtor.pk] = set()
                self.accounts[debtor.pk] = set()
        return {contract: self.debtors[bidx] for contract, bidx in keys.items()}

    def _load_known(self, debtor_ids: list[int]) -> None:
        """Phones and accounts the given existing debtors already have."""
        ids = [d for d in debtor_ids if d not in self.phones]
        if not ids:
            return
        for d in ids:
            self.phones[d] = set()
            self.accounts[d] = set()
        for debtor_id, party, bidx, primary in ContactPoint.objects.filter(debtor_id__in=ids).values_list(
            "debtor_id", "party", "value_bidx", "is_primary"
        ):
            self.phones[debtor_id].add((party, bidx))
            if primary and party == ContactPoint.Party.DEBTOR:
                self.has_primary.add(debtor_id)
        for debtor_id, bidx in BankAccount.objects.filter(debtor_id__in=ids).values_list(
            "debtor_id", "account_bidx"
        ):
            self.accounts[debtor_id].add(bidx)

    def _contacts(self, batch: list[CleanRow], debtor_of: dict[str, int]) -> None:
        self._load_known(sorted(set(debtor_of.values())))
        points: list[ContactPoint] = []
        accounts: list[BankAccount] = []
        for row in batch:
            debtor_id = debtor_of[row.contract_no]
            known = self.phones[debtor_id]
            for phone in row.mobiles:
                key = (ContactPoint.Party.DEBTOR.value, pii.lookup_index("phone", phone))
                if key in known:
                    continue
                known.add(key)
                point = ContactPoint(
                    debtor_id=debtor_id,
                    party=ContactPoint.Party.DEBTOR,
                    is_primary=debtor_id not in self.has_primary,
                )
                self.has_primary.add(debtor_id)
                pii.set_value(point, "value", phone)
                points.append(point)
            if row.emergency_phone:
                key = (ContactPoint.Party.EMERGENCY.value, pii.lookup_index("phone", row.emergency_phone))
                if key not in known:
                    known.add(key)
                    point = ContactPoint(
                        debtor_id=debtor_id,
                        party=ContactPoint.Party.EMERGENCY,
                        name=row.emergency_name,
                        relation=row.emergency_relation,
                        consent=row.emergency_consent,
                    )
                    pii.set_value(point, "value", row.emergency_phone)
                    points.append(point)
            if row.bank_account:
                bidx = pii.lookup_index("account", row.bank_account)
                if bidx not in self.accounts[debtor_id]:
                    self.accounts[debtor_id].add(bidx)
                    account = BankAccount(debtor_id=debtor_id, bank_name=row.bank_name)
                    pii.set_value(account, "account", row.bank_account)
                    accounts.append(account)
        if points:
            insert_rows(points)
        if accounts:
            insert_rows(accounts)

    def _cases_for(self, debtor_ids: set[int]) -> None:
        missing = debtor_ids - self.cases.keys()
        if not missing:
            return
        portfolio = self._portfolio()
        if not self.portfolio_created:
            for debtor_id, case_id in Case.objects.filter(
                portfolio=portfolio, debtor_id__in=missing
            ).values_list("debtor_id", "id"):
                self.cases[debtor_id] = case_id
        new_cases = [Case(portfolio=portfolio, debtor_id=d) for d in sorted(missing - self.cases.keys())]
        if new_cases:
            insert_rows(new_cases)
            for case in new_cases:
                self.cases[case.debtor_id] = case.pk

    def _create_debts(
        self, rows: list[CleanRow], debtor_of: dict[str, int], moment: Any, debt_ids: dict[str, int]
    ) -> list[AuditEvent]:
        self._cases_for({debtor_of[r.contract_no] for r in rows})
        debts: list[Debt] = []
        for row in rows:
            debt = Debt(
                creditor=self.creditor,
                case_id=self.cases[debtor_of[row.contract_no]],
                contract_no=row.contract_no,
                **self._values(row, DEBT_FIELDS_FROM_COLUMNS),
            )
            debt.status = Debt.Status.OPEN if debt.balance_fen > 0 else Debt.Status.PAID
            debt_apply_dpd(debt, self.today)
            debts.append(debt)
        insert_rows(debts)
        insert_rows(
            [BucketHistory(debt=d, as_of=self.today, dpd=d.dpd, bucket=d.bucket) for d in debts],
            returning=False,
        )
        self.touched_cases.update(d.case_id for d in debts)
        debt_ids.update((d.contract_no, d.pk) for d in debts)
        events = []
        for debt in debts:
            changes = {"contract_no": [None, debt.contract_no], "case": [None, debt.case_id]}
            changes.update({k: [None, v] for k, v in audit.snapshot(debt, DEBT_AUDIT_FIELDS).items()})
            events.append(self._event("debt.import", debt, changes, moment))
        return events

    def _update_debts(
        self, changed: list[tuple[CleanRow, Debt, dict[str, Any]]], moment: Any
    ) -> list[AuditEvent]:
        debts: list[Debt] = []
        history: list[BucketHistory] = []
        events = []
        for _row, debt, values in changed:
            old = audit.snapshot(debt, DEBT_AUDIT_FIELDS)
            old_bucket = debt.bucket
            for name, value in values.items():
                setattr(debt, name, value)
            if debt.balance_fen > 0 and debt.status == Debt.Status.PAID:
                debt.status = Debt.Status.OPEN
            elif debt.balance_fen == 0 and debt.status == Debt.Status.OPEN:
                debt.status = Debt.Status.PAID
            debt_apply_dpd(debt, self.today)
            if debt.bucket != old_bucket:
                history.append(BucketHistory(debt=debt, as_of=self.today, dpd=debt.dpd, bucket=debt.bucket))
            debt.updated_at = moment
            debts.append(debt)
            self.touched_cases.add(debt.case_id)
            events.append(
                self._event(
                    "debt.import_update",
                    debt,
                    audit.diff(old, audit.snapshot(debt, DEBT_AUDIT_FIELDS)),
                    moment,
                )
            )
        Debt.objects.bulk_update(
            debts, [*self.fields, "status", "dpd", "dpd_as_of", "bucket", "updated_at"], batch_size=500
        )
        if history:
            insert_rows(history, returning=False)
        return events

    def _guarantors(self, batch: list[CleanRow], debt_ids: dict[str, int], new: set[str]) -> None:
        rows = [r for r in batch if r.guarantor_name and r.contract_no in debt_ids]
        if not rows:
            return
        known: set[tuple[int, str]] = set()
        existing_ids = [debt_ids[r.contract_no] for r in rows if r.contract_no not in new]
        if existing_ids:
            for debt_id, bidx, name in Guarantor.objects.filter(debt_id__in=existing_ids).values_list(
                "debt_id", "id_number_bidx", "name"
            ):
                known.add((debt_id, bidx or f"name:{name}"))
        guarantors = []
        for row in rows:
            debt_id = debt_ids[row.contract_no]
            bidx = pii.lookup_index("id_number", row.guarantor_id_number) if row.guarantor_id_number else ""
            key = (debt_id, bidx or f"name:{row.guarantor_name}")
            if key in known:
                continue
            known.add(key)
            guarantor = Guarantor(debt_id=debt_id, name=row.guarantor_name)
            pii.set_value(guarantor, "id_number", row.guarantor_id_number)
            pii.set_value(guarantor, "phone", row.guarantor_phone)
            guarantors.append(guarantor)
        if guarantors:
            insert_rows(guarantors, returning=False)

    # -- the end -----------------------------------------------------------------------------------

    def finish(self, result: ImportResult, filename: str) -> None:
        refresh_case_totals(self.touched_cases)
        target: Any = self.portfolio if self.portfolio is not None else self.creditor
        audit.record(
            actor=self.actor,
            action="portfolio.import",
            entity=target,
            changes={
                "file": filename,
                "rows": result.rows,
                "imported": self.imported,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "skipped": result.rows - result.valid_rows,
                "portfolio": self.portfolio_code,
            },
            reason=self.reason,
        )


# Column types whose Python values the database drivers take as they are.
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def insert_rows(objs: list[Any], *, returning: bool = True) -> None:
    """bulk_create for plain new rows, a few times cheaper per row: multi-row INSERT ... RETURNING id
    with the values converted once per column type. Sets the primary keys on the objects."""
    if not objs:
        return
    meta = objs[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    convert = [None if f.get_internal_type() in _PLAIN_TYPES else f for f in fields]
    quote = connection.ops.quote_name
    max_params = connection.features.max_query_params or 30000
    per_statement = max(1, min(1000, max_params // len(fields)))
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    moment = now()
    stamped = [bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) for f in fields]
    for obj in objs:
        for field, stamp in zip(fields, stamped, strict=True):
            if stamp:
                setattr(obj, field.attname, moment)
    if connection.vendor == "postgresql":
        _copy_rows(objs, fields, returning=returning)
        return
    converted: dict[tuple[int, Any], Any] = {}  # dates and amounts repeat: convert each value once
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start : start + per_statement]
            params: list[Any] = []
            for obj in chunk:
                for i, (field, conv) in enumerate(zip(fields, convert, strict=True)):
                    value = getattr(obj, field.attname)
                    if conv is None:
                        params.append(value)
                        continue
                    try:
                        params.append(converted[(i, value)])
                    except KeyError:
                        params.append(
                            converted.setdefault((i, value), conv.get_db_prep_save(value, connection))
                        )
                    except TypeError:  # an unhashable value (JSON): convert it every time
                        params.append(conv.get_db_prep_save(value, connection))
            cursor.execute(head + ", ".join([row_marks] * len(chunk)) + tail, params)
            if returning:
                for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                    obj.pk = pk
                    obj._state.adding = False
                    obj._state.db = connection.alias


def _copy_rows(objs: list[Any], fields: list[Any], *, returning: bool) -> None:
    """PostgreSQL: primary keys drawn from the table's sequence, then COPY (far cheaper than INSERT)."""
    meta = objs[0]._meta
    quote = connection.ops.quote_name
    columns = [f.column for f in fields]
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
            columns = [meta.pk.column, *columns]
        attnames = ([meta.pk.attname] if returning else []) + [f.attname for f in fields]
        sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row([getattr(obj, name) for name in attnames])


def refresh_case_totals(case_ids: Iterable[int], chunk: int = 500) -> None:
    """services.case_refresh_totals for many cases at once: a fixed number of statements per chunk."""
    ids = sorted(case_ids)
    debts = Debt.objects.filter(case_id=OuterRef("pk")).order_by().values("case_id")
    total = debts.annotate(
        t=Sum(F("principal_fen") + F("interest_fen") + F("penalty_fen") + F("fee_fen"))
    ).values("t")
    top = debts.annotate(m=Max("dpd")).values("m")
    moment = now()
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        Case.objects.filter(pk__in=part).update(
            total_balance_fen=Coalesce(Subquery(total), Value(0), output_field=BigIntegerField()),
            max_dpd=Coalesce(Subquery(top), Value(0), output_field=IntegerField()),
            updated_at=moment,
        )
        by_bucket: dict[str, list[int]] = {}
        for case_id, max_dpd, bucket in Case.objects.filter(pk__in=part).values_list(
            "id", "max_dpd", "bucket"
        ):
            wanted = bucket_for(max_dpd)
            if wanted != bucket:
                by_bucket.setdefault(wanted, []).append(case_id)
        for bucket, members in by_bucket.items():
            Case.objects.filter(pk__in=members).update(bucket=bucket)
