"""The target portfolio (created on first need), one case per debtor in it, and the cases' totals (the
queue's denormalised figures, as services.case_refresh_totals computes them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import F, Max, Sum

from qingzhai.core import audit
from qingzhai.core.clock import now
from qingzhai.portfolio.buckets import bucket_for
from qingzhai.portfolio.intake.load.sql import Table, update_rows
from qingzhai.portfolio.models import Case, Creditor, Debt, Portfolio

TOTALS = ("total_balance_fen", "max_dpd", "bucket")


class Cases:
    """debtor id -> case id in the target portfolio, creating the portfolio and the cases on need."""

    def __init__(
        self,
        *,
        creditor: Creditor,
        portfolio: Portfolio | None,
        code: str,
        placement: date,
        recall: date | None,
        actor: Any,
        reason: str,
    ) -> None:
        self.creditor = creditor
        self.portfolio = portfolio
        self.portfolio_created = False
        self.code, self.placement, self.recall = code, placement, recall
        self.actor, self.reason = actor, reason
        self.case_of: dict[int, int] = {}  # debtor id -> case id
        self.totals: dict[int, tuple[int, int]] = {}  # case created here -> (total balance, max DPD)
        self.stale: set[int] = set()  # cases created here that got more debts after
        self.touched: set[int] = set()  # cases there before the import that got new debts
        self.table = Table(Case, ("portfolio_id", "debtor_id", *TOTALS))

    def target(self) -> Portfolio:
        if self.portfolio is None:
            self.portfolio = Portfolio.objects.create(
                creditor=self.creditor, code=self.code, placement_date=self.placement, recall_date=self.recall
            )
            self.portfolio_created = True
            audit.record(
                actor=self.actor,
                action="portfolio.create",
                entity=self.portfolio,
                changes={
                    "code": [None, self.code],
                    "placement_date": [None, self.placement],
                    "recall_date": [None, self.recall],
                },
                reason=self.reason,
            )
        return self.portfolio

    def ensure(self, new_debts: dict[int, tuple[int, int]]) -> None:
        """Make sure each debtor has its case in the portfolio. `new_debts`: debtor id -> (balance, highest
        days past due) of the debts about to go into its case. A case created now starts with these as its
        totals; for a case created earlier in this import they are added up here."""
        created: set[int] = set()
        missing = new_debts.keys() - self.case_of.keys()
        if missing:
            portfolio = self.target()
            if not self.portfolio_created:
                found = (
                    Case.objects.filter(portfolio=portfolio, debtor_id__in=missing)
                    .order_by()
                    .values_list("debtor_id", "id")
                )
                self.case_of.update(found)
            new = sorted(missing - self.case_of.keys())
            rows = []
            for debtor_id in new:
                total, top = new_debts[debtor_id]
                rows.append((portfolio.pk, debtor_id, total, top, bucket_for(top)))
            ids = self.table.insert(rows)
            self.case_of.update(zip(new, ids, strict=True))
            self.totals.update((case_id, new_debts[d]) for d, case_id in zip(new, ids, strict=True))
            created.update(ids)
        for debtor_id, (balance, dpd) in new_debts.items():
            case_id = self.case_of[debtor_id]
            if case_id in created:
                continue
            if case_id in self.totals:
                total, top = self.totals[case_id]
                self.totals[case_id] = (total + balance, max(top, dpd))
                self.stale.add(case_id)
            else:
                self.touched.add(case_id)

    def refresh_totals(self, touched: Iterable[int]) -> None:
        """At the end: the totals of the cases created in this import whose debts came in several batches
        (summed here), and of the given and other cases that were there before (summed by the database)."""
        stale = sorted(self.stale)
        rows = [(c, *self.totals[c], bucket_for(self.totals[c][1])) for c in stale]
        update_rows(Case, TOTALS, rows, updated_at=now())
        refresh_case_totals(self.touched.union(touched))


def refresh_case_totals(case_ids: Iterable[int], chunk: int = 500) -> None:
    """services.case_refresh_totals for many cases at once: per chunk, one query sums the cases' debts
    and one statement sets every case's total, highest days past due and bucket."""
    ids = sorted(case_ids)
    balance = F("principal_fen") + F("interest_fen") + F("penalty_fen") + F("fee_fen")
    moment = now()
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        sums = {
            case_id: (total or 0, top or 0)
            for case_id, total, top in Debt.objects.filter(case_id__in=part)
            .order_by()
            .values("case_id")
            .annotate(total=Sum(balance), top=Max("dpd"))
            .values_list("case_id", "total", "top")
        }
        rows: list[tuple[int, int, int, str]] = []
        for case_id in part:
            total, top = sums.get(case_id, (0, 0))
            rows.append((case_id, total, top, bucket_for(top)))
        update_rows(Case, TOTALS, rows, updated_at=moment)
