"""Fixtures of the evidence API, page and witness tests: the portfolio API's world of two cases (their
payments, promises and contacts recorded as evidence and sequenced), one entry without a case, and a
registered witness."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from qingzhai.core.clock import now
from qingzhai.evidence import note, record, sequencer, services
from qingzhai.evidence.models import Entry
from tests.portfolio.api.conftest import World

WITNESS_NAME = "witness.court.example"


@pytest.fixture(autouse=True)
def _artifacts_in_tmp(settings, tmp_path):
    settings.QINGZHAI_EVIDENCE_ARTIFACT_DIR = tmp_path / "artifacts"


def queue_leaves(n: int, start: int = 0, case_id: int | None = None) -> list[bytes]:
    """n leaves without artifacts (fast), queued in one transaction; their exact bytes."""
    leaves = []
    with transaction.atomic():
        for i in range(start, start + n):
            rec = record.leaf_record(
                kind="file", case_id=case_id, actor="cli", at=now(), subject=f"test:{i}", artifact=None
            )
            leaves.append(record.enqueue(rec).leaf)
    return leaves


@dataclass
class Ledger:
    world: World
    a: list[int]  # indices of case a's entries (the collector's case), oldest first
    b: list[int]  # case b's (nobody's)
    no_case: int  # an entry without a case


@pytest.fixture
def ledger(world) -> Ledger:
    """The cases' acts sequenced (one checkpoint), then a file without a case (a second checkpoint)."""
    sequencer.run()
    with transaction.atomic():
        record.act(kind="file", actor="cli", subject="file:contract.pdf", content={"name": "contract.pdf"})
    sequencer.run()

    def indices(case_id: int) -> list[int]:
        return list(Entry.objects.filter(case_id=case_id).order_by("index").values_list("index", flat=True))

    no_case = Entry.objects.filter(case_id__isnull=True, subject="file:contract.pdf").get().index
    return Ledger(world=world, a=indices(world.a.case.pk), b=indices(world.b.case.pk), no_case=no_case)


@pytest.fixture
def witness_signer(db) -> note.CosignatureSigner:
    """A witness's cosignature key, registered with the log."""
    signer = note.CosignatureSigner.generate(WITNESS_NAME)
    services.witness_add(actor="cli", vkey=signer.verifier().vkey(), description="某市中级人民法院")
    return signer
