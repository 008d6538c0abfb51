"""Every error answers in one shape: {"code", "message", "fields"}."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qingzhai.core.models import AuditEvent


def assert_error(response, status: int, code: str, fields: set[str] | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert set(body["fields"]) == (fields or set())
    for messages in body["fields"].values():
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    return body


def test_400_validation_lists_every_bad_field(world, api_for):
    response = api_for("collector").post(f"/api/v1/cases/{world.a.case.pk}/stage/", {}, format="json")
    assert_error(response, 400, "invalid", {"to_stage", "reason"})


def test_400_malformed_json(world, api_for):
    response = api_for("collector").post(
        "/api/v1/payments/", data='{"debt_id": 1, "amount": ', content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


def test_400_json_that_is_not_an_object(world, api_for):
    response = api_for("collector").post("/api/v1/payments/", data="[1, 2]", content_type="application/json")
    assert_error(response, 400, "invalid", {"non_field_errors"})


@pytest.mark.parametrize(
    "amount", ["abc", "12.345", "-5", "1e400", True, None, "9" * 41, 10**20, [], {"yuan": 1}]
)
def test_400_bad_amounts(amount, world, api_for):
    response = api_for("collector").post(
        "/api/v1/payments/",
        {"debt_id": world.a.debt.pk, "amount": amount, "paid_on": "2026-01-10"},
        format="json",
    )
    assert_error(response, 400, "invalid", {"amount"})


@pytest.mark.parametrize("due_date", ["2024/13/01", "2024-02-30", "tomorrow", 20240301, "0001-01-01", ""])
def test_400_bad_dates(due_date, world, api_for):
    response = api_for("collector").post(
        "/api/v1/promises/",
        {"case_id": world.a.case.pk, "amount": "10", "due_date": due_date},
        format="json",
    )
    assert_error(response, 400, "invalid", {"due_date"})


def test_400_domain_errors_keep_their_code(world, api_for):
    client = api_for("collector")
    response = client.post(
        "/api/v1/promises/",
        {"case_id": world.a.case.pk, "amount": "10", "due_date": "2020-01-01"},
        format="json",
    )
    assert_error(response, 400, "date_in_past", {"due_date"})
    response = client.post(
        "/api/v1/payments/",
        {"debt_id": world.a.debt.pk, "amount": "0", "paid_on": "2026-01-10"},
        format="json",
    )
    assert_error(response, 400, "amount_not_positive", {"amount"})


def test_400_bad_query_parameters(world, api_for):
    client = api_for("admin")
    assert_error(client.get("/api/v1/cases/", {"stage": "bogus"}), 400, "invalid", {"stage"})
    assert_error(client.get("/api/v1/cases/", {"creditor": "abc"}), 400, "invalid", {"creditor"})
    assert_error(client.get("/api/v1/cases/", {"min_balance": "1.234"}), 400, "invalid", {"min_balance"})
    assert_error(client.get("/api/v1/cases/", {"sort": "password"}), 400, "invalid", {"sort"})
    assert_error(client.get("/api/v1/debts/", {"case": "0"}), 400, "invalid", {"case"})


def test_401_anonymous_and_bad_token(world):
    anonymous = APIClient()
    assert_error(anonymous.get("/api/v1/cases/"), 401, "not_authenticated")
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = bad.get("/api/v1/cases/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_403_role_without_the_capability(world, api_for):
    response = api_for("auditor").post(
        "/api/v1/payments/",
        {"debt_id": world.a.debt.pk, "amount": "1.00", "paid_on": "2026-01-10"},
        format="json",
    )
    assert_error(response, 403, "permission_denied")


def test_403_comes_before_input_validation(world, api_for):
    response = api_for("creditor_viewer").post("/api/v1/payments/", {}, format="json")
    assert_error(response, 403, "permission_denied")


def test_404_shapes(world, api_for):
    client = api_for("collector")
    assert_error(client.get(f"/api/v1/cases/{world.b.case.pk}/"), 404, "not_found")
    assert_error(client.get("/api/v1/cases/999999999999999999999/"), 404, "not_found")
    assert_error(client.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(client.get("/api/v1/cases/abc/"), 404, "not_found")
    assert_error(client.get("/api/v1/cases/", {"page": 99}), 404, "not_found")


def test_405_method_not_allowed(world, api_for):
    client = api_for("admin")
    assert_error(client.delete(f"/api/v1/cases/{world.a.case.pk}/"), 405, "method_not_allowed")
    assert_error(client.put("/api/v1/payments/", {}, format="json"), 405, "method_not_allowed")
    assert_error(
        client.patch(f"/api/v1/debts/{world.a.debt.pk}/", {}, format="json"), 405, "method_not_allowed"
    )


def test_409_conflicts(world, api_for):
    client = api_for("supervisor")
    response = client.post(
        f"/api/v1/cases/{world.a.case.pk}/stage/",
        {"to_stage": "enforcement", "reason": "直接执行"},
        format="json",
    )
    body = assert_error(response, 409, "illegal_transition", {"to_stage"})
    assert body["fields"]["to_stage"] == ["contact -> enforcement"]
    url = f"/api/v1/payments/{world.a.payment.pk}/reverse/"
    assert client.post(url, {"reason": "银行退票"}, format="json").status_code == 201
    assert_error(client.post(url, {"reason": "银行退票"}, format="json"), 409, "already_reversed")


def test_415_wrong_content_type_for_uploads(world, api_for):
    response = api_for("supervisor").post(
        "/api/v1/imports/", {"creditor_id": world.a.creditor.pk}, format="json"
    )
    assert_error(response, 415, "unsupported_media_type")


def test_messages_follow_the_request_language(world, api_for):
    client = api_for("collector")
    url = f"/api/v1/cases/{world.b.case.pk}/"
    assert client.get(url).json()["message"] == "记录不存在或无权查看"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["message"] == "Not found, or not visible to you"


def test_failed_writes_leave_no_audit_trail(world, api_for):
    before = AuditEvent.objects.count()
    client = api_for("collector")
    client.post(
        f"/api/v1/cases/{world.a.case.pk}/stage/", {"to_stage": "agreement", "reason": "x"}, format="json"
    )
    client.post(
        "/api/v1/payments/",
        {"debt_id": world.b.debt.pk, "amount": "1", "paid_on": "2026-01-10"},
        format="json",
    )
    client.post(
        "/api/v1/promises/",
        {"case_id": world.a.case.pk, "amount": "0", "due_date": "2099-01-01"},
        format="json",
    )
    assert AuditEvent.objects.count() == before


def test_unknown_paths_answer_404_for_writes_too(world, api_for):
    assert_error(api_for("admin").post("/api/v1/no-such-thing/", {}, format="json"), 404, "not_found")
    assert_error(APIClient().post("/api/v1/cases/abc/stage/", {}, format="json"), 404, "not_found")


def test_bodies_django_refuses_to_read_are_4xx_in_the_error_shape(world, api_for, settings):
    client = api_for("supervisor")
    too_many = client.post(
        "/api/v1/cases/assign/", {"case_ids": list(range(1, 1200)), "assignee_id": ""}, format="multipart"
    )
    assert_error(too_many, 400, "parse_error")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    too_big = client.post(
        "/api/v1/cases/assign/", {"case_ids": "1", "reason": "长" * 200}, format="multipart"
    )
    assert_error(too_big, 413, "too_large")
