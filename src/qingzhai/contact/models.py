"""Calls made by the collection bot on a case: the script version, the outcome and the whole transcript
(each line's emotion, intent, branch and compliance result). Written only by contact/services/."""

from __future__ import annotations

from django.conf import settings
from django.db import models

User = settings.AUTH_USER_MODEL


class BotCall(models.Model):
    case = models.ForeignKey("portfolio.Case", on_delete=models.PROTECT, related_name="bot_calls")
    contact_point = models.ForeignKey(
        "portfolio.ContactPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The gate's clearance for the call, and the activity the call was logged as.
    decision = models.ForeignKey(
        "compliance.ContactDecision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.ForeignKey(
        "portfolio.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    script_id = models.CharField(max_length=60)
    script_version = models.CharField(max_length=20)
    script_digest = models.CharField(max_length=64)
    outcome = models.CharField(max_length=20, db_index=True)
    outcome_detail = models.JSONField(default=dict)
    branches = models.JSONField(default=list)  # the branches the call went through, in order
    emotions = models.JSONField(default=list)  # the debtor's emotion on each of their turns
    transcript = models.JSONField(default=dict)
    transcript_sha256 = models.CharField(max_length=64)
    turns = models.PositiveIntegerField(default=0)
    blocked_lines = models.PositiveIntegerField(default=0)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"bot call #{self.pk} ({self.outcome})"


class Campaign(models.Model):
    """A reminder campaign: which cases, which steps (channel, template, offset), when and how fast.
    Planned and sent in chunks by id range; every message passes the compliance gate when it is sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        PLANNING = "planning", "planning"
        PLANNED = "planned", "planned"
        RUNNING = "running", "running"
        PAUSED = "paused", "paused"
        CANCELLED = "cancelled", "cancelled"
        COMPLETED = "completed", "completed"
        FAILED = "failed", "failed"

    name = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    filters = models.JSONField(default=dict)  # creditor, portfolio, stages, buckets, min_dpd, min_balance_fen
    steps = models.JSONField(default=list)  # [{channel, template_id, offset_hours, version, digest}]
    per_hour = models.JSONField(default=dict)  # channel -> messages per hour
    hotline = models.CharField(max_length=40, blank=True, default="")
    pay_by_days = models.PositiveSmallIntegerField(default=7)
    result_days = models.PositiveSmallIntegerField(default=7)  # "paid within N days" of the first message
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    cases_total = models.PositiveIntegerField(default=0)
    messages_total = models.PositiveIntegerField(default=0)
    refused_total = models.PositiveIntegerField(default=0)  # refused by the gate when planned
    plan_cursor = models.BigIntegerField(default=0)  # the last case id planned
    slot_use = models.JSONField(default=dict)  # channel -> {hour index: messages planned}, across chunks
    error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    planned_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"campaign #{self.pk} {self.name}"


class CampaignMessage(models.Model):
    """One reminder of a campaign to one recipient of one case, from plan to receipt and reply."""

    class Status(models.TextChoices):
        PLANNED = "planned", "planned"
        REFUSED = "refused", "refused"  # the gate refused it when the campaign was planned
        SENDING = "sending", "sending"
        SENT = "sent", "sent"
        DELIVERED = "delivered", "delivered"
        FAILED = "failed", "failed"
        DENIED = "denied", "denied"  # the gate refused it at the moment of sending
        CANCELLED = "cancelled", "cancelled"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    case = models.ForeignKey("portfolio.Case", on_delete=models.PROTECT, related_name="+")
    debtor_id = models.BigIntegerField(db_index=True)
    step = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=8)
    template_id = models.CharField(max_length=60)
    contact_point = models.ForeignKey(
        "portfolio.ContactPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    rules = models.JSONField(default=list, blank=True)  # the rules that refused or denied it
    subject = models.CharField(max_length=200, blank=True, default="")
    body = models.TextField(blank=True, default="")
    body_sha256 = models.CharField(max_length=64, blank=True, default="")
    idempotency_key = models.CharField(max_length=120, unique=True)
    provider_id = models.CharField(max_length=80, blank=True, default="", db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=60, blank=True, default="")
    error = models.CharField(max_length=300, blank=True, default="")
    decision = models.ForeignKey(
        "compliance.ContactDecision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.ForeignKey(
        "portfolio.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_text = models.CharField(max_length=500, blank=True, default="")
    reply_intent = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["campaign", "status", "scheduled_at"], name="campmsg_due_idx"),
            models.Index(fields=["contact_point", "sent_at"], name="campmsg_cp_idx"),
        ]

    def __str__(self) -> str:
        return f"campaign message #{self.pk} ({self.status})"
