"""Court documents generated from case data: rendered, stored in the evidence ledger by their hash and
listed as LegalDocument rows.

One transaction writes the personal-data reveals the document needed (the debtor's ID number and address
are printed in it), the ledger entry of the file, the LegalDocument row and its audit event.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.core import audit
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.evidence import artifacts, record
from qingzhai.evidence.acts import subject
from qingzhai.legal.documents import catalog, context, render
from qingzhai.legal.models import LegalDocument
from qingzhai.portfolio.models import Case
from qingzhai.portfolio.selectors import case_queryset_for_user


def _require(user: Any, capability: str) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.can(capability):
        raise AccessDenied()


def _format(fmt: str) -> str:
    value = str(fmt or "").strip().lower()
    if value not in render.FORMATS:
        raise DomainError(
            "unknown_format",
            "未知的文件格式：{fmt}（可选 pdf、docx）",
            "Unknown format: {fmt} (pdf or docx)",
            fields={"format": ["pdf", "docx"]},
            fmt=fmt,
        )
    return value


def _case(case_id: Any, user: Any) -> Case:
    try:
        pk = int(case_id)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    qs = case_queryset_for_user(user) if user is not None else Case.objects.all()
    found = qs.select_related("portfolio__creditor", "debtor").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def document_generate(
    *,
    case_id: int,
    kind: str,
    fmt: str,
    actor: Any,
    court: str | None = None,
    proceeding_id: int | None = None,
    user: Any = None,
) -> tuple[LegalDocument, bytes]:
    """Render a document of `kind` for the case as `fmt` (pdf / docx), record it and return it.

    `user`, when given, must hold legal.manage and see the case; without it the caller is the operator
    on the server (CLI). Raises DomainError: unknown_kind, unknown_format, not_found, court_required,
    no_claim; AccessDenied."""
    spec = catalog.kind_get(kind)
    fmt = _format(fmt)
    if user is not None:
        _require(user, roles.LEGAL_MANAGE)
    case = _case(case_id, user)
    today = business_today()
    built = context.build(case, spec, court=court, proceeding_id=proceeding_id, today=today)
    rendered = render.render(spec.code, built.values, fmt)
    data = rendered.data
    digest = hashlib.sha256(data).hexdigest()
    creator = user if user is not None else actor
    with transaction.atomic():
        built.reveals.record(actor=actor, reason=f"生成{spec.zh} / {spec.en} generated", case_id=case.pk)
        document = LegalDocument.objects.create(
            case=case,
            proceeding=built.proceeding,
            kind=spec.code,
            fmt=fmt,
            title=spec.zh,
            filename=f"{spec.zh}-{case.pk}-{today:%Y%m%d}.{fmt}",
            media_type=rendered.media_type,
            size=len(data),
            sha256=digest,
            template=rendered.template[:200],
            template_sha256=rendered.template_sha256,
            court=built.court[:200],
            claim_fen=built.claim_fen,
            created_by=creator if getattr(creator, "is_authenticated", False) else None,
            created_at=now(),
        )
        appended = record.file(
            kind="document",
            actor=actor,
            data=data,
            media_type=rendered.media_type,
            subject=subject(document),
            case_id=case.pk,
        )
        if appended.artifact is None or appended.artifact.sha256 != digest:
            raise RuntimeError("the stored artifact does not match the document's bytes")
        audit.record(
            actor=actor,
            action="legal.document_generate",
            entity=document,
            changes={
                "case": case.pk,
                "kind": spec.code,
                "fmt": fmt,
                "sha256": digest,
                "size": len(data),
                "template": document.template,
                "template_sha256": document.template_sha256,
                "court": document.court,
                "claim_fen": built.claim_fen,
                "proceeding": built.proceeding.pk if built.proceeding else None,
            },
        )
    return document, data


def document_bytes(*, document_id: int, user: Any) -> tuple[LegalDocument, bytes]:
    """A generated document's file for download, from the evidence store by its hash. The file holds the
    debtor's personal data in full, so the user needs legal.view and pii.reveal and must see the case;
    every download is audited."""
    _require(user, roles.LEGAL_VIEW)
    _require(user, roles.REVEAL_PII)
    try:
        pk = int(document_id)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    document = (
        LegalDocument.objects.filter(pk=pk, case__in=case_queryset_for_user(user))
        .select_related("case")
        .first()
    )
    if document is None:
        raise NotFound()
    try:
        data = artifacts.get(document.sha256)
    except artifacts.ArtifactMissing:
        data = b""
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise DomainError(
            "artifact_unavailable",
            "文书文件缺失或已被改动：{sha}",
            "The document's file is missing or altered: {sha}",
            fields={"document": [str(document.pk)]},
            status=500,
            sha=document.sha256,
        )
    with transaction.atomic():
        audit.record(
            actor=user,
            action="legal.document_download",
            entity=document,
            changes={"case": document.case_id, "sha256": document.sha256},
        )
    return document, data
