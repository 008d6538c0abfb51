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
