"""A batch scoring run through a real Celery worker on Redis and PostgreSQL: each chunk is sent through
the broker and scored by a `celery worker` subprocess."""

from __future__ import annotations

import subprocess
import time
import uuid

import pytest

from qingzhai.scoring import services, tasks
from qingzhai.scoring.models import CaseScore, ScoringRun
from qingzhai.scoring.services import runs
from tests.portfolio.test_tasks_worker import REDIS_URL, broker_ready, start_worker  # noqa: F401
from tests.scoring.helpers import trained_model, varied_case

pytestmark = pytest.mark.worker


def test_a_scoring_run_is_scored_by_a_real_worker(broker_ready, supervisor, monkeypatch, tmp_path):  # noqa: F811
    from celery import Celery

    queue = f"qz-test-{uuid.uuid4().hex[:12]}"
    sender = Celery("qingzhai-test-sender", broker=REDIS_URL, set_as_current=False)
    sent: list[tuple[int, int, int]] = []

    def enqueue(run_id: int, lo: int, hi: int) -> None:
        sender.send_task("qingzhai.scoring.tasks.score_chunk", args=[run_id, lo, hi], queue=queue)
        sent.append((run_id, lo, hi))

    monkeypatch.setattr(tasks.score_chunk, "delay", enqueue)
    monkeypatch.setattr(runs, "CHUNK_SIZE", 2)
    model = services.model_register(actor=supervisor, name="repayment", trained=trained_model())
    services.model_promote(actor=supervisor, model_id=model.pk, reason="首个模型 first model")
    cases = [varied_case(n) for n in range(5)]
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = start_worker(queue, out)
        try:
            run = services.scoring_run_start(actor=supervisor)
            deadline = time.monotonic() + 90
            while ScoringRun.objects.get(pk=run.pk).status not in ("done", "failed"):
                if worker.poll() is not None:
                    pytest.fail(f"the worker exited:\n{log.read_text(errors='replace')[-4000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"run not finished after 90 s:\n{log.read_text(errors='replace')[-4000:]}")
                time.sleep(0.2)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=15)
            sender.close()
    run.refresh_from_db()
    assert (run.status, run.total, run.chunks, run.chunks_done, run.scored, run.failed) == (
        "done",
        5,
        3,
        3,
        5,
        0,
    )
    assert len(sent) == 3
    scores = CaseScore.objects.filter(run=run).order_by("case_id")
    assert [s.case_id for s in scores] == [c.pk for c in cases]
    assert all(len(s.reasons) == 3 for s in scores)
    assert "qingzhai.scoring.tasks.score_chunk" in log.read_text(errors="replace")
