"""Writes of the ledger: appending files, verification runs, witnesses and their cosignatures."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.compliance.access import require
from qingzhai.core import audit
from qingzhai.core.clock import now
from qingzhai.core.errors import Conflict, DomainError
from qingzhai.evidence import merkle, note, record, sequencer, signing, verify
from qingzhai.evidence.models import Checkpoint, Cosignature, Entry, Verification, Witness

MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class AppendedEntry:
    index: int
    leaf_hash: bytes


def _actor_label(actor: Any) -> str:
    return getattr(actor, "username", "") or (actor if isinstance(actor, str) else "system")


def files_append(
    *, actor: Any, files: Sequence[tuple[str, bytes]], kind: str = "file", case_id: int | None = None
) -> list[AppendedEntry]:
    """Store files as artifacts, log one leaf each, sequence them, and return their indices."""
    if not isinstance(actor, str):
        require(actor, roles.EVIDENCE_MANAGE)
    if kind not in record.KINDS:
        raise DomainError(
            "invalid_choice",
            "未知的证据类型：{kind}",
            "Unknown evidence type: {kind}",
            fields={"type": [kind]},
            kind=kind,
        )
    if case_id is not None:
        from qingzhai.portfolio.models import Case

        if not Case.objects.filter(pk=case_id).exists():
            raise DomainError(
                "not_found",
                "案件不存在：{id}",
                "Case not found: {id}",
                fields={"case": [str(case_id)]},
                id=case_id,
            )
    for name, data in files:
        if len(data) > MAX_FILE_BYTES:
            raise DomainError(
                "file_too_large",
                "文件过大：{name}",
                "File too large: {name}",
                fields={"file": [name]},
                name=name,
            )
    leaves: list[bytes] = []
    with transaction.atomic():
        for name, data in files:
            media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            appended = record.file(
                kind=kind,
                actor=actor,
                data=data,
                media_type=media_type,
                subject=f"file:{name}"[:100],
                case_id=case_id,
            )
            leaves.append(appended.leaf)
        audit.record(
            actor=actor,
            action="evidence.append",
            entity_type="evidence.entry",
            entity_id="*",
            changes={"files": len(files), "type": kind, "case": case_id},
        )
    sequencer.run()
    return _indices_of(leaves)


def _indices_of(leaves: list[bytes]) -> list[AppendedEntry]:
    hashes = [merkle.leaf_hash(leaf) for leaf in leaves]
    found: dict[bytes, list[int]] = {}
    for index, h in (
        Entry.objects.filter(leaf_hash__in=set(hashes)).order_by("index").values_list("index", "leaf_hash")
    ):
        found.setdefault(bytes(h), []).append(index)
    out = []
    for h in hashes:
        indices = found.get(h)
        if not indices:
            raise RuntimeError("an appended leaf was not sequenced")
        out.append(AppendedEntry(indices.pop(0), h))
    return out


def verification_run(
    *, actor: Any, full: bool = False, progress: Callable[[int], None] | None = None
) -> tuple[Verification, verify.Report]:
    if not isinstance(actor, str):
        require(actor, roles.EVIDENCE_AUDIT)
    started = now()
    report = verify.run(full=full, progress=progress)
    first = report.first()
    with transaction.atomic():
        row = Verification.objects.create(
            started_at=started,
            finished_at=now(),
            full=full,
            size=report.size,
            checkpoint_size=report.checkpoint_size,
            ok=report.ok,
            first_bad_index=first.index if first else None,
            problem=first.text() if first else "",
            actor_label=_actor_label(actor),
        )
        audit.record(
            actor=actor,
            action="evidence.verify",
            entity=row,
            changes={"ok": report.ok, "full": full, "size": report.size, "problems": len(report.problems)},
        )
    return row, report


def witness_add(*, actor: Any, vkey: str, description: str = "") -> Witness:
    if not isinstance(actor, str):
        require(actor, roles.EVIDENCE_MANAGE)
    try:
        verifier = note.CosignatureVerifier.from_vkey(vkey.strip())
    except (ValueError, note.NoteError) as exc:
        raise DomainError(
            "invalid_key",
            "见证方公钥格式无效（需要 cosignature/v1 的 name+id+key 形式）",
            "Not a witness key (cosignature/v1 name+id+key form)",
            fields={"vkey": [str(exc)]},
        ) from exc
    with transaction.atomic():
        if Witness.objects.filter(name=verifier.name).exists():
            raise Conflict("witness_exists", "见证方已登记", "This witness is already registered")
        witness = Witness.objects.create(
            name=verifier.name,
            vkey=verifier.vkey(),
            description=description.strip()[:300],
            added_by=actor if getattr(actor, "is_authenticated", False) else None,
            added_at=now(),
        )
        audit.record(
            actor=actor, action="evidence.witness_add", entity=witness, changes={"name": witness.name}
        )
    return witness


def witness_set_active(*, actor: Any, witness_id: int, active: bool) -> Witness:
    if not isinstance(actor, str):
        require(actor, roles.EVIDENCE_MANAGE)
    with transaction.atomic():
        witness = Witness.objects.select_for_update().filter(pk=witness_id).first()
        if witness is None:
            raise DomainError("not_found", "见证方不存在", "Witness not found", status=404)
        old = witness.active
        witness.active = active
        witness.save(update_fields=["active"])
        audit.record(
            actor=actor, action="evidence.witness_active", entity=witness, changes={"active": [old, active]}
        )
    return witness


def cosignatures_add(*, cosigned_note: str) -> list[Cosignature]:
    """Accept a checkpoint note carrying cosignatures by registered witnesses (c2sp tlog-cosignature).

    The note's text must be exactly one of the log's signed checkpoints. Signatures by unknown keys are
    ignored; a signature by a registered witness that does not verify is refused. The cosignature is its
    own authentication: only the holder of a registered witness key can produce one.
    """
    try:
        parsed = note.parse(cosigned_note)
    except note.NoteError as exc:
        raise DomainError(
            "malformed_note", "签名笔记格式无效", "Malformed signed note", fields={"note": [str(exc)]}
        ) from exc
    checkpoint = _checkpoint_with_text(parsed.text)
    active = list(Witness.objects.filter(active=True))
    verifiers = {}
    for witness in active:
        v = note.CosignatureVerifier.from_vkey(witness.vkey)
        verifiers[(v.name, v.key_id)] = (witness, v)
    accepted: list[Cosignature] = []
    with transaction.atomic():
        for sig in parsed.signatures:
            known = verifiers.get((sig.name, sig.key_id))
            if known is None:
                continue
            witness, verifier = known
            if not verifier.verify(parsed.text, sig):
                raise DomainError(
                    "bad_cosignature",
                    "见证方 {name} 的签名无效",
                    "The cosignature by {name} does not verify",
                    fields={"note": [sig.name]},
                    name=sig.name,
                )
            if Cosignature.objects.filter(checkpoint=checkpoint, witness=witness).exists():
                continue
            signed_at = datetime.fromtimestamp(verifier.timestamp(sig), tz=UTC)
            cosig = Cosignature.objects.create(
                checkpoint=checkpoint,
                witness=witness,
                line=sig.line(),
                signed_at=signed_at,
                received_at=now(),
            )
            audit.record(
                actor=f"witness:{witness.name}"[:150],
                action="evidence.cosign",
                entity=cosig,
                changes={"size": checkpoint.size, "witness": witness.name},
            )
            accepted.append(cosig)
    if not accepted and not any((s.name, s.key_id) in verifiers for s in parsed.signatures):
        raise DomainError(
            "no_known_witness",
            "笔记中没有已登记见证方的签名",
            "The note carries no cosignature by a registered witness",
            status=403,
        )
    return accepted


def _checkpoint_with_text(text: str) -> Checkpoint:
    from qingzhai.evidence.checkpoint import CheckpointError, parse_checkpoint

    try:
        body = parse_checkpoint(text)
    except CheckpointError as exc:
        raise DomainError(
            "malformed_checkpoint", "检查点格式无效", "Malformed checkpoint", fields={"note": [str(exc)]}
        ) from exc
    checkpoint = Checkpoint.objects.filter(size=body.size).first()
    if checkpoint is None or body.origin != signing.origin() or note.parse(checkpoint.note).text != text:
        raise DomainError(
            "unknown_checkpoint",
            "该检查点不是本日志签发的",
            "This checkpoint was not issued by this log",
            status=404,
        )
    return checkpoint
