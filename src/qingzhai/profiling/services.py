"""Every write of the profile: upload a source, ingest it, put it on legal hold, purge it after retention.

Upload and ingest are two steps so the web can show progress: `source_upload` stores the file
(encrypted) and queues `tasks.ingest`; `source_ingest` parses it and writes its rows in chunks, each
chunk its own transaction so the progress bar moves. A failure anywhere removes every row the source
wrote: nothing half-written stays behind. Re-uploading a file already ingested for the debtor changes
nothing and answers with the earlier result.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from qingzhai.core import audit
from qingzhai.core.clock import business_today, business_tz, now
from qingzhai.core.crypto import cipher
from qingzhai.core.errors import DomainError
from qingzhai.evidence import record as evidence
from qingzhai.portfolio.models import Case, Debtor
from qingzhai.profiling import purposes as purpose_rules
from qingzhai.profiling.ingest import ParsedSource, parse_source
from qingzhai.profiling.models import Record, SourceFile, Transaction
from qingzhai.profiling.records.schema import KINDS as RECORD_KINDS
from qingzhai.profiling.sources.base import Txn

logger = logging.getLogger(__name__)

MAX_BYTES = 200 * 1024 * 1024
MAX_ERRORS_STORED = 1000
CHUNK = 5000
UPLOAD_DIR = "profiling"
HOLD_STAGES = ("legal", "enforcement")  # a debtor in litigation keeps every source


def retention_days() -> int:
    return int(getattr(settings, "QINGZHAI_PROFILE_RETENTION_DAYS", 1095))


@dataclass
class Upload:
    source_file: SourceFile
    duplicate: bool  # the same file was ingested for this debtor before; nothing changed


def _invalid(code: str, zh: str, en: str, field: str) -> DomainError:
    return DomainError(code, zh, en, fields={field: [f"{zh} / {en}"]})


def check_kind(kind: str) -> str:
    kind = (kind or "txns").strip()
    if kind != "txns" and kind not in RECORD_KINDS:
        choices = ", ".join(["txns", *RECORD_KINDS])
        raise _invalid(
            "profile_kind_invalid",
            f"未知的数据类型：{kind}（可选：{choices}）",
            f"Unknown kind of data: {kind} (choose from: {choices})",
            "kind",
        )
    return kind


def check_basis(basis: str, purposes: list[str] | None) -> list[str]:
    try:
        return sorted(purpose_rules.coverage(basis, purposes))
    except purpose_rules.PurposeError as exc:
        raise _invalid("profile_basis_invalid", exc.message_zh, exc.message_en, "basis") from exc


def source_upload(
    *,
    debtor: Debtor,
    actor: Any,
    data: bytes,
    filename: str,
    source: str = "",
    kind: str | None = None,
    basis: str,
    purposes: list[str] | None = None,
    reference: str = "",
    mapping: bytes | str | dict[str, Any] | None = None,
) -> Upload:
    """Store an uploaded bill, statement or registry file for `debtor` and queue its ingestion. `source` is
    what the user named (a parser key, a record kind, or "" to detect: see ingest.split_source); `kind`
    overrides the kind it implies.
    `mapping` (YAML or JSON, or a dict) is the column mapping a `bank:generic` statement is read with."""
    from qingzhai.profiling.ingest import split_source

    implied, source = split_source(source)
    kind = check_kind(implied if kind is None else kind)
    covered = check_basis(basis, purposes)
    from qingzhai.profiling.ingest import check_mapping

    mapping_dict = check_mapping(source, mapping)
    if not data:
        raise _invalid("profile_file_empty", "文件为空", "The file is empty", "file")
    if len(data) > MAX_BYTES:
        raise _invalid(
            "profile_file_too_large",
            f"文件超过 {MAX_BYTES >> 20} MB",
            f"The file exceeds {MAX_BYTES >> 20} MB",
            "file",
        )
    if source:
        from qingzhai.profiling.ingest import check_source

        check_source(kind, source)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        Debtor.objects.select_for_update().filter(pk=debtor.pk).first()  # serialise uploads per debtor
        existing = (
            SourceFile.objects.filter(debtor=debtor, sha256=digest)
            .exclude(status=SourceFile.Status.PURGED)
            .first()
        )
        if existing is not None and existing.status != SourceFile.Status.FAILED:
            return Upload(existing, True)
        from qingzhai.profiling import tasks

        if existing is not None:  # a failed attempt: try again with what was asked now
            existing.kind, existing.source, existing.basis = kind, source, basis
            existing.purposes, existing.basis_reference = covered, reference.strip()[:200]
            existing.status, existing.failure, existing.rows_done = SourceFile.Status.PENDING, {}, 0
            existing.meta = {"mapping": mapping_dict} if mapping_dict else {}
            existing.save()
            audit.record(actor=actor, action="profiling.source_retry", entity=existing, reason=reference)
            transaction.on_commit(lambda: tasks.ingest.delay(existing.pk))
            return Upload(existing, False)
        stored = _store(debtor.pk, digest, data)
        at = now()
        sf = SourceFile.objects.create(
            debtor=debtor,
            kind=kind,
            source=source,
            original_name=Path(filename or "upload").name[:255],
            stored_path=stored,
            size_bytes=len(data),
            sha256=digest,
            basis=basis,
            purposes=covered,
            basis_reference=reference.strip()[:200],
            meta={"mapping": mapping_dict} if mapping_dict else {},
            retain_until=business_today(at) + timedelta(days=retention_days()),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=at,
        )
        audit.record(
            actor=actor,
            action="profiling.source_upload",
            entity=sf,
            changes={"kind": kind, "source": source, "sha256": digest, "basis": basis, "purposes": covered},
            reason=reference,
        )
        transaction.on_commit(lambda: tasks.ingest.delay(sf.pk))
    return Upload(sf, False)


def _store(debtor_id: int, digest: str, data: bytes) -> str:
    rel = f"{UPLOAD_DIR}/{debtor_id}/{digest}.bin"
    path = Path(settings.MEDIA_ROOT) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(cipher().encrypt(data))
    tmp.replace(path)
    return rel


def stored_bytes(sf: SourceFile) -> bytes:
    return cipher().decrypt((Path(settings.MEDIA_ROOT) / sf.stored_path).read_bytes())


def source_ingest(*, source_id: int) -> SourceFile:
    """Parse a stored source and write its rows. Safe to run twice: a source already done is left alone."""
    claimed = SourceFile.objects.filter(pk=source_id, status=SourceFile.Status.PENDING).update(
        status=SourceFile.Status.PARSING
    )
    sf = SourceFile.objects.select_related("debtor").get(pk=source_id)
    if not claimed:
        return sf
    try:
        parsed = parse_source(sf, stored_bytes(sf))
        _write_rows(sf, parsed)
    except DomainError as exc:
        return _fail(sf, exc.code, exc.zh, exc.en)
    except Exception as exc:  # any other failure: no rows stay behind, the error is shown
        logger.exception("profile source %s failed", source_id)
        return _fail(
            sf,
            "profile_ingest_failed",
            f"导入失败：{exc.__class__.__name__}",
            f"Ingestion failed: {exc.__class__.__name__}: {exc}",
        )
    return sf


def _fail(sf: SourceFile, code: str, zh: str, en: str) -> SourceFile:
    with transaction.atomic():
        Transaction.objects.filter(source_file=sf).delete()
        Record.objects.filter(source_file=sf).delete()
        sf.status = SourceFile.Status.FAILED
        sf.failure = {"code": code, "message": zh, "message_en": en}
        sf.imported = 0
        sf.finished_at = now()
        sf.save(update_fields=["status", "failure", "imported", "finished_at"])
        audit.record(
            actor="system", action="profiling.source_failed", entity=sf, changes={"code": code}, reason=en
        )
    return sf


def _write_rows(sf: SourceFile, parsed: ParsedSource) -> None:
    sf.source = parsed.source
    sf.layout = parsed.layout
    sf.rows = parsed.rows
    sf.meta = {**parsed.meta, **({"mapping": sf.meta["mapping"]} if "mapping" in sf.meta else {})}
    sf.error_count = len(parsed.errors)
    sf.errors = [e.as_dict() for e in parsed.errors[:MAX_ERRORS_STORED]]
    sf.save(update_fields=["source", "layout", "rows", "meta", "error_count", "errors"])
    objects = _txn_rows(sf, parsed.txns) if sf.kind == "txns" else _record_rows(sf, parsed.records)
    done = 0
    for start in range(0, len(objects), CHUNK):
        chunk = objects[start : start + CHUNK]
        model_of: Any = type(chunk[0])
        with transaction.atomic():
            model_of.objects.bulk_create(chunk, ignore_conflicts=True, batch_size=1000)
            done += len(chunk)
            SourceFile.objects.filter(pk=sf.pk).update(rows_done=done)
    model = Transaction if sf.kind == "txns" else Record
    with transaction.atomic():
        sf.imported = model.objects.filter(source_file=sf).count()
        sf.skipped = sf.rows - sf.imported - sf.error_count
        sf.rows_done = sf.rows
        times = [t.time for t in parsed.txns]
        tz = business_tz()
        sf.period_from = min(times).replace(tzinfo=tz) if times else parsed.period_from
        sf.period_to = max(times).replace(tzinfo=tz) if times else parsed.period_to
        sf.status = SourceFile.Status.DONE
        sf.finished_at = now()
        sf.save()
        audit.record(
            actor="system",
            action="profiling.source_ingested",
            entity=sf,
            changes={
                "rows": sf.rows,
                "imported": sf.imported,
                "skipped": sf.skipped,
                "errors": sf.error_count,
            },
        )
        evidence.act(
            kind="profile_source",
            actor=sf.uploaded_by or "system",
            subject=f"profiling.sourcefile:{sf.pk}",
            case_id=_latest_case_id(sf.debtor_id),
            content={
                "sha256": sf.sha256,
                "size": sf.size_bytes,
                "kind": sf.kind,
                "source": sf.source,
                "layout": sf.layout,
                "rows": sf.rows,
                "imported": sf.imported,
                "basis": sf.basis,
                "purposes": sf.purposes,
                "reference": sf.basis_reference,
            },
        )


def _latest_case_id(debtor_id: int) -> int | None:
    return Case.objects.filter(debtor_id=debtor_id).order_by("-id").values_list("id", flat=True).first()


def _key(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _txn_rows(sf: SourceFile, txns: list[Txn]) -> list[Transaction]:
    tz = business_tz()
    seen: Counter[str] = Counter()
    out = []
    for t in txns:
        content: tuple[object, ...]
        if t.ref:
            content = (sf.source, "ref", t.ref, t.side, t.amount_fen)
        else:
            content = (
                sf.source,
                t.time.isoformat(),
                t.amount_fen,
                t.currency,
                t.side,
                t.counterparty,
                t.memo,
                t.balance_fen,
                t.account,
            )
        base = _key(*content)
        seen[base] += 1
        out.append(
            Transaction(
                debtor_id=sf.debtor_id,
                source_file=sf,
                row=t.row,
                source=sf.source,
                time=t.time.replace(tzinfo=tz),
                amount_fen=t.amount_fen,
                currency=t.currency[:3],
                side=t.side,
                direction=t.direction,
                nature=t.nature,
                counterparty=t.counterparty[:200],
                category=t.category[:100],
                channel=t.channel[:100],
                memo=t.memo[:500],
                status=t.status[:60],
                ref=t.ref[:100],
                refund_of=t.refund_of[:100],
                refunded_fen=t.refunded_fen,
                account=t.account[:40],
                balance_fen=t.balance_fen,
                dedupe_key=_key(base, seen[base]),
            )
        )
    return out


def _record_rows(sf: SourceFile, records: list[tuple[int, dict[str, Any]]]) -> list[Record]:
    from qingzhai.profiling.ingest import json_ready

    spec = RECORD_KINDS[sf.kind]
    seen: Counter[str] = Counter()
    out = []
    for row, rec in records:
        data = json_ready(rec)
        base = _key(sf.kind, sorted(data.items()))
        seen[base] += 1
        effective = rec.get(spec.date_field)
        if isinstance(effective, str):  # contribution period YYYY-MM
            effective = date.fromisoformat(f"{effective}-01") if len(effective) == 7 else None
        out.append(
            Record(
                debtor_id=sf.debtor_id,
                source_file=sf,
                row=row,
                kind=sf.kind,
                data=data,
                effective_on=effective if isinstance(effective, date) else None,
                dedupe_key=_key(base, seen[base]),
            )
        )
    return out


def _remove_file(rel: str) -> None:
    (Path(settings.MEDIA_ROOT) / rel).unlink(missing_ok=True)


def legal_hold_set(*, source_file: SourceFile, actor: Any, hold: bool, reason: str) -> SourceFile:
    reason = (reason or "").strip()
    if hold and not reason:
        raise _invalid("legal_hold_reason", "请填写保全原因", "Give the reason for the legal hold", "reason")
    with transaction.atomic():
        sf = SourceFile.objects.select_for_update().get(pk=source_file.pk)
        old = {"legal_hold": sf.legal_hold, "legal_hold_reason": sf.legal_hold_reason}
        sf.legal_hold = hold
        sf.legal_hold_reason = reason[:200] if hold else ""
        sf.save(update_fields=["legal_hold", "legal_hold_reason"])
        audit.record(
            actor=actor,
            action="profiling.legal_hold",
            entity=sf,
            changes=audit.diff(old, {"legal_hold": sf.legal_hold, "legal_hold_reason": sf.legal_hold_reason}),
            reason=reason,
        )
    return sf


def purge_expired(*, today: date | None = None, actor: Any = "retention") -> int:
    """Delete the rows and the stored file of every source past its retention date, unless it is on legal
    hold or its debtor has a case in litigation or enforcement. Returns how many sources were purged."""
    today = today or business_today()
    held = Case.objects.filter(stage__in=HOLD_STAGES).values("debtor_id")
    due = (
        SourceFile.objects.filter(retain_until__lt=today, legal_hold=False)
        .exclude(status__in=[SourceFile.Status.PURGED, SourceFile.Status.PENDING, SourceFile.Status.PARSING])
        .exclude(debtor_id__in=held)
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in list(due):
        with transaction.atomic():
            sf = SourceFile.objects.select_for_update().get(pk=pk)
            txns = Transaction.objects.filter(source_file=sf).delete()[0]
            records = Record.objects.filter(source_file=sf).delete()[0]
            path = sf.stored_path
            sf.status = SourceFile.Status.PURGED
            sf.purged_at = now()
            sf.stored_path = ""
            sf.meta = {}
            sf.errors = []
            sf.save(update_fields=["status", "purged_at", "stored_path", "meta", "errors"])
            audit.record(
                actor=actor,
                action="profiling.source_purged",
                entity=sf,
                changes={
                    "transactions": txns,
                    "records": records,
                    "retain_until": sf.retain_until.isoformat(),
                },
                reason="retention period ended",
            )
            if path:
                transaction.on_commit(functools.partial(_remove_file, path))
        count += 1
    return count
