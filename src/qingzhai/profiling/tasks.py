"""Profile jobs: ingest an uploaded source; purge sources past retention (daily)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="qingzhai.profiling.tasks.ingest")
def ingest(source_id: int) -> dict[str, object]:
    from qingzhai.profiling import services

    sf = services.source_ingest(source_id=source_id)
    return {"id": sf.pk, "status": sf.status, "imported": sf.imported}


@shared_task(name="qingzhai.profiling.tasks.purge_expired")
def purge_expired() -> int:
    from qingzhai.profiling import services

    return services.purge_expired()
