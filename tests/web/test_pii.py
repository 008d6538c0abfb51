"""Personal data stays masked on every page unless revealed with a reason, and revealing is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingzhai.core.models import AuditEvent
from qingzhai.portfolio import services
from qingzhai.portfolio.models import Case
from tests.web.conftest import PLAIN_ADDRESS, PLAIN_PHONE

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def assert_masked(html: str, secrets: list[str]) -> None:
    assert len(secrets) == 3
    for secret in secrets:
        assert secret not in html


def reveal_url(case) -> str:
    return reverse("web:case_reveal", args=[case.pk])


def test_pages_show_only_masked_values(login, users, case, secrets_of):
    secrets = secrets_of(case)
    assert PLAIN_PHONE in secrets and PLAIN_ADDRESS in secrets
    collector = login(users["collector"])
    supervisor = login(users["supervisor"])
    pages = [
        collector.get(reverse("web:queue")),
        collector.get(reverse("web:case", args=[case.pk])),
        supervisor.get(reverse("web:assign")),
        supervisor.get(reverse("web:queue")),
        supervisor.get(reverse("web:case", args=[case.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        assert_masked(response.content.decode(), secrets)
    case_html = pages[1].content.decode()
    assert case.debtor.id_number_masked in case_html
    assert "138****5678" in case_html
    assert "北京市朝阳区********" in case_html


def test_search_by_phone_echoes_only_what_was_typed(collector_client, case):
    response = collector_client.get(reverse("web:queue"), {"q": PLAIN_PHONE})
    assert [r["case"].pk for r in response.context["rows"]] == [case.pk]
    html = response.content.decode()
    # The number appears only where the search itself is echoed: the search box and links that keep
    # the current filters (sort, language switch); never as a stored value of a row.
    assert html.count(f'value="{PLAIN_PHONE}"') == 1
    assert html.count(PLAIN_PHONE) == html.count(f"q={PLAIN_PHONE}") + 1
    assert "138****5678" in html


def test_admin_pages_show_only_masked_values(login, users, case, secrets_of):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    admin = login(users["admin"])
    debtor = case.debtor
    for path in (
        reverse("admin:portfolio_debtor_changelist"),
        reverse("admin:portfolio_debtor_change", args=[debtor.pk]),
        reverse("admin:portfolio_creditor_changelist"),
        reverse("admin:portfolio_portfolio_changelist"),
        reverse("admin:core_auditevent_changelist"),
    ):
        response = admin.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert_masked(html, secrets_of(case))
        assert debtor.id_number_enc not in html
        assert "_enc" not in html
        assert "_bidx" not in html
    change = admin.get(reverse("admin:portfolio_debtor_change", args=[debtor.pk])).content.decode()
    assert debtor.id_number_masked in change
    assert "138****5678" in change


def test_reveal_with_htmx_shows_the_value_once_and_audits(collector_client, case, plain_id):
    data = {"kind": "debtor", "object_id": case.debtor.pk, "attr": "id_number", "reason": "核实本人身份"}
    response = collector_client.post(reveal_url(case), data, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert plain_id in html
    assert html.lstrip().startswith(f'<span class="pii revealed" id="pii-debtor-{case.debtor.pk}-id_number">')
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="pii.reveal")
    assert (
        event.actor_label,
        event.entity_type,
        event.entity_id,
        event.changes,
        event.reason,
        event.source,
    ) == (
        "collector1",
        "portfolio.debtor",
        str(case.debtor.pk),
        {"field": "id_number"},
        "核实本人身份",
        "web",
    )
    # The next page is masked again.
    assert plain_id not in collector_client.get(reverse("web:case", args=[case.pk])).content.decode()


def test_reveal_a_phone_without_javascript(collector_client, case):
    cp = case.debtor.contact_points.get()
    data = {"kind": "contact_point", "object_id": cp.pk, "attr": "value", "reason": "回拨核实号码"}
    response = collector_client.post(reveal_url(case), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(PLAIN_PHONE) == 1
    assert "<html" in html
    assert AuditEvent.objects.filter(action="pii.reveal", entity_type="portfolio.contactpoint").count() == 1


@pytest.mark.parametrize(
    "change, status, message",
    [
        ({"reason": ""}, 400, "此项必填"),
        ({"reason": "看看"}, 400, "请写明查看原因（至少 4 个字）"),
        ({"attr": "password"}, 400, "请选择列表中的选项"),
        ({"kind": "payment"}, 400, "请选择列表中的选项"),
        ({"object_id": "abc"}, 400, "请输入整数"),
    ],
)
def test_reveal_bad_input(collector_client, case, plain_id, change, status, message):
    data = {
        "kind": "debtor",
        "object_id": case.debtor.pk,
        "attr": "id_number",
        "reason": "核实本人身份",
        **change,
    }
    for extra in ({}, HX):
        response = collector_client.post(reveal_url(case), data, **extra)
        assert response.status_code == status
        html = response.content.decode()
        assert message in html
        assert plain_id not in html
    assert AuditEvent.objects.filter(action="pii.reveal").count() == 0


def test_reveal_of_another_debtors_field_is_404(collector_client, case, other_case):
    data = {
        "kind": "debtor",
        "object_id": other_case.debtor.pk,
        "attr": "id_number",
        "reason": "核实本人身份",
    }
    response = collector_client.post(reveal_url(case), data)
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="pii.reveal").count() == 0


def test_auditor_may_not_reveal(login, users, case, plain_id):
    client = login(users["auditor"])
    page = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert "查看完整" not in page
    data = {"kind": "debtor", "object_id": case.debtor.pk, "attr": "id_number", "reason": "核实本人身份"}
    response = client.post(reveal_url(case), data)
    assert response.status_code == 403
    assert plain_id not in response.content.decode()


def test_audit_page_shows_who_revealed_what_and_why(login, users, case, collector):
    services.pii_reveal(
        actor=collector, kind="debtor", object_id=case.debtor.pk, attr="id_number", reason="法院要求提供"
    )
    response = login(users["compliance"]).get(reverse("web:audit"), {"action": "pii.reveal"})
    assert response.status_code == 200
    html = response.content.decode()
    assert [e.action for e in response.context["events"]] == ["pii.reveal"]
    for text in ("collector1", "证件号码", "法院要求提供", "债务人", f"#{case.debtor.pk}"):
        assert text in html
    assert Case.objects.count() == 1
