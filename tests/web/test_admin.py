"""The Django admin for reference data: audited writes through the services, masked personal data,
a read-only audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingzhai.accounts.models import Team, User
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio.models import Creditor, Portfolio, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(login, users):
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return login(admin)


def test_only_staff_reach_the_admin(login, users):
    response = login(users["supervisor"]).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_create_creditor_through_the_service(admin_client):
    response = admin_client.post(
        reverse("admin:portfolio_creditor_add"), {"name": "招商测试银行", "code": "CMBT", "kind": "bank"}
    )
    assert response.status_code == 302
    creditor = Creditor.objects.get(code="CMBT")
    event = AuditEvent.objects.get(action="creditor.create")
    assert (event.entity_id, event.actor_label) == (str(creditor.pk), "admin1")


def test_duplicate_creditor_is_a_form_error(admin_client):
    Creditor.objects.create(name="甲银行", code="JIA")
    response = admin_client.post(
        reverse("admin:portfolio_creditor_add"), {"name": "甲银行", "code": "JIA2", "kind": "bank"}
    )
    assert response.status_code == 200
    assert Creditor.objects.count() == 1
    assert response.context["adminform"].form.errors["name"]


def test_change_creditor_is_audited(admin_client):
    creditor = Creditor.objects.create(name="乙银行", code="YI")
    response = admin_client.post(
        reverse("admin:portfolio_creditor_change", args=[creditor.pk]),
        {"name": "乙银行", "code": "YI", "kind": "platform"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="creditor.admin_change")
    assert event.changes == {"kind": ["bank", "platform"], "is_active": [True, False]}


def test_create_portfolio_through_the_service_and_refuse_bad_dates(admin_client):
    creditor = Creditor.objects.create(name="丙银行", code="BING")
    url = reverse("admin:portfolio_portfolio_add")
    bad = admin_client.post(
        url,
        {
            "creditor": creditor.pk,
            "code": "P1",
            "name": "",
            "placement_date": "2026-03-01",
            "recall_date": "2026-02-01",
        },
    )
    assert bad.status_code == 200
    assert Portfolio.objects.count() == 0
    ok = admin_client.post(
        url,
        {
            "creditor": creditor.pk,
            "code": "P1",
            "name": "三月",
            "placement_date": "2026-03-01",
            "recall_date": "",
        },
    )
    assert ok.status_code == 302
    assert AuditEvent.objects.get(action="portfolio.create").entity_id == str(Portfolio.objects.get().pk)


def test_create_user_through_the_service(admin_client):
    team = Team.objects.create(name="一组")
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newcollector",
            "display_name": "王五",
            "role": "collector",
            "team": team.pk,
            "password1": "Quite-Long-Passphrase-7",
            "password2": "Quite-Long-Passphrase-7",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newcollector")
    assert (user.role, user.team_id, user.is_staff, user.check_password("Quite-Long-Passphrase-7")) == (
        "collector",
        team.pk,
        False,
        True,
    )
    assert AuditEvent.objects.get(action="user.create").entity_id == str(user.pk)
    weak = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "weak", "role": "collector", "password1": "123", "password2": "123"},
    )
    assert weak.status_code == 200
    assert not User.objects.filter(username="weak").exists()


def test_role_change_is_audited_and_sets_staff(admin_client, users):
    user = users["collector"]
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("password", "groups", "user_permissions")
    }
    data.update(
        {
            "role": "admin",
            "is_active": "on",
            "last_login": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        }
    )
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if k != "date_joined"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.role, user.is_staff, user.is_superuser) == ("admin", True, True)
    assert AuditEvent.objects.get(action="user.admin_change").changes == {"role": ["collector", "admin"]}


def test_password_change_is_audited(admin_client, users):
    user = users["collector"]
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    data = {
        "password1": "Another-Long-Pass-8",
        "password2": "Another-Long-Pass-8",
        "usable_password": "true",
        "set-password": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_user_change", args=[user.pk])
    assert AuditEvent.objects.get(action="user.password_set").entity_id == str(user.pk)
    user.refresh_from_db()
    assert user.check_password("Another-Long-Pass-8")
    mismatch = admin_client.post(url, {**data, "password2": "Different-Pass-99"})
    assert mismatch.status_code == 200
    assert AuditEvent.objects.filter(action="user.password_set").count() == 1


def test_tags_and_teams_are_audited(admin_client):
    admin_client.post(reverse("admin:portfolio_tag_add"), {"name": "失联"})
    admin_client.post(reverse("admin:accounts_team_add"), {"name": "二组"})
    assert Tag.objects.get().name == "失联"
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "tag.admin_create",
        "team.admin_create",
    ]
    tag = Tag.objects.get()
    response = admin_client.post(reverse("admin:portfolio_tag_delete", args=[tag.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="tag.admin_delete").changes == {"object": ["失联", None]}


def test_audit_events_are_read_only(admin_client, users):
    admin_client.post(reverse("admin:portfolio_tag_add"), {"name": "投诉"})
    event = AuditEvent.objects.get()
    assert admin_client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    view = admin_client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.count() == 1


def test_debtors_are_read_only(admin_client, case):
    assert admin_client.get(reverse("admin:portfolio_debtor_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:portfolio_debtor_change", args=[case.debtor.pk]), {"name": "x"}
    )
    assert response.status_code == 403
