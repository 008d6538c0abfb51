"""An import job through a real Celery worker on Redis and PostgreSQL: upload -> validate -> confirm ->
import, each task sent through the broker and run by a `celery worker` subprocess."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from qingzhai.portfolio.intake import import_job_confirm, import_job_create, jobs
from qingzhai.portfolio.models import Debt, Debtor, ImportJob
from tests.factories import CreditorFactory
from tests.portfolio.intake.helpers import csv_text, row

pytestmark = pytest.mark.worker

REDIS_URL = os.environ.get("QINGZHAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WAIT_SECONDS = 60


def _redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:
        return False


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgresql://{auth}@{host}:{port}/{db['NAME']}"


def worker_env() -> dict[str, str]:
    """The environment of a worker process sharing this test's database, secrets and evidence store."""
    env = {
        **os.environ,
        "CELERY_BROKER_URL": REDIS_URL,
        "DATABASE_URL": _database_url(),
        "QINGZHAI_DATA_DIR": str(settings.DATA_DIR),
        "QINGZHAI_SECRET_KEY": settings.SECRET_KEY,
        "QINGZHAI_PII_KEYS": ",".join(settings.QINGZHAI_PII_KEYS),
        "QINGZHAI_BLIND_INDEX_KEY": settings.QINGZHAI_BLIND_INDEX_KEY,
        "QINGZHAI_EVIDENCE_SIGNING_KEY": settings.QINGZHAI_EVIDENCE_SIGNING_KEY,
        "QINGZHAI_EVIDENCE_ARTIFACT_DIR": str(settings.QINGZHAI_EVIDENCE_ARTIFACT_DIR),
        "DJANGO_SETTINGS_MODULE": "qingzhai.config.settings",
    }
    env.pop("CELERY_RESULT_BACKEND", None)
    return env


def start_worker(queue: str, out) -> subprocess.Popen:
    """A `celery worker` subprocess consuming only `queue`, its output to `out`."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "qingzhai", "worker", "--pool=solo", "--loglevel=INFO",
            "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        env=worker_env(),
        stdout=out,
        stderr=subprocess.STDOUT,
    )  # fmt: skip


def _wait_for(job_id: int, statuses: set[str], worker: subprocess.Popen, log) -> ImportJob:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_id)
        if job.status in statuses:
            return job
        if worker.poll() is not None:
            pytest.fail(
                f"the worker exited with {worker.returncode}:\n{log.read_text(errors='replace')[-4000:]}"
            )
        time.sleep(0.2)
    pytest.fail(
        f"job {job_id} still {ImportJob.objects.get(pk=job_id).status} after {WAIT_SECONDS} s:\n"
        f"{log.read_text(errors='replace')[-4000:]}"
    )


@pytest.fixture
def broker_ready(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the real-worker test needs DATABASE_URL pointing to PostgreSQL")
    if not _redis_answers(REDIS_URL):
        pytest.skip(f"the real-worker test needs Redis at {REDIS_URL} (QINGZHAI_TEST_REDIS_URL)")


def test_import_job_runs_on_a_real_worker(broker_ready, supervisor, monkeypatch, tmp_path):
    from celery import Celery

    queue = f"qz-test-{uuid.uuid4().hex[:12]}"
    sender = Celery("qingzhai-test-sender", broker=REDIS_URL, set_as_current=False)
    sent: list[str] = []

    def enqueue(task_name: str, job_id: int) -> None:
        sender.send_task(f"qingzhai.portfolio.tasks.{task_name}", args=[job_id], queue=queue)
        sent.append(task_name)

    monkeypatch.setattr(jobs, "_enqueue", enqueue)
    log = tmp_path / "worker.log"
    creditor = CreditorFactory(code="WRK")
    with log.open("wb") as out:
        worker = start_worker(queue, out)
        try:
            job = import_job_create(
                actor=supervisor,
                creditor=creditor,
                fileobj=io.BytesIO(csv_text([row(1), row(2), row(3)]).encode("utf-8")),
                filename="worker.csv",
                options={"portfolio_code": "W1"},
            )
            job = _wait_for(job.pk, {ImportJob.Status.VALIDATED, ImportJob.Status.FAILED}, worker, log)
            assert (job.status, job.rows, job.error_count, job.failure) == ("validated", 3, 0, "")
            assert Debt.objects.count() == 0

            import_job_confirm(actor=supervisor, job_id=job.pk)
            job = _wait_for(job.pk, {ImportJob.Status.DONE, ImportJob.Status.FAILED}, worker, log)
            assert (job.status, job.imported, job.updated, job.unchanged, job.failure) == (
                "done",
                3,
                0,
                0,
                "",
            )
            assert sent == ["import_job_validate", "import_job_run"]
            assert sorted(Debt.objects.values_list("contract_no", flat=True)) == [
                "HT000001",
                "HT000002",
                "HT000003",
            ]
            assert Debtor.objects.count() == 3 and job.portfolio.code == "W1"
            assert "import_job_run" in log.read_text(errors="replace")
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=15)
            sender.close()
