"""Bulk assignment by supervisors, with workload per collector."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingzhai.core.models import AuditEvent
from qingzhai.portfolio.models import Case
from tests.factories import case_with_debt

pytestmark = pytest.mark.django_db

ASSIGN = reverse("web:assign")


@pytest.fixture
def pool(db):
    """Four unassigned cases."""
    return [case_with_debt() for _ in range(4)]


def ids(response) -> list[int]:
    return [row["case"].pk for row in response.context["rows"]]


def test_page_lists_cases_and_workload(supervisor_client, pool, case, collector):
    response = supervisor_client.get(ASSIGN)
    assert response.status_code == 200
    assert ids(response) == sorted([c.pk for c in pool] + [case.pk])
    people = {p.username: (p.open_cases, p.open_balance_fen, p.due_cases) for p in response.context["people"]}
    assert people == {"collector1": (1, 1_080_000, 0), "legal1": (0, 0, 0)}
    assert response.context["unassigned"] == 4
    html = response.content.decode()
    assert "¥10,800.00" in html
    assert "未分配的在办案件：4" in html


def test_filter_unassigned_and_by_collector(supervisor_client, pool, case, collector):
    assert ids(supervisor_client.get(ASSIGN, {"assignee": "none"})) == [c.pk for c in pool]
    assert ids(supervisor_client.get(ASSIGN, {"assignee": collector.pk})) == [case.pk]
    bad = supervisor_client.get(ASSIGN, {"assignee": "999"})
    assert bad.status_code == 400
    assert "请选择列表中的选项" in bad.content.decode()


def test_assign_ticked_cases(supervisor_client, pool, collector):
    picked = [pool[0].pk, pool[2].pk]
    response = supervisor_client.post(
        ASSIGN,
        {
            "case_ids": picked,
            "page_ids": [c.pk for c in pool],
            "assignee": collector.pk,
            "reason": "平衡工作量",
            "query": "assignee=none",
        },
    )
    assert response.status_code == 303
    assert response["Location"] == f"{ASSIGN}?assignee=none"
    assert sorted(Case.objects.filter(assigned_to=collector).values_list("pk", flat=True)) == picked
    events = AuditEvent.objects.filter(action="case.assign").order_by("entity_id")
    assert [(e.entity_id, e.reason, e.source) for e in events] == [
        (str(pk), "平衡工作量", "web") for pk in picked
    ]
    page = supervisor_client.get(response["Location"]).content.decode()
    assert "已分配 2 个案件" in page


def test_assign_all_on_page_then_unassign(supervisor_client, pool, collector):
    page_ids = [c.pk for c in pool]
    response = supervisor_client.post(
        ASSIGN, {"scope": "page", "page_ids": page_ids, "assignee": collector.pk, "reason": "新批次"}
    )
    assert response.status_code == 303
    assert Case.objects.filter(assigned_to=collector).count() == 4
    response = supervisor_client.post(
        ASSIGN, {"case_ids": page_ids[:1], "page_ids": page_ids, "assignee": "none", "reason": "离职交接"}
    )
    assert response.status_code == 303
    assert Case.objects.filter(assigned_to__isnull=True).count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"assignee": "COLLECTOR", "reason": "x"}, "请至少勾选一个案件"),
        ({"case_ids": "PICK", "reason": "x"}, "此项必填"),
        ({"case_ids": "PICK", "assignee": "COLLECTOR", "reason": "  "}, "此项必填"),
        ({"case_ids": "PICK", "assignee": "999", "reason": "x"}, "请选择列表中的选项"),
        ({"case_ids": "abc", "assignee": "COLLECTOR", "reason": "x"}, "请选择列表中的选项"),
        ({"case_ids": "99999", "assignee": "COLLECTOR", "reason": "x"}, "请选择列表中的选项"),
    ],
)
def test_bad_assignment_is_400(supervisor_client, pool, collector, data, message):
    data = {k: {"PICK": pool[0].pk, "COLLECTOR": collector.pk}.get(v, v) for k, v in data.items()}
    data["page_ids"] = [c.pk for c in pool]
    response = supervisor_client.post(ASSIGN, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.filter(assigned_to__isnull=False).count() == 0


def test_cases_vanished_meanwhile(supervisor_client, pool, collector):
    response = supervisor_client.post(
        ASSIGN,
        {
            "case_ids": [pool[0].pk, 99999],
            "page_ids": [pool[0].pk, 99999],
            "assignee": collector.pk,
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "部分案件不存在" in response.content.decode()


def test_cannot_assign_to_a_supervisor(supervisor_client, pool, supervisor):
    response = supervisor_client.post(
        ASSIGN, {"case_ids": [pool[0].pk], "page_ids": [pool[0].pk], "assignee": supervisor.pk, "reason": "x"}
    )
    assert response.status_code == 400
    assert "请选择列表中的选项" in response.content.decode()


@pytest.mark.parametrize(
    "role, status",
    [
        ("admin", 200),
        ("supervisor", 200),
        ("collector", 403),
        ("legal", 403),
        ("compliance", 403),
        ("auditor", 403),
        ("creditor_viewer", 403),
    ],
)
def test_who_may_assign(login, users, role, status):
    client = login(users[role])
    assert client.get(ASSIGN).status_code == status
    assert client.post(ASSIGN, {}).status_code == (400 if status == 200 else 403)


def test_htmx_filter_returns_results_only(supervisor_client, pool):
    response = supervisor_client.get(ASSIGN, {"bucket": "M2"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert len(response.context["rows"]) == 4


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(ASSIGN).status_code == 200
    return len(ctx.captured_queries)


def test_fixed_number_of_queries(supervisor_client, make_user):
    for _ in range(3):
        case_with_debt()
    small = _queries(supervisor_client)
    for _ in range(27):
        case_with_debt()
    for i in range(5):
        make_user("collector", username=f"c{i}")
    big = _queries(supervisor_client)
    # session, user, workload, creditors, count, rows, phones, promises, unassigned count, session save (3)
    assert (small, big) == (12, 12)
