"""A campaign planned and sent by a real Celery worker on Redis and PostgreSQL: the planning task and the
dispatch task go through the broker to a `celery worker` subprocess, which sends through the local SMS
gateway. The debtors live in a time zone where it is daytime now, so the gate's night rule (debtor-local
time) lets the messages go whenever the test runs."""

from __future__ import annotations

import subprocess
import time
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from qingzhai.compliance.models import ContactDecision
from qingzhai.contact import tasks
from qingzhai.contact.models import Campaign, CampaignMessage
from qingzhai.contact.services import campaigns as svc
from qingzhai.portfolio.models import Debtor
from tests.factories import case_with_debt
from tests.portfolio.test_tasks_worker import REDIS_URL, broker_ready, start_worker  # noqa: F401

pytestmark = pytest.mark.worker
ZONES = ("Asia/Shanghai", "Europe/London", "America/New_York", "Pacific/Auckland", "Asia/Dubai")


def daytime_zone() -> str:
    for zone in ZONES:
        if 9 <= datetime.now(UTC).astimezone(ZoneInfo(zone)).hour < 20:
            return zone
    raise AssertionError("no daytime zone found")


def _wait(campaign_id: int, status: str, worker, log, seconds: int = 90) -> Campaign:
    deadline = time.monotonic() + seconds
    while (campaign := Campaign.objects.get(pk=campaign_id)).status != status:
        if worker.poll() is not None:
            pytest.fail(f"the worker exited:\n{log.read_text(errors='replace')[-4000:]}")
        if time.monotonic() > deadline:
            pytest.fail(
                f"campaign still {campaign.status} after {seconds} s:\n{log.read_text(errors='replace')[-4000:]}"
            )
        time.sleep(0.2)
    return campaign


def test_a_campaign_is_planned_and_sent_by_a_real_worker(broker_ready, supervisor, monkeypatch, tmp_path):  # noqa: F811
    from celery import Celery

    from qingzhai.contact.channels.test_gateway import LocalGateway

    queue = f"qz-test-{uuid.uuid4().hex[:12]}"
    sender = Celery("qingzhai-test-sender", broker=REDIS_URL, set_as_current=False)
    for task in (tasks.campaign_plan, tasks.campaign_dispatch):
        monkeypatch.setattr(
            task, "delay", lambda pk, name=task.name: sender.send_task(name, args=[pk], queue=queue)
        )
    cases = [case_with_debt() for _ in range(3)]
    Debtor.objects.filter(pk__in=[c.debtor_id for c in cases]).update(timezone=daytime_zone())
    campaign = svc.campaign_create(
        actor=supervisor,
        name="worker",
        steps=[{"template_id": "reminder_sms_zh"}],
        filters={"portfolio_ids": [c.portfolio_id for c in cases]},
    )
    log = tmp_path / "worker.log"
    with LocalGateway() as gateway, log.open("wb") as out:
        monkeypatch.setenv("QINGZHAI_SMS_GATEWAY_URL", gateway.url)
        worker = start_worker(queue, out)
        try:
            svc.campaign_plan_start(actor=supervisor, campaign_id=campaign.pk)
            _wait(campaign.pk, "planned", worker, log)
            svc.campaign_start(actor=supervisor, campaign_id=campaign.pk)
            campaign = _wait(campaign.pk, "completed", worker, log)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=15)
            sender.close()
        assert len(gateway.messages) == 3
    assert CampaignMessage.objects.filter(campaign=campaign, status="sent").count() == 3
    assert (
        ContactDecision.objects.filter(source="campaign", allowed=True, activity__isnull=False).count() == 3
    )
    text = log.read_text(errors="replace")
    assert (
        "qingzhai.contact.tasks.campaign_plan" in text and "qingzhai.contact.tasks.campaign_dispatch" in text
    )
