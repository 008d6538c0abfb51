"""Sign-in, lockout, logout, language switch and TOTP two-factor for privileged roles."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingzhai.core.models import AuditEvent
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("web:login")
OTP = reverse("web:otp")


def test_login_page_in_chinese(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录清债" in html
    assert 'name="username"' in html and 'name="password"' in html


def test_login_page_in_english(client):
    html = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in to Qingzhai" in html
    assert "登录清债" not in html


def test_login_and_land_on_the_queue(client, collector):
    response = client.post(LOGIN, {"username": "collector1", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_honours_a_safe_next_only(client, collector, case):
    response = client.post(
        LOGIN + f"?next=/cases/{case.pk}/",
        {"username": "collector1", "password": PASSWORD, "next": f"/cases/{case.pk}/"},
    )
    assert response["Location"] == f"/cases/{case.pk}/"
    client.post(reverse("web:logout"))
    response = client.post(
        LOGIN, {"username": "collector1", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"username": "collector1", "password": "wrong"}, "用户名或密码不正确（连续失败 5 次将暂时锁定）"),
        ({"username": "", "password": ""}, "此项必填"),
    ],
)
def test_bad_login_is_400_with_message(client, collector, data, message):
    response = client.post(LOGIN, data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_lockout_after_five_failures(client, collector):
    statuses = [
        client.post(LOGIN, {"username": "collector1", "password": f"bad{i}"}).status_code for i in range(5)
    ]
    assert statuses == [400, 400, 400, 400, 429]
    response = client.post(LOGIN, {"username": "collector1", "password": PASSWORD})
    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()


def test_logout_is_post_only(collector_client):
    assert collector_client.get(reverse("web:logout")).status_code == 405
    response = collector_client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert collector_client.get("/").status_code == 302


def test_language_switch(collector_client, case):
    response = collector_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = collector_client.get("/").content.decode()
    assert "Case queue" in html
    assert 'value="zh-hans"' in html  # the switch now offers Chinese
    collector_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "案件队列" in collector_client.get("/").content.decode()


def test_session_expires_when_idle(client, collector):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.post(LOGIN, {"username": "collector1", "password": PASSWORD})
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/"


def _code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def _sign_in(client, username: str):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


@pytest.mark.two_factor
def test_supervisor_enrols_then_verifies(client, supervisor):
    _sign_in(client, "supervisor1")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == OTP
    page = client.get(OTP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'data-testid="otp-secret"' in html
    assert 'href="/assign/"' not in html  # no way around the second factor from the menu
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=supervisor)
    assert device.confirmed is False
    assert page.context["otpauth_uri"].startswith(
        "otpauth://totp/Qingzhai%20%E6%B8%85%E5%80%BA%3Asupervisor1?"
    )
    # A wrong code is refused, a malformed one too.
    bad = client.post(OTP, {"token": "12345x"})
    assert bad.status_code == 400
    assert "验证码是 6 位数字" in bad.content.decode()
    wrong = client.post(OTP, {"token": _code(device, offset_steps=20)})
    assert wrong.status_code == 400
    assert "验证码不正确或已过期" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    ok = client.post(OTP, {"token": _code(device)})
    assert ok.status_code == 302
    assert ok["Location"] == "/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    assert AuditEvent.objects.filter(action="user.2fa_enrol", actor=supervisor).count() == 1
    # Next sign-in: a code is asked for, no new QR code.
    client.post(reverse("web:logout"))
    _sign_in(client, "supervisor1")
    assert client.get("/")["Location"] == OTP
    again = client.get(OTP).content.decode()
    assert "<svg" not in again
    assert "请输入验证器应用上显示的 6 位数字" in again
    assert TOTPDevice.objects.filter(user=supervisor).count() == 1


@pytest.mark.two_factor
def test_throttled_code_is_429(client, supervisor):
    _sign_in(client, "supervisor1")
    client.get(OTP)
    device = TOTPDevice.objects.get(user=supervisor)
    assert client.post(OTP, {"token": _code(device, offset_steps=20)}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttling_failure_count = 5  # the next try is allowed only after 16 seconds
    device.save()
    response = client.post(OTP, {"token": _code(device)})
    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()


@pytest.mark.two_factor
def test_collectors_need_no_second_factor(client, collector):
    _sign_in(client, "collector1")
    assert client.get("/").status_code == 200
    assert client.get(OTP)["Location"] == "/"


@pytest.mark.two_factor
def test_otp_page_needs_a_signed_in_user(client):
    assert client.get(OTP)["Location"] == f"{LOGIN}?next={OTP}"


def test_without_the_setting_supervisors_go_straight_in(client, supervisor):
    _sign_in(client, "supervisor1")
    assert client.get("/").status_code == 200
