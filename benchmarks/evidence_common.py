"""Shared set-up of the evidence-ledger benchmarks: a fresh database, realistic leaves, and pymerkle 7.0.0
run in its own virtual environment (the product never imports it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PEER_VENV = ROOT / "var" / "bench-pymerkle"
PEER_VERSION = "7.0.0"


def configure(data_dir: Path, pg: str | None, batch: int) -> None:
    if pg:
        import psycopg

        base, name = pg.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = pg
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["QINGZHAI_DATA_DIR"] = str(data_dir)
    os.environ["QINGZHAI_ALLOW_GENERATED_SECRETS"] = "1"
    os.environ["QINGZHAI_DEBUG"] = "0"
    os.environ["QINGZHAI_EVIDENCE_BATCH"] = str(batch)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qingzhai.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# The leaf generator as source, so the pymerkle process builds byte-identical leaves without our code.
LEAF_SOURCE = r"""
import json
from datetime import datetime, timedelta, timezone


def make_leaves(n):
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    out = []
    for i in range(n):
        record = {
            "v": 1,
            "type": "activity",
            "case": 1000 + i % 5000,
            "actor": f"user:{i % 40}",
            "time": (start + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "subject": f"portfolio.activity:{i}",
            "artifact": {"sha256": f"{i:064x}", "size": 400, "media_type": "application/json"},
            "prev": None,
        }
        out.append(json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())
    return out
"""


def leaves(n: int) -> list[bytes]:
    """Leaf records as the product writes them (one act each, with an artifact hash), about 280 bytes."""
    scope: dict = {}
    exec(LEAF_SOURCE, scope)
    return list(scope["make_leaves"](n))


def fill_outbox(data: list[bytes]) -> None:
    from django.db import transaction

    from qingzhai.core.clock import now
    from qingzhai.evidence.models import Outbox

    moment = now()
    with transaction.atomic():
        for start in range(0, len(data), 5000):
            Outbox.objects.bulk_create(
                [
                    Outbox(leaf=leaf, kind="activity", case_id=1000 + i % 5000, subject="", created_at=moment)
                    for i, leaf in enumerate(data[start : start + 5000], start)
                ]
            )


def peer_python() -> Path:
    """The benchmark-only environment holding pymerkle (created on first use)."""
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        venv.create(PEER_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"pymerkle=={PEER_VERSION}"], check=True)
    return python


def run_peer(script: str, payload: dict) -> dict:
    """Run a pymerkle timing script in its own environment; it reads JSON on stdin, prints JSON."""
    result = subprocess.run(
        [str(peer_python()), "-c", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(result.stdout))
