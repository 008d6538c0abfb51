"""Debtor protections and disputes through the API."""

from __future__ import annotations

import pytest

from qingzhai.compliance import services
from qingzhai.compliance.models import DebtorProtection, Dispute
from qingzhai.core import pii
from qingzhai.core.models import AuditEvent
from tests.portfolio.api.conftest import daytime
from tests.portfolio.api.test_errors import assert_error


def url(case) -> str:
    return f"/api/v1/compliance/cases/{case.pk}/protection/"


def test_default_protection(world, api_for):
    response = api_for("collector").get(url(world.a.case))
    assert response.status_code == 200
    assert response.json() == {
        "case_id": world.a.case.pk,
        "debtor_id": world.a.debtor.pk,
        "bankrupt": False,
        "deceased": False,
        "minor": False,
        "incapacitated": False,
        "time_barred": False,
        "unreachable": False,
        "guarantor_contact_allowed": True,
        "hardship_until": None,
        "lawyer_represented": False,
        "lawyer_name": "",
        "lawyer_phone_masked": "",
        "opted_out": [],
        "agreed_windows": [],
        "initial_communication_at": None,
        "validation_notice_sent_at": None,
        "updated_by": None,
        "updated_at": None,
        "disputes": [],
    }


def test_collector_records_what_the_debtor_states(world, users, api_for):
    response = api_for("collector").patch(
        url(world.a.case),
        {
            "opted_out": ["sms", "email", "sms"],
            "agreed_windows": [{"start": "21:00", "end": "23:30", "weekdays": [5, 6, 5]}],
            "lawyer_phone": "139-0000-1234",
            "reason": "债务人电话中要求",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["opted_out"] == ["email", "sms"]
    assert body["agreed_windows"] == [{"start": "21:00", "end": "23:30", "on": None, "weekdays": [5, 6]}]
    assert body["lawyer_phone_masked"] == "139****1234"
    assert body["updated_by"]["username"] == "collector1"
    protection = DebtorProtection.objects.get(debtor=world.a.debtor)
    assert pii.get_value(protection, "lawyer_phone") == "13900001234"
    event = AuditEvent.objects.get(action="protection.set")
    assert (event.source, event.reason) == ("api", "债务人电话中要求")
    denied = services.contact_clear(
        actor=users["collector"], case_id=world.a.case.pk, kind="sms", at=daytime()
    )
    assert [h["rule"] for h in denied.hits if h["effect"] == "deny"] == ["stop.opt_out"]


def test_collector_may_not_set_legal_facts(world, api_for):
    response = api_for("collector").patch(
        url(world.a.case), {"bankrupt": True, "reason": "听说破产"}, format="json"
    )
    assert_error(response, 403, "permission_denied")
    assert not DebtorProtection.objects.exists()


def test_compliance_sets_bankruptcy_and_hardship(world, users, api_for):
    response = api_for("compliance").patch(
        url(world.a.case),
        {"bankrupt": True, "hardship_until": "2027年1月31日", "reason": "法院受理破产申请"},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["bankrupt"], response.json()["hardship_until"]) == (True, "2027-01-31")
    decision = services.contact_clear(
        actor=users["supervisor"], case_id=world.a.case.pk, kind="call", at=daytime()
    )
    assert decision.allowed is False
    assert "stop.bankrupt" in [h["rule"] for h in decision.hits]


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"reason": "只有原因"}, {"non_field_errors"}),
        ({"bankrupt": True}, {"reason"}),
        ({"opted_out": ["fax"], "reason": "r"}, {"opted_out.0"}),
        ({"agreed_windows": [{"start": "25:00", "end": "09:00"}], "reason": "r"}, {"agreed_windows.0.start"}),
        ({"agreed_windows": [{"start": "09:00", "end": "09:00"}], "reason": "r"}, {"agreed_windows.0.end"}),
        (
            {"agreed_windows": [{"start": "09:00", "end": "10:00", "weekdays": [7]}], "reason": "r"},
            {"agreed_windows.0.weekdays.0"},
        ),
        ({"hardship_until": "someday", "reason": "r"}, {"hardship_until"}),
        ({"lawyer_phone": "call me", "reason": "r"}, {"lawyer_phone"}),
        ({"minor": "maybe", "reason": "r"}, {"minor"}),
    ],
)
def test_bad_protection_input(data, fields, world, api_for):
    response = api_for("compliance").patch(url(world.a.case), data, format="json")
    assert_error(response, 400, "invalid", fields)
    assert not DebtorProtection.objects.exists()


