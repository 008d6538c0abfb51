"""Upload -> validate (dry run) -> confirm -> import, as the web and the API drive it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from qingzhai.core.errors import AccessDenied, Conflict
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio.intake import (
    UnusableInput,
    import_job_confirm,
    import_job_create,
    import_job_run_execute,
    import_job_validate_run,
)
from qingzhai.portfolio.models import Debt, ImportJob
from tests.portfolio.intake.helpers import csv_text, prc_id, row, wrong_check


def upload(creditor, actor, rows, capture, **options):
    data = csv_text(rows).encode("utf-8")
    with capture(execute=True):
        job = import_job_create(
            actor=actor, creditor=creditor, fileobj=io.BytesIO(data), filename="委案.csv", options=options
        )
    job.refresh_from_db()
    return job


def stored(job) -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / job.stored_path


def test_upload_validates_then_confirm_imports(creditor, supervisor, django_capture_on_commit_callbacks):
    job = upload(
        creditor, supervisor, [row(1), row(2)], django_capture_on_commit_callbacks, portfolio_code="P9"
    )
    assert job.status == ImportJob.Status.VALIDATED
    assert (job.rows, job.error_count, job.errors, job.progress_done, job.progress_total) == (2, 0, [], 2, 2)
    assert stored(job).read_bytes().startswith("合同编号".encode())
    assert job.original_name == "委案.csv" and len(job.sha256) == 64
    assert job.options["validation"]["imported"] == 2 and job.options["validation"]["portfolio_code"] == "P9"
    first = job.preview[0]
    assert first["id_number"] == prc_id(1)[:3] + "*" * 11 + prc_id(1)[-4:]
    assert first["mobile"] == "138****0001" and first["balance_fen"] == 1_296_617
    assert prc_id(1) not in str(job.preview)
    assert Debt.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=supervisor, job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.imported, job.updated, job.unchanged) == (ImportJob.Status.DONE, 2, 0, 0)
    assert job.portfolio.code == "P9" and job.finished_at is not None
    assert Debt.objects.count() == 2
    assert list(
        AuditEvent.objects.filter(entity_type="portfolio.importjob")
        .values_list("action", flat=True)
        .order_by("id")
    ) == [
        "import.upload",
        "import.confirm",
    ]
    # Running a task again does nothing.
    assert import_job_run_execute(job_id=job.pk).status == ImportJob.Status.DONE
    assert import_job_validate_run(job_id=job.pk).status == ImportJob.Status.DONE
    with pytest.raises(Conflict):
        import_job_confirm(actor=supervisor, job_id=job.pk)


def test_errors_block_confirmation_unless_skipped(creditor, supervisor, django_capture_on_commit_callbacks):
    rows = [row(1), row(2, 证件号码=wrong_check(prc_id(2)))]
    job = upload(creditor, supervisor, rows, django_capture_on_commit_callbacks)
    assert (job.status, job.error_count) == (ImportJob.Status.VALIDATED, 1)
    assert job.errors[0]["row"] == 3 and job.errors[0]["code"] == "id_checksum"
    assert job.errors[0]["message_en"].startswith("Wrong check digit")
    with pytest.raises(Conflict) as exc:
        import_job_confirm(actor=supervisor, job_id=job.pk)
    assert exc.value.code == "import_has_errors"

    job = upload(creditor, supervisor, rows, django_capture_on_commit_callbacks, skip_invalid=True)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=supervisor, job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.imported, job.error_count) == (ImportJob.Status.DONE, 1, 1)


def test_unusable_file_fails_the_job(creditor, supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(
            actor=supervisor,
            creditor=creditor,
            fileobj=io.BytesIO(b"%PDF-1.4 not a table"),
            filename="scan.pdf",
            options={},
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    zh, en = job.failure.split("\n")
    assert "PDF" in zh and en == "This is not a table but a PDF document. Upload a CSV or XLSX file"
    with pytest.raises(Conflict):
        import_job_confirm(actor=supervisor, job_id=job.pk)


def test_too_large_or_empty_uploads_are_refused_and_not_kept(creditor, supervisor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.QINGZHAI_IMPORT_MAX_BYTES = 1000
    with pytest.raises(UnusableInput) as exc:
        import_job_create(
            actor=supervisor, creditor=creditor, fileobj=io.BytesIO(b"x" * 1001), filename="a.csv", options={}
        )
    assert exc.value.code == "too_large"
    with pytest.raises(UnusableInput) as exc:
        import_job_create(
            actor=supervisor, creditor=creditor, fileobj=io.BytesIO(b""), filename="a.csv", options={}
        )
    assert exc.value.code == "empty_file"
    assert list((tmp_path / "imports").iterdir()) == []
    assert ImportJob.objects.count() == 0


def test_bad_options_and_permissions(creditor, supervisor, collector):
    with pytest.raises(UnusableInput) as exc:
        import_job_create(
            actor=supervisor,
            creditor=creditor,
            fileobj=io.BytesIO(b"a"),
            filename="a.csv",
            options={"placement_date": "2024/13/01"},
        )
    assert exc.value.code == "options_invalid"
    with pytest.raises(AccessDenied):
        import_job_create(
            actor=collector, creditor=creditor, fileobj=io.BytesIO(b"a"), filename="a.csv", options={}
        )
    assert ImportJob.objects.count() == 0
