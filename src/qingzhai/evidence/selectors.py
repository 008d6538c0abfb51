"""Reads of the ledger: checkpoints, leaves, proofs, a case's entries and the auditor's summary."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet

from qingzhai.accounts import roles
from qingzhai.compliance.access import require
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.evidence import note, sequencer, tree
from qingzhai.evidence.models import Checkpoint, Cosignature, Entry, Outbox, Verification, Witness
from qingzhai.evidence.tlog_proof import TlogProof, format_tlog_proof


@dataclass(frozen=True)
class Inclusion:
    index: int
    size: int
    leaf_hash: bytes
    proof: list[bytes]
    checkpoint: str

    def as_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "size": self.size,
            "leaf_hash": self.leaf_hash.hex(),
            "proof": [base64.b64encode(h).decode() for h in self.proof],
            "checkpoint": self.checkpoint,
        }

    def tlog_proof(self) -> str:
        return format_tlog_proof(
            TlogProof(index=self.index, proof=tuple(self.proof), checkpoint=self.checkpoint)
        )


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def cosigned_note(checkpoint: Checkpoint) -> str:
    """The checkpoint note with every witness cosignature received for it."""
    lines = list(
        Cosignature.objects.filter(checkpoint=checkpoint).order_by("id").values_list("line", flat=True)
    )
    if not lines:
        return checkpoint.note
    parsed = note.parse(checkpoint.note)
    extra = [note.parse(f"{parsed.text}\n{line}\n").signatures[0] for line in lines]
    return note.add_signatures(checkpoint.note, *extra)


def checkpoint_for_size(size: int | None) -> Checkpoint:
    if size is None:
        latest = latest_checkpoint()
        if latest is None:
            raise DomainError(
                "log_empty", "证据日志还没有检查点", "The evidence log has no checkpoint yet", status=404
            )
        return latest
    found = Checkpoint.objects.filter(size=size).first()
    if found is None:
        raise DomainError(
            "no_checkpoint",
            "没有该大小的已签名检查点：{size}",
            "No signed checkpoint has size {size}",
            fields={"size": [str(size)]},
            status=404,
            size=size,
        )
    return found


def entry_get(index: int) -> Entry:
    entry = Entry.objects.filter(index=index).first()
    if entry is None:
        raise NotFound()
    return entry


def entry_record(entry: Entry) -> dict[str, Any]:
    return dict(json.loads(bytes(entry.data)))


def inclusion(index: int, size: int | None = None) -> Inclusion:
    checkpoint = checkpoint_for_size(size)
    if not 0 <= index < checkpoint.size:
        raise DomainError(
            "index_out_of_range",
            "索引 {index} 不在大小为 {size} 的日志内",
            "Index {index} is not in the log of size {size}",
            fields={"index": [str(index)]},
            status=404,
            index=index,
            size=checkpoint.size,
        )
    entry = entry_get(index)
    return Inclusion(
        index=index,
        size=checkpoint.size,
        leaf_hash=bytes(entry.leaf_hash),
        proof=tree.inclusion_proof(index, checkpoint.size),
        checkpoint=cosigned_note(checkpoint),
    )


def consistency(old: int, new: int) -> list[bytes]:
    size = sequencer.stored_size()
    if not 0 <= old <= new <= size:
        raise DomainError(
            "bad_sizes",
            "需要 0 ≤ 旧大小 ≤ 新大小 ≤ {size}",
            "Need 0 ≤ old ≤ new ≤ {size}",
            fields={"old": [str(old)], "new": [str(new)]},
            size=size,
        )
    return tree.consistency_proof(old, new)


def case_entries(*, user: Any, case_id: int) -> QuerySet[Entry]:
    """A case's entries, newest first, for a user who may see the case and its evidence."""
    from qingzhai.portfolio.selectors import case_get_for_user

    require(user, roles.EVIDENCE_VIEW)
    case_get_for_user(user=user, case_id=case_id)
    return Entry.objects.filter(case_id=case_id).order_by("-index")


def case_pending(*, case_id: int) -> int:
    return Outbox.objects.filter(case_id=case_id).count()


@dataclass(frozen=True)
class WitnessStatus:
    witness: Witness
    latest_size: int | None
    cosignatures: int


def witnesses() -> list[WitnessStatus]:
    stats = {
        row["witness_id"]: row
        for row in Cosignature.objects.values("witness_id").annotate(n=Count("id"), top=Max("checkpoint_id"))
    }
    return [
        WitnessStatus(w, stats.get(w.pk, {}).get("top"), stats.get(w.pk, {}).get("n", 0))
        for w in Witness.objects.order_by("name")
    ]


def summary() -> dict[str, Any]:
    latest = latest_checkpoint()
    return {
        "size": sequencer.stored_size(),
        "pending": Outbox.objects.count(),
        "checkpoint": latest,
        "checkpoint_note": cosigned_note(latest) if latest else "",
        "witnesses": witnesses(),
        "last_verification": Verification.objects.order_by("-id").first(),
        "last_full_verification": Verification.objects.filter(full=True).order_by("-id").first(),
    }
