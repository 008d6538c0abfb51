"""Every role × every API endpoint and method: the exact status code, and what each list shows.

Rules: a role that can never do an operation gets 403; an object outside the user's visibility (a
collector's unassigned case, another creditor's data for a creditor_viewer) gets 404."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve

from qingzhai.accounts.roles import Role
from qingzhai.config import api_urls
from qingzhai.core.clock import business_today
from qingzhai.portfolio.intake import import_job_create
from tests.portfolio.api.conftest import World, daytime, placement_csv

ROLES = [r.value for r in Role]


def codes(default: int, **overrides: int) -> dict[str, int]:
    unknown = set(overrides) - set(ROLES)
    assert not unknown, unknown
    return {role: overrides.get(role, default) for role in ROLES}


ALL_200 = codes(200)
HIDDEN_FROM_COLLECTOR_AND_VIEWER = codes(200, collector=404, creditor_viewer=404)
# Capability holders per operation (accounts/roles.py).
WORKERS = {"admin", "supervisor", "collector", "legal"}  # cases.work and cases.change_stage
REVEALERS = WORKERS | {"compliance"}
MANAGERS = {"admin", "supervisor"}  # reference.manage, cases.assign, payments.reverse, intake.import
IMPORT_READERS = MANAGERS | {"compliance", "auditor"}


def only(allowed: set[str], ok: int, **overrides: int) -> dict[str, int]:
    base = {role: (ok if role in allowed else 403) for role in ROLES}
    base.update(overrides)
    return base


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable[[World], str]
    expected: dict[str, int]
    body: Callable[[World, Any], dict] | None = None
    multipart: bool = False


def today_plus(days: int) -> str:
    return (business_today() + timedelta(days=days)).isoformat()


def upload_body(w: World, users: Any) -> dict:
    return {
        "creditor_id": w.a.creditor.pk,
        "file": SimpleUploadedFile("placement.csv", placement_csv(), content_type="text/csv"),
        "skip_invalid": "false",
    }


ENDPOINTS = [
    Endpoint("me", "get", lambda w: "/api/v1/me/", ALL_200),
    Endpoint("logout", "post", lambda w: "/api/v1/auth/logout/", codes(204)),
    # creditors
    Endpoint("creditors list", "get", lambda w: "/api/v1/creditors/", ALL_200),
    Endpoint(
        "creditors create",
        "post",
        lambda w: "/api/v1/creditors/",
        only(MANAGERS, 201),
        lambda w, u: {"name": "新委托方银行", "code": "NEW01", "kind": "bank"},
    ),
    Endpoint("creditor A", "get", lambda w: f"/api/v1/creditors/{w.a.creditor.pk}/", ALL_200),
    Endpoint(
        "creditor B",
        "get",
        lambda w: f"/api/v1/creditors/{w.b.creditor.pk}/",
        HIDDEN_FROM_COLLECTOR_AND_VIEWER,
    ),
    # portfolios
    Endpoint("portfolios list", "get", lambda w: "/api/v1/portfolios/", ALL_200),
    Endpoint(
        "portfolios create",
        "post",
        lambda w: "/api/v1/portfolios/",
        only(MANAGERS, 201),
        lambda w, u: {"creditor_id": w.a.creditor.pk, "code": "NEW-P1", "placement_date": "2026-02-01"},
    ),
    Endpoint("portfolio A", "get", lambda w: f"/api/v1/portfolios/{w.a.portfolio.pk}/", ALL_200),
    Endpoint(
        "portfolio B",
        "get",
        lambda w: f"/api/v1/portfolios/{w.b.portfolio.pk}/",
        HIDDEN_FROM_COLLECTOR_AND_VIEWER,
    ),
    # debtors
    Endpoint("debtors list", "get", lambda w: "/api/v1/debtors/", ALL_200),
    Endpoint("debtor A", "get", lambda w: f"/api/v1/debtors/{w.a.debtor.pk}/", ALL_200),
    Endpoint(
        "debtor B", "get", lambda w: f"/api/v1/debtors/{w.b.debtor.pk}/", HIDDEN_FROM_COLLECTOR_AND_VIEWER
    ),
    Endpoint(
        "reveal A",
        "post",
        lambda w: f"/api/v1/debtors/{w.a.debtor.pk}/reveal/",
        only(REVEALERS, 200),
        lambda w, u: {"field": "id_number", "reason": "核实身份 verify identity"},
    ),
    Endpoint(
        "reveal B",
        "post",
        lambda w: f"/api/v1/debtors/{w.b.debtor.pk}/reveal/",
        only(REVEALERS, 200, collector=404),
        lambda w, u: {"field": "id_number", "reason": "核实身份 verify identity"},
    ),
    # debts
    Endpoint("debts list", "get", lambda w: "/api/v1/debts/", ALL_200),
    Endpoint("debt A", "get", lambda w: f"/api/v1/debts/{w.a.debt.pk}/", ALL_200),
    Endpoint("debt B", "get", lambda w: f"/api/v1/debts/{w.b.debt.pk}/", HIDDEN_FROM_COLLECTOR_AND_VIEWER),
    # cases
    Endpoint("cases list", "get", lambda w: "/api/v1/cases/", ALL_200),
    Endpoint("case A", "get", lambda w: f"/api/v1/cases/{w.a.case.pk}/", ALL_200),
    Endpoint("case B", "get", lambda w: f"/api/v1/cases/{w.b.case.pk}/", HIDDEN_FROM_COLLECTOR_AND_VIEWER),
    Endpoint("timeline A", "get", lambda w: f"/api/v1/cases/{w.a.case.pk}/timeline/", ALL_200),
    Endpoint(
        "timeline B",
        "get",
        lambda w: f"/api/v1/cases/{w.b.case.pk}/timeline/",
        HIDDEN_FROM_COLLECTOR_AND_VIEWER,
    ),
    Endpoint(
        "stage A",
        "post",
        lambda w: f"/api/v1/cases/{w.a.case.pk}/stage/",
        only(WORKERS, 200),
        lambda w, u: {"to_stage": "negotiated", "reason": "已协商 terms discussed"},
    ),
    Endpoint(
        "stage B",
        "post",
        lambda w: f"/api/v1/cases/{w.b.case.pk}/stage/",
        only(WORKERS, 200, collector=404),
        lambda w, u: {"to_stage": "negotiated", "reason": "已协商 terms discussed"},
    ),
    Endpoint(
        "next action A",
        "post",
        lambda w: f"/api/v1/cases/{w.a.case.pk}/next-action/",
        only(WORKERS, 200),
        lambda w, u: {"next_action_date": today_plus(3)},
    ),
    Endpoint(
        "next action B",
        "post",
        lambda w: f"/api/v1/cases/{w.b.case.pk}/next-action/",
        only(WORKERS, 200, collector=404),
        lambda w, u: {"next_action_date": today_plus(3)},
    ),
    Endpoint(
        "assign",
        "post",
        lambda w: "/api/v1/cases/assign/",
        only(MANAGERS, 200),
        lambda w, u: {
            "case_ids": [w.a.case.pk, w.b.case.pk],
            "assignee_id": u["legal"].pk,
            "reason": "调整工作量 rebalance",
        },
    ),
    # payments
    Endpoint("payments list", "get", lambda w: "/api/v1/payments/", ALL_200),
    Endpoint("payment A", "get", lambda w: f"/api/v1/payments/{w.a.payment.pk}/", ALL_200),
    Endpoint(
        "payment B", "get", lambda w: f"/api/v1/payments/{w.b.payment.pk}/", HIDDEN_FROM_COLLECTOR_AND_VIEWER
    ),
    Endpoint(
        "pay A",
        "post",
        lambda w: "/api/v1/payments/",
        only(WORKERS, 201),
        lambda w, u: {"debt_id": w.a.debt.pk, "amount": "100.00", "paid_on": today_plus(0)},
    ),
    Endpoint(
        "pay B",
        "post",
        lambda w: "/api/v1/payments/",
        only(WORKERS, 201, collector=404),
        lambda w, u: {"debt_id": w.b.debt.pk, "amount": "100.00", "paid_on": today_plus(0)},
    ),
    Endpoint(
        "reverse A",
        "post",
        lambda w: f"/api/v1/payments/{w.a.payment.pk}/reverse/",
        only(MANAGERS, 201),
        lambda w, u: {"reason": "银行退票 bounced"},
    ),
    Endpoint(
        "reverse B",
        "post",
        lambda w: f"/api/v1/payments/{w.b.payment.pk}/reverse/",
        only(MANAGERS, 201),
        lambda w, u: {"reason": "银行退票 bounced"},
    ),
    # promises
    Endpoint("promises list", "get", lambda w: "/api/v1/promises/", ALL_200),
    Endpoint("promise A", "get", lambda w: f"/api/v1/promises/{w.a.promise.pk}/", ALL_200),
    Endpoint(
        "promise B", "get", lambda w: f"/api/v1/promises/{w.b.promise.pk}/", HIDDEN_FROM_COLLECTOR_AND_VIEWER
    ),
    Endpoint(
        "promise create A",
        "post",
        lambda w: "/api/v1/promises/",
        only(WORKERS, 201),
        lambda w, u: {"case_id": w.a.case.pk, "amount": "300.00", "due_date": today_plus(5)},
    ),
    Endpoint(
        "promise create B",
        "post",
        lambda w: "/api/v1/promises/",
        only(WORKERS, 201, collector=404),
        lambda w, u: {"case_id": w.b.case.pk, "amount": "300.00", "due_date": today_plus(5)},
    ),
    Endpoint(
        "promise cancel A",
        "post",
        lambda w: f"/api/v1/promises/{w.a.promise.pk}/cancel/",
        only(WORKERS, 200),
        lambda w, u: {"reason": "债务人改期 rescheduled"},
    ),
    Endpoint(
        "promise cancel B",
        "post",
        lambda w: f"/api/v1/promises/{w.b.promise.pk}/cancel/",
        only(WORKERS, 200, collector=404),
        lambda w, u: {"reason": "债务人改期 rescheduled"},
    ),
    # activities
    Endpoint("activities list", "get", lambda w: "/api/v1/activities/", ALL_200),
    Endpoint("activity A", "get", lambda w: f"/api/v1/activities/{w.a.activity.pk}/", ALL_200),
    Endpoint(
        "activity B",
        "get",
        lambda w: f"/api/v1/activities/{w.b.activity.pk}/",
        HIDDEN_FROM_COLLECTOR_AND_VIEWER,
    ),
    Endpoint(
        "activity create A",
        "post",
        lambda w: "/api/v1/activities/",
        only(WORKERS, 201),
        lambda w, u: {
            "case_id": w.a.case.pk,
            "kind": "call",
            "outcome": "no_answer",
            "occurred_at": daytime().isoformat(),
        },
    ),
    Endpoint(
        "activity create B",
        "post",
        lambda w: "/api/v1/activities/",
        only(WORKERS, 201, collector=404),
        lambda w, u: {
            "case_id": w.b.case.pk,
            "kind": "call",
            "outcome": "no_answer",
            "occurred_at": daytime().isoformat(),
        },
    ),
    # imports
    Endpoint("imports list", "get", lambda w: "/api/v1/imports/", only(IMPORT_READERS, 200)),
    Endpoint("import job", "get", lambda w: f"/api/v1/imports/{w.job.pk}/", only(IMPORT_READERS, 200)),
    Endpoint(
        "import upload",
        "post",
        lambda w: "/api/v1/imports/",
        only(MANAGERS, 202),
        upload_body,
        multipart=True,
    ),
    Endpoint("import confirm", "post", lambda w: f"/api/v1/imports/{w.job.pk}/confirm/", only(MANAGERS, 202)),
]

CASES = [(ep, role) for ep in ENDPOINTS for role in ROLES]


def test_every_role_has_an_expectation_for_every_endpoint():
    for ep in ENDPOINTS:
        assert set(ep.expected) == set(ROLES), ep.name


def test_matrix_covers_every_operation_of_the_api(world):
    declared = set()
    for pattern in api_urls.urlpatterns:
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None:
            continue
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view_class, method):
                declared.add((view_class.__name__, method))
    covered = {(resolve(ep.url(world)).func.view_class.__name__, ep.method) for ep in ENDPOINTS}
    # Obtaining a token is anonymous by design; tests/accounts/test_api.py covers it.
    assert covered == declared - {("TokenObtainView", "post")}
    assert len(declared) == 35


def _call(client: Any, ep: Endpoint, world: World, users: Any) -> Any:
    url = ep.url(world)
    data = ep.body(world, users) if ep.body else {}
    if ep.method == "get":
        return client.get(url)
    return client.post(url, data, format="multipart" if ep.multipart else "json")


def _confirmable_job(world: World, users: Any, capture: Any) -> None:
    """Confirm needs a job that the intake itself received and validated."""
    with capture(execute=True):
        world.job = import_job_create(
            actor=users["admin"],
            creditor=world.a.creditor,
            fileobj=io.BytesIO(placement_csv()),
            filename="placement.csv",
            options={"skip_invalid": False},
        )


@pytest.mark.parametrize(("ep", "role"), CASES, ids=[f"{ep.name}-{role}" for ep, role in CASES])
def test_access(ep, role, world, users, api_for, django_capture_on_commit_callbacks):
    expected = ep.expected[role]
    if expected == 202 and ep.name == "import confirm":
        _confirmable_job(world, users, django_capture_on_commit_callbacks)
    response = _call(api_for(role), ep, world, users)
    assert response.status_code == expected, (ep.name, role, response.content[:300])
    if expected >= 400:
        body = response.json()
        assert set(body) == {"code", "message", "fields"}
        assert body["code"] == {403: "permission_denied", 404: "not_found"}[expected]


@pytest.mark.parametrize("ep", ENDPOINTS, ids=[ep.name for ep in ENDPOINTS])
def test_anonymous_gets_401(ep, world, users, api_for):
    response = _call(api_for(None), ep, world, users)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


LISTS = {
    "cases": lambda s: s.case.pk,
    "debts": lambda s: s.debt.pk,
    "debtors": lambda s: s.debtor.pk,
    "payments": lambda s: s.payment.pk,
    "promises": lambda s: s.promise.pk,
    "activities": lambda s: s.activity.pk,
    "portfolios": lambda s: s.portfolio.pk,
    "creditors": lambda s: s.creditor.pk,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", sorted(LISTS))
def test_lists_show_only_visible_rows(resource, role, world, api_for):
    response = api_for(role).get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    pick = LISTS[resource]
    if role in ("collector", "creditor_viewer"):
        assert ids == {pick(world.a)}
    else:
        assert ids == {pick(world.a), pick(world.b)}
    assert response.json()["count"] == len(ids)


def test_creditor_viewer_sees_only_its_creditor_everywhere(world, api_for):
    client = api_for("creditor_viewer")
    cases = client.get("/api/v1/cases/").json()["results"]
    assert [c["creditor"]["id"] for c in cases] == [world.a.creditor.pk]
    assert client.get(f"/api/v1/cases/?creditor={world.b.creditor.pk}").json()["count"] == 0
    assert client.get(f"/api/v1/debts/?creditor={world.b.creditor.pk}").json()["count"] == 0
    assert client.get(f"/api/v1/creditors/{world.b.creditor.pk}/").status_code == 404


def test_collector_reads_of_someone_elses_records_are_404(world, api_for):
    client = api_for("collector")
    for url in (
        f"/api/v1/cases/{world.b.case.pk}/",
        f"/api/v1/debts/{world.b.debt.pk}/",
        f"/api/v1/payments/{world.b.payment.pk}/",
        f"/api/v1/promises/{world.b.promise.pk}/",
        f"/api/v1/activities/{world.b.activity.pk}/",
        f"/api/v1/debtors/{world.b.debtor.pk}/",
        f"/api/v1/cases/{world.b.case.pk}/timeline/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


def test_collector_loses_a_case_when_it_is_reassigned(world, users, api_for):
    supervisor, collector = api_for("supervisor"), api_for("collector")
    assert collector.get(f"/api/v1/cases/{world.a.case.pk}/").status_code == 200
    response = supervisor.post(
        "/api/v1/cases/assign/",
        {"case_ids": [world.a.case.pk], "assignee_id": users["legal"].pk, "reason": "离职交接 handover"},
        format="json",
    )
    assert response.json() == {"changed": 1}
    assert collector.get(f"/api/v1/cases/{world.a.case.pk}/").status_code == 404
    assert collector.get("/api/v1/cases/").json()["count"] == 0
