"""Whatever is posted or asked for, the pages answer 2xx-4xx with a message, never 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

GARBAGE = [
    {},
    {"amount": "1e400", "due_date": "9999-99-99", "paid_on": "0000-00-00"},
    {"amount": "∞", "debt": "-1", "method": "", "to_stage": "☃", "reason": "x" * 5000},
    {"amount": "１２３", "due_date": "2024年2月30日", "next_action_date": "2024/13/01"},
    {"kind": "call", "party": "debtor", "outcome": "no_answer", "note": "a\x00b"},
    {
        "kind": "debtor",
        "object_id": "999999999999999999999999",
        "attr": "id_number",
        "reason": "核实本人身份",
    },
    {"case_ids": ["1", "x", ""], "page_ids": ["abc"], "assignee": "none", "reason": "\x00"},
    {"quick": "drop table", "contact_point": "1.5"},
]

ACTIONS = ["case_activity", "case_promise", "case_payment", "case_stage", "case_next_action", "case_reveal"]


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("htmx", [False, True])
def test_case_actions_never_500(collector_client, case, name, htmx):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for data in GARBAGE:
        response = collector_client.post(reverse(f"web:{name}", args=[case.pk]), data, **extra)
        assert 200 <= response.status_code < 500, (name, data, response.status_code)
        if response.status_code >= 400:
            assert response.content.strip(), (name, data)


def test_assign_never_500(supervisor_client, case):
    for data in GARBAGE:
        response = supervisor_client.post(reverse("web:assign"), data)
        assert response.status_code == 400, data


@pytest.mark.parametrize(
    "path, params",
    [
        ("web:queue", {"q": "a\x00b"}),
        ("web:queue", {"q": "x" * 1000}),
        ("web:queue", {"min_amount": "1e400", "max_amount": "NaN"}),
        ("web:queue", {"creditor": "99999999999999999999999"}),
        ("web:queue", {"page": "-1", "sort": "-id"}),
        ("web:assign", {"assignee": "x", "creditor": "-3"}),
        ("web:audit", {"date_from": "99999-01-01", "entity_id": "x" * 100}),
        ("web:audit", {"action": "\x00"}),
    ],
)
def test_list_pages_never_500(login, users, path, params):
    client = login(users["admin"])
    response = client.get(reverse(path), params)
    assert response.status_code in (200, 400), (path, params, response.status_code)


def test_case_ids_that_are_not_numbers_are_404(collector_client):
    assert collector_client.get("/cases/abc/").status_code == 404
    assert collector_client.get("/cases/99999999999999999999999/").status_code == 404
