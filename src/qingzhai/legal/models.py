"""Legal proceedings of a case, their history and deadlines, and the court documents generated for it.

The transitions themselves live in the pure engine `legal/machines/`; `legal/services/proceedings.py` is
the only writer of these tables. History is append-only: a wrong event is corrected by a later one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

User = settings.AUTH_USER_MODEL


class Proceeding(models.Model):
    """One legal route taken for a case: a demand, a payment order, a suit, an enforcement, a mediation."""

    class Kind(models.TextChoices):
        DEMAND = "demand", "demand"
        PAYMENT_ORDER = "payment_order", "payment_order"
        SUIT = "suit", "suit"
        ENFORCEMENT = "enforcement", "enforcement"
        MEDIATION = "mediation", "mediation"

    case = models.ForeignKey("portfolio.Case", on_delete=models.PROTECT, related_name="proceedings")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    state = models.CharField(max_length=32)
    # The proceeding this one came from: a suit converted from an objected payment order, an enforcement
    # of a judgment or of an effective payment order, a suit after a failed mediation.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    court = models.CharField(max_length=200, blank=True, default="")
    court_case_no = models.CharField(max_length=80, blank=True, default="")
    claim_fen = models.BigIntegerField(default=0)
    recovered_fen = models.BigIntegerField(default=0)
    # suit: small_claims / simple / ordinary; mediation: court / people
    procedure = models.CharField(max_length=16, blank=True, default="")
    facts = models.JSONField(default=dict, blank=True)
    # Set when the proceeding reaches a terminal state (engine outcome code).
    outcome = models.CharField(max_length=32, blank=True, default="")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["case", "kind"], name="proceeding_case_kind_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(claim_fen__gte=0), name="proceeding_claim_not_negative"),
            models.CheckConstraint(
                condition=Q(recovered_fen__gte=0), name="proceeding_recovered_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"


class ProceedingEvent(models.Model):
    """One transition of a proceeding, on its business date (append-only history)."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="events")
    event = models.CharField(max_length=40)
    from_state = models.CharField(max_length=32)
    to_state = models.CharField(max_length=32)
    business_date = models.DateField()
    facts = models.JSONField(default=dict, blank=True)
    # A filing or application that interrupts the limitation period of the case's debts (CC art. 195).
    interrupts_limitation = models.BooleanField(default=False)
    note = models.TextField(blank=True, default="")
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["proceeding", "id"]

    def __str__(self) -> str:
        return f"{self.event}: {self.from_state} → {self.to_state}"


class Deadline(models.Model):
    """A date by which someone must act in a proceeding: the court (watched), the creditor or the debtor."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        MET = "met", "met"
        MISSED = "missed", "missed"
        CANCELLED = "cancelled", "cancelled"

    class Alert(models.TextChoices):
        NONE = "", "none"
        SOON = "soon", "soon"
        DUE = "due", "due"
        OVERDUE = "overdue", "overdue"

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="deadlines")
    case = models.ForeignKey("portfolio.Case", on_delete=models.PROTECT, related_name="legal_deadlines")
    code = models.CharField(max_length=40)
    label_zh = models.CharField(max_length=120)
    label_en = models.CharField(max_length=160)
    basis_zh = models.CharField(max_length=240, blank=True, default="")
    basis_en = models.CharField(max_length=300, blank=True, default="")
    party = models.CharField(max_length=12)  # court / creditor / debtor
    due_on = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    opened_by = models.ForeignKey(
        ProceedingEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="opened_deadlines"
    )
    closed_on = models.DateField(null=True, blank=True)
    alert = models.CharField(max_length=8, choices=Alert.choices, blank=True, default="")
    alerted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="deadline_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.due_on} ({self.status})"


class LegalDocument(models.Model):
    """A court document generated from case data; the file itself is an evidence artifact (by hash)."""

    class Format(models.TextChoices):
        PDF = "pdf", "pdf"
        DOCX = "docx", "docx"

    case = models.ForeignKey("portfolio.Case", on_delete=models.PROTECT, related_name="legal_documents")
    proceeding = models.ForeignKey(
        Proceeding, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=32)
    fmt = models.CharField(max_length=4, choices=Format.choices)
    title = models.CharField(max_length=120)
    filename = models.CharField(max_length=200)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    template = models.CharField(max_length=200)
    template_sha256 = models.CharField(max_length=64)
    court = models.CharField(max_length=200, blank=True, default="")
    claim_fen = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.fmt} ({self.case_id})"
