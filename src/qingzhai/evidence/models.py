"""Tables of the evidence ledger.

Entries, nodes, checkpoints, cosignatures, timestamps and artifacts are append-only: database triggers
refuse UPDATE and DELETE (migration 0002). Only the outbox is a queue: producers insert into it inside
their own transaction, and the sequencer deletes what it has appended in the same transaction that
stores the new leaves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

NODE_LEVEL_SHIFT = 56  # Node.key = level << 56 | index


def node_key(level: int, index: int) -> int:
    return (level << NODE_LEVEL_SHIFT) | index


class Outbox(models.Model):
    """A leaf waiting for the sequencer; written in the same transaction as the act it records."""

    id = models.BigAutoField(primary_key=True)
    leaf = models.BinaryField()
    kind = models.CharField(max_length=32)
    case_id = models.BigIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=100, blank=True, default="")
    artifact_sha256 = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        db_table = "evidence_outbox"
        indexes = [models.Index(fields=["subject"], name="evidence_outbox_subject_idx")]


class Entry(models.Model):
    """Leaf `index` of the log: the exact leaf bytes (canonical JSON) and their RFC 6962 leaf hash."""

    index = models.BigIntegerField(primary_key=True)
    leaf_hash = models.BinaryField()
    data = models.BinaryField()
    kind = models.CharField(max_length=32)
    case_id = models.BigIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=100, blank=True, default="")
    artifact_sha256 = models.CharField(max_length=64, blank=True, default="")
    sequenced_at = models.DateTimeField()

    class Meta:
        db_table = "evidence_entry"
        indexes = [
            models.Index(fields=["case_id", "index"], name="evidence_entry_case_idx"),
            models.Index(fields=["kind", "index"], name="evidence_entry_kind_idx"),
            models.Index(fields=["artifact_sha256"], name="evidence_entry_artifact_idx"),
            models.Index(fields=["subject", "index"], name="evidence_entry_subject_idx"),
            models.Index(fields=["leaf_hash"], name="evidence_entry_leafhash_idx"),
        ]


class Node(models.Model):
    """The hash of a complete subtree of 2**level leaves starting at leaf index << level (level >= 1)."""

    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField()

    class Meta:
        db_table = "evidence_node"


class Checkpoint(models.Model):
    """A signed c2sp.org/tlog-checkpoint note, one per published tree size."""

    size = models.BigIntegerField(primary_key=True)
    root = models.BinaryField()
    note = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        db_table = "evidence_checkpoint"
        ordering = ["-size"]


class Witness(models.Model):
    """An institution or court-chain connector whose cosignatures on checkpoints the log accepts."""

    name = models.CharField(max_length=200, unique=True)
    vkey = models.TextField()
    description = models.CharField(max_length=300, blank=True, default="")
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        db_table = "evidence_witness"
        ordering = ["name"]


class Cosignature(models.Model):
    """A witness's c2sp.org/tlog-cosignature on one checkpoint (the signature line as received)."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="cosignatures")
    line = models.TextField()
    signed_at = models.DateTimeField()
    received_at = models.DateTimeField()

    class Meta:
        db_table = "evidence_cosignature"
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness"], name="evidence_cosig_once"),
        ]


class Timestamp(models.Model):
    """An RFC 3161 time-stamp token over the bytes of a checkpoint note's text."""

    checkpoint = models.OneToOneField(Checkpoint, on_delete=models.PROTECT, related_name="timestamp")
    token = models.BinaryField()
    tsa_url = models.CharField(max_length=500)
    gen_time = models.DateTimeField()
    received_at = models.DateTimeField()

    class Meta:
        db_table = "evidence_timestamp"


class Artifact(models.Model):
    """A stored file (recording, PDF, act record), addressed by the SHA-256 of its bytes."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100)
    stored_at = models.DateTimeField()

    class Meta:
        db_table = "evidence_artifact"


class Verification(models.Model):
    """One run of the log verification, with its result (kept for the auditor page)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    full = models.BooleanField(default=False)
    size = models.BigIntegerField()
    checkpoint_size = models.BigIntegerField(null=True, blank=True)
    ok = models.BooleanField()
    first_bad_index = models.BigIntegerField(null=True, blank=True)
    problem = models.TextField(blank=True, default="")
    actor_label = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        db_table = "evidence_verification"
        ordering = ["-id"]