@pytest.mark.parametrize(
    ("role", "side", "get_status", "patch_status"),
    [
        ("collector", "b", 404, 404),
        ("auditor", "a", 200, 403),
        ("creditor_viewer", "a", 403, 403),
        ("legal", "a", 200, 200),
    ],
)
def test_protection_permissions(role, side, get_status, patch_status, world, api_for):
    client = api_for(role)
    case = getattr(world, side).case
    assert client.get(url(case)).status_code == get_status
    response = client.patch(url(case), {"opted_out": ["visit"], "reason": "债务人要求"}, format="json")
    assert response.status_code == patch_status


def test_dispute_open_and_resolve(world, users, api_for):
    collector, supervisor = api_for("collector"), api_for("supervisor")
    opened = collector.post(
        f"/api/v1/compliance/cases/{world.a.case.pk}/disputes/", {"reason": "金额有误"}, format="json"
    )
    assert opened.status_code == 201
    dispute = opened.json()
    assert (dispute["case_id"], dispute["reason"], dispute["is_open"], dispute["opened_by"]["username"]) == (
        world.a.case.pk,
        "金额有误",
        True,
        "collector1",
    )
    twice = collector.post(
        f"/api/v1/compliance/cases/{world.a.case.pk}/disputes/", {"reason": "再次"}, format="json"
    )
    assert_error(twice, 409, "dispute_already_open")
    resolve_url = f"/api/v1/compliance/disputes/{dispute['id']}/resolve/"
    assert_error(
        collector.post(resolve_url, {"resolution": "核实无误"}, format="json"), 403, "permission_denied"
    )
    assert_error(supervisor.post(resolve_url, {}, format="json"), 400, "invalid", {"resolution"})
    resolved = supervisor.post(resolve_url, {"resolution": "核实金额无误，已告知债务人"}, format="json")
    assert resolved.status_code == 200
    assert (resolved.json()["is_open"], resolved.json()["resolved_by"]["username"]) == (False, "supervisor1")
    assert_error(
        supervisor.post(resolve_url, {"resolution": "again"}, format="json"), 409, "dispute_resolved"
    )
    listed = collector.get(url(world.a.case)).json()["disputes"]
    assert [(d["id"], d["is_open"]) for d in listed] == [(dispute["id"], False)]


def test_dispute_refusals(world, api_for):
    assert_error(
        api_for("collector").post(
            f"/api/v1/compliance/cases/{world.b.case.pk}/disputes/", {"reason": "x"}, format="json"
        ),
        404,
        "not_found",
    )
    for role in ("auditor", "compliance", "creditor_viewer"):
        response = api_for(role).post(
            f"/api/v1/compliance/cases/{world.a.case.pk}/disputes/", {"reason": "x"}, format="json"
        )
        assert_error(response, 403, "permission_denied")
    assert_error(
        api_for("collector").post(f"/api/v1/compliance/cases/{world.a.case.pk}/disputes/", {}, format="json"),
        400,
        "invalid",
        {"reason"},
    )
    assert_error(
        api_for("supervisor").post(
            "/api/v1/compliance/disputes/999999/resolve/", {"resolution": "x"}, format="json"
        ),
        404,
        "not_found",
    )
    assert not Dispute.objects.exists()
