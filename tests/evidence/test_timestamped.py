"""Checkpoints time-stamped by an RFC 3161 TSA (a local test TSA): the token is fetched after the
checkpoint is signed, verified offline before it is stored, shipped in the court bundle and checked there
by the standalone verifier. A TSA that is down never blocks the log."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest

from qingzhai.core.clock import business_today
from qingzhai.evidence import bundles, timestamp, timestamps
from qingzhai.evidence.models import Checkpoint, Timestamp
from qingzhai.portfolio import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def tsa_configured(settings, tsa, tmp_path):
    chain = tmp_path / "tsa-chain.pem"
    chain.write_text(tsa.chain_pem, encoding="utf-8")
    settings.QINGZHAI_TSA_URL = tsa.url
    settings.QINGZHAI_TSA_CHAIN_FILE = str(chain)
    return tsa


def pay(case, actor, fen=10_000):
    services.payment_record(
        actor=actor, debt_id=case.debts.first().pk, amount_fen=fen, paid_on=business_today()
    )


def test_each_checkpoint_gets_a_verified_token(
    tsa_configured, case, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pay(case, supervisor)
    checkpoint = Checkpoint.objects.get()
    stamp = Timestamp.objects.get(checkpoint=checkpoint)
    info = timestamp.verify_token(
        bytes(stamp.token), timestamps.stamped_bytes(checkpoint.note), tsa_configured.chain_pem
    )
    assert info.gen_time == stamp.gen_time
    assert tsa_configured.requests >= 1


def test_a_tsa_outage_leaves_the_checkpoint_for_a_retry(
    tsa_configured, case, supervisor, django_capture_on_commit_callbacks
):
    tsa_configured.mode = "http_error"
    with django_capture_on_commit_callbacks(execute=True):
        pay(case, supervisor)
    assert Checkpoint.objects.count() == 1 and not Timestamp.objects.exists()
    tsa_configured.mode = "ok"
    assert timestamps.stamp_pending() == 1
    assert Timestamp.objects.count() == 1


def test_the_bundle_carries_the_token_and_the_verifier_checks_it(
    tsa_configured, case, supervisor, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pay(case, supervisor)
    data, _ = bundles.bundle_build(actor=supervisor, case_id=case.pk)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("tsa-chain.pem").decode() == tsa_configured.chain_pem
        assert zf.read("checkpoint.tsr") == bytes(Timestamp.objects.get().token)
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from qingzhai.evidence.bundle.standalone_verify import main; sys.exit(main(sys.argv[1:]))",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RFC 3161 timestamp valid" in result.stdout
