"""Creditors, portfolios, debtors, debts, cases, payments, promises, activities, imports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from qingzhai.core import pii
from qingzhai.portfolio.stages import Stage

User = settings.AUTH_USER_MODEL


class Creditor(models.Model):
    class Kind(models.TextChoices):
        BANK = "bank", "bank"
        CONSUMER_FINANCE = "consumer_finance", "consumer_finance"
        PLATFORM = "platform", "platform"
        ENTERPRISE = "enterprise", "enterprise"
        OTHER = "other", "other"

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BANK)
    # The creditor as a party in court documents (applicant / plaintiff): public registry facts.
    uscc = models.CharField(max_length=18, blank=True, default="")  # 统一社会信用代码
    legal_representative = models.CharField(max_length=100, blank=True, default="")
    address = models.CharField(max_length=300, blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CreditorViewerGrant(models.Model):
    """Which creditors a creditor_viewer user may see."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="creditor_grants")
    creditor = models.ForeignKey(Creditor, on_delete=models.CASCADE, related_name="viewer_grants")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "creditor"], name="uniq_viewer_grant")]


class Portfolio(models.Model):
    """A placement batch: the debts a creditor hands over on one date, to be worked until recall."""

    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="portfolios")
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200, blank=True, default="")
    placement_date = models.DateField()
    recall_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-placement_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["creditor", "code"], name="uniq_portfolio_code"),
            models.CheckConstraint(
                condition=Q(recall_date__isnull=True) | Q(recall_date__gte=models.F("placement_date")),
                name="portfolio_recall_after_placement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.creditor.name} / {self.code}"


@pii.register(id_number="id_number", home_address="address", work_address="address")
class Debtor(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "person"
        ENTERPRISE = "enterprise", "enterprise"

    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="debtors")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(max_length=200, db_index=True)
    id_number_enc = pii.enc_field()
    id_number_masked = pii.masked_field()
    id_number_bidx = pii.bidx_field()
    home_address_enc = pii.enc_field()
    home_address_masked = pii.masked_field()
    work_address_enc = pii.enc_field()
    work_address_masked = pii.masked_field()
    employer = models.CharField(max_length=200, blank=True, default="")
    # An enterprise debtor's legal representative (法定代表人), named in court documents; its USCC is id_number.
    legal_representative = models.CharField(max_length=100, blank=True, default="")
    timezone = models.CharField(max_length=40, default="Asia/Shanghai")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["creditor", "id_number_bidx"],
                condition=~Q(id_number_bidx=""),
                name="uniq_debtor_id_per_creditor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_number_masked})"


@pii.register(value="phone")
class ContactPoint(models.Model):
    """A phone number of the debtor or of someone the debtor named (emergency contact)."""

    class Party(models.TextChoices):
        DEBTOR = "debtor", "debtor"
        EMERGENCY = "emergency", "emergency"

    class Status(models.TextChoices):
        VALID = "valid", "valid"
        WRONG_NUMBER = "wrong_number", "wrong_number"
        REFUSED = "refused", "refused"

    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="contact_points")
    party = models.CharField(max_length=12, choices=Party.choices, default=Party.DEBTOR)
    name = models.CharField(max_length=100, blank=True, default="")
    relation = models.CharField(max_length=40, blank=True, default="")
    value_enc = pii.enc_field()
    value_masked = pii.masked_field()
    value_bidx = pii.bidx_field()
    consent = models.BooleanField(default=False)
    is_primary = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VALID)

    class Meta:
        ordering = ["-is_primary", "id"]


