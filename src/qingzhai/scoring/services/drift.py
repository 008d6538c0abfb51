"""Monthly drift monitor: are the cases scored this month like the ones the model was trained on?

For one model and one calendar month (business time zone), the scores written that month are compared
with the model's training baseline (stored in its payload): the population stability index of the
points over the baseline's own decile edges (engine.metrics.psi, baseline sample as the expected side),
and the same for the most important features (numeric: the baseline's edges and sample; categorical:
the baseline's level shares). The level follows the score PSI: ok below 0.10, watch from 0.10, alert from
0.25. An alert is logged as a warning and written to the audit trail. Checking a month again updates its
row (the acknowledgement, if any, stays).
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from datetime import date, datetime, time
from typing import Any

import numpy as np
from django.db import transaction

from qingzhai.core import audit
from qingzhai.core.clock import business_today, business_tz, now
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.scoring.models import CaseScore, DriftCheck, ScoringModel
from qingzhai.scoring.services._common import (
    json_safe,
    month_start,
    next_month,
    previous_month,
    require_manage,
    user_or_none,
)

logger = logging.getLogger(__name__)

WATCH = 0.10
ALERT = 0.25
TOP_FEATURES = 5
EPS = 1e-4


def level_for(psi: float | None) -> str:
    if psi is None:
        return DriftCheck.Level.OK
    if psi >= ALERT:
        return DriftCheck.Level.ALERT
    if psi >= WATCH:
        return DriftCheck.Level.WATCH
    return DriftCheck.Level.OK


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    tz = business_tz()
    return (
        datetime.combine(month, time.min, tzinfo=tz),
        datetime.combine(next_month(month), time.min, tzinfo=tz),
    )


def _psi_numeric(expected: list[Any], actual: list[Any], edges: list[float]) -> float | None:
    """PSI over the baseline's edges; a missing value is its own bin on both sides."""
    from qingzhai.scoring.engine import metrics

    e = np.asarray([np.nan if v is None else v for v in expected], dtype=float)
    a = np.asarray([np.nan if v is None else v for v in actual], dtype=float)
    if not len(e) or not len(a):
        return None
    return float(metrics.psi(e, a, edges=list(edges) or None))


def _psi_shares(expected: dict[str, float], actual: list[Any]) -> float | None:
    if not actual or not expected:
        return None
    counts = Counter("None" if v is None else str(v) for v in actual)
    n = sum(counts.values())
    total = 0.0
    for level in set(expected) | set(counts):
        e = max(float(expected.get(level, 0.0)), EPS)
        a = max(counts.get(level, 0) / n, EPS)
        total += (a - e) * math.log(a / e)
    return total


def _top_features(model: ScoringModel) -> list[str]:
    ranked = [row.get("feature") for row in (model.card or {}).get("importance", [])]
    return [f for f in ranked if f][:TOP_FEATURES]


def drift_check_month(*, model_id: int, month: date) -> DriftCheck:
    """PSI of the scores `model_id` wrote in `month` (any day of it; each case's latest) against its
    training baseline."""
    model = ScoringModel.objects.filter(pk=model_id).first()
    if model is None:
        raise NotFound("模型不存在", f"No model with id {model_id}")
    month = month_start(month)
    start, end = _month_bounds(month)
    # A case scored more than once in the month counts once, with its latest score.
    latest: dict[int, tuple[int, dict[str, Any]]] = {}
    for case_id, pts, feats in (
        CaseScore.objects.filter(model=model, created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "id")
        .values_list("case_id", "points", "features")
    ):
        latest[case_id] = (pts, feats)
    scores = list(latest.values())
    baseline = (model.payload or {}).get("baseline") or {}
    points = [p for p, _ in scores]
    score_psi = (
        _psi_numeric(baseline.get("score_sample") or [], points, baseline.get("score_edges") or [])
        if points
        else None
    )
    feature_psi: dict[str, float] = {}
    for name in _top_features(model):
        spec = (baseline.get("features") or {}).get(name)
        if not spec or not scores:
            continue
        values = [(feats or {}).get(name) for _, feats in scores]
        if spec.get("type") == "categorical":
            value = _psi_shares(spec.get("shares") or {}, values)
        else:
            value = _psi_numeric(spec.get("sample") or [], values, spec.get("edges") or [])
        if value is not None:
            feature_psi[name] = round(value, 6)
    level = level_for(score_psi)
    detail = {
        "thresholds": {"watch": WATCH, "alert": ALERT},
        "window": [start.isoformat(), end.isoformat()],
        "baseline_n": len(baseline.get("score_sample") or []),
        "mean_points": round(float(np.mean(points)), 2) if points else None,
        "reason": "" if points else "no_scores",
    }
    with transaction.atomic():
        check, created = DriftCheck.objects.select_for_update().get_or_create(
            model=model, month=month, defaults={"created_at": now()}
        )
        old = {"n": check.n, "score_psi": check.score_psi, "level": check.level}
        check.n = len(points)
        check.score_psi = None if score_psi is None else round(score_psi, 6)
        check.feature_psi = json_safe(feature_psi)
        check.level = level
        check.detail = json_safe(detail)
        check.save(update_fields=["n", "score_psi", "feature_psi", "level", "detail"])
        new = {"n": check.n, "score_psi": check.score_psi, "level": check.level}
        audit.record(
            actor="task",
            action="scoring.drift_check",
            entity=check,
            changes={k: [None if created else old[k], v] for k, v in new.items()},
        )
        if level == DriftCheck.Level.ALERT:
            logger.warning(
                "scoring drift alert: model %s month %s PSI %.4f (n=%s)",
                model,
                month.isoformat(),
                score_psi,
                check.n,
            )
            audit.record(
                actor="task",
                action="scoring.drift_alert",
                entity=check,
                changes={"model": model.pk, "month": month, "score_psi": check.score_psi},
                reason=f"PSI {check.score_psi} >= {ALERT}",
            )
    return check


def drift_check_all(*, month: date | None = None, rerun: bool | None = None) -> list[DriftCheck]:
    """Check every champion for `month` (default: the previous month). Without a month (the daily beat)
    a month already checked for a model is left as it is; with one it is checked again."""
    if rerun is None:
        rerun = month is not None
    month = month_start(month) if month else previous_month(business_today())
    out = []
    for model in ScoringModel.objects.filter(status=ScoringModel.Status.CHAMPION).order_by("name"):
        if not rerun:
            existing = DriftCheck.objects.filter(model=model, month=month).first()
            if existing is not None:
                out.append(existing)
                continue
        out.append(drift_check_month(model_id=model.pk, month=month))
    return out


@transaction.atomic
def drift_acknowledge(*, actor: Any, check_id: int, note: str) -> DriftCheck:
    require_manage(actor)
    note = (note or "").strip()
    if not note:
        raise DomainError(
            "note_required",
            "确认漂移告警必须填写说明",
            "A note is required to acknowledge a drift check",
            fields={"note": ["required"]},
        )
    check = DriftCheck.objects.select_for_update().filter(pk=check_id).first()
    if check is None:
        raise NotFound()
    old = {"acknowledged_at": check.acknowledged_at, "acknowledged_note": check.acknowledged_note}
    check.acknowledged_at = now()
    check.acknowledged_by = user_or_none(actor)
    check.acknowledged_note = note
    check.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_note"])
    audit.record(
        actor=actor,
        action="scoring.drift_acknowledge",
        entity=check,
        changes=audit.diff(old, {"acknowledged_at": check.acknowledged_at, "acknowledged_note": note}),
        reason=note,
    )
    return check
