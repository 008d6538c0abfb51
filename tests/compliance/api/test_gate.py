"""POST /api/v1/compliance/gate/check/: the gate's answer, stored, for those who work cases."""

from __future__ import annotations

import pytest

from qingzhai.compliance.models import ContactDecision
from tests.compliance.api.conftest import night
from tests.portfolio.api.conftest import daytime
from tests.portfolio.api.test_errors import assert_error

URL = "/api/v1/compliance/gate/check/"
NIGHT_RULE = {
    "rule": "cn.hours.night",
    "effect": "deny",
    "zh": "当地时间23:00处于夜间禁止时段（22:00至次日08:00）：未经债务人约定不得催收。",
    "en": "Local time 23:00 is in the night window (22:00 to 08:00): no collection contact without the debtor's "
    "agreement.",
    "params": {
        "local_time": "23:00",
        "allowed_from": "08:00",
        "allowed_until": "22:00",
        "timezone": "Asia/Shanghai",
    },
}


def test_allowed_contact_is_answered_and_stored(world, users, api_for):
    point = world.a.debtor.contact_points.get()
    at = daytime(11)
    response = api_for("collector").post(
        URL,
        {"case_id": world.a.case.pk, "kind": "call", "contact_point_id": point.pk, "at": at.isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    stored = ContactDecision.objects.get(pk=body["id"])
    assert {k: body[k] for k in ("case_id", "debtor_id", "channel", "party", "contact_point_id")} == {
        "case_id": world.a.case.pk,
        "debtor_id": world.a.debtor.pk,
        "channel": "call",
        "party": "debtor",
        "contact_point_id": point.pk,
    }
    assert body["contact_point_masked"] == point.value_masked
    assert (body["allowed"], body["pack"], body["pack_version"], body["route"]) == (
        True,
        "cn",
        "cn@2026-01-30",
        "",
    )
    assert (body["requirements"], body["rules"], body["summary"]) == ([], [], "允许联系")
    assert (body["source"], body["actor"]["username"], body["activity_id"]) == ("api", "collector1", None)
    assert (stored.allowed, stored.source, stored.actor_id, stored.planned_at) == (
        True,
        "api",
        users["collector"].pk,
        at,
    )


def test_night_contact_is_denied_with_its_rule(world, api_for):
    before = ContactDecision.objects.count()
    response = api_for("collector").post(
        URL, {"case_id": world.a.case.pk, "kind": "sms", "at": night().isoformat()}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["allowed"] is False
    assert [{k: v for k, v in rule.items() if k != "basis"} for rule in body["rules"]] == [NIGHT_RULE]
    assert body["rules"][0]["basis"].startswith("GB/T 45251—2025")
    assert body["summary"] == "不得联系：" + NIGHT_RULE["zh"]
    assert ContactDecision.objects.count() == before + 1
    assert ContactDecision.objects.get(pk=body["id"]).allowed is False


def test_answer_in_english_on_request(world, api_for):
    response = api_for("collector").post(
        URL,
        {"case_id": world.a.case.pk, "kind": "call", "at": night().isoformat()},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["summary"] == "Contact not allowed: " + NIGHT_RULE["en"]


def test_informational_message_during_a_dispute_passes_a_demand_does_not(world, api_for):
    client = api_for("collector")
    created = client.post(
        f"/api/v1/compliance/cases/{world.a.case.pk}/disputes/", {"reason": "债务人称已结清"}, format="json"
    )
    assert created.status_code == 201
    at = daytime(11).isoformat()
    demand = client.post(URL, {"case_id": world.a.case.pk, "kind": "sms", "at": at}, format="json").json()
    info = client.post(
        URL, {"case_id": world.a.case.pk, "kind": "sms", "at": at, "pressure": False}, format="json"
    ).json()
    assert (demand["allowed"], [r["rule"] for r in demand["rules"] if r["effect"] == "deny"]) == (
        False,
        ["stop.dispute"],
    )
    assert info["allowed"] is True


@pytest.mark.parametrize(
    ("role", "side", "status", "code"),
    [
        ("collector", "b", 404, "not_found"),
        ("compliance", "a", 403, "permission_denied"),
        ("auditor", "a", 403, "permission_denied"),
        ("creditor_viewer", "a", 403, "permission_denied"),
        (None, "a", 401, "not_authenticated"),
    ],
)
def test_refusals(role, side, status, code, world, api_for):
    before = ContactDecision.objects.count()
    case = getattr(world, side).case
    response = api_for(role).post(URL, {"case_id": case.pk, "kind": "call"}, format="json")
    assert_error(response, status, code)
    assert ContactDecision.objects.count() == before


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"case_id", "kind"}),
        ({"kind": "note"}, {"kind"}),
        ({"kind": "call", "party": "none"}, {"party"}),
        ({"kind": "call", "at": "yesterday"}, {"at"}),
        ({"kind": "call", "pressure": "perhaps"}, {"pressure"}),
        ({"kind": "call", "contact_point_id": 0}, {"contact_point_id"}),
    ],
)
def test_bad_input_names_the_fields(data, fields, world, api_for):
    payload = {"case_id": world.a.case.pk, **data} if data else {}
    response = api_for("collector").post(URL, payload, format="json")
    assert_error(response, 400, "invalid", fields)


def test_contact_point_of_another_debtor(world, api_for):
    response = api_for("admin").post(
        URL,
        {
            "case_id": world.a.case.pk,
            "kind": "call",
            "contact_point_id": world.b.debtor.contact_points.get().pk,
        },
        format="json",
    )
    assert_error(response, 400, "contact_point_invalid", {"contact_point_id"})


def test_time_before_any_pack_version_is_bad_input(world, api_for):
    response = api_for("admin").post(
        URL, {"case_id": world.a.case.pk, "kind": "call", "at": "2001-05-01T10:00:00+08:00"}, format="json"
    )
    assert_error(response, 400, "policy_pack_not_in_force", {"at"})