@pii.register(account="account")
class BankAccount(models.Model):
    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="bank_accounts")
    bank_name = models.CharField(max_length=100, blank=True, default="")
    account_enc = pii.enc_field()
    account_masked = pii.masked_field()
    account_bidx = pii.bidx_field()

    class Meta:
        ordering = ["id"]


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """One debtor in one portfolio: the unit of work."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="cases")
    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="cases")
    assigned_to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_cases"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    stage = models.CharField(
        max_length=12, choices=[(s.value, s.value) for s in Stage], default=Stage.NEW.value, db_index=True
    )
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    next_action_date = models.DateField(null=True, blank=True, db_index=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="cases")
    # Denormalised from the case's debts by the services, so queues filter and sort in one query.
    total_balance_fen = models.BigIntegerField(default=0, db_index=True)
    max_dpd = models.IntegerField(default=0)
    bucket = models.CharField(max_length=4, default="M0", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["portfolio", "debtor"], name="uniq_case_debtor")]
        indexes = [
            models.Index(fields=["assigned_to", "stage"], name="case_assignee_stage_idx"),
            models.Index(fields=["assigned_to", "next_action_date", "id"], name="case_assignee_next_idx"),
        ]

    def __str__(self) -> str:
        return f"Case #{self.pk}"


class CaseStageChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12)
    to_stage = models.CharField(max_length=12)
    business_date = models.DateField()
    reason = models.TextField()
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]


class Debt(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "open"
        PAID = "paid", "paid"
        CLOSED = "closed", "closed"

    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="debts")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="debts")
    contract_no = models.CharField(max_length=64)
    product = models.CharField(max_length=100, blank=True, default="")
    currency = models.CharField(max_length=3, default="CNY")
    original_principal_fen = models.BigIntegerField(default=0)
    principal_fen = models.BigIntegerField(default=0)
    interest_fen = models.BigIntegerField(default=0)
    penalty_fen = models.BigIntegerField(default=0)
    fee_fen = models.BigIntegerField(default=0)
    contract_date = models.DateField(null=True, blank=True)
    annual_rate = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)  # percent
    due_date = models.DateField(null=True, blank=True)
    overdue_since = models.DateField(null=True, blank=True)
    dpd = models.IntegerField(default=0)
    dpd_as_of = models.DateField(null=True, blank=True)
    bucket = models.CharField(max_length=4, default="M0")
    allocation_order = models.CharField(max_length=60, default="fee,interest,penalty,principal")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["creditor", "contract_no"], name="uniq_contract_per_creditor"),
            models.CheckConstraint(
                condition=Q(principal_fen__gte=0)
                & Q(interest_fen__gte=0)
                & Q(penalty_fen__gte=0)
                & Q(fee_fen__gte=0),
                name="debt_balances_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.contract_no

    @property
    def balance_fen(self) -> int:
        return self.principal_fen + self.interest_fen + self.penalty_fen + self.fee_fen


class Instalment(models.Model):
    debt = models.ForeignKey(Debt, on_delete=models.CASCADE, related_name="instalments")
    seq = models.PositiveIntegerField()
    due_date = models.DateField()
    amount_fen = models.BigIntegerField()
    paid_fen = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["debt", "seq"], name="uniq_instalment_seq")]


class BucketHistory(models.Model):
    """Dated DPD bucket of a debt; one row per change."""

    debt = models.ForeignKey(Debt, on_delete=models.CASCADE, related_name="bucket_history")
    as_of = models.DateField()
    dpd = models.IntegerField()
    bucket = models.CharField(max_length=4)

    class Meta:
        ordering = ["as_of", "id"]


@pii.register(id_number="id_number", phone="phone")
class Guarantor(models.Model):
    debt = models.ForeignKey(Debt, on_delete=models.CASCADE, related_name="guarantors")
    name = models.CharField(max_length=200)
    id_number_enc = pii.enc_field()
    id_number_masked = pii.masked_field()
    id_number_bidx = pii.bidx_field()
    phone_enc = pii.enc_field()
    phone_masked = pii.masked_field()
    phone_bidx = pii.bidx_field()
    contact_allowed = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class Payment(models.Model):
    """A payment received. Never edited: a mistake is undone by a reversal row (negative amounts)."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", "bank_transfer"
        ALIPAY = "alipay", "alipay"
        WECHAT = "wechat", "wechat"
        CASH = "cash", "cash"
        COURT = "court", "court"
        OTHER = "other", "other"

    debt = models.ForeignKey(Debt, on_delete=models.PROTECT, related_name="payments")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payments")
    amount_fen = models.BigIntegerField()
    paid_on = models.DateField()
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.BANK_TRANSFER)
    reference = models.CharField(max_length=100, blank=True, default="")
    fee_fen = models.BigIntegerField(default=0)
    interest_fen = models.BigIntegerField(default=0)
    penalty_fen = models.BigIntegerField(default=0)
    principal_fen = models.BigIntegerField(default=0)
    unapplied_fen = models.BigIntegerField(default=0)
    reversal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    note = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-paid_on", "-id"]


class PromiseToPay(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "open"
        KEPT = "kept", "kept"
        BROKEN = "broken", "broken"
        CANCELLED = "cancelled", "cancelled"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="promises")
    amount_fen = models.BigIntegerField()
    due_date = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    paid_fen = models.BigIntegerField(default=0)
    note = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="promise_amount_positive")]


class Activity(models.Model):
    class Kind(models.TextChoices):
        CALL = "call", "call"
        SMS = "sms", "sms"
        LETTER = "letter", "letter"
        VISIT = "visit", "visit"
        EMAIL = "email", "email"
        BOT_CALL = "bot_call", "bot_call"
        NOTE = "note", "note"

    class Party(models.TextChoices):
        DEBTOR = "debtor", "debtor"
        GUARANTOR = "guarantor", "guarantor"
        EMERGENCY = "emergency", "emergency"
        THIRD_PARTY = "third_party", "third_party"
        LAWYER = "lawyer", "lawyer"
        NONE = "none", "none"

    class Outcome(models.TextChoices):
        NO_ANSWER = "no_answer", "no_answer"
        CONNECTED = "connected", "connected"
        PROMISE = "promise", "promise"
        DISPUTE = "dispute", "dispute"
        WRONG_NUMBER = "wrong_number", "wrong_number"
        PAID = "paid", "paid"
        REFUSED = "refused", "refused"
        LEFT_MESSAGE = "left_message", "left_message"
        DELIVERED = "delivered", "delivered"
        OTHER = "other", "other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    party = models.CharField(max_length=12, choices=Party.choices, default=Party.DEBTOR)
    contact_point = models.ForeignKey(
        ContactPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    outcome = models.CharField(max_length=14, choices=Outcome.choices, default=Outcome.OTHER)
    occurred_at = models.DateTimeField(db_index=True)
    duration_seconds = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True, default="")
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["case", "occurred_at"], name="activity_case_time_idx")]


class ImportJob(models.Model):
    """An uploaded portfolio file on its way in: validated, previewed, then imported in one transaction."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        VALIDATING = "validating", "validating"
        VALIDATED = "validated", "validated"
        IMPORTING = "importing", "importing"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="imports")
    portfolio = models.ForeignKey(
        Portfolio, null=True, blank=True, on_delete=models.PROTECT, related_name="imports"
    )
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    options = models.JSONField(default=dict, blank=True)  # mapping, skip_invalid, portfolio code/dates
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    rows = models.IntegerField(default=0)
    imported = models.IntegerField(default=0)
    updated = models.IntegerField(default=0)
    unchanged = models.IntegerField(default=0)
    error_count = models.IntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # first N errors: {row, column, code, message}
    preview = models.JSONField(default=list, blank=True)
    progress_done = models.IntegerField(default=0)
    progress_total = models.IntegerField(default=0)
    failure = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
