"""Which role reaches which page, and that refusals are proper 403/404 pages in the user's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingzhai.portfolio.models import CreditorViewerGrant

pytestmark = pytest.mark.django_db

# role -> (queue, own-or-visible case page, assign, audit)
MATRIX = {
    "admin": (200, 200, 200, 200),
    "supervisor": (200, 200, 200, 403),
    "collector": (200, 200, 403, 403),
    "legal": (200, 200, 403, 403),
    "compliance": (200, 200, 403, 200),
    "auditor": (200, 200, 403, 200),
    "creditor_viewer": (200, 200, 403, 403),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_page_access_by_role(login, users, case, role):
    CreditorViewerGrant.objects.create(user=users["creditor_viewer"], creditor=case.portfolio.creditor)
    client = login(users[role])
    got = tuple(
        client.get(path).status_code
        for path in ("/", reverse("web:case", args=[case.pk]), reverse("web:assign"), reverse("web:audit"))
    )
    assert got == MATRIX[role]


def test_creditor_viewer_sees_only_granted_creditors(login, users, case, other_case):
    CreditorViewerGrant.objects.create(user=users["creditor_viewer"], creditor=case.portfolio.creditor)
    client = login(users["creditor_viewer"])
    assert [r["case"].pk for r in client.get("/").context["rows"]] == [case.pk]
    assert client.get(reverse("web:case", args=[other_case.pk])).status_code == 404


def test_navigation_follows_capabilities(login, users):
    collector_html = login(users["collector"]).get("/").content.decode()
    assert reverse("web:assign") not in collector_html
    assert reverse("web:audit") not in collector_html
    supervisor_html = login(users["supervisor"]).get("/").content.decode()
    assert f'href="{reverse("web:assign")}"' in supervisor_html
    assert f'href="{reverse("web:audit")}"' not in supervisor_html


def test_404_page_is_bilingual(login, users, other_case):
    client = login(users["collector"])
    zh = client.get(reverse("web:case", args=[other_case.pk]))
    assert zh.status_code == 404
    assert "记录不存在或无权查看" in zh.content.decode()
    en = login(users["collector"], "en").get(reverse("web:case", args=[other_case.pk]))
    assert "Not found, or not visible to you" in en.content.decode()
    assert login(users["collector"]).get("/no/such/page/").status_code == 404


def test_403_page_is_bilingual(login, users):
    response = login(users["collector"], "en").get(reverse("web:assign"))
    assert response.status_code == 403
    assert "You do not have permission to do this" in response.content.decode()


def test_htmx_refusal_goes_to_the_flash_area(login, users, other_case):
    response = login(users["collector"]).post(
        reverse("web:case_promise", args=[other_case.pk]),
        {"amount": "1", "due_date": "2099-01-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    assert response["HX-Retarget"] == "#flash"
    assert response.content.decode().startswith(
        '<p class="flash flash-error" role="alert" data-status="404">'
    )
