"""Legal KPIs over the proceedings of the cases a user may see.

Definitions (docs/legal-proceedings.md):
- payment-order success rate: of payment orders that were decided (withdrawn ones left out), the share
  that became effective (no objection: enforceable, whether enforcement was applied for yet or not) or
  were paid;
- days to issuance: from the application to the issue of the order; days to recovery: from the
  application (or opening) to the day a proceeding ended paid; both as medians per amount band;
- enforcement recovery rate: recovered / claimed over enforcement proceedings (all, open ones included,
  since enforcement recovers in instalments), and the share of ended ones that recovered in full;
- mediation share: of disputes that ended (suits and mediations), the share ended by a mediation
  agreement (people's or court mediation, or court mediation within a suit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any

from django.db.models import Prefetch

from qingzhai.legal.models import Proceeding, ProceedingEvent
from qingzhai.legal.outcomes import SUCCESS
from qingzhai.legal.selectors.proceedings import require
from qingzhai.portfolio.selectors import case_queryset_for_user

# Amount bands in fen: (upper bound exclusive, zh, en)
BANDS: tuple[tuple[int | None, str, str], ...] = (
    (5_000_000, "5万元以下", "under RMB 50,000"),
    (50_000_000, "5万–50万元", "RMB 50,000–500,000"),
    (500_000_000, "50万–500万元", "RMB 500,000–5 million"),
    (None, "500万元以上", "RMB 5 million and over"),
)
PO_ENDED = ("effective", "recovered", "terminated", "converted", "rejected", "dismissed")


def band_of(claim_fen: int) -> int:
    for index, (upper, _zh, _en) in enumerate(BANDS):
        if upper is None or claim_fen < upper:
            return index
    return len(BANDS) - 1


@dataclass
class BandRow:
    zh: str
    en: str
    payment_orders: int = 0
    ended: int = 0
    succeeded: int = 0
    days_to_issue: list[int] = field(default_factory=list)
    days_to_recovery: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "band_zh": self.zh,
            "band_en": self.en,
            "payment_orders": self.payment_orders,
            "ended": self.ended,
            "success_rate": _rate(self.succeeded, self.ended),
            "median_days_to_issue": _median(self.days_to_issue),
            "median_days_to_recovery": _median(self.days_to_recovery),
            "issued": len(self.days_to_issue),
            "recovered": len(self.days_to_recovery),
        }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(values: list[int]) -> float | None:
    return float(median(values)) if values else None


def _first(events: list[ProceedingEvent], *codes: str) -> Any:
    for event in events:
        if event.event in codes:
            return event.business_date
    return None


def legal_kpis(*, user: Any, creditor_id: int | None = None) -> dict[str, Any]:
    require(user)
    qs = Proceeding.objects.filter(case__in=case_queryset_for_user(user))
    if creditor_id is not None:
        qs = qs.filter(case__portfolio__creditor_id=creditor_id)
    rows = list(
        qs.only(
            "id", "kind", "state", "outcome", "claim_fen", "recovered_fen", "opened_on", "closed_on"
        ).prefetch_related(
            Prefetch(
                "events",
                queryset=ProceedingEvent.objects.only("proceeding_id", "event", "business_date").order_by(
                    "id"
                ),
            )
        )
    )
    bands = [BandRow(zh, en) for _upper, zh, en in BANDS]
    po_ended = po_success = 0
    enf_claim = enf_recovered = enf_ended = enf_full = 0
    disputes_ended = mediated = 0
    for proc in rows:
        events = list(proc.events.all())
        if proc.kind == "payment_order":
            band = bands[band_of(proc.claim_fen)]
            band.payment_orders += 1
            applied = _first(events, "applied")
            issued = _first(events, "issued")
            if applied and issued:
                band.days_to_issue.append((issued - applied).days)
            # An order that became effective has succeeded, whether or not enforcement was applied for yet.
            if proc.outcome in PO_ENDED or proc.state == "effective":
                band.ended += 1
                po_ended += 1
                if proc.outcome in SUCCESS["payment_order"] or proc.state == "effective":
                    band.succeeded += 1
                    po_success += 1
        if proc.outcome == "recovered" and proc.closed_on and proc.kind != "demand":
            start = _first(events, "applied", "filed") or proc.opened_on
            bands[band_of(proc.claim_fen)].days_to_recovery.append((proc.closed_on - start).days)
        if proc.kind == "enforcement":
            enf_claim += proc.claim_fen
            enf_recovered += min(proc.recovered_fen, proc.claim_fen)
            if proc.outcome and proc.outcome != "withdrawn":
                enf_ended += 1
                enf_full += proc.outcome == "recovered"
        if proc.kind in ("suit", "mediation") and proc.outcome and proc.outcome != "withdrawn":
            disputes_ended += 1
            if (proc.kind == "mediation" and proc.outcome in SUCCESS["mediation"]) or (
                proc.kind == "suit" and any(e.event == "mediated" for e in events)
            ):
                mediated += 1
    return {
        "proceedings": len(rows),
        "payment_order": {
            "ended": po_ended,
            "succeeded": po_success,
            "success_rate": _rate(po_success, po_ended),
        },
        "bands": [band.as_dict() for band in bands],
        "enforcement": {
            "claimed_fen": enf_claim,
            "recovered_fen": enf_recovered,
            "recovery_rate": _rate(enf_recovered, enf_claim),
            "ended": enf_ended,
            "recovered_in_full": enf_full,
        },
        "mediation": {
            "disputes_ended": disputes_ended,
            "mediated": mediated,
            "share": _rate(mediated, disputes_ended),
        },
    }
