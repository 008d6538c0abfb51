"""Imports through the web and the API: upload -> validate (a dry run, in a task) -> confirm -> import (a
task). The uploaded file is kept under MEDIA_ROOT/imports, which every worker must see."""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from qingzhai.core import audit
from qingzhai.core.clock import now
from qingzhai.core.dates import DateError, parse_date
from qingzhai.core.errors import Conflict, DomainError, NotFound
from qingzhai.portfolio.intake.columns import parse_mapping
from qingzhai.portfolio.intake.load import actor_parts, run_import
from qingzhai.portfolio.intake.results import (
    ImportOptions,
    ImportResult,
    UnusableInput,
    check_portfolio_code,
    check_recall_date,
    empty_file,
    options_invalid,
)
from qingzhai.portfolio.models import Creditor, ImportJob
from qingzhai.portfolio.selectors import import_queryset_for_user

logger = logging.getLogger(__name__)

UPLOAD_DIR = "imports"
MAX_ERRORS_STORED = 1000
_CHUNK = 1 << 20


def clean_job_options(options: dict[str, Any]) -> dict[str, Any]:
    """The options an ImportJob keeps, checked: portfolio_code, placement_date, recall_date (ISO dates),
    mapping ({"their header": "our field"}), skip_invalid, sheet."""
    out: dict[str, Any] = {}
    code = str(options.get("portfolio_code") or "").strip()
    check_portfolio_code(code)
    out["portfolio_code"] = code
    dates: dict[str, date | None] = {}
    for key, zh, en in (
        ("placement_date", "委案日期无效", "Invalid placement date"),
        ("recall_date", "退案日期无效", "Invalid recall date"),
    ):
        raw = options.get(key)
        try:
            value = None if raw in (None, "") else parse_date(raw)
        except DateError as exc:
            raise options_invalid(f"{zh}：{raw}", f"{en}: {raw}", key) from exc
        dates[key] = value
        out[key] = value.isoformat() if value else None
    check_recall_date(dates["placement_date"], dates["recall_date"])
    mapping = options.get("mapping") or {}
    parse_mapping(mapping)
    out["mapping"] = {str(k): (str(v) if v is not None else "") for k, v in mapping.items()}
    out["skip_invalid"] = bool(options.get("skip_invalid"))
    out["sheet"] = str(options.get("sheet") or "").strip()
    return out


def _job_import_options(job: ImportJob, *, dry_run: bool) -> ImportOptions:
    opts = job.options or {}

    def as_date(value: Any) -> date | None:
        return date.fromisoformat(value) if value else None

    return ImportOptions(
        creditor=job.creditor,
        portfolio_code=opts.get("portfolio_code") or "",
        placement_date=as_date(opts.get("placement_date")),
        recall_date=as_date(opts.get("recall_date")),
        mapping=opts.get("mapping") or None,
        skip_invalid=bool(opts.get("skip_invalid")),
        dry_run=dry_run,
        sheet=opts.get("sheet") or None,
    )


def job_file_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.stored_path


