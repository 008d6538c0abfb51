"""Seal records that were written before the ledger existed (or imported from another system).

Each unsealed row becomes an act in the log, with the sealing time as the leaf's time and the row's own
times inside its artifact. A row is sealed once: rows whose subject already has a leaf (queued or in the
log) are skipped, so the command is safe to run again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from qingzhai.evidence import acts
from qingzhai.evidence.models import Entry, Outbox

# (kind, model label, how to reach the case id)
SOURCES: tuple[tuple[str, str, str], ...] = (
    ("activity", "portfolio.activity", "case_id"),
    ("stage_change", "portfolio.casestagechange", "case_id"),
    ("payment", "portfolio.payment", "case_id"),
    ("promise", "portfolio.promisetopay", "case_id"),
    ("compliance_decision", "compliance.contactdecision", "case_id"),
    ("utterance", "compliance.utterance", "case_id"),
)


def _sealed(subjects: list[str]) -> set[str]:
    found = set(Entry.objects.filter(subject__in=subjects).values_list("subject", flat=True))
    found |= set(Outbox.objects.filter(subject__in=subjects).values_list("subject", flat=True))
    return found


def seal(
    *, case_ids: Iterable[int] | None = None, actor: Any = "backfill", chunk: int = 500
) -> dict[str, int]:
    """Seal every unsealed row of the sources (optionally only of some cases); returns counts per kind."""
    from django.apps import apps

    wanted = None if case_ids is None else list(case_ids)
    counts: dict[str, int] = {}
    for kind, label, case_attr in SOURCES:
        model = apps.get_model(label)
        qs = model._default_manager.order_by("pk")
        if wanted is not None:
            qs = qs.filter(case_id__in=wanted)
        last = 0
        while True:
            rows = list(qs.filter(pk__gt=last)[:chunk])
            if not rows:
                break
            last = rows[-1].pk
            sealed = _sealed([acts.subject(r) for r in rows])
            with transaction.atomic():
                for obj in rows:
                    if acts.subject(obj) in sealed:
                        continue
                    reversal = kind == "payment" and getattr(obj, "reversal_of_id", None)
                    acts.row(
                        "payment_reversal" if reversal else kind,
                        obj,
                        actor=actor,
                        case_id=getattr(obj, case_attr),
                        extra={"sealed_later": True},
                    )
                    counts[kind] = counts.get(kind, 0) + 1
    return counts
