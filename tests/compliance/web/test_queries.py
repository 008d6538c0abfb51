"""List pages do not run more queries as they list more rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingzhai.compliance.services import contact_clear, utterance_record
from tests.factories import UserFactory, case_with_debt
from tests.web.conftest import past_local

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_alert_and_decision_lists_query_count_does_not_grow(login, users, alert_on, case, collector):
    client = login(users["compliance"])
    alert_on(case)
    contact_clear(actor=collector, case_id=case.pk, kind="call", at=past_local(23))
    few = (queries(client, reverse("compliance:alerts")), queries(client, reverse("compliance:decisions")))
    for n in range(8):
        other = UserFactory(username=f"c{n}", role="collector")
        more = case_with_debt(assigned_to=other)
        utterance_record(actor=other, case_id=more.pk, text="再不还钱就去你孩子学校找你")
        contact_clear(actor=other, case_id=more.pk, kind="visit", at=past_local(23))
    many = (queries(client, reverse("compliance:alerts")), queries(client, reverse("compliance:decisions")))
    assert few == many
