"""Fixtures of the compliance page tests: the signed-in clients of the web tests, and a few records."""

from __future__ import annotations

import pytest

from qingzhai.compliance.services import utterance_record
from tests.web.conftest import collector_client, login, plain_id, supervisor_client  # noqa: F401  (fixtures)

PROHIBITED = "再不还钱就去你孩子学校找你"
POLITE = "您好，请问您什么时候方便还款？"


@pytest.fixture
def compliance_user(users):
    return users["compliance"]


@pytest.fixture
def alert_on(collector):
    """alert_on(case, text) -> the alert a collector's sentence raised."""

    def say(case, text: str = PROHIBITED):
        utterance = utterance_record(actor=collector, case_id=case.pk, text=text)
        return utterance.alert

    return say
