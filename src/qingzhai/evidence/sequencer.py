"""The one sequencer: moves leaves from the outbox into the tree in batches, then signs a checkpoint.

Each batch is one transaction: it takes the sequencer lock (a PostgreSQL advisory lock; SQLite's write
lock, taken at BEGIN IMMEDIATE), appends leaves and the new complete nodes, and deletes the outbox rows
it consumed. A crash before COMMIT leaves the outbox untouched; a crash after COMMIT leaves leaves with no
checkpoint yet, and the next run publishes one. A checkpoint is only ever signed over stored leaves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from qingzhai.core.clock import now
from qingzhai.evidence import merkle, signing, tree
from qingzhai.evidence.models import Checkpoint, Entry, Node, Outbox

log = logging.getLogger(__name__)

LOCK_ID = 0x51_5A_45_56  # "QZEV"


@dataclass(frozen=True)
class Batch:
    appended: int
    size: int


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Many rows at once: COPY on PostgreSQL, executemany on SQLite."""
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def stored_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT MAX("index") FROM {Entry._meta.db_table}')
        (value,) = cursor.fetchone()
    return 0 if value is None else int(value) + 1


def append_batch(limit: int | None = None) -> Batch:
    """Append up to `limit` outbox leaves in one transaction; returns how many and the new size."""
    limit = limit or settings.QINGZHAI_EVIDENCE_BATCH
    with transaction.atomic():
        _lock()
        size = stored_size()
        rows = list(
            Outbox.objects.order_by("id").values_list(
                "id", "leaf", "kind", "case_id", "subject", "artifact_sha256"
            )[:limit]
        )
        if not rows:
            return Batch(0, size)
        stack = tree.frontier(size)
        leaves = [bytes(row[1]) for row in rows]
        hashes = [merkle.leaf_hash(leaf) for leaf in leaves]
        nodes = tree.extend(size, stack, hashes)
        at = connection.ops.adapt_datetimefield_value(now())
        _insert(
            Entry._meta.db_table,
            ("index", "leaf_hash", "data", "kind", "case_id", "subject", "artifact_sha256", "sequenced_at"),
            [
                (size + i, hashes[i], leaves[i], kind, case_id, subject, artifact_sha, at)
                for i, (_, _, kind, case_id, subject, artifact_sha) in enumerate(rows)
            ],
        )
        if nodes:
            _insert(Node._meta.db_table, ("key", "hash"), nodes)
        ids = [row[0] for row in rows]
        for start in range(0, len(ids), 500):
            Outbox.objects.filter(id__in=ids[start : start + 500]).delete()
    return Batch(len(rows), size + len(rows))


def publish_checkpoint() -> Checkpoint | None:
    """Sign a checkpoint over every stored leaf, unless the latest one already covers them."""
    with transaction.atomic():
        _lock()
        size = stored_size()
        latest = Checkpoint.objects.order_by("-size").values_list("size", flat=True).first()
        if size == 0 or (latest is not None and latest >= size):
            return None
        root = tree.root(size)
        checkpoint = Checkpoint.objects.create(
            size=size, root=root, note=signing.sign_checkpoint(size, root), created_at=now()
        )
    from qingzhai.evidence import timestamps

    timestamps.stamp_soon(checkpoint.size)
    return checkpoint


def run(max_batches: int | None = None) -> int:
    """Drain the outbox batch by batch, signing a checkpoint after each; returns leaves appended."""
    total, batches = 0, 0
    publish_checkpoint()  # a previous run may have stopped between its commit and its checkpoint
    while max_batches is None or batches < max_batches:
        batch = append_batch()
        if not batch.appended:
            break
        total, batches = total + batch.appended, batches + 1
        publish_checkpoint()
    return total
