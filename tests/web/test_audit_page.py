"""The audit page: who may see it, filters, pagination, bad filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from qingzhai.core import audit
from qingzhai.core.clock import business_today

pytestmark = pytest.mark.django_db

AUDIT = reverse("web:audit")


@pytest.fixture
def events(users):
    with transaction.atomic():
        for i in range(55):
            audit.record(
                actor=users["collector"],
                action="case.stage",
                entity_type="portfolio.case",
                entity_id=i,
                changes={"stage": ["new", "contact"]},
                reason=f"r{i}",
            )
        audit.record(
            actor=users["supervisor"],
            action="case.assign",
            entity_type="portfolio.case",
            entity_id=7,
            changes={"assigned_to": [None, 3]},
        )
        audit.record(
            actor=users["collector"],
            action="pii.reveal",
            entity_type="portfolio.debtor",
            entity_id=9,
            changes={"field": "id_number"},
            reason="核实身份",
        )


@pytest.mark.parametrize(
    "role, status",
    [
        ("admin", 200),
        ("compliance", 200),
        ("auditor", 200),
        ("supervisor", 403),
        ("collector", 403),
        ("legal", 403),
        ("creditor_viewer", 403),
    ],
)
def test_who_may_see_the_audit_log(login, users, role, status):
    response = login(users[role]).get(AUDIT)
    assert response.status_code == status
    if status == 403:
        assert "没有权限执行此操作" in response.content.decode()


def test_paginated_newest_first(login, users, events):
    client = login(users["auditor"])
    first = client.get(AUDIT)
    assert len(first.context["events"]) == 50
    assert first.context["events"][0].action == "pii.reveal"
    assert first.context["page_obj"].paginator.count == 57
    assert len(client.get(AUDIT, {"page": 2}).context["events"]) == 7


def test_filters(login, users, events):
    client = login(users["auditor"])

    def actions(**params):
        return [e.action for e in client.get(AUDIT, params).context["events"]]

    assert actions(action="case.assign") == ["case.assign"]
    assert client.get(AUDIT, {"action": "case."}).context["page_obj"].paginator.count == 56
    assert actions(actor="supervisor1") == ["case.assign"]
    assert actions(entity_type="portfolio.debtor", entity_id="9") == ["pii.reveal"]
    today = business_today()
    same_day = client.get(AUDIT, {"date_from": today.isoformat(), "date_to": today.isoformat()})
    assert same_day.context["page_obj"].paginator.count == 57
    assert actions(date_to=(today - timedelta(days=1)).isoformat()) == []
    html = client.get(AUDIT, {"action": "case.assign"}).content.decode()
    assert "assigned_to</code>: ∅ → 3" in html


def test_bad_filters_are_400(login, users, events):
    client = login(users["auditor"])
    response = client.get(AUDIT, {"date_from": "2024-13-01"})
    assert response.status_code == 400
    assert "日期不存在：2024-13-01" in response.content.decode()
    response = client.get(AUDIT, {"date_from": "2024-03-02", "date_to": "2024-03-01"})
    assert response.status_code == 400
    assert "截止日期不能早于起始日期" in response.content.decode()
    assert response.context["events"] == []
