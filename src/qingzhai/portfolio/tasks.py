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


@shared_task(name="qingzhai.portfolio.tasks.import_job_validate")
def import_job_validate(job_id: int) -> str:
    """Dry-run an uploaded import file: counts, errors, preview."""
    from qingzhai.portfolio.intake import import_job_validate_run

    with audit.source("task"):
        job = import_job_validate_run(job_id=job_id)
    return job.status if job else "missing"


@shared_task(name="qingzhai.portfolio.tasks.import_job_run")
def import_job_run(job_id: int) -> str:
    """Import a confirmed file in one transaction."""
    from qingzhai.portfolio.intake import import_job_run_execute

    with audit.source("task"):
        job = import_job_run_execute(job_id=job_id)
    return job.status if job else "missing"
