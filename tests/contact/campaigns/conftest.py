from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from qingzhai.contact.channels.test_gateway import LocalGateway

SH = ZoneInfo("Asia/Shanghai")
DAYTIME = datetime(2026, 12, 2, 10, 0, tzinfo=SH)  # a Wednesday morning in Shanghai


@pytest.fixture
def daytime():
    """The clock at 10:00 Shanghai (moving on), so the gate's night rule does not depend on the test run."""
    with time_machine.travel(DAYTIME, tick=True) as traveller:
        yield traveller


@pytest.fixture
def gateway(settings):
    with LocalGateway() as gw:
        settings.QINGZHAI_SMS_GATEWAY_URL = gw.url
        settings.QINGZHAI_CONTACT_RETRY_BASE_DELAY = 0
        settings.QINGZHAI_VOICE_TELEPHONY = "loopback"
        settings.QINGZHAI_VOICE_TTS = "null"
        yield gw


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call a service and run what it queued for after its commit (the Celery tasks), as production does."""

    def call(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return call


from tests.web.conftest import login  # noqa: E402, F401  (signed-in page clients)
