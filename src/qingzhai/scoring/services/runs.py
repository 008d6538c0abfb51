"""Scoring cases: a batch run split into chunks by case id (one Celery task each), and one case now.

A run takes the cases in scope, sorts their ids and cuts them into chunks of CHUNK_SIZE; each chunk is
the id range [lo, hi]. A chunk computes its cases' indicators as of the run's date and scores them with
the run's model outside any transaction (the slow part, in parallel across workers), then writes the
scores under a lock on the run row: a case already scored in the run is skipped, and a chunk delivered
twice counts once (`done_chunks`). The chunk that completes the count marks the run done.

Bands (A best .. E) come from the model: the quintiles of the training points stored in its baseline.
"""

from __future__ import annotations

import functools
import logging
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import F

from qingzhai.accounts import roles
from qingzhai.core import audit
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.scoring.engine.model import TrainedModel
from qingzhai.scoring.models import CaseScore, ScoringModel, ScoringRun
from qingzhai.scoring.services._common import (
    DEFAULT_NAME,
    engine_errors,
    json_safe,
    require,
    require_manage,
    user_or_none,
)

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
TOP_REASONS = 3


def _no_champion(name: str) -> DomainError:
    return DomainError(
        "scoring_no_champion",
        "模型「{name}」尚无冠军版本：请先训练并发布一个模型",
        "Model '{name}' has no champion yet: train and promote a model first",
        fields={"model": ["no champion"]},
        status=409,
        name=name,
    )


def resolve_model(model_id: int | None, name: str = DEFAULT_NAME) -> ScoringModel:
    if model_id is None:
        from qingzhai.scoring.selectors import champion

        model = champion(name)
        if model is None:
            raise _no_champion(name)
        return model
    found = ScoringModel.objects.filter(pk=model_id).first()
    if found is None:
        raise NotFound("模型不存在", f"No model with id {model_id}")
    return found


def _trained_for_cases(model: ScoringModel) -> TrainedModel:
    """The model's engine object; refused when its inputs are not profile indicators (a CSV model)."""
    from qingzhai.profiling import indicators as ind
    from qingzhai.scoring.selectors import trained_model

    with engine_errors():
        trained = trained_model(model)
    codes = {i.code for i in ind.catalogue()}
    foreign = [f.name for f in trained.features if f.name not in codes]
    if foreign:
        raise DomainError(
            "scoring_model_not_for_cases",
            "模型 {model} 的输入不是画像指标（如 {col}），不能为案件评分",
            "Model {model} was trained on columns that are not profile indicators (e.g. {col}); "
            "it cannot score cases",
            fields={"model": [str(model)]},
            model=str(model),
            col=foreign[0],
        )
    return trained


def _score_frame(trained: TrainedModel, case_ids: list[int], as_of: date) -> list[dict[str, Any]]:
    """[{case_id, probability, points, band, reasons, features}] for the cases found."""
    from qingzhai.scoring.features import case_features

    if not case_ids:
        return []
    frame, _ = case_features(case_ids, as_of_by_case=as_of, codes=[f.name for f in trained.features])
    if frame.empty:
        return []
    df = frame.reset_index()
    names = [f.name for f in trained.features]
    with engine_errors():
        result = trained.score(df, top=TOP_REASONS)
    used = df[[n for n in names if n in df.columns]]
    out = []
    for i, case_id in enumerate(df["case_id"].tolist()):
        out.append(
            {
                "case_id": int(case_id),
                "probability": float(result.probability[i]),
                "points": int(result.points[i]),
                "band": result.band[i] if result.band else "",
                "reasons": json_safe([r.as_dict() for r in result.reasons[i]]) if result.reasons else [],
                "features": json_safe({k: _value(v) for k, v in used.iloc[i].items()}),
            }
        )
    return out


def _value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, np.generic):
        return _value(v.item())
    return v


def _scope_cases(*, portfolio_id: int | None, case_ids: list[int] | None) -> tuple[dict[str, Any], list[int]]:
    from qingzhai.portfolio.models import Case

    qs = Case.objects.all()
    scope: dict[str, Any] = {}
    if case_ids is not None:
        wanted = sorted({int(c) for c in case_ids})
        scope["case_ids"] = wanted
        qs = qs.filter(pk__in=wanted)
    if portfolio_id is not None:
        scope["portfolio"] = int(portfolio_id)
        qs = qs.filter(portfolio_id=portfolio_id)
    return scope, sorted(qs.values_list("pk", flat=True))


def chunk_ranges(ids: list[int], size: int | None = None) -> list[tuple[int, int]]:
    """[(lo, hi)] inclusive id ranges of at most `size` (default CHUNK_SIZE) of the (sorted) ids each."""
    size = size or CHUNK_SIZE
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def scoring_run_start(
    *,
    actor: Any,
    model_id: int | None = None,
    portfolio_id: int | None = None,
    case_ids: list[int] | None = None,
    as_of: date | None = None,
) -> ScoringRun:
    """Score the cases in scope (a portfolio, a list of cases, or all) with a model (the champion by
    default): a run row now, one task per chunk after commit."""
    from qingzhai.scoring import tasks

    require_manage(actor)
    with transaction.atomic():
        model = resolve_model(model_id)
        _trained_for_cases(model)
        scope, ids = _scope_cases(portfolio_id=portfolio_id, case_ids=case_ids)
        ranges = chunk_ranges(ids)
        at = now()
        run = ScoringRun.objects.create(
            model=model,
            scope=scope,
            as_of=as_of or business_today(),
            total=len(ids),
            chunks=len(ranges),
            status=ScoringRun.Status.PENDING if ranges else ScoringRun.Status.DONE,
            created_by=user_or_none(actor),
            created_at=at,
            finished_at=None if ranges else at,
        )
        audit.record(
            actor=actor,
            action="scoring.run_start",
            entity=run,
            changes={
                "model": [None, model.pk],
                "scope": [None, scope],
                "as_of": [None, run.as_of],
                "total": [None, run.total],
                "chunks": [None, run.chunks],
            },
        )
        for lo, hi in ranges:
            transaction.on_commit(functools.partial(tasks.score_chunk.delay, run.pk, lo, hi))
    return run


