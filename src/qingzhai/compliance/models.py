"""Compliance records: policy choice per creditor, debtor protections, disputes, every gate decision, the
dishonest-debtor list and its matches, screened utterances and the alerts they raise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from qingzhai.core import pii
from qingzhai.portfolio.models import Activity, Case, ContactPoint, Creditor, Debtor

User = settings.AUTH_USER_MODEL


class CreditorPolicy(models.Model):
    """The policy pack a creditor's cases follow, with the creditor's stricter parameters."""

    creditor = models.OneToOneField(Creditor, on_delete=models.CASCADE, related_name="compliance_policy")
    pack = models.CharField(max_length=20, default="cn")
    overrides = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()


@pii.register(lawyer_phone="phone")
class DebtorProtection(models.Model):
    """Facts about a debtor that restrict contact. No row means no restriction beyond the pack's defaults."""

    debtor = models.OneToOneField(Debtor, on_delete=models.CASCADE, related_name="protection")
    bankrupt = models.BooleanField(default=False)
    deceased = models.BooleanField(default=False)
    minor = models.BooleanField(default=False)
    incapacitated = models.BooleanField(default=False)
    time_barred = models.BooleanField(default=False)
    hardship_until = models.DateField(null=True, blank=True)
    unreachable = models.BooleanField(default=False)
    guarantor_contact_allowed = models.BooleanField(default=True)
    lawyer_represented = models.BooleanField(default=False)
    lawyer_name = models.CharField(max_length=100, blank=True, default="")
    lawyer_phone_enc = pii.enc_field()
    lawyer_phone_masked = pii.masked_field()
    lawyer_phone_bidx = pii.bidx_field()
    opted_out = models.JSONField(default=list, blank=True)  # channel codes
    agreed_windows = models.JSONField(default=list, blank=True)  # [{start, end, on?, weekdays?}]
    initial_communication_at = models.DateTimeField(null=True, blank=True)
    validation_notice_sent_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()


class Dispute(models.Model):
    """The debtor disputes the debt: contact that presses for payment is frozen until it is resolved."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disputes")
    reason = models.TextField()
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolution = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["case", "resolved_at"], name="dispute_case_open_idx")]


class ContactDecision(models.Model):
    """One answer of the contact gate, allowed or denied, with what it was based on (to re-explain it)."""

    class Source(models.TextChoices):
        WEB = "web", "web"
        API = "api", "api"
        BOT = "bot", "bot"
        CAMPAIGN = "campaign", "campaign"
        CLI = "cli", "cli"
        SYSTEM = "system", "system"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_decisions")
    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="contact_decisions")
    channel = models.CharField(max_length=10)
    party = models.CharField(max_length=12)
    contact_point = models.ForeignKey(
        ContactPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_at = models.DateTimeField()
    decided_at = models.DateTimeField(db_index=True)
    allowed = models.BooleanField()
    pack = models.CharField(max_length=20)
    pack_version = models.CharField(max_length=40)
    hits = models.JSONField(default=list)
    requirements = models.JSONField(default=list, blank=True)
    route = models.CharField(max_length=20, blank=True, default="")
    basis = models.JSONField(default=dict)  # request, facts, overrides and history the engine saw
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    activity = models.OneToOneField(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="gate_decision"
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["allowed", "decided_at"], name="decision_allowed_idx"),
            models.Index(fields=["debtor", "planned_at"], name="decision_debtor_idx"),
        ]


class DishonestImport(models.Model):
    """One upload of the court's dishonest-debtor list (失信被执行人名单)."""

    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.IntegerField(default=0)
    added = models.IntegerField(default=0)
    unchanged = models.IntegerField(default=0)
    matched = models.IntegerField(default=0)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]


@pii.register(id_number="id_number")
class DishonestEntry(models.Model):
    """A person or an enterprise on the list, found by the blind index of the ID number or USCC."""

    name = models.CharField(max_length=200)
    id_number_enc = pii.enc_field()
    id_number_masked = pii.masked_field()
    id_number_bidx = pii.bidx_field()
    case_number = models.CharField(max_length=100)
    court = models.CharField(max_length=200)
    listed_on = models.DateField()
    first_import = models.ForeignKey(DishonestImport, on_delete=models.PROTECT, related_name="entries")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-listed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_bidx", "case_number"], name="uniq_dishonest_entry")
        ]


class DishonestMatch(models.Model):
    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="dishonest_matches")
    entry = models.ForeignKey(DishonestEntry, on_delete=models.CASCADE, related_name="matches")
    matched_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cleared_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-matched_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["debtor", "entry"], name="uniq_dishonest_match")]
        indexes = [models.Index(fields=["debtor", "cleared_at"], name="dishonest_debtor_idx")]


class Utterance(models.Model):
    """One sentence on a case, screened as it arrived."""

    class Speaker(models.TextChoices):
        COLLECTOR = "collector", "collector"
        BOT = "bot", "bot"
        DEBTOR = "debtor", "debtor"

    class Source(models.TextChoices):
        TYPED = "typed", "typed"  # typed by a collector (chat, SMS draft, note to the debtor)
        TRANSCRIPT = "transcript", "transcript"  # speech recognised from a call
        BOT = "bot", "bot"  # about to be said or sent by a bot

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="utterances")
    speaker = models.CharField(max_length=10, choices=Speaker.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    lang = models.CharField(max_length=8, blank=True, default="")
    violations = models.JSONField(default=list, blank=True)
    blocked = models.BooleanField(default=False)  # a bot utterance that was not sent
    screener_version = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "created_at"], name="utterance_author_idx")]


class Alert(models.Model):
    """A violation said by a collector (or caught in a bot's output), for supervisors and compliance."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        ACKNOWLEDGED = "acknowledged", "acknowledged"
        COACHED = "coached", "coached"
        ESCALATED = "escalated", "escalated"
        CLOSED = "closed", "closed"

    utterance = models.OneToOneField(Utterance, on_delete=models.CASCADE, related_name="alert")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="compliance_alerts")
    collector = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(max_length=8)
    categories = models.JSONField(default=list)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=["high", "medium", "low"]), name="alert_severity_valid"
            )
        ]


class AlertAction(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(max_length=14)
    from_status = models.CharField(max_length=14)
    to_status = models.CharField(max_length=14)
    note = models.TextField(blank=True, default="")
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
