"""RFC 3161 time-stamps on checkpoints, from the TSA the settings name (optional).

The token covers the checkpoint's text (the note body, without signature lines), so it stays valid when
witnesses add cosignatures. A TSA that is down never blocks the log: the checkpoint stays unstamped and
the periodic task retries.
"""

from __future__ import annotations

import logging
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.db import transaction

from qingzhai.core.clock import now
from qingzhai.evidence import note, timestamp
from qingzhai.evidence.models import Checkpoint, Timestamp

log = logging.getLogger(__name__)


def config() -> timestamp.TsaConfig | None:
    if not settings.QINGZHAI_TSA_URL:
        return None
    chain = Path(settings.QINGZHAI_TSA_CHAIN_FILE).read_text(encoding="utf-8")
    return timestamp.TsaConfig(url=settings.QINGZHAI_TSA_URL, chain_pem=chain)


def chain_pem() -> str | None:
    cfg = config()
    return cfg.chain_pem if cfg else None


def stamped_bytes(checkpoint_note: str) -> bytes:
    return note.parse(checkpoint_note).text.encode("utf-8")


def stamp(size: int) -> Timestamp | None:
    """Fetch and store a token for the checkpoint of this size; None when no TSA is configured."""
    cfg = config()
    if cfg is None:
        return None
    checkpoint = Checkpoint.objects.get(size=size)
    existing = Timestamp.objects.filter(checkpoint=checkpoint).first()
    if existing:
        return existing
    data = stamped_bytes(checkpoint.note)
    token = timestamp.request_token(data, cfg)
    info = timestamp.verify_token(token, data, cfg.chain_pem)
    with transaction.atomic():
        stamp_row, _ = Timestamp.objects.get_or_create(
            checkpoint=checkpoint,
            defaults={
                "token": token,
                "tsa_url": cfg.url,
                "gen_time": info.gen_time.astimezone(UTC),
                "received_at": now(),
            },
        )
    return stamp_row


def stamp_soon(size: int) -> None:
    if not settings.QINGZHAI_TSA_URL:
        return
    from qingzhai.evidence import tasks

    transaction.on_commit(lambda: tasks.timestamp_checkpoint.delay(size))


def stamp_pending(limit: int = 20) -> int:
    """Stamp the newest checkpoints that have no token yet (retry after a TSA outage)."""
    if config() is None:
        return 0
    done = 0
    for size in (
        Checkpoint.objects.filter(timestamp__isnull=True)
        .order_by("-size")
        .values_list("size", flat=True)[:limit]
    ):
        try:
            stamp(size)
            done += 1
        except timestamp.TimestampError as exc:
            log.warning("checkpoint %s not time-stamped: %s", size, exc)
            break
    return done
