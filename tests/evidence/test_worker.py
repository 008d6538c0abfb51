"""The sequencer as a job on a real Celery worker (Redis broker, PostgreSQL): acts committed in this
process are appended and signed by a `celery worker` subprocess."""

from __future__ import annotations

import time
import uuid

import pytest
from django.db import transaction

from qingzhai.evidence import note, record, signing, tasks
from qingzhai.evidence.models import Checkpoint, Entry, Outbox
from tests.portfolio.test_tasks_worker import REDIS_URL, broker_ready, start_worker  # noqa: F401

pytestmark = pytest.mark.worker


def test_the_sequencer_runs_on_a_real_worker(broker_ready, monkeypatch, tmp_path):  # noqa: F811
    from celery import Celery

    queue = f"qz-test-{uuid.uuid4().hex[:12]}"
    sender = Celery("qingzhai-test-sender", broker=REDIS_URL, set_as_current=False)
    monkeypatch.setattr(
        tasks, "sequence_soon", lambda: sender.send_task("qingzhai.evidence.tasks.sequence", queue=queue)
    )
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = start_worker(queue, out)
        try:
            for batch in range(3):
                with transaction.atomic():
                    for i in range(4):
                        record.act(kind="file", actor="cli", subject=f"w:{batch}:{i}", content={"i": i})
            deadline = time.monotonic() + 60
            while Entry.objects.count() < 12 or not Checkpoint.objects.filter(size=12).exists():
                if worker.poll() is not None:
                    pytest.fail(f"the worker exited:\n{log.read_text(errors='replace')[-4000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"not sequenced after 60 s:\n{log.read_text(errors='replace')[-4000:]}")
                time.sleep(0.2)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert Outbox.objects.count() == 0
    assert sorted(Entry.objects.values_list("index", flat=True)) == list(range(12))
    note.open_note(Checkpoint.objects.get(size=12).note, [signing.verifier()])
    assert "qingzhai.evidence.tasks.sequence" in log.read_text(errors="replace")