def _safe_suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def _store_upload(fileobj: BinaryIO, filename: str) -> tuple[str, int, str]:
    """Stream the upload under MEDIA_ROOT/imports; refuse it past QINGZHAI_IMPORT_MAX_BYTES."""
    limit = settings.QINGZHAI_IMPORT_MAX_BYTES
    relative = f"{UPLOAD_DIR}/{uuid.uuid4().hex}{_safe_suffix(filename)}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    chunks = fileobj.chunks(_CHUNK) if hasattr(fileobj, "chunks") else iter(lambda: fileobj.read(_CHUNK), b"")
    try:
        with target.open("wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise UnusableInput(
                        "too_large",
                        "文件过大，上限为 {limit} MB",
                        "The file is too large; the limit is {limit} MB",
                        limit=f"{limit / 1048576:.1f}",
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise empty_file()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return relative, size, digest.hexdigest()


def _enqueue(task_name: str, job_id: int) -> None:
    from qingzhai.portfolio import tasks

    getattr(tasks, task_name).delay(job_id)


def import_job_create(
    *, actor: Any, creditor: Creditor, fileobj: BinaryIO, filename: str, options: dict[str, Any]
) -> ImportJob:
    """Keep the upload and queue its validation (a dry run) after commit."""
    user, _label = actor_parts(actor)
    clean = clean_job_options(options or {})
    relative, size, sha = _store_upload(fileobj, filename)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                creditor=creditor,
                uploaded_by=user,
                original_name=(Path(filename).name or "upload")[:255],
                stored_path=relative,
                size_bytes=size,
                sha256=sha,
                options=clean,
                status=ImportJob.Status.PENDING,
            )
            audit.record(
                actor=actor,
                action="import.upload",
                entity=job,
                changes={
                    "creditor": [None, creditor.pk],
                    "file": [None, job.original_name],
                    "size_bytes": [None, size],
                    "sha256": [None, sha],
                },
            )
            job_id = job.pk
            transaction.on_commit(lambda: _enqueue("import_job_validate", job_id))
    except BaseException:
        (Path(settings.MEDIA_ROOT) / relative).unlink(missing_ok=True)
        raise
    return job


def import_job_confirm(*, actor: Any, job_id: int) -> ImportJob:
    """Start importing a validated job. Refused while it has errors, unless its options skip them."""
    user, _label = actor_parts(actor)
    with transaction.atomic():
        jobs = import_queryset_for_user(user) if user is not None else ImportJob.objects.all()
        job = jobs.select_for_update(of=("self",)).filter(pk=job_id).first()
        if job is None:
            raise NotFound()
        if job.status != ImportJob.Status.VALIDATED:
            raise Conflict(
                "import_not_validated",
                "只能确认已校验完成的导入（当前状态：{s}）",
                "Only a validated import can be confirmed (it is {s})",
                s=job.status,
            )
        skip = bool((job.options or {}).get("skip_invalid"))
        if job.error_count and not skip:
            raise Conflict(
                "import_has_errors",
                "文件有 {n} 处错误，请修正后重新上传，或勾选“跳过错误行”后重新上传",
                "The file has {n} errors: fix them and upload it again, or upload it again with "
                "'skip invalid rows'",
                n=job.error_count,
            )
        valid = ((job.options or {}).get("validation") or {}).get("valid_rows", job.rows)
        if not valid:
            raise Conflict("import_nothing", "没有可导入的行", "There are no valid rows to import")
        options = dict(job.options or {})
        options["confirmed_by"] = getattr(actor, "pk", None)
        job.options = options
        job.status = ImportJob.Status.IMPORTING
        job.progress_done, job.progress_total = 0, job.rows
        job.save(update_fields=["options", "status", "progress_done", "progress_total"])
        audit.record(
            actor=actor, action="import.confirm", entity=job, changes={"status": ["validated", "importing"]}
        )
        transaction.on_commit(lambda: _enqueue("import_job_run", job_id))
    return job


# --- the two task bodies --------------------------------------------------------------------------


def _fail(job_id: int, zh: str, en: str, **extra: Any) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, failure=f"{zh}\n{en}", finished_at=now(), **extra
    )


def _describe(result: ImportResult) -> dict[str, Any]:
    return {
        "imported": result.imported,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "valid_rows": result.valid_rows,
        "file_type": result.file_type,
        "encoding": result.encoding,
        "sheet": result.sheet,
        "sheets": result.sheets,
        "header_row": result.header_row,
        "columns": result.columns,
        "ignored_columns": result.ignored_columns,
        "portfolio_code": result.portfolio_code,
        "portfolio_created": result.portfolio_created,
    }