def _chunk_ids(run: ScoringRun, lo: int, hi: int) -> list[int]:
    from qingzhai.portfolio.models import Case

    qs = Case.objects.filter(pk__gte=lo, pk__lte=hi)
    if "case_ids" in run.scope:
        qs = qs.filter(pk__in=[c for c in run.scope["case_ids"] if lo <= c <= hi])
    if "portfolio" in run.scope:
        qs = qs.filter(portfolio_id=run.scope["portfolio"])
    return sorted(qs.values_list("pk", flat=True))


def scoring_run_chunk(*, run_id: int, lo: int, hi: int) -> int:
    """Score the run's cases with ids in [lo, hi]; returns how many scores this call wrote (0 when the
    chunk was done before). Safe to run twice, also concurrently."""
    run = ScoringRun.objects.select_related("model").filter(pk=run_id).first()
    if run is None or run.status in (ScoringRun.Status.DONE, ScoringRun.Status.FAILED):
        return 0
    key = f"{lo}-{hi}"
    if key in run.done_chunks:
        return 0
    ScoringRun.objects.filter(pk=run_id, status=ScoringRun.Status.PENDING).update(
        status=ScoringRun.Status.RUNNING
    )
    ids = _chunk_ids(run, lo, hi)
    done = set(CaseScore.objects.filter(run=run, case_id__in=ids).values_list("case_id", flat=True))
    todo = [c for c in ids if c not in done]
    try:
        rows = _score_frame(_trained_for_cases(run.model), todo, run.as_of)
    except Exception as exc:  # the run shows why; the chunk may be retried once the cause is fixed
        logger.exception("scoring run %s chunk %s failed", run_id, key)
        _fail(run_id, key, exc)
        return 0
    return _write_chunk(run_id, key, rows, attempted=len(todo))


def _fail(run_id: int, key: str, exc: Exception) -> None:
    zh, en = getattr(exc, "zh", "评分失败"), getattr(exc, "en", f"{exc.__class__.__name__}: {exc}")
    with transaction.atomic():
        run = ScoringRun.objects.select_for_update().get(pk=run_id)
        run.status = ScoringRun.Status.FAILED
        run.failure = {
            "code": getattr(exc, "code", "scoring_failed"),
            "message": zh,
            "message_en": en,
            "chunk": key,
        }
        run.finished_at = now()
        run.save(update_fields=["status", "failure", "finished_at"])
        audit.record(actor="task", action="scoring.run_failed", entity=run, changes={"chunk": key}, reason=en)


def _write_chunk(run_id: int, key: str, rows: list[dict[str, Any]], *, attempted: int) -> int:
    with transaction.atomic():
        run = ScoringRun.objects.select_for_update().get(pk=run_id)
        if key in run.done_chunks or run.status in (ScoringRun.Status.DONE, ScoringRun.Status.FAILED):
            return 0
        already = set(
            CaseScore.objects.filter(run=run, case_id__in=[r["case_id"] for r in rows]).values_list(
                "case_id", flat=True
            )
        )
        at = now()
        fresh = [
            CaseScore(run=run, model_id=run.model_id, as_of=run.as_of, created_at=at, **r)
            for r in rows
            if r["case_id"] not in already
        ]
        CaseScore.objects.bulk_create(fresh, batch_size=500)
        failed = max(0, attempted - len(rows))
        ScoringRun.objects.filter(pk=run_id).update(
            scored=F("scored") + len(fresh),
            failed=F("failed") + failed,
            chunks_done=F("chunks_done") + 1,
            done_chunks=[*run.done_chunks, key],
            status=ScoringRun.Status.RUNNING,
        )
        run.refresh_from_db()
        audit.record(
            actor="task",
            action="scoring.run_chunk",
            entity=run,
            changes={"chunk": key, "scored": len(fresh), "failed": failed},
        )
        if run.chunks_done >= run.chunks:
            run.status = ScoringRun.Status.DONE
            run.finished_at = now()
            run.save(update_fields=["status", "finished_at"])
            audit.record(
                actor="task",
                action="scoring.run_done",
                entity=run,
                changes={
                    "status": [ScoringRun.Status.RUNNING, run.status],
                    "scored": run.scored,
                    "failed": run.failed,
                },
            )
    return len(fresh)


def case_score_now(*, actor: Any, case_id: int, model_id: int | None = None) -> CaseScore:
    """Score one case now (the champion unless a model is named) and keep the score."""
    from qingzhai.portfolio.models import Case
    from qingzhai.portfolio.selectors import case_get_for_user

    require(actor, roles.SCORING_VIEW)
    if isinstance(actor, str):
        if not Case.objects.filter(pk=case_id).exists():
            raise NotFound()
    else:
        case_get_for_user(user=actor, case_id=case_id)
    model = resolve_model(model_id)
    as_of = business_today()
    rows = _score_frame(_trained_for_cases(model), [int(case_id)], as_of)
    if not rows:
        raise NotFound()
    with transaction.atomic():
        score = CaseScore.objects.create(model=model, as_of=as_of, created_at=now(), **rows[0])
        audit.record(
            actor=actor,
            action="scoring.case_score",
            entity=score,
            changes={
                "case": [None, score.case_id],
                "model": [None, model.pk],
                "points": [None, score.points],
                "band": [None, score.band],
            },
        )
    return score
