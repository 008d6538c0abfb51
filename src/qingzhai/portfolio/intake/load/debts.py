"""Debts of imported rows, keyed by creditor + contract number: existing ones are found and compared,
new ones created in their debtor's case (with a first bucket history row), changed ones updated; and the
debts' guarantors, each added once (by ID number, else by name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qingzhai.core import audit
from qingzhai.portfolio.buckets import bucket_for, days_past_due
from qingzhai.portfolio.intake.load.events import DebtEvents
from qingzhai.portfolio.intake.load.personal import PiiColumns, Sealer
from qingzhai.portfolio.intake.load.sql import Table
from qingzhai.portfolio.intake.validate import CleanRow
from qingzhai.portfolio.models import BucketHistory, Creditor, Debt, Guarantor
from qingzhai.portfolio.services import DEBT_AUDIT_FIELDS, debt_apply_dpd

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
ROW_FIELDS = tuple(DEBT_FIELDS_FROM_COLUMNS)
NEW_DEBT_FIELDS = (
    "creditor_id",
    "case_id",
    "contract_no",
    *ROW_FIELDS,
    "status",
    "dpd",
    "dpd_as_of",
    "bucket",
)
_CASE, _CONTRACT, _DPD, _BUCKET = (
    NEW_DEBT_FIELDS.index(n) for n in ("case_id", "contract_no", "dpd", "bucket")
)


@dataclass(slots=True)
class Existing:
    """A debt already there: its ids and the values of the fields the file gives."""

    id: int
    case_id: int
    debtor_id: int
    values: tuple[Any, ...]


def new_debt_figures(row: CleanRow, today: date) -> tuple[int, int]:
    """(balance, days past due) of a new debt, as services.debt_apply_dpd sets them on a debt that has
    none yet."""
    balance = row.balance_fen
    return balance, days_past_due(row.overdue_since, today) if balance > 0 else 0


def row_values(row: CleanRow, fields: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(row, f) for f in fields)


class Debts:
    def __init__(self, *, creditor: Creditor, fields: tuple[str, ...], sealer: Sealer, today: date) -> None:
        self.creditor = creditor
        self.fields = fields  # the debt fields whose columns the file has
        self.sealer = sealer
        self.today = today
        self.touched_cases: set[int] = set()  # the cases of updated debts
        self._creditor_had_debts: bool | None = None
        self.debts = Table(Debt, NEW_DEBT_FIELDS)
        self.history = Table(BucketHistory, ("debt_id", "as_of", "dpd", "bucket"))
        self.guarantor_id = PiiColumns.of(Guarantor, "id_number")
        self.guarantor_phone = PiiColumns.of(Guarantor, "phone")
        self.guarantors = Table(
            Guarantor, ("debt_id", "name", *self.guarantor_id.fields, *self.guarantor_phone.fields)
        )
        # What a new debt's audit event lists besides the contract number and case, with the defaults
        # of the fields the import does not set.
        self._audited = [
            (name, NEW_DEBT_FIELDS.index(name) if name in NEW_DEBT_FIELDS else None)
            for name in DEBT_AUDIT_FIELDS
        ]

    def existing(self, contracts: list[str]) -> dict[str, Existing]:
        """The creditor's debts with these contract numbers."""
        if self._creditor_had_debts is None:
            # Asked at the first batch, under the import's lock on the creditor: when the creditor had
            # no debts, the only ones it can have are those this import writes, which are known here
            # (and the file has each contract once). A first large import then looks nothing up, which
            # matters on PostgreSQL: its statistics do not see the table grow inside the transaction,
            # and it would walk all of the creditor's debts for each batch.
            self._creditor_had_debts = Debt.objects.filter(creditor=self.creditor).exists()
        if not self._creditor_had_debts:
            return {}
        # Unordered: ordered by id, SQLite would walk every debt of the creditor instead of the
        # (creditor, contract no.) index.
        found = (
            Debt.objects.filter(creditor=self.creditor, contract_no__in=contracts)
            .order_by()
            .values_list("contract_no", "id", "case_id", "case__debtor_id", *self.fields)
        )
        return {c: Existing(i, case, debtor, tuple(values)) for c, i, case, debtor, *values in found}

    def create(
        self,
        rows: list[CleanRow],
        case_of_contract: dict[str, int],
        events: DebtEvents,
        moment: datetime,
    ) -> dict[str, int]:
        """New debts for the rows, each in the given case; contract no. -> new debt id."""
        today = self.today
        new: list[tuple[Any, ...]] = []
        for row in rows:
            balance, dpd = new_debt_figures(row, today)
            status = Debt.Status.OPEN.value if balance > 0 else Debt.Status.PAID.value
            new.append(
                (
                    self.creditor.pk,
                    case_of_contract[row.contract_no],
                    row.contract_no,
                    *row_values(row, ROW_FIELDS),
                    status,
                    dpd,
                    today,
                    bucket_for(dpd),
                )
            )
        ids = self.debts.insert(new)
        self.history.insert(
            [
                (debt_id, today, values[_DPD], values[_BUCKET])
                for debt_id, values in zip(ids, new, strict=True)
            ],
            returning=False,
        )
        for debt_id, values in zip(ids, new, strict=True):
            changes: dict[str, Any] = {"contract_no": values[_CONTRACT], "case": values[_CASE]}
            for name, pos in self._audited:
                changes[name] = values[pos] if pos is not None else self.debts.default(name)
            events.created(debt_id, changes, moment)
        return {row.contract_no: debt_id for row, debt_id in zip(rows, ids, strict=True)}

    def update(self, changed: list[tuple[CleanRow, Existing]], events: DebtEvents, moment: datetime) -> None:
        """Apply the file's values to existing debts, with their status, DPD and bucket history."""
        debts = Debt.objects.in_bulk([existing.id for _row, existing in changed])
        updated: list[Debt] = []
        history: list[tuple[Any, ...]] = []
        for row, existing in changed:
            debt = debts[existing.id]
            old = audit.snapshot(debt, DEBT_AUDIT_FIELDS)
            old_bucket = debt.bucket
            for name, value in zip(self.fields, row_values(row, self.fields), strict=True):
                setattr(debt, name, value)
            if debt.balance_fen > 0 and debt.status == Debt.Status.PAID:
                debt.status = Debt.Status.OPEN
            elif debt.balance_fen == 0 and debt.status == Debt.Status.OPEN:
                debt.status = Debt.Status.PAID
            debt_apply_dpd(debt, self.today)
            if debt.bucket != old_bucket:
                history.append((debt.pk, self.today, debt.dpd, debt.bucket))
            debt.updated_at = moment
            updated.append(debt)
            self.touched_cases.add(debt.case_id)
            events.updated(debt.pk, audit.diff(old, audit.snapshot(debt, DEBT_AUDIT_FIELDS)), moment)
        Debt.objects.bulk_update(
            updated, [*self.fields, "status", "dpd", "dpd_as_of", "bucket", "updated_at"], batch_size=500
        )
        self.history.insert(history, returning=False)

    def add_guarantors(self, batch: list[CleanRow], debt_ids: dict[str, int], new: set[str]) -> None:
        """The rows' guarantors that their debts do not have yet."""
        rows = [r for r in batch if r.guarantor_name and r.contract_no in debt_ids]
        if not rows:
            return
        known: set[tuple[int, str]] = set()
        existing_ids = [debt_ids[r.contract_no] for r in rows if r.contract_no not in new]
        if existing_ids:
            found = Guarantor.objects.filter(debt_id__in=existing_ids).order_by()
            for debt_id, bidx, name in found.values_list("debt_id", "id_number_bidx", "name"):
                known.add((debt_id, bidx or f"name:{name}"))
        guarantors = []
        for row in rows:
            debt_id = debt_ids[row.contract_no]
            bidx = (
                self.sealer.index(self.guarantor_id.kind, row.guarantor_id_number)
                if row.guarantor_id_number
                else ""
            )
            key = (debt_id, bidx or f"name:{row.guarantor_name}")
            if key in known:
                continue
            known.add(key)
            guarantors.append(
                (
                    debt_id,
                    row.guarantor_name,
                    *self.sealer.seal(self.guarantor_id, row.guarantor_id_number),
                    *self.sealer.seal(self.guarantor_phone, row.guarantor_phone),
                )
            )
        self.guarantors.insert(guarantors, returning=False)
