"""Celery tasks: take ids, call one service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from qingzhai.core import audit
from qingzhai.portfolio import services


@shared_task(name="qingzhai.portfolio.tasks.break_overdue_promises")
def break_overdue_promises() -> int:
    with audit.source("task"):
        return services.promises_break_overdue()


@shared_task(name="qingzhai.portfolio.tasks.refresh_dpd")
def refresh_dpd() -> int:
    with audit.source("task"):
        return services.debts_refresh_dpd()
