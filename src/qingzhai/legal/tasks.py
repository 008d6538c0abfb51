"""Legal jobs: the hourly scan that sets each open deadline's alert level. Safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="qingzhai.legal.tasks.deadlines_scan")
def deadlines_scan() -> dict[str, int]:
    from qingzhai.legal.services.proceedings import deadlines_scan as scan

    return scan()
