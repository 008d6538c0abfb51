"""The decision log, one decision and its re-explanation (compliance.view)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qingzhai.compliance import services
from qingzhai.core.clock import business_today
from tests.compliance.api.conftest import night
from tests.portfolio.api.conftest import daytime
from tests.portfolio.api.test_errors import assert_error

URL = "/api/v1/compliance/decisions/"


@pytest.fixture
def decisions(world, users):
    """Per case: the allowed call the world logged, a denied night SMS, an allowed e-mail check."""
    collector, admin = users["collector"], users["admin"]
    denied = services.contact_clear(actor=collector, case_id=world.a.case.pk, kind="sms", at=night())
    email = services.contact_clear(actor=collector, case_id=world.a.case.pk, kind="email", at=daytime(11))
    denied_b = services.contact_clear(actor=admin, case_id=world.b.case.pk, kind="call", at=night())
    return {"denied": denied, "email": email, "denied_b": denied_b}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return [row["id"] for row in body["results"]]


def test_filters(decisions, world, api_for):
    client = api_for("compliance")
    d = decisions
    everything = _ids(client.get(URL))
    assert set(everything) >= {d["denied"].pk, d["email"].pk, d["denied_b"].pk}
    assert len(everything) == 5  # and the two calls the world logged
    assert _ids(client.get(URL + "?allowed=false")) == [d["denied_b"].pk, d["denied"].pk]
    assert d["email"].pk in _ids(client.get(URL + "?allowed=true"))
    assert _ids(client.get(URL + f"?allowed=false&case={world.a.case.pk}")) == [d["denied"].pk]
    assert _ids(client.get(URL + "?channel=email")) == [d["email"].pk]
    today = business_today()
    assert len(_ids(client.get(URL + f"?from={today}&to={today}"))) == 5
    assert _ids(client.get(URL + f"?to={today - timedelta(days=1)}")) == []
    assert _ids(client.get(URL + f"?from={today + timedelta(days=1)}")) == []


def test_detail_and_explain(decisions, api_for):
    client = api_for("auditor")
    denied = decisions["denied"]
    detail = client.get(f"{URL}{denied.pk}/").json()
    assert (detail["id"], detail["allowed"], detail["channel"]) == (denied.pk, False, "sms")
    assert set(detail["basis"]) == {"request", "facts", "overrides", "history"}
    explained = client.get(f"{URL}{denied.pk}/explain/")
    assert explained.status_code == 200
    body = explained.json()
    assert body["matches_stored"] is True
    assert body["decision"]["id"] == denied.pk
    assert {
        k: body["evaluation"][k] for k in ("allowed", "pack", "pack_version", "route", "requirements")
    } == {
        "allowed": False,
        "pack": "cn",
        "pack_version": "cn@2026-01-30",
        "route": "",
        "requirements": [],
    }
    assert [r["rule"] for r in body["evaluation"]["rules"]] == ["cn.hours.night"]


def test_explain_notices_a_stored_answer_that_differs(decisions, api_for):
    denied = decisions["denied"]
    denied.allowed = True  # as if the row had been tampered with
    denied.save(update_fields=["allowed"])
    assert api_for("compliance").get(f"{URL}{denied.pk}/explain/").json()["matches_stored"] is False


@pytest.mark.parametrize("role", ["collector", "creditor_viewer"])
def test_roles_without_compliance_view(role, decisions, api_for):
    client = api_for(role)
    pk = decisions["denied"].pk
    for url in (URL, f"{URL}{pk}/", f"{URL}{pk}/explain/"):
        assert_error(client.get(url), 403, "permission_denied")


def test_unknown_decision(api_for, world):
    assert_error(api_for("compliance").get(f"{URL}999999/"), 404, "not_found")
    assert_error(api_for("compliance").get(f"{URL}999999/explain/"), 404, "not_found")


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ("allowed=perhaps", {"allowed"}),
        ("case=0", {"case"}),
        ("channel=note", {"channel"}),
        ("from=2026-13-01", {"from"}),
        ("from=2026-03-02&to=2026-03-01", {"to"}),
    ],
)
def test_bad_filters(params, fields, world, api_for):
    assert_error(api_for("compliance").get(f"{URL}?{params}"), 400, "invalid", fields)
