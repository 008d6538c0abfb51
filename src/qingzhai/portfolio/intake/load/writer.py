"""Writing batches of clean rows: each row's debt is new (created, with its debtor and case on need),
changed (updated) or unchanged; contacts, bank accounts and guarantors the database lacks are added, and
every debt written gets its audit event in the same transaction. A dry run only counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from qingzhai.core import audit
from qingzhai.core.clock import now
from qingzhai.portfolio.intake.columns import ColumnMap
from qingzhai.portfolio.intake.load.cases import Cases
from qingzhai.portfolio.intake.load.debtors import Debtors
from qingzhai.portfolio.intake.load.debts import (
    DEBT_FIELDS_FROM_COLUMNS,
    Debts,
    Existing,
    new_debt_figures,
    row_values,
)
from qingzhai.portfolio.intake.load.events import DebtEvents
from qingzhai.portfolio.intake.load.personal import Sealer
from qingzhai.portfolio.intake.results import ImportResult
from qingzhai.portfolio.intake.validate import CleanRow
from qingzhai.portfolio.models import Creditor, Portfolio


class BatchWriter:
    def __init__(
        self,
        *,
        creditor: Creditor,
        portfolio: Portfolio | None,
        portfolio_code: str,
        placement: date,
        recall: date | None,
        today: date,
        actor: Any,
        user: Any,
        label: str,
        columns: ColumnMap,
        write: bool,
        reason: str,
    ) -> None:
        self.creditor = creditor
        self.actor = actor
        self.today = today
        self.write_enabled = write
        self.reason = reason
        self.fields = tuple(f for f, col in DEBT_FIELDS_FROM_COLUMNS.items() if columns.has(col))
        self.cases = Cases(
            creditor=creditor,
            portfolio=portfolio,
            code=portfolio_code,
            placement=placement,
            recall=recall,
            actor=actor,
            reason=reason,
        )
        self.sealer = sealer = Sealer()
        self.debtors = Debtors(creditor=creditor, sealer=sealer)
        self.debts = Debts(creditor=creditor, fields=self.fields, sealer=sealer, today=today)
        self.events = DebtEvents(user=user, label=label, reason=reason)
        self.imported = self.updated = self.unchanged = 0

    def write(self, batch: list[CleanRow]) -> None:
        existing = self.debts.existing([r.contract_no for r in batch])
        new_rows = [r for r in batch if r.contract_no not in existing]
        changed: list[tuple[CleanRow, Existing]] = []
        for row in batch:
            found = existing.get(row.contract_no)
            if found is None:
                continue
            if row_values(row, self.fields) == found.values:
                self.unchanged += 1
            else:
                changed.append((row, found))
        self.imported += len(new_rows)
        self.updated += len(changed)
        if not self.write_enabled:
            return
        self.sealer.forget()
        moment = now()
        debtor_of = {contract: debt.debtor_id for contract, debt in existing.items()}
        debtor_of.update(self.debtors.ids_for(new_rows))
        self.debtors.add_contacts(batch, debtor_of)
        debt_ids = {contract: debt.id for contract, debt in existing.items()}
        if new_rows:
            per_debtor: dict[int, tuple[int, int]] = {}
            for row in new_rows:
                balance, dpd = new_debt_figures(row, self.today)
                debtor_id = debtor_of[row.contract_no]
                total, top = per_debtor.get(debtor_id, (0, 0))
                per_debtor[debtor_id] = (total + balance, max(top, dpd))
            self.cases.ensure(per_debtor)
            case_of = {r.contract_no: self.cases.case_of[debtor_of[r.contract_no]] for r in new_rows}
            debt_ids.update(self.debts.create(new_rows, case_of, self.events, moment))
        if changed:
            self.debts.update(changed, self.events, moment)
        self.debts.add_guarantors(batch, debt_ids, {r.contract_no for r in new_rows})
        self.events.write()

    def finish(self, result: ImportResult, filename: str) -> None:
        """After the last batch: the touched cases' totals, and the import's own audit event."""
        self.cases.refresh_totals(self.debts.touched_cases)
        portfolio = self.cases.portfolio
        audit.record(
            actor=self.actor,
            action="portfolio.import",
            entity=portfolio if portfolio is not None else self.creditor,
            changes={
                "file": filename,
                "rows": result.rows,
                "imported": self.imported,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "skipped": result.rows - result.valid_rows,
                "portfolio": self.cases.code,
            },
            reason=self.reason,
        )
