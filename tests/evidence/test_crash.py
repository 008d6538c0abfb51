"""Several processes: kill -9 of the sequencer in the middle of a batch (after a restart the log verifies
and no leaf that a producer committed is lost), and producers racing sequencers (no index is lost or reused). Runs against a fresh database of the suite's own kind (SQLite file, or a new
PostgreSQL database when the suite runs on PostgreSQL), in separate processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

N, BATCH = 300, 100

CHILD = r"""
import os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingzhai.config.settings")
django.setup()
from django.db import transaction
from qingzhai.evidence import record, sequencer
from qingzhai.evidence.models import Checkpoint, Entry, Outbox

mode = sys.argv[1]
if mode == "queue":
    from qingzhai.evidence import tasks
    tasks.sequence_soon = lambda: None  # leave the leaves queued: the sequencer below is the one we kill
    with transaction.atomic():
        for i in range(int(sys.argv[2])):
            record.act(kind="file", actor="cli", subject=f"crash:{i}", content={"i": i})
elif mode == "crash":
    # Stop inside the second batch's transaction, after its leaves and nodes were inserted and before
    # the outbox rows are deleted and the transaction commits; the parent then kills us with SIGKILL.
    signal_file = sys.argv[2]
    real = sequencer.Outbox
    state = {"batches": 0}

    class Objects:
        def order_by(self, *args):
            state["batches"] += 1
            return real.objects.order_by(*args)

        def filter(self, **kwargs):
            if state["batches"] == 2:
                with open(signal_file + ".tmp", "w") as fh:  # written whole, then renamed: never read half-done
                    fh.write(str(Entry.objects.count()))
                os.replace(signal_file + ".tmp", signal_file)
                time.sleep(600)
            return real.objects.filter(**kwargs)

    class Proxy:
        objects = Objects()

    sequencer.Outbox = Proxy
    sequencer.run()
elif mode == "produce":
    # One web/worker process: acts in small transactions, each commit waking the sequencer in-process,
    # so several sequencers race with each other and with the producers.
    who, transactions, per = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    for t in range(transactions):
        with transaction.atomic():
            for i in range(per):
                record.act(kind="file", actor="cli", subject=f"{who}:{t}:{i}", content={"who": who})
elif mode == "state":
    print(Entry.objects.count(), Outbox.objects.count(), max([0, *Checkpoint.objects.values_list("size", flat=True)]))
"""


@pytest.fixture
def fresh_db(tmp_path):
    env = {
        **os.environ,
        "QINGZHAI_DATA_DIR": str(tmp_path / "data"),
        "QINGZHAI_ALLOW_GENERATED_SECRETS": "1",
        "QINGZHAI_EVIDENCE_BATCH": str(BATCH),
        "QINGZHAI_EVIDENCE_ARTIFACT_DIR": str(tmp_path / "artifacts"),
    }
    env.pop("CELERY_BROKER_URL", None)
    env.pop("QINGZHAI_AUDIT_PURGE_ALLOWED", None)
    db = settings.DATABASES["default"]
    dropper = None
    if db["ENGINE"].endswith("postgresql"):
        import psycopg

        name = f"qz_crash_{uuid.uuid4().hex[:10]}"
        params = {
            "host": db.get("HOST") or "127.0.0.1",
            "port": db.get("PORT") or 5432,
            "user": db.get("USER"),
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"postgresql://{params['user']}@{params['host']}:{params['port']}/{name}"

        def dropper():
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        env.pop("DATABASE_URL", None)
    qingzhai = str(Path(sys.executable).parent / "qingzhai")
    subprocess.run([qingzhai, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    yield env, qingzhai
    if dropper:
        dropper()


def child(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def restart_and_verify(env, qingzhai, n: int) -> None:
    """Run the sequencer again, then `verify --full`: every queued leaf is in, the log is intact."""
    subprocess.run([qingzhai, "evidence", "sequence"], env=env, check=True, capture_output=True, timeout=120)
    result = subprocess.run(
        [qingzhai, "evidence", "verify", "--full", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0, report
    assert (report["ok"], report["size"], report["checkpoint_size"], report["artifacts_checked"]) == (
        True,
        n,
        n,
        n,
    )
    assert child(env, "state").stdout.split() == [str(n), "0", str(n)]


def test_kill_9_in_the_middle_of_a_batch(fresh_db, tmp_path):
    env, qingzhai = fresh_db
    child(env, "queue", str(N))
    signal_file = tmp_path / "inside-batch-2"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, "crash", str(signal_file)], env=env)
    deadline = time.monotonic() + 120
    while not signal_file.exists():
        assert proc.poll() is None, "the sequencer ended before reaching its second batch"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    inside = int(signal_file.read_text())
    assert inside == 2 * BATCH  # the second batch's leaves were written, not yet committed
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    entries, queued, checkpoint = map(int, child(env, "state").stdout.split())
    assert (entries, queued, checkpoint) == (BATCH, N - BATCH, BATCH)  # batch 1 committed; batch 2 undone

    restart_and_verify(env, qingzhai, N)


def test_concurrent_producers_and_sequencers(fresh_db):
    env, qingzhai = fresh_db
    procs = [
        subprocess.Popen([sys.executable, "-c", CHILD, "produce", f"p{n}", "10", "10"], env=env)
        for n in range(3)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    restart_and_verify(env, qingzhai, 300)
