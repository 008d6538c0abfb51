"""POST /api/v1/activities/ logs an outbound contact only through the compliance gate."""

from __future__ import annotations

from qingzhai.compliance.models import ContactDecision
from qingzhai.portfolio.models import Activity
from tests.compliance.api.conftest import night
from tests.portfolio.api.conftest import daytime
from tests.portfolio.api.test_errors import assert_error

URL = "/api/v1/activities/"


def test_denied_contact_is_409_and_logs_nothing(world, api_for):
    activities = Activity.objects.count()
    response = api_for("collector").post(
        URL,
        {
            "case_id": world.a.case.pk,
            "kind": "call",
            "outcome": "connected",
            "occurred_at": night().isoformat(),
        },
        format="json",
    )
    body = assert_error(response, 409, "contact_denied", {"rules", "decision_id"})
    decision = ContactDecision.objects.get(pk=int(body["fields"]["decision_id"][0]))
    assert body["fields"]["rules"] == ["cn.hours.night"]
    assert body["message"].startswith("不得联系：当地时间23:00处于夜间禁止时段")
    assert (decision.allowed, decision.source, decision.case_id, decision.activity_id) == (
        False,
        "api",
        world.a.case.pk,
        None,
    )
    assert Activity.objects.count() == activities


def test_contact_cleared_in_advance_is_logged_with_its_decision(world, api_for):
    client = api_for("collector")
    point = world.a.debtor.contact_points.get()
    at = daytime(11).isoformat()
    check = client.post(
        "/api/v1/compliance/gate/check/",
        {"case_id": world.a.case.pk, "kind": "email", "contact_point_id": point.pk, "at": at},
        format="json",
    ).json()
    assert check["allowed"] is True
    payload = {
        "case_id": world.a.case.pk,
        "kind": "email",
        "outcome": "delivered",
        "contact_point_id": point.pk,
        "occurred_at": at,
        "decision_id": check["id"],
    }
    response = client.post(URL, payload, format="json")
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(pk=response.json()["id"])
    assert (activity.kind, activity.outcome, activity.contact_point_id) == ("email", "delivered", point.pk)
    assert ContactDecision.objects.get(pk=check["id"]).activity_id == activity.pk
    again = client.post(URL, payload, format="json")
    assert_error(again, 400, "decision_invalid", {"decision_id"})
    assert Activity.objects.filter(kind="email").count() == 1


def test_denied_decision_cannot_be_used(world, api_for):
    client = api_for("collector")
    at = night().isoformat()
    check = client.post(
        "/api/v1/compliance/gate/check/",
        {"case_id": world.a.case.pk, "kind": "call", "at": at},
        format="json",
    ).json()
    response = client.post(
        URL,
        {
            "case_id": world.a.case.pk,
            "kind": "call",
            "outcome": "no_answer",
            "occurred_at": at,
            "decision_id": check["id"],
        },
        format="json",
    )
    assert_error(response, 400, "decision_invalid", {"decision_id"})


def test_new_kinds_and_party_are_accepted(world, api_for):
    client = api_for("collector")
    at = daytime(12).isoformat()
    for kind, party, outcome in (("bot_call", "debtor", "no_answer"), ("email", "guarantor", "delivered")):
        response = client.post(
            URL,
            {"case_id": world.a.case.pk, "kind": kind, "party": party, "outcome": outcome, "occurred_at": at},
            format="json",
        )
        assert response.status_code == 201, (kind, response.content)
        assert (response.json()["kind"], response.json()["party"]) == (kind, party)


def test_represented_debtor_is_contacted_through_the_lawyer(world, api_for):
    client = api_for("collector")
    protected = client.patch(
        f"/api/v1/compliance/cases/{world.a.case.pk}/protection/",
        {"lawyer_represented": True, "lawyer_name": "李律师", "reason": "债务人告知已委托律师"},
        format="json",
    )
    assert protected.status_code == 200
    at = daytime(12).isoformat()
    to_debtor = client.post(
        URL,
        {
            "case_id": world.a.case.pk,
            "kind": "letter",
            "party": "debtor",
            "outcome": "delivered",
            "occurred_at": at,
        },
        format="json",
    )
    assert assert_error(to_debtor, 409, "contact_denied", {"rules", "decision_id"})["fields"]["rules"] == [
        "stop.lawyer"
    ]
    to_lawyer = client.post(
        URL,
        {
            "case_id": world.a.case.pk,
            "kind": "letter",
            "party": "lawyer",
            "outcome": "delivered",
            "occurred_at": at,
        },
        format="json",
    )
    assert to_lawyer.status_code == 201
    assert (to_lawyer.json()["kind"], to_lawyer.json()["party"]) == ("letter", "lawyer")
    assert list(
        Activity.objects.filter(case=world.a.case, kind="letter").values_list("party", flat=True)
    ) == ["lawyer"]


def test_a_note_at_night_needs_no_gate(world, api_for):
    decisions = ContactDecision.objects.count()
    response = api_for("collector").post(
        URL,
        {"case_id": world.a.case.pk, "kind": "note", "outcome": "other", "occurred_at": night().isoformat()},
        format="json",
    )
    assert response.status_code == 201
    assert ContactDecision.objects.count() == decisions


def test_bad_input(world, api_for):
    response = api_for("collector").post(
        URL,
        {
            "case_id": world.a.case.pk,
            "kind": "fax",
            "outcome": "connected",
            "party": "boss",
            "decision_id": "x",
        },
        format="json",
    )
    assert_error(response, 400, "invalid", {"kind", "party", "decision_id"})
