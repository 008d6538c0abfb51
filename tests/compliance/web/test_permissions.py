"""Who reaches which compliance page: collectors none, auditors read only, compliance everything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingzhai.compliance.services import contact_clear
from qingzhai.portfolio.models import CreditorViewerGrant
from tests.web.conftest import past_local

pytestmark = pytest.mark.django_db

PAGES = (
    "alerts",
    "alert_feed",
    "alert",
    "decisions",
    "decision",
    "dishonest",
    "stats",
    "policies",
    "creditor_policy",
)
# role -> expected status per page (GET); the feed answers 204 when nothing is new
READ = {
    "admin": (200, 204, 200, 200, 200, 200, 200, 200, 200),
    "supervisor": (200, 204, 200, 200, 200, 200, 200, 200, 200),
    "compliance": (200, 204, 200, 200, 200, 200, 200, 200, 200),
    "auditor": (200, 204, 200, 200, 200, 200, 200, 200, 200),
    "collector": (403,) * 9,
    "legal": (403,) * 9,
    "creditor_viewer": (403,) * 9,
}
# role -> (act on an alert, upload the dishonest list, set a creditor's policy)
WRITE = {
    "admin": (303, 400, 303),
    "supervisor": (303, 403, 403),
    "compliance": (303, 400, 303),
    "auditor": (403, 403, 403),
    "collector": (403, 403, 403),
    "legal": (403, 403, 403),
    "creditor_viewer": (403, 403, 403),
}


@pytest.fixture
def records(case, collector, alert_on):
    alert = alert_on(case)
    decision = contact_clear(actor=collector, case_id=case.pk, kind="call", at=past_local(23))
    return {
        "alert": [alert.pk],
        "decision": [decision.pk],
        "creditor_policy": [case.portfolio.creditor_id],
        "alert_feed_query": {"since_id": alert.pk},
    }


@pytest.mark.parametrize("role", sorted(READ))
def test_page_access_by_role(login, users, case, records, role):
    CreditorViewerGrant.objects.create(user=users["creditor_viewer"], creditor=case.portfolio.creditor)
    client = login(users[role])
    got = []
    for name in PAGES:
        query = records.get(f"{name}_query", {})
        got.append(client.get(reverse(f"compliance:{name}", args=records.get(name, [])), query).status_code)
    assert tuple(got) == READ[role]


@pytest.mark.parametrize("role", sorted(WRITE))
def test_actions_by_role(login, users, case, records, role):
    client = login(users[role])
    got = (
        client.post(
            reverse("compliance:alert_act", args=records["alert"]), {"action": "acknowledge"}
        ).status_code,
        client.post(reverse("compliance:dishonest_upload"), {}).status_code,
        client.post(
            reverse("compliance:creditor_policy", args=records["creditor_policy"]),
            {"pack": "cn", "overrides": "", "reason": "设置政策"},
        ).status_code,
    )
    assert got == WRITE[role]


def test_a_collector_is_refused_in_their_language(login, users):
    response = login(users["collector"], "en").get(reverse("compliance:alerts"))
    assert response.status_code == 403
    assert "You do not have permission to do this" in response.content.decode()


def test_every_post_form_carries_the_csrf_token(login, users, case, records):
    client = login(users["compliance"])
    for url in (
        reverse("compliance:alert", args=records["alert"]),
        reverse("compliance:dishonest"),
        reverse("compliance:creditor_policy", args=records["creditor_policy"]),
        reverse("web:case", args=[case.pk]),
    ):
        html = client.get(url).content.decode()
        forms = html.count('method="post"')
        assert forms >= 1, url
        assert html.count('name="csrfmiddlewaretoken"') >= forms, url


def test_csrf_is_enforced(users, case, records):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["compliance"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("compliance:alert_act", args=records["alert"]), {"action": "acknowledge"})
    assert response.status_code == 403


def test_navigation_link_follows_the_capability(login, users):
    assert 'href="/compliance/alerts/"' not in login(users["collector"]).get("/").content.decode()
    assert 'href="/compliance/alerts/"' in login(users["auditor"]).get("/").content.decode()
    assert 'href="/compliance/alerts/"' in login(users["supervisor"]).get("/").content.decode()


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("compliance:alerts"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
