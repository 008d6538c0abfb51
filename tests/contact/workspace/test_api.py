"""The workspace API: the queue and the next case, outcomes through the gate, callbacks; errors in the
house shape."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qingzhai.compliance.models import ContactDecision
from qingzhai.core.clock import business_today
from qingzhai.portfolio.models import Activity, ContactPoint, PromiseToPay
from tests.portfolio.api.conftest import token_client

pytestmark = pytest.mark.django_db
API = "/api/v1/contact/workspace"


def test_access(users, case):
    assert token_client(None).get(f"{API}/next/").status_code == 401
    assert token_client(users["auditor"]).get(f"{API}/next/").status_code == 403
    assert (
        token_client(users["auditor"])
        .post(f"{API}/cases/{case.pk}/outcome/", {"outcome": "no_answer"})
        .status_code
        == 403
    )


def test_queue_and_next(users, case, daytime):
    client = token_client(users["collector"])
    rows = client.get(f"{API}/queue/").json()
    assert [r["case_id"] for r in rows] == [case.pk] and rows[0]["callable"] is True
    assert (
        rows[0]["debtor_masked"].startswith(case.debtor.name[0])
        and rows[0]["debtor_masked"] != case.debtor.name
    )
    pick = client.get(f"{API}/next/").json()
    assert pick["case"]["case_id"] == case.pk and pick["skipped"] == []
    assert client.get(f"{API}/queue/?size=0").status_code == 400


def test_next_at_night_is_null_with_reasons(users, case, night):
    pick = token_client(users["collector"]).get(f"{API}/next/").json()
    assert pick["case"] is None
    assert pick["skipped"][0]["refusals"][0]["rule"] == "cn.hours.night"


def test_outcome_promise(users, case, daytime):
    cp = ContactPoint.objects.get(debtor=case.debtor).pk
    due = (business_today() + timedelta(days=4)).isoformat()
    response = token_client(users["collector"]).post(
        f"{API}/cases/{case.pk}/outcome/",
        {"outcome": "promise", "contact_point_id": cp, "amount": "2000", "due_date": due, "heard": ["是我"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outcome"] == "promise" and body["promise_id"] == PromiseToPay.objects.get(case=case).pk
    assert ContactDecision.objects.get(pk=body["decision_id"]).activity_id == body["activity_id"]


def test_outcome_denied_is_409_with_the_decision(users, case, night):
    response = token_client(users["collector"]).post(
        f"{API}/cases/{case.pk}/outcome/", {"outcome": "no_answer"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "contact_denied" and "cn.hours.night" in body["fields"]["rules"]
    assert ContactDecision.objects.filter(pk=int(body["fields"]["decision_id"][0]), allowed=False).exists()
    assert not Activity.objects.exists()


def test_outcome_errors(users, case, other_case, daytime):
    client = token_client(users["collector"])
    bad = client.post(f"{API}/cases/{case.pk}/outcome/", {"outcome": "nope"}, format="json")
    assert bad.status_code == 400 and "outcome" in bad.json()["fields"]
    missing = client.post(f"{API}/cases/{case.pk}/outcome/", {"outcome": "promise"}, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "promise_incomplete"
    assert (
        client.post(
            f"{API}/cases/{other_case.pk}/outcome/", {"outcome": "no_answer"}, format="json"
        ).status_code
        == 404
    )


def test_callback(users, case):
    on = (business_today() + timedelta(days=1)).isoformat()
    response = token_client(users["collector"]).post(
        f"{API}/cases/{case.pk}/callback/", {"on": on, "at_time": "16:00", "note": "下班后"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["next_action_date"] == on and body["note_activity_id"]
    case.refresh_from_db()
    assert case.next_action_date.isoformat() == on