def _progress_updater(job_id: int, *, separate_connection: bool) -> Callable[[int, int], None]:
    """Write progress so that other processes see it: directly when outside a transaction, else on a
    connection of its own (PostgreSQL); SQLite allows one writer, so inside the import it keeps quiet."""
    if not separate_connection:

        def direct(done: int, total: int) -> None:
            ImportJob.objects.filter(pk=job_id).update(progress_done=done, progress_total=total)

        return direct
    if connection.vendor != "postgresql":
        return lambda done, total: None
    table = ImportJob._meta.db_table

    def separate(done: int, total: int) -> None:
        conn = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with conn.cursor() as cursor:
                cursor.execute(
                    f'UPDATE "{table}" SET progress_done = %s, progress_total = %s WHERE id = %s',
                    [done, total, job_id],
                )
        finally:
            conn.close()

    return separate


def import_job_validate_run(*, job_id: int) -> ImportJob | None:
    """Task body: dry-run the job's file, keep the counts, errors and a masked preview. Safe to run twice."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.VALIDATING, progress_done=0
    )
    job = ImportJob.objects.select_related("creditor", "uploaded_by").filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    try:
        result = run_import(
            actor=job.uploaded_by or "system",
            path=job_file_path(job),
            options=_job_import_options(job, dry_run=True),
            progress=_progress_updater(job_id, separate_connection=False),
            filename=job.original_name,
        )
    except DomainError as exc:
        _fail(job_id, exc.zh, exc.en)
        return ImportJob.objects.get(pk=job_id)
    except Exception:
        logger.exception("validating import job %s failed", job_id)
        _fail(
            job_id,
            "校验时发生内部错误，请联系管理员",
            "An internal error stopped the validation; contact an administrator",
        )
        return ImportJob.objects.get(pk=job_id)
    options = dict(job.options or {})
    options["validation"] = _describe(result)
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.VALIDATED,
        rows=result.rows,
        error_count=result.error_count,
        errors=[e.as_stored() for e in result.errors[:MAX_ERRORS_STORED]],
        preview=result.preview,
        progress_done=result.rows,
        progress_total=result.rows,
        options=options,
    )
    return ImportJob.objects.get(pk=job_id)


class _AlreadyDone(Exception):
    pass


def import_job_run_execute(*, job_id: int) -> ImportJob | None:
    """Task body: import a confirmed job in one transaction. Safe to run twice: a second run that finds
    the job finished rolls its own work back."""
    job = ImportJob.objects.select_related("creditor", "uploaded_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.IMPORTING:
        return job
    from qingzhai.accounts.models import User

    confirmed_by = (job.options or {}).get("confirmed_by")
    actor: Any = (User.objects.filter(pk=confirmed_by).first() if confirmed_by else None) or job.uploaded_by
    actor = actor or "system"

    def on_success(result: ImportResult) -> None:
        done = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING).update(
            status=ImportJob.Status.DONE,
            portfolio_id=result.portfolio_id,
            rows=result.rows,
            imported=result.imported,
            updated=result.updated,
            unchanged=result.unchanged,
            error_count=result.error_count,
            progress_done=result.rows,
            progress_total=result.rows,
            finished_at=now(),
        )
        if not done:
            raise _AlreadyDone

    try:
        result = run_import(
            actor=actor,
            path=job_file_path(job),
            options=_job_import_options(job, dry_run=False),
            progress=_progress_updater(job_id, separate_connection=True),
            on_success=on_success,
            filename=job.original_name,
        )
    except _AlreadyDone:
        return ImportJob.objects.get(pk=job_id)
    except DomainError as exc:
        _fail(job_id, exc.zh, exc.en)
        return ImportJob.objects.get(pk=job_id)
    except Exception:
        logger.exception("import job %s failed", job_id)
        _fail(
            job_id,
            "导入时发生内部错误，未导入任何数据，请联系管理员",
            "An internal error stopped the import; nothing was imported. Contact an administrator",
        )
        return ImportJob.objects.get(pk=job_id)
    if result.error_count and not _job_import_options(job, dry_run=False).skip_invalid:
        _fail(
            job_id,
            "导入时发现错误（文件在校验后有变化？），未导入任何数据",
            "The import found errors (did the file change after validation?); nothing was imported",
            error_count=result.error_count,
            errors=[e.as_stored() for e in result.errors[:MAX_ERRORS_STORED]],
        )
    return ImportJob.objects.get(pk=job_id)
