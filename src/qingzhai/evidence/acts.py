"""One call per kind of act, used by the services that perform the act, inside their transaction.

Each act's content (the row's fields, as the audit trail keeps them) becomes a JSON artifact; the leaf
holds its hash, never the content. Personal data stays encrypted in its own columns and is never copied
here: a PII reveal records who looked at which field and why, not the value.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from qingzhai.core.audit import snapshot
from qingzhai.evidence import record


def _fields(model: type[models.Model]) -> list[str]:
    """Every stored column of the row except its key and the encrypted personal data (and its blind index)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.name.endswith(("_enc", "_bidx"))
    ]


def subject(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def row(
    kind: str,
    obj: models.Model,
    *,
    actor: Any,
    case_id: int | None,
    extra: dict[str, Any] | None = None,
    prev: str | None = None,
) -> record.Appended:
    """Record an act whose content is the row the act wrote (its stored columns, as the audit trail keeps
    them, without encrypted personal data)."""
    label = obj._meta.label_lower
    content = {"entity": label, "id": obj.pk, "fields": snapshot(obj, _fields(type(obj))), **(extra or {})}
    return record.act(
        kind=kind, actor=actor, subject=subject(obj), content=content, case_id=case_id, prev=prev
    )


def pii_reveal(
    *, actor: Any, obj: models.Model, attr: str, reason: str, case_id: int | None
) -> record.Appended:
    content = {"entity": obj._meta.label_lower, "id": obj.pk, "field": attr, "reason": reason}
    return record.act(kind="pii_reveal", actor=actor, subject=subject(obj), content=content, case_id=case_id)
