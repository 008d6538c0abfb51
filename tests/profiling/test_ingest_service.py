"""Ingesting sources for a debtor: rows written once, re-ingest changes nothing, failures leave nothing,
legal basis recorded, audit and evidence in the same step, retention purge with legal hold."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from qingzhai.core.audit import AuditEvent
from qingzhai.core.clock import business_today
from qingzhai.core.errors import DomainError
from qingzhai.evidence.models import Outbox
from qingzhai.profiling import services
from qingzhai.profiling.models import Record, SourceFile, Transaction
from qingzhai.profiling.selectors import covered_purposes, frames_for

pytestmark = pytest.mark.django_db
FORMATS = Path(__file__).resolve().parents[1] / "data" / "profiling" / "formats"
ALIPAY = FORMATS / "alipay" / "deg_2023-layout_example-alipay-records.csv"
WECHAT = FORMATS / "wechat" / "deg_example-wechat-records.csv"


_capture = None


@pytest.fixture(autouse=True)
def _run_jobs_on_commit(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


def upload(debtor, path: Path, **kwargs):
    """Upload as the web does; the ingestion job runs when the upload commits (eager Celery)."""
    kwargs.setdefault("basis", "contract")
    assert _capture is not None
    with _capture(execute=True):
        return services.source_upload(
            debtor=debtor, actor="test", data=path.read_bytes(), filename=path.name, **kwargs
        )


def test_alipay_file_is_detected_parsed_and_stored_with_its_legal_basis(case):
    result = upload(case.debtor, ALIPAY, reference="借款合同第12条")
    sf = SourceFile.objects.get(pk=result.source_file.pk)  # eager Celery ran the ingestion on commit
    assert (sf.status, sf.source, sf.layout) == ("done", "alipay", "alipay-2023")
    assert (sf.rows, sf.imported, sf.skipped, sf.error_count) == (10, 10, 0, 0)
    assert sf.basis == "contract" and sf.basis_reference == "借款合同第12条"
    assert sf.purposes == ["capacity_assessment", "collection", "contact"]
    assert sf.retain_until == business_today() + timedelta(days=1095)
    assert Transaction.objects.filter(source_file=sf).count() == 10
    total = sum(Transaction.objects.filter(source_file=sf, side="out").values_list("amount_fen", flat=True))
    assert total == 21164
    actions = set(AuditEvent.objects.filter(entity_id=str(sf.pk)).values_list("action", flat=True))
    assert {"profiling.source_upload", "profiling.source_ingested"} <= actions
    assert sf.stored_path and ALIPAY.read_bytes() == services.stored_bytes(sf)
    stored = (Path(services.settings.MEDIA_ROOT) / sf.stored_path).read_bytes()
    assert ALIPAY.read_bytes()[:200] not in stored  # encrypted at rest


def test_ingest_is_sealed_in_the_evidence_log_by_the_file_hash(case):
    before = Outbox.objects.count()
    sf = upload(case.debtor, ALIPAY).source_file
    sf.refresh_from_db()
    from qingzhai.evidence.models import Entry

    entry = Entry.objects.filter(subject=f"profiling.sourcefile:{sf.pk}").first()
    queued = Outbox.objects.count() - before
    assert entry is not None or queued == 1
    if entry is not None:
        record = json.loads(bytes(entry.data))
        assert record["type"] == "profile_source" and record["case"] == case.pk


def test_the_same_file_again_changes_nothing(case):
    first = upload(case.debtor, ALIPAY)
    count = Transaction.objects.count()
    again = upload(case.debtor, ALIPAY)
    assert again.duplicate and again.source_file.pk == first.source_file.pk
    assert Transaction.objects.count() == count
    assert SourceFile.objects.filter(debtor=case.debtor).count() == 1


def test_overlapping_exports_store_each_transaction_once(case, tmp_path):
    data = ALIPAY.read_bytes()
    lines = data.split(b"\n")
    shorter = tmp_path / "part.csv"
    shorter.write_bytes(b"\n".join(lines[:-4]))  # the same export, the last rows cut
    upload(case.debtor, shorter)
    second = upload(case.debtor, ALIPAY).source_file
    second.refresh_from_db()
    assert Transaction.objects.filter(debtor=case.debtor).count() == 10
    assert second.imported + second.skipped == 10 and second.skipped > 0


def test_an_unreadable_file_fails_with_a_clear_message_and_leaves_no_rows(case, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("hello,world\n1,2\n", encoding="utf-8")
    sf = upload(case.debtor, bad).source_file
    sf.refresh_from_db()
    assert sf.status == "failed"
    assert sf.failure["code"] == "profile_unknown_layout"
    assert "无法识别" in sf.failure["message"] and "Unrecognised" in sf.failure["message_en"]
    assert not Transaction.objects.filter(source_file=sf).exists()


def test_a_failure_midway_removes_every_row_already_written(case, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 3)
    real = Transaction.objects.bulk_create
    calls = {"n": 0}

    def flaky(objs, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(objs, **kwargs)

    monkeypatch.setattr(Transaction.objects, "bulk_create", flaky)
    sf = upload(case.debtor, ALIPAY).source_file
    sf.refresh_from_db()
    assert sf.status == "failed" and "disk full" in sf.failure["message_en"]
    assert not Transaction.objects.filter(debtor=case.debtor).exists()
    monkeypatch.setattr(Transaction.objects, "bulk_create", real)
    retried = upload(case.debtor, ALIPAY)  # uploading it again retries
    retried.source_file.refresh_from_db()
    assert (
        retried.source_file.status == "done" and Transaction.objects.filter(debtor=case.debtor).count() == 10
    )


@pytest.mark.parametrize(
    ("basis", "purposes", "code"),
    [
        ("consent", None, "profile_basis_invalid"),
        ("hearsay", None, "profile_basis_invalid"),
        ("contract", ["marketing"], "profile_basis_invalid"),
    ],
)
def test_a_legal_basis_is_required_and_checked(case, basis, purposes, code):
    with pytest.raises(DomainError) as caught:
        upload(case.debtor, ALIPAY, basis=basis, purposes=purposes)
    assert caught.value.code == code
    assert not SourceFile.objects.exists()


def test_purposes_covered_follow_the_bases_on_file(case):
    assert covered_purposes([case.debtor_id])[case.debtor_id] == frozenset({"collection"})
    upload(case.debtor, ALIPAY, basis="consent", purposes=["asset_investigation"])
    assert covered_purposes([case.debtor_id])[case.debtor_id] == frozenset(
        {"collection", "asset_investigation"}
    )


def test_unknown_kind_and_empty_file_are_refused(case, tmp_path):
    with pytest.raises(DomainError) as caught:
        upload(case.debtor, ALIPAY, kind="horoscope")
    assert caught.value.code == "profile_kind_invalid"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DomainError) as caught:
        upload(case.debtor, empty)
    assert caught.value.code == "profile_file_empty"


def test_registry_records_are_ingested_as_records(case, tmp_path):
    path = tmp_path / "marriage.csv"
    path.write_text(
        "event,event_date,spouse\ndivorce,2024-03-01,王某\nmarriage,2015-06-01,王某\n", encoding="utf-8"
    )
    sf = upload(case.debtor, path, kind="marriage").source_file
    sf.refresh_from_db()
    assert (sf.status, sf.rows, sf.imported) == ("done", 2, 2), sf.failure
    rec = Record.objects.get(source_file=sf, row=2)  # line 2: the first line under the header
    assert rec.data["event"] == "divorce" and rec.effective_on.isoformat() == "2024-03-01"
    frames = frames_for([case.debtor_id])
    assert frames.record("marriage").height == 2
    assert "marriage" in frames.sources_seen[case.debtor_id]


def test_retention_purge_removes_rows_but_keeps_held_sources_and_litigation(case, other_case):
    held = upload(case.debtor, ALIPAY).source_file
    plain = upload(other_case.debtor, ALIPAY).source_file
    services.legal_hold_set(source_file=held, actor="test", hold=True, reason="诉讼中")
    later = business_today() + timedelta(days=1096)
    assert services.purge_expired(today=later) == 1
    plain.refresh_from_db()
    held.refresh_from_db()
    assert plain.status == "purged" and plain.stored_path == ""
    assert not Transaction.objects.filter(source_file=plain).exists()
    assert held.status == "done" and Transaction.objects.filter(source_file=held).count() == 10
    assert AuditEvent.objects.filter(action="profiling.source_purged", entity_id=str(plain.pk)).exists()
    services.legal_hold_set(source_file=held, actor="test", hold=False, reason="")
    case.stage = "legal"
    case.save(update_fields=["stage"])
    assert services.purge_expired(today=later) == 0  # a debtor in litigation keeps its sources


def test_legal_hold_needs_a_reason(case):
    sf = upload(case.debtor, ALIPAY).source_file
    with pytest.raises(DomainError):
        services.legal_hold_set(source_file=sf, actor="test", hold=True, reason=" ")


def test_frames_carry_transactions_in_business_time(case):
    upload(case.debtor, WECHAT)
    frames = frames_for([case.debtor_id])
    assert frames.txns.height == 27
    assert frames.txns["time"].dt.year().min() == 2017
    assert set(frames.txns["direction"].unique()) <= {"in", "out", "neutral"}
