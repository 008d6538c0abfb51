"""Content-addressed artifact stores: the file system (default) and any S3-compatible object store."""

from __future__ import annotations

import hashlib

import pytest
from django.db import transaction

from qingzhai.evidence import artifacts, record, sequencer, verify
from qingzhai.evidence.models import Artifact


def test_the_file_store_keeps_bytes_under_their_hash(tmp_path):
    store = artifacts.FileStore(tmp_path)
    data = "录音 recording".encode()
    sha = hashlib.sha256(data).hexdigest()
    store.put(sha, data)
    store.put(sha, data)  # idempotent
    assert store.get(sha) == data and store.exists(sha)
    assert store.path(sha) == tmp_path / sha[:2] / sha[2:4] / sha
    assert not store.exists("0" * 64)
    with pytest.raises(artifacts.ArtifactMissing):
        store.get("0" * 64)


@pytest.mark.django_db
def test_put_registers_the_artifact_once():
    with transaction.atomic():
        a = artifacts.put(b"letter", "application/pdf")
        b = artifacts.put(b"letter", "application/pdf")
    assert a == b
    assert Artifact.objects.get().size == 6
    assert artifacts.check(a.sha256) is None


@pytest.fixture
def s3(settings):
    moto = pytest.importorskip("moto", reason="moto is a dev dependency used to stand in for S3")
    import boto3

    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="evidence")
        yield artifacts.S3Store("evidence", prefix="qz", client=client), client


def test_the_s3_store_round_trip(s3):
    store, client = s3
    data = b"%PDF-1.7 judgment"
    sha = hashlib.sha256(data).hexdigest()
    assert not store.exists(sha)
    store.put(sha, data)
    store.put(sha, data)
    assert store.get(sha) == data
    assert client.list_objects_v2(Bucket="evidence")["KeyCount"] == 1
    assert store.key(sha) == f"qz/{sha[:2]}/{sha[2:4]}/{sha}"
    with pytest.raises(artifacts.ArtifactMissing):
        store.get("0" * 64)


@pytest.mark.django_db
def test_the_ledger_runs_on_s3_and_verify_reads_it_back(s3, settings, monkeypatch):
    store, client = s3
    monkeypatch.setattr(artifacts, "store", lambda: store)
    with transaction.atomic():
        appended = record.file(
            kind="letter", actor="cli", data="催收函".encode(), media_type="application/pdf"
        )
    sequencer.run()
    assert verify.run(full=True).ok
    client.put_object(Bucket="evidence", Key=store.key(appended.artifact.sha256), Body=b"forged letter")
    problem = verify.run(full=True).first()
    assert (problem.index, problem.kind) == (0, "changed_artifact")
