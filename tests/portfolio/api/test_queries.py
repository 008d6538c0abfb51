"""Lists answer with a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingzhai.compliance.services import contact_log
from qingzhai.core.clock import business_today
from qingzhai.portfolio import services
from qingzhai.portfolio.models import Activity, ImportJob, Tag
from tests.factories import DebtFactory, case_with_debt
from tests.portfolio.api.conftest import daytime

LISTS = ["cases", "debts", "debtors", "payments", "promises", "activities", "portfolios", "creditors"]


def _grow(n: int, users) -> None:
    admin = users["admin"]
    tag, _ = Tag.objects.get_or_create(name="高风险")
    today = business_today()
    for _ in range(n):
        case = case_with_debt(assigned_to=users["collector"])
        case.tags.add(tag)
        debt = case.debts.get()
        services.payment_record(actor=admin, debt_id=debt.pk, amount_fen=1_000, paid_on=today)
        services.promise_create(
            actor=admin, case_id=case.pk, amount_fen=2_000, due_date=today + timedelta(days=3)
        )
        contact_log(
            actor=admin,
            case_id=case.pk,
            kind=Activity.Kind.CALL,
            outcome=Activity.Outcome.NO_ANSWER,
            contact_point_id=case.debtor.contact_points.get().pk,
            occurred_at=daytime(),
        )
        services.creditor_viewer_grant(
            actor=admin, user=users["creditor_viewer"], creditor_codes=[case.portfolio.creditor.code]
        )
        ImportJob.objects.create(
            creditor=case.portfolio.creditor,
            portfolio=case.portfolio,
            uploaded_by=users["supervisor"],
            original_name="p.csv",
            stored_path="imports/p.csv",
        )


def _count(client, url: str, rows: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    results = body["results"] if isinstance(body, dict) else body
    assert len(results) == rows, url
    return len(ctx.captured_queries)


# Each list as a role that sees everything, a collector (assigned cases) and a creditor_viewer (grants);
# imports only for the roles that may read them.
PARAMS = [
    *[(resource, role) for resource in LISTS for role in ("admin", "collector", "creditor_viewer")],
    ("imports", "admin"),
    ("imports", "auditor"),
]


@pytest.mark.parametrize(("resource", "role"), PARAMS, ids=[f"{r}-{role}" for r, role in PARAMS])
def test_list_queries_do_not_grow_with_rows(resource, role, users, api_for):
    client = api_for(role)
    url = f"/api/v1/{resource}/"
    _grow(2, users)
    small = _count(client, url, 2)
    _grow(18, users)
    assert _count(client, url, 20) == small
    assert small <= 8


def test_case_list_with_filters_and_search_keeps_its_query_count(users, api_for):
    client = api_for("admin")
    url = "/api/v1/cases/?stage=contact&bucket=M2&q=张&tag=高风险&min_balance=1&sort=-balance"
    _grow(2, users)
    small = _count(client, url, 2)
    _grow(18, users)
    assert _count(client, url, 20) == small


def test_case_timeline_and_detail_keep_their_query_count(users, api_for):
    client = api_for("collector")
    case = case_with_debt(assigned_to=users["collector"])
    admin = users["admin"]

    def add(n: int) -> None:
        for _ in range(n):
            DebtFactory(case=case)
            services.activity_log(
                actor=admin,
                case_id=case.pk,
                kind=Activity.Kind.NOTE,
                outcome=Activity.Outcome.OTHER,
                note="备注",
            )
        services.case_refresh_totals(case=case)

    add(2)
    timeline_small = _count(client, f"/api/v1/cases/{case.pk}/timeline/", 2)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(f"/api/v1/cases/{case.pk}/").json()["debts"]) == 3
    add(18)
    assert _count(client, f"/api/v1/cases/{case.pk}/timeline/", 20) == timeline_small
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(f"/api/v1/cases/{case.pk}/").json()["debts"]) == 21
    assert len(large.captured_queries) == len(small.captured_queries)
