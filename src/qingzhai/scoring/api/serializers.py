"""Scoring API input and output shapes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from qingzhai.portfolio.api.common import (
    DateInputField,
    IdField,
)
from qingzhai.scoring.models import CaseScore, DriftCheck, ScoringModel, ScoringRun


class ModelQuery(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=80, help_text="Only this model family")


class ModelOut(serializers.ModelSerializer):
    auc = serializers.SerializerMethodField(help_text="Held-out AUC; null when not measured")

    class Meta:
        model = ScoringModel
        fields = [
            "id",
            "name",
            "version",
            "kind",
            "status",
            "label_code",
            "auc",
            "n_train",
            "n_test",
            "created_at",
            "promoted_at",
        ]

    def get_auc(self, obj: ScoringModel) -> float | None:
        value = (obj.metrics or {}).get("auc")
        return float(value) if isinstance(value, int | float) else None


class ModelDetailOut(serializers.ModelSerializer):
    class Meta:
        model = ScoringModel
        fields = [
            "id",
            "name",
            "version",
            "kind",
            "status",
            "label_code",
            "label",
            "feature_source",
            "metrics",
            "payload_sha256",
            "n_train",
            "n_test",
            "note",
            "created_by",
            "created_at",
            "promoted_by",
            "promoted_at",
        ]


class CardOut(serializers.Serializer):
    model = serializers.DictField(help_text="name, version, kind, trained_at, seed, threshold, scaling")
    label = serializers.DictField(  # type: ignore[assignment]
        help_text="The label definition: code, name_zh/en, description_zh/en"
    )
    data = serializers.DictField(  # type: ignore[assignment]
        required=False, help_text="Rows, split, features and dropped columns"
    )
    metrics = serializers.DictField(required=False, help_text="Held-out metrics: auc, ks, gini, ...")
    validation = serializers.DictField(required=False)
    calibration = serializers.ListField(child=serializers.DictField(), required=False)
    importance = serializers.ListField(child=serializers.DictField(), required=False)
    fairness = serializers.DictField(required=False)
    scorecard_table = serializers.ListField(child=serializers.DictField(), required=False)


class PromoteIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Why this model becomes the champion (audited)")


class RunIn(serializers.Serializer):
    model_id = IdField(required=False, help_text="Default: the champion")
    portfolio_id = IdField(required=False, help_text="Only this portfolio's cases")
    case_ids = serializers.ListField(child=IdField(), required=False, max_length=100_000, allow_empty=False)
    as_of = DateInputField(required=False, help_text="Default: today")


class RunOut(serializers.ModelSerializer):
    model_id = serializers.IntegerField()
    progress = serializers.SerializerMethodField(help_text="Share of the cases done, 0..1")

    class Meta:
        model = ScoringRun
        fields = [
            "id",
            "model_id",
            "status",
            "scope",
            "as_of",
            "total",
            "chunks",
            "chunks_done",
            "scored",
            "failed",
            "progress",
            "failure",
            "created_at",
            "finished_at",
        ]

    def get_progress(self, obj: ScoringRun) -> float:
        if not obj.total:
            return 1.0 if obj.status == ScoringRun.Status.DONE else 0.0
        return round(min(1.0, (obj.scored + obj.failed) / obj.total), 4)


class ReasonOut(serializers.Serializer):
    feature = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    points = serializers.FloatField(help_text="Effect on the score; negative lowers it")
    text_zh = serializers.CharField()
    text_en = serializers.CharField()
    text = serializers.CharField(help_text="The sentence in the request's language")


class ModelRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    version = serializers.IntegerField()
    kind = serializers.CharField()


class CaseScoreOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    model = ModelRefOut()
    run_id = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateField()
    probability = serializers.FloatField(help_text="P(label == 1), the label the model was trained on")
    points = serializers.IntegerField()
    band = serializers.CharField(help_text="A (best) .. E; empty when the model has no bands")
    reasons = ReasonOut(many=True)
    created_at = serializers.DateTimeField()


class CaseScoreIn(serializers.Serializer):
    model_id = IdField(required=False, help_text="Default: the champion")


class DriftQuery(serializers.Serializer):
    model = IdField(required=False, help_text="Only this model's checks")


class DriftOut(serializers.ModelSerializer):
    model_id = serializers.IntegerField()
    acknowledged_by_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = DriftCheck
        fields = [
            "id",
            "model_id",
            "month",
            "n",
            "score_psi",
            "feature_psi",
            "level",
            "detail",
            "created_at",
            "acknowledged_at",
            "acknowledged_by_id",
            "acknowledged_note",
        ]


class DriftAckIn(serializers.Serializer):
    note = serializers.CharField(max_length=1000, help_text="What was checked or done (audited)")


def score_data(score: CaseScore) -> dict[str, Any]:
    from qingzhai.core.i18n import bi

    reasons = [
        {
            "feature": str(r.get("feature", "")),
            "value": r.get("value"),
            "points": float(r.get("points") or 0),
            "text_zh": str(r.get("text_zh", "")),
            "text_en": str(r.get("text_en", "")),
            "text": bi(str(r.get("text_zh", "")), str(r.get("text_en", ""))),
        }
        for r in score.reasons or []
    ]
    m = score.model
    return {
        "id": score.pk,
        "case_id": score.case_id,
        "model": {"id": m.pk, "name": m.name, "version": m.version, "kind": m.kind},
        "run_id": score.run_id,
        "as_of": score.as_of,
        "probability": score.probability,
        "points": score.points,
        "band": score.band,
        "reasons": reasons,
        "created_at": score.created_at,
    }
