"""What goes into the log: canonical leaf records, written to the outbox inside the caller's transaction.

A leaf is canonical JSON (sorted keys, no spaces, UTF-8) describing one act: its type, case, actor, time,
the subject row, the SHA-256 of the artifact that holds the act's content, and the artifact of the
previous version it replaces. A leaf never holds personal data; the artifact does, and stays in the
institution's store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from qingzhai.core.clock import now
from qingzhai.evidence import artifacts
from qingzhai.evidence.kinds import KINDS
from qingzhai.evidence.models import Outbox

LEAF_VERSION = 1


class RecordError(ValueError):
    pass


@dataclass(frozen=True)
class Appended:
    """An act queued for the log: its leaf bytes and artifact."""

    leaf: bytes
    artifact: artifacts.ArtifactRef | None


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def actor_label(actor: Any) -> str:
    """'user:<id>' for a person (never a name), else the system label ('system', 'cli', 'import', ...)."""
    if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) is not None:
        return f"user:{actor.pk}"
    if isinstance(actor, str) and actor:
        return actor
    return "system"


def leaf_record(
    *,
    kind: str,
    case_id: int | None,
    actor: Any,
    at: datetime,
    subject: str,
    artifact: artifacts.ArtifactRef | None,
    prev: str | None = None,
) -> dict[str, Any]:
    if kind not in KINDS:
        raise RecordError(f"unknown evidence type {kind!r}; known: {', '.join(sorted(KINDS))}")
    return {
        "v": LEAF_VERSION,
        "type": kind,
        "case": case_id,
        "actor": actor_label(actor),
        "time": iso_utc(at),
        "subject": subject,
        "artifact": artifact.as_record() if artifact else None,
        "prev": prev,
    }


def _after_commit() -> None:
    from qingzhai.evidence import tasks

    tasks.sequence_soon()


def enqueue(record: dict[str, Any]) -> Appended:
    """Queue one leaf record; must run inside the transaction of the act it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("evidence must be recorded inside the transaction of the act it records")
    leaf = canonical(record)
    artifact = record.get("artifact") or {}
    connection = transaction.get_connection()
    with connection.cursor() as cursor:  # one plain INSERT: this runs once per act, on every write path
        cursor.execute(
            f"INSERT INTO {Outbox._meta.db_table} (leaf, kind, case_id, subject, artifact_sha256, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                leaf,
                record["type"],
                record.get("case"),
                str(record.get("subject") or "")[:100],
                str(artifact.get("sha256", "")),
                connection.ops.adapt_datetimefield_value(now()),
            ],
        )
    if not any(entry[1] is _after_commit for entry in connection.run_on_commit):
        transaction.on_commit(_after_commit)
    return Appended(leaf=leaf, artifact=None)


def previous(subject: str) -> str | None:
    """The artifact SHA-256 of the latest recorded version of a subject (queued or in the log)."""
    from qingzhai.evidence.models import Entry

    queued = (
        Outbox.objects.filter(subject=subject)
        .order_by("-id")
        .values_list("artifact_sha256", flat=True)
        .first()
    )
    if queued:
        return queued
    return (
        Entry.objects.filter(subject=subject)
        .order_by("-index")
        .values_list("artifact_sha256", flat=True)
        .first()
    )


def act(
    *,
    kind: str,
    actor: Any,
    subject: str,
    content: dict[str, Any] | None = None,
    case_id: int | None = None,
    at: datetime | None = None,
    prev: str | None = None,
) -> Appended:
    """Record an act whose content is a JSON document (stored as the artifact) and queue its leaf."""
    at = at or now()
    document = {"type": kind, "subject": subject, "case": case_id, "time": iso_utc(at), **(content or {})}
    ref = artifacts.put(canonical(document), "application/json")
    appended = enqueue(
        leaf_record(kind=kind, case_id=case_id, actor=actor, at=at, subject=subject, artifact=ref, prev=prev)
    )
    return Appended(leaf=appended.leaf, artifact=ref)


def file(
    *,
    kind: str,
    actor: Any,
    data: bytes,
    media_type: str,
    subject: str = "",
    case_id: int | None = None,
    at: datetime | None = None,
    prev: str | None = None,
) -> Appended:
    """Record a file (recording, PDF, letter, receipt): store it by its hash and queue its leaf."""
    at = at or now()
    ref = artifacts.put(data, media_type)
    appended = enqueue(
        leaf_record(kind=kind, case_id=case_id, actor=actor, at=at, subject=subject, artifact=ref, prev=prev)
    )
    return Appended(leaf=appended.leaf, artifact=ref)
