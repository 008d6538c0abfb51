"""Model registry, case scores, batch scoring runs and drift checks.

A model's whole artifact (engine payload: metadata, binning tables or booster text, baseline for PSI)
lives in the row, so every worker and web process scores with exactly the version the registry names.
Scores are appended, never edited: a case's current score is its latest row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from qingzhai.portfolio.models import Case

User = settings.AUTH_USER_MODEL


class ScoringModel(models.Model):
    class Kind(models.TextChoices):
        SCORECARD = "scorecard", "scorecard"
        GBM = "gbm", "gbm"

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "candidate"
        CHAMPION = "champion", "champion"
        RETIRED = "retired", "retired"

    name = models.CharField(max_length=80)  # the model family, e.g. "repayment"; versions count up within it
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CANDIDATE, db_index=True)
    label_code = models.CharField(max_length=60)
    label = models.JSONField(default=dict)  # LabelDefinition.as_dict()
    feature_source = models.CharField(max_length=12, default="indicators")  # "indicators" | "csv"
    metrics = models.JSONField(default=dict)  # held-out metrics
    card = models.JSONField(default=dict)  # engine.card.card(model)
    payload = models.JSONField(default=dict)  # engine TrainedModel.to_payload()
    payload_sha256 = models.CharField(max_length=64)
    n_train = models.IntegerField(default=0)
    n_test = models.IntegerField(default=0)
    note = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    promoted_at = models.DateTimeField(null=True, blank=True)
    promoted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="uniq_scoring_model_version"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(status="champion"), name="one_champion_per_scoring_model"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ScoringRun(models.Model):
    """One batch scoring of many cases with one model; chunks report progress with F() updates."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    model = models.ForeignKey(ScoringModel, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    scope = models.JSONField(default=dict)  # {"portfolio": id} | {"case_ids": [...]} | {}
    as_of = models.DateField()
    total = models.IntegerField(default=0)
    chunks = models.IntegerField(default=0)
    chunks_done = models.IntegerField(default=0)
    done_chunks = models.JSONField(
        default=list, blank=True
    )  # ["lo-hi", ...]: a chunk delivered twice counts once
    scored = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)
    failure = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class CaseScore(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="scores")
    model = models.ForeignKey(ScoringModel, on_delete=models.PROTECT, related_name="scores")
    run = models.ForeignKey(
        ScoringRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="scores"
    )
    as_of = models.DateField()
    probability = models.FloatField()
    points = models.IntegerField()
    band = models.CharField(max_length=2, default="")  # A (best) .. E, from the model's score bands
    reasons = models.JSONField(default=list)  # [Reason.as_dict()], most influential first
    features = models.JSONField(default=dict)  # the inputs used, for audit and drift
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="casescore_case_latest_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "case"], condition=Q(run__isnull=False), name="uniq_score_per_run"
            )
        ]


class DriftCheck(models.Model):
    """PSI of one month's scored population against the model's training baseline."""

    class Level(models.TextChoices):
        OK = "ok", "ok"
        WATCH = "watch", "watch"  # 0.10 <= PSI < 0.25
        ALERT = "alert", "alert"  # PSI >= 0.25

    model = models.ForeignKey(ScoringModel, on_delete=models.CASCADE, related_name="drift_checks")
    month = models.DateField()  # first day of the month checked
    n = models.IntegerField(default=0)
    score_psi = models.FloatField(null=True, blank=True)
    feature_psi = models.JSONField(default=dict)  # {feature: psi}
    level = models.CharField(max_length=6, choices=Level.choices, default=Level.OK)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [models.UniqueConstraint(fields=["model", "month"], name="uniq_drift_check_month")]
