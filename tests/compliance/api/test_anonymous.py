"""Every compliance endpoint refuses anonymous requests with 401 in the error shape."""

from __future__ import annotations

import pytest
from django.urls import resolve

from qingzhai.compliance.api import urls
from tests.portfolio.api.test_errors import assert_error

ENDPOINTS = [
    ("post", "/api/v1/compliance/gate/check/"),
    ("get", "/api/v1/compliance/decisions/"),
    ("get", "/api/v1/compliance/decisions/1/"),
    ("get", "/api/v1/compliance/decisions/1/explain/"),
    ("get", "/api/v1/compliance/utterances/"),
    ("post", "/api/v1/compliance/utterances/"),
    ("post", "/api/v1/compliance/bot/release/"),
    ("get", "/api/v1/compliance/alerts/"),
    ("get", "/api/v1/compliance/alerts/1/"),
    ("post", "/api/v1/compliance/alerts/1/actions/"),
    ("get", "/api/v1/compliance/dishonest/matches/"),
    ("post", "/api/v1/compliance/dishonest/matches/1/clear/"),
    ("post", "/api/v1/compliance/dishonest/imports/"),
    ("get", "/api/v1/compliance/cases/1/protection/"),
    ("patch", "/api/v1/compliance/cases/1/protection/"),
    ("post", "/api/v1/compliance/cases/1/disputes/"),
    ("post", "/api/v1/compliance/disputes/1/resolve/"),
    ("get", "/api/v1/compliance/policies/"),
    ("get", "/api/v1/compliance/policies/cn/2026-01-30/"),
    ("get", "/api/v1/compliance/creditors/1/policy/"),
    ("put", "/api/v1/compliance/creditors/1/policy/"),
    ("get", "/api/v1/compliance/stats/collectors/"),
]


def test_the_list_covers_every_operation():
    declared = {
        (pattern.callback.view_class.__name__, method)
        for pattern in urls.urlpatterns
        for method in ("get", "post", "put", "patch", "delete")
        if hasattr(pattern.callback.view_class, method)
    }
    covered = {(resolve(url).func.view_class.__name__, method) for method, url in ENDPOINTS}
    assert covered == declared
    assert len(declared) == 22


@pytest.mark.parametrize(("method", "url"), ENDPOINTS, ids=[f"{m} {u}" for m, u in ENDPOINTS])
def test_anonymous_gets_401(method, url, client, db):
    response = getattr(client, method)(url, {}, content_type="application/json")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "url", ["/api/v1/compliance/cases/\nx/disputes/", "/api/v1/payments/\nx/reverse/", "/api/v1/x\ny"]
)
def test_unknown_path_with_a_newline_answers_in_json(url, client, db):
    response = client.post(url, {}, content_type="application/json")
    assert_error(response, 404, "not_found")
