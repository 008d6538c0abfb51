"""Debtor profile data: uploaded sources, the normalised transactions and registry records they hold.

Transactions and records are rebuilt from sources, never edited: a source is ingested once (by its
SHA-256 per debtor), and purged whole when its retention date passes (unless a legal hold stands).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from qingzhai.portfolio.models import Debtor

User = settings.AUTH_USER_MODEL


class SourceFile(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        PARSING = "parsing", "parsing"
        DONE = "done", "done"
        FAILED = "failed", "failed"
        PURGED = "purged", "purged"

    class Basis(models.TextChoices):
        CONTRACT = "contract", "contract"
        COURT_ORDER = "court_order", "court_order"
        CONSENT = "consent", "consent"
        LEGAL_DUTY = "legal_duty", "legal_duty"

    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="profile_sources")
    # "txns" for bills and statements, else a record kind (business, property, court ...)
    kind = models.CharField(max_length=20)
    source = models.CharField(max_length=40, blank=True, default="")  # parser key, or "" = detect
    layout = models.CharField(max_length=40, blank=True, default="")
    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, blank=True, default="")  # encrypted copy, relative
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    basis = models.CharField(max_length=12, choices=Basis.choices)
    purposes = models.JSONField(default=list)  # the purposes this basis covers (purposes.coverage)
    basis_reference = models.CharField(max_length=200, blank=True, default="")  # clause, order no.
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    rows = models.IntegerField(default=0)
    rows_done = models.IntegerField(default=0)
    imported = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0)
    error_count = models.IntegerField(default=0)
    errors = models.JSONField(default=list)  # the first MAX_ERRORS_STORED row errors
    failure = models.JSONField(default=dict, blank=True)  # {code, message, message_en} when FAILED
    meta = models.JSONField(default=dict, blank=True)
    period_from = models.DateTimeField(null=True, blank=True)
    period_to = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateField(db_index=True)
    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = models.CharField(max_length=200, blank=True, default="")
    purged_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["debtor", "sha256"],
                condition=~Q(status="purged"),
                name="uniq_profile_source_per_debtor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.source or '?'} #{self.pk} ({self.original_name})"


class Transaction(models.Model):
    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="profile_txns")
    source_file = models.ForeignKey(SourceFile, on_delete=models.CASCADE, related_name="txns")
    row = models.IntegerField()
    source = models.CharField(max_length=40)
    time = models.DateTimeField()
    amount_fen = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="CNY")
    side = models.CharField(max_length=8, blank=True, default="")
    direction = models.CharField(max_length=8)
    nature = models.CharField(max_length=14)
    counterparty = models.CharField(max_length=200, blank=True, default="")
    category = models.CharField(max_length=100, blank=True, default="")
    channel = models.CharField(max_length=100, blank=True, default="")
    memo = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=60, blank=True, default="")
    ref = models.CharField(max_length=100, blank=True, default="")
    refund_of = models.CharField(max_length=100, blank=True, default="")
    refunded_fen = models.BigIntegerField(default=0)
    account = models.CharField(max_length=40, blank=True, default="")
    balance_fen = models.BigIntegerField(null=True, blank=True)
    # sha256 of (source, ref) or of the row's content when the source has no id: the same transaction
    # from two overlapping exports is stored once.
    dedupe_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["time", "id"]
        constraints = [models.UniqueConstraint(fields=["debtor", "dedupe_key"], name="uniq_profile_txn")]
        indexes = [models.Index(fields=["debtor", "time"], name="profile_txn_debtor_time")]


class Record(models.Model):
    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="profile_records")
    source_file = models.ForeignKey(SourceFile, on_delete=models.CASCADE, related_name="records")
    row = models.IntegerField()
    kind = models.CharField(max_length=20)
    data = models.JSONField()  # the record's fields, JSON-ready (dates ISO, money int fen)
    effective_on = models.DateField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["kind", "effective_on", "id"]
        constraints = [models.UniqueConstraint(fields=["debtor", "dedupe_key"], name="uniq_profile_record")]
        indexes = [models.Index(fields=["debtor", "kind"], name="profile_record_debtor_kind")]
