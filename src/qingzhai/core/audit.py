"""Writing audit events, always inside the caller's transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from qingzhai.core.clock import now
from qingzhai.core.models import AuditEvent

_local = threading.local()


@contextmanager
def source(name: str) -> Iterator[None]:
    """Label events written inside the block with where they came from (web, api, cli, import, task)."""
    previous = getattr(_local, "source", "")
    _local.source = name
    try:
        yield
    finally:
        _local.source = previous


_AS_IS = frozenset({int, str, bool, type(None)})


def plain(value: Any) -> Any:
    """A value as audit changes keep it (JSON): dates as ISO text, decimals as text, rows as their pk."""
    if type(value) in _AS_IS:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = plain(getattr(obj, attname))
    return out


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed (old is None for a creation)."""
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


def record(
    *,
    actor: Any,
    action: str,
    entity: models.Model | None = None,
    entity_type: str = "",
    entity_id: str | int = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    if entity is not None:
        entity_type = entity._meta.label_lower
        entity_id = entity.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = getattr(actor, "username", "") if user else (actor if isinstance(actor, str) else "system")
    return AuditEvent.objects.create(
        occurred_at=now(),
        actor=user,
        actor_label=label,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        changes={
            k: [plain(x) for x in v] if isinstance(v, list) else plain(v) for k, v in (changes or {}).items()
        },
        reason=reason,
        source=getattr(_local, "source", ""),
    )


def record_many(events: list[AuditEvent]) -> None:
    """Bulk insert prepared events (used by imports); same transaction rule."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must run inside a transaction")
    src = getattr(_local, "source", "")
    for event in events:
        event.source = event.source or src
    AuditEvent.objects.bulk_create(events, batch_size=2000)
