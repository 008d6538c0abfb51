"""Court bundles: every entry of a case with its artifact and proof against the latest checkpoint."""

from __future__ import annotations

import io
import json
from typing import Any

from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.compliance.access import require
from qingzhai.core import audit
from qingzhai.core.clock import now
from qingzhai.core.errors import DomainError
from qingzhai.core.money import format_fen
from qingzhai.evidence import artifacts, record, selectors, sequencer, signing, timestamps
from qingzhai.evidence.bundle.layout import BundleEntry, BundleInput
from qingzhai.evidence.bundle.write import write_bundle
from qingzhai.evidence.models import Entry, Timestamp, Witness


def _detail(kind: str, content: dict[str, Any]) -> str:
    """A few words from the act's own record, for the index (never personal data)."""
    f = content.get("fields") or {}
    if kind in ("payment", "payment_reversal") and "amount_fen" in f:
        return f"{format_fen(int(f['amount_fen']))}，{f.get('paid_on', '')}"
    if kind in ("promise", "promise_change") and "amount_fen" in f:
        return f"{format_fen(int(f['amount_fen']))}，到期 {f.get('due_date', '')}，{f.get('status', '')}"
    if kind == "stage_change":
        return f"{f.get('from_stage', '')} → {f.get('to_stage', '')}"
    if kind == "activity":
        return f"{f.get('kind', '')} / {f.get('outcome', '')}"
    if kind == "compliance_decision":
        return f"{f.get('channel', '')}：{'放行' if f.get('allowed') else '拒绝'}"
    if kind == "pii_reveal":
        return f"查看字段 {content.get('field', '')}"
    return ""


def _title(rec: dict[str, Any], artifact: bytes | None) -> str:
    zh = record.KINDS.get(str(rec.get("type")), (str(rec.get("type")), ""))[0]
    detail = ""
    if artifact is not None and (rec.get("artifact") or {}).get("media_type") == "application/json":
        try:
            detail = _detail(str(rec.get("type")), json.loads(artifact))
        except (ValueError, TypeError):
            detail = ""
    subject = rec.get("subject") or ""
    parts = [p for p in (detail, subject) if p]
    return f"{zh}（{'；'.join(parts)}）" if parts else zh


def bundle_build(*, actor: Any, case_id: int) -> tuple[bytes, str]:
    """The zip of a case's evidence and its file name. Leaves still queued are sequenced first."""
    from qingzhai.portfolio.selectors import case_get_for_user

    if isinstance(actor, str):
        from qingzhai.portfolio.models import Case

        case = Case.objects.select_related("portfolio__creditor").filter(pk=case_id).first()
        if case is None:
            raise DomainError("not_found", "案件不存在", "Case not found", status=404)
    else:
        require(actor, roles.EVIDENCE_BUNDLE)
        case = case_get_for_user(user=actor, case_id=case_id)
    sequencer.run()
    checkpoint = selectors.latest_checkpoint()
    entries = list(Entry.objects.filter(case_id=case.pk).order_by("index"))
    if checkpoint is None or not entries:
        raise DomainError(
            "no_evidence", "该案件还没有证据条目", "This case has no evidence entries yet", status=404
        )
    items = []
    for entry in entries:
        if entry.index >= checkpoint.size:
            continue
        rec = selectors.entry_record(entry)
        data = None
        if entry.artifact_sha256:
            try:
                data = artifacts.get(entry.artifact_sha256)
            except artifacts.ArtifactMissing as exc:
                raise DomainError(
                    "artifact_missing",
                    "证据文件缺失（索引 {index}），请先运行完整校验",
                    "An artifact is missing (index {index}); run a full verification",
                    status=409,
                    index=entry.index,
                ) from exc
        items.append(
            BundleEntry(
                index=entry.index,
                leaf=bytes(entry.data),
                proof=selectors.inclusion(entry.index, checkpoint.size).tlog_proof(),
                record=rec,
                artifact=data,
                title_zh=_title(rec, data),
            )
        )
    stamp = Timestamp.objects.filter(checkpoint=checkpoint).first()
    cosigners = Witness.objects.filter(cosignatures__checkpoint=checkpoint).distinct()
    moment = now()
    data_in = BundleInput(
        case_label=f"#{case.pk}",
        creditor_label=case.portfolio.creditor.name,
        origin=signing.origin(),
        checkpoint=selectors.cosigned_note(checkpoint),
        verifier_key=signing.vkey(),
        witness_keys=[w.vkey for w in cosigners],
        generated_at=moment,
        generated_by=getattr(actor, "username", "") or str(actor),
        entries=items,
        timestamp_token=bytes(stamp.token) if stamp else None,
        tsa_chain_pem=timestamps.chain_pem() if stamp else None,
    )
    out = io.BytesIO()
    write_bundle(out, data_in)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="evidence.bundle",
            entity=case,
            changes={"entries": len(items), "checkpoint_size": checkpoint.size},
        )
    return out.getvalue(), f"evidence-case{case.pk}-{moment:%Y%m%d%H%M%S}.zip"
