"""API authentication: tokens (throttled, locked out after failures, two-factor for privileged roles),
sessions, logout and the caller's profile."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from qingzhai.accounts.roles import CAPABILITIES, Role
from qingzhai.core.models import AuditEvent

PASSWORD = "Correct-Horse-9"  # what UserFactory sets
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def obtain(client: APIClient, username: str, password: str = PASSWORD, **extra: str):
    return client.post(TOKEN_URL, {"username": username, "password": password, **extra}, format="json")


def test_token_obtain_and_use(users):
    client = APIClient()
    response = obtain(client, "collector1")
    assert response.status_code == 200
    body = response.json()
    assert body["token"] == Token.objects.get(user=users["collector"]).key
    assert (body["user"]["username"], body["user"]["role"]) == ("collector1", "collector")
    event = AuditEvent.objects.get(action="api_token.issue")
    assert (event.actor, event.entity_id, event.source) == (
        users["collector"],
        str(users["collector"].pk),
        "api",
    )
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get("/api/v1/me/").json()["username"] == "collector1"
    # A second login hands out the same token.
    assert obtain(APIClient(), "collector1").json()["token"] == body["token"]


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"username": "collector1", "password": "wrong-password"}, 400, "invalid_credentials"),
        ({"username": "nobody", "password": PASSWORD}, 400, "invalid_credentials"),
        ({"username": "collector1"}, 400, "invalid"),
        ({}, 400, "invalid"),
    ],
)
def test_token_obtain_refusals(data, status, code, users):
    response = APIClient().post(TOKEN_URL, data, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert Token.objects.count() == 0


def test_inactive_users_get_no_token(users):
    users["legal"].is_active = False
    users["legal"].save()
    response = obtain(APIClient(), "legal1")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_credentials")


def test_token_obtain_is_throttled(users):
    client = APIClient()
    for _ in range(10):
        assert obtain(client, "collector1").status_code == 200
    response = obtain(client, "collector1")
    assert response.status_code == 429
    assert set(response.json()) == {"code", "message", "fields"}
    assert response.json()["code"] == "throttled"


def test_repeated_failures_lock_the_account_out(users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    assert obtain(client, "collector1", "bad-1").status_code == 400
    assert obtain(client, "collector1", "bad-2").status_code == 400
    locked = obtain(client, "collector1", "bad-3")
    assert (locked.status_code, locked.json()["code"]) == (429, "locked_out")
    # Even the right password is refused while locked out.
    right = obtain(client, "collector1")
    assert (right.status_code, right.json()["code"]) == (429, "locked_out")
    assert Token.objects.count() == 0


@pytest.mark.two_factor
def test_privileged_roles_need_a_second_factor_for_a_token(users):
    client = APIClient()
    no_device = obtain(client, "supervisor1")
    assert (no_device.status_code, no_device.json()["code"]) == (403, "permission_denied")
    device = TOTPDevice.objects.create(user=users["supervisor"], name="phone", confirmed=True)
    missing = obtain(client, "supervisor1")
    assert (missing.status_code, missing.json()["code"], missing.json()["fields"]) == (
        400,
        "second_factor_required",
        {"otp": ["required"]},
    )
    good_code = f"{totp(device.bin_key):06d}"
    wrong_code = f"{(int(good_code) + 1) % 1_000_000:06d}"
    wrong = obtain(client, "supervisor1", otp=wrong_code)
    assert (wrong.status_code, wrong.json()["code"]) == (400, "otp_invalid")
    assert Token.objects.count() == 0
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    ok = obtain(client, "supervisor1", otp=good_code)
    assert ok.status_code == 200
    assert ok.json()["token"] == Token.objects.get(user=users["supervisor"]).key


@pytest.mark.two_factor
def test_collectors_need_no_second_factor(users):
    assert obtain(APIClient(), "collector1").status_code == 200


@pytest.mark.two_factor
def test_unverified_privileged_sessions_are_refused_but_tokens_work(users):
    client = APIClient()
    client.force_login(users["admin"])
    response = client.get("/api/v1/me/")
    assert (response.status_code, response.json()["code"]) == (403, "second_factor_required")
    token = Token.objects.create(user=users["admin"])
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert token_client.get("/api/v1/me/").status_code == 200


def test_session_authentication(users):
    client = APIClient()
    client.force_login(users["auditor"])
    assert client.get("/api/v1/me/").json()["role"] == "auditor"


def test_session_writes_need_the_csrf_token(users):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["collector"])
    response = client.post("/api/v1/auth/logout/")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_logout_revokes_the_token(users):
    client = APIClient()
    key = obtain(client, "legal1").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert Token.objects.filter(user=users["legal"]).count() == 0
    assert (
        AuditEvent.objects.filter(action="api_token.revoke", actor=users["legal"], source="api").count() == 1
    )
    response = client.get("/api/v1/me/")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_me_lists_the_roles_capabilities(role, users):
    client = APIClient()
    client.force_authenticate(users[role])
    body = client.get("/api/v1/me/").json()
    assert (body["role"], body["capabilities"]) == (role, sorted(CAPABILITIES[Role(role)]))


def test_me_for_a_creditor_viewer(users):
    from qingzhai.portfolio.services import creditor_viewer_grant
    from tests.factories import CreditorFactory

    creditor = CreditorFactory()
    creditor_viewer_grant(actor=users["admin"], user=users["creditor_viewer"], creditor_codes=[creditor.code])
    client = APIClient()
    client.force_authenticate(users["creditor_viewer"])
    assert client.get("/api/v1/me/").json() == {
        "id": users["creditor_viewer"].pk,
        "username": "creditor_viewer1",
        "label": "creditor_viewer1",
        "role": "creditor_viewer",
        "role_label": "委托方",
        "capabilities": ["cases.view_own_creditor", "legal.view"],
        "team": None,
        "creditor_ids": [creditor.pk],
    }
    english = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["role_label"] == "Creditor client"


def test_me_needs_authentication():
    response = APIClient().get("/api/v1/me/")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
