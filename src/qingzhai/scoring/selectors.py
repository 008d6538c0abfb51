"""Reads of scoring, with the access checks: registry, runs and drift need scoring.view; a case's score
needs scoring.view and access to the case (a collector sees only assigned cases)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django.db.models import QuerySet

from qingzhai.accounts import roles
from qingzhai.core.errors import AccessDenied, NotFound
from qingzhai.scoring.engine.model import TrainedModel
from qingzhai.scoring.models import CaseScore, DriftCheck, ScoringModel, ScoringRun

SCORING_VIEW = roles.SCORING_VIEW
SCORING_MANAGE = roles.SCORING_MANAGE
CACHE_SIZE = 8


def require(user: Any, capability: str = SCORING_VIEW) -> None:
    if not getattr(user, "is_authenticated", False) or not user.can(capability):
        raise AccessDenied()


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc


def model_list(*, user: Any, name: str | None = None) -> QuerySet[ScoringModel]:
    """Models newest version first within each name; the payload (large) is not loaded."""
    require(user)
    qs = ScoringModel.objects.defer("payload").select_related("created_by", "promoted_by")
    if name:
        qs = qs.filter(name=name)
    return qs.order_by("name", "-version")


def model_get(*, user: Any, model_id: int | str) -> ScoringModel:
    require(user)
    model = ScoringModel.objects.filter(pk=_pk(model_id)).first()
    if model is None:
        raise NotFound()
    return model


def champion(name: str = "repayment") -> ScoringModel | None:
    return ScoringModel.objects.filter(name=name, status=ScoringModel.Status.CHAMPION).first()


def case_score_latest(*, user: Any, case_id: int | str) -> CaseScore | None:
    """The case's current score (its latest row), or None; NotFound when the user cannot see the case."""
    from qingzhai.portfolio.selectors import case_get_for_user

    require(user)
    return latest_score_of(case_get_for_user(user=user, case_id=case_id))


def latest_score_of(case: Any) -> CaseScore | None:
    """The latest score of a case whose access the caller has already checked (the case page)."""
    return CaseScore.objects.filter(case=case).select_related("model").order_by("-created_at", "-id").first()


def case_scores(*, user: Any, case_id: int | str, limit: int = 20) -> list[CaseScore]:
    """The case's scores, newest first (its history)."""
    from qingzhai.portfolio.selectors import case_get_for_user

    require(user)
    case = case_get_for_user(user=user, case_id=case_id)
    return list(
        CaseScore.objects.filter(case=case).select_related("model").order_by("-created_at", "-id")[:limit]
    )


def run_list(*, user: Any, model_id: int | None = None) -> QuerySet[ScoringRun]:
    require(user)
    qs = ScoringRun.objects.select_related("model", "created_by")
    return qs.filter(model_id=model_id) if model_id is not None else qs


def run_get(*, user: Any, run_id: int | str) -> ScoringRun:
    require(user)
    run = ScoringRun.objects.select_related("model", "created_by").filter(pk=_pk(run_id)).first()
    if run is None:
        raise NotFound()
    return run


def drift_list(*, user: Any, model_id: int | None = None) -> QuerySet[DriftCheck]:
    require(user)
    qs = DriftCheck.objects.select_related("model", "acknowledged_by")
    return qs.filter(model_id=model_id) if model_id is not None else qs


_cache: OrderedDict[str, TrainedModel] = OrderedDict()
_lock = threading.Lock()


def trained_model(model: ScoringModel) -> TrainedModel:
    """The registry row's engine model, built once per payload (cached by its sha256, a few at a time)."""
    key = model.payload_sha256
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    payload = model.payload
    if not payload:  # a deferred or partial row
        payload = ScoringModel.objects.values_list("payload", flat=True).get(pk=model.pk)
    built = TrainedModel.from_payload(payload)
    with _lock:
        _cache[key] = built
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return built
