"""Scoring jobs: one chunk of a batch scoring run; the monthly drift check (beat runs it daily, it checks
the previous month once per champion). Both take ids, call one service and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="qingzhai.scoring.tasks.score_chunk")
def score_chunk(run_id: int, lo: int, hi: int) -> dict[str, object]:
    from qingzhai.scoring import services

    written = services.scoring_run_chunk(run_id=run_id, lo=lo, hi=hi)
    return {"run": run_id, "lo": lo, "hi": hi, "scored": written}


@shared_task(name="qingzhai.scoring.tasks.drift_check_monthly")
def drift_check_monthly() -> list[dict[str, object]]:
    from qingzhai.scoring import services

    return [
        {"model": c.model_id, "month": c.month.isoformat(), "level": c.level, "psi": c.score_psi}
        for c in services.drift_check_all()
    ]
