"""Celery tasks of the ledger: safe to run twice and concurrently (the sequencer takes its lock)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

log = logging.getLogger(__name__)


@shared_task(name="qingzhai.evidence.tasks.sequence")
def sequence() -> int:
    from qingzhai.evidence import sequencer

    return sequencer.run()


@shared_task(name="qingzhai.evidence.tasks.timestamp_checkpoint")
def timestamp_checkpoint(size: int) -> bool:
    from qingzhai.evidence import timestamp, timestamps

    try:
        return timestamps.stamp(size) is not None
    except timestamp.TimestampError as exc:
        log.warning("checkpoint %s not time-stamped: %s", size, exc)
        return False


@shared_task(name="qingzhai.evidence.tasks.timestamp_pending")
def timestamp_pending() -> int:
    from qingzhai.evidence import timestamps

    return timestamps.stamp_pending()


def sequence_soon() -> None:
    """Wake the sequencer after a commit that queued leaves (in-process when Celery is eager)."""
    try:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            from qingzhai.evidence import sequencer

            sequencer.run()
        else:
            sequence.delay()
    except Exception:
        # The act is committed and its leaf is safe in the outbox; the next run appends it.
        log.exception("evidence sequencer did not run; queued leaves wait for the next run")
