"""The audit events of an import's debts, written as plain rows in the import's transaction: one
`debt.import` per new debt (every audited field, None -> value) and one `debt.import_update` per changed
debt (old -> new). They carry what core.audit.record would: actor, label, time, reason, source."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from qingzhai.core.audit import plain
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio.intake.load.sql import Table

SOURCE = "import"
ENTITY_TYPE = "portfolio.debt"


class DebtEvents:
    """Collects the events of one batch; write() inserts them."""

    def __init__(self, *, user: Any, label: str, reason: str) -> None:
        self.user_id = getattr(user, "pk", None)
        self.label = label
        self.reason = reason
        self.table = Table(
            AuditEvent,
            (
                "occurred_at",
                "actor_id",
                "actor_label",
                "action",
                "entity_type",
                "entity_id",
                "changes",
                "reason",
                "source",
            ),
        )
        self.rows: list[tuple[Any, ...]] = []

    def add(self, action: str, debt_id: int, changes: dict[str, Any], moment: datetime) -> None:
        self.rows.append(
            (
                moment,
                self.user_id,
                self.label,
                action,
                ENTITY_TYPE,
                str(debt_id),
                changes,
                self.reason,
                SOURCE,
            )
        )

    def created(self, debt_id: int, values: dict[str, Any], moment: datetime) -> None:
        """A new debt; `values` holds the contract number, the case and every audited field."""
        self.add("debt.import", debt_id, {k: [None, plain(v)] for k, v in values.items()}, moment)

    def updated(self, debt_id: int, changes: dict[str, list[Any]], moment: datetime) -> None:
        self.add("debt.import_update", debt_id, changes, moment)

    def write(self) -> None:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("import audit events must be written inside the import's transaction")
        self.table.insert(self.rows, returning=False)
        self.rows = []
