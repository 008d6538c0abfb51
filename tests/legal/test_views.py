"""The legal workspace pages: who may see and do what, opening a proceeding and recording its events
through the page forms (with htmx), errors shown in the user's language, the deadlines calendar, the
case page's sections, the KPI page, the navigation badge; query counts that do not grow with the data."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingzhai.core.clock import business_today
from qingzhai.legal.models import Deadline, Proceeding
from qingzhai.legal.services.proceedings import deadlines_scan, proceeding_open, proceeding_transition
from tests.factories import case_with_debt
from tests.legal.workspace import MANAGERS, ROLES, grant, payment_order_served, web

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def case_url(case) -> str:
    return reverse("legal:case", args=[case.pk])


@pytest.mark.parametrize("role", ROLES)
def test_every_role_with_legal_view_sees_the_home_and_kpis(users, role):
    client = web(users[role])
    for name in ("legal:home", "legal:kpis", "legal:badge"):
        assert client.get(reverse(name)).status_code == 200, name


def test_anonymous_is_sent_to_the_login_page(case):
    client = web(None)
    for url in (reverse("legal:home"), reverse("legal:kpis"), case_url(case)):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    assert client.post(reverse("legal:open", args=[case.pk]), {}).status_code == 302


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        ("admin", 200, 200),
        ("supervisor", 200, 200),
        ("legal", 200, 200),
        ("collector", 200, 404),  # the case is assigned to the collector; the other one is not
        ("creditor_viewer", 200, 404),  # granted the case's creditor only
        ("compliance", 200, 200),
        ("auditor", 200, 200),
    ],
)
def test_case_page_follows_case_visibility(users, case, other_case, role, own, other):
    grant(users["creditor_viewer"], case)
    client = web(users[role])
    assert client.get(case_url(case)).status_code == own
    assert client.get(case_url(other_case)).status_code == other


@pytest.mark.parametrize("role", ROLES)
def test_forms_only_for_legal_manage_and_writes_refused_otherwise(users, case, role):
    grant(users["creditor_viewer"], case)
    p = proceeding_open(actor=users["legal"], case_id=case.pk, kind="demand", on=business_today())
    client = web(users[role])
    page = client.get(case_url(case)).content.decode()
    manager = role in MANAGERS
    for form in ("open-form", "event-form", "document-form"):
        assert (f'data-testid="{form}"' in page) is manager, form
    open_post = client.post(
        reverse("legal:open", args=[case.pk]), {"open-kind": "suit", "open-business_date": "2026-01-05"}
    )
    event_post = client.post(
        reverse("legal:event", args=[p.pk]),
        {f"ev{p.pk}-event": "sent", f"ev{p.pk}-business_date": business_today().isoformat()},
    )
    if manager:
        assert (open_post.status_code, event_post.status_code) == (303, 303)
        assert Proceeding.objects.get(pk=p.pk).state == "sent"
    else:
        assert (open_post.status_code, event_post.status_code) == (403, 403)
        assert Proceeding.objects.filter(case=case).count() == 1


def test_writes_to_a_missing_case_or_proceeding_are_404(users, other_case):
    # Every role with legal.manage sees every case, so the 404 is for ids that do not exist.
    client = web(users["legal"])
    assert client.post(reverse("legal:open", args=[other_case.pk + 999]), {}).status_code == 404
    assert client.post(reverse("legal:event", args=[12345]), {}).status_code == 404


def test_open_and_record_events_with_htmx(users, case):
    client = web(users["legal"])
    today = business_today()
    opened = today - timedelta(days=3)
    response = client.post(
        reverse("legal:open", args=[case.pk]),
        {
            "open-kind": "payment_order",
            "open-business_date": opened.isoformat(),
            "open-court": "北京市朝阳区人民法院",
            "open-claim": "10,800.00",
        },
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    p = Proceeding.objects.get(case=case)
    assert (p.kind, p.state, p.claim_fen, p.court, p.opened_on) == (
        "payment_order",
        "drafted",
        1_080_000,
        "北京市朝阳区人民法院",
        opened,
    )
    assert f"已开启：支付令 #{p.pk}" in body or "已开启" in body
    assert 'data-testid="proceeding"' in body and "<html" not in body  # the body fragment only
    response = client.post(
        reverse("legal:event", args=[p.pk]),
        {
            f"ev{p.pk}-event": "applied",
            f"ev{p.pk}-business_date": opened.isoformat(),
            f"ev{p.pk}-note": "递交",
        },
        **HTMX,
    )
    assert response.status_code == 200
    p.refresh_from_db()
    assert p.state == "applied"
    deadline = Deadline.objects.get(proceeding=p)
    assert (deadline.code, deadline.party, deadline.status) == ("acceptance_decision", "court", "open")
    body = response.content.decode()
    assert 'data-code="acceptance_decision"' in body and "民事诉讼法第二百二十六条" in body
    assert "递交" in body  # the note in the history
    event = p.events.get(event="applied")
    assert (event.business_date, event.interrupts_limitation, event.actor_id) == (
        opened,
        True,
        users["legal"].pk,
    )


def test_event_facts_reach_the_engine(users, case):
    """A suit is filed with its procedure; the facts the event does not take are not sent."""
    client = web(users["legal"])
    today = business_today()
    p = proceeding_open(actor=users["legal"], case_id=case.pk, kind="suit", on=today)
    form = {
        f"ev{p.pk}-event": "filed",
        f"ev{p.pk}-business_date": today.isoformat(),
        f"ev{p.pk}-procedure": "simple",
        f"ev{p.pk}-asset": "deposit",  # not a fact of "filed": dropped
    }
    assert client.post(reverse("legal:event", args=[p.pk]), form).status_code == 303
    p.refresh_from_db()
    assert p.state == "filed"
    assert p.events.get(event="filed").facts.get("procedure") == "simple"
    assert "asset" not in p.events.get(event="filed").facts


@pytest.mark.parametrize(
    ("language", "missing", "future", "choice"),
    [
        ("zh-hans", "需要事实 procedure", "晚于今天", "请选择列表中的选项"),
        ("en", "needs the fact procedure", "is after today", "Choose one of the listed options"),
    ],
)
def test_errors_are_shown_inline_in_the_users_language(users, case, language, missing, future, choice):
    client = web(users["legal"], language)
    today = business_today()
    p = proceeding_open(actor=users["legal"], case_id=case.pk, kind="suit", on=today)
    url = reverse("legal:event", args=[p.pk])
    no_procedure = {f"ev{p.pk}-event": "filed", f"ev{p.pk}-business_date": today.isoformat()}
    response = client.post(url, no_procedure, **HTMX)
    assert response.status_code == 400
    body = response.content.decode()
    # on the procedure field, and the form stays open
    assert re.search(r'class="field invalid fact".*?' + re.escape(missing), body, re.S)
    tomorrow = (today + timedelta(days=1)).isoformat()
    response = client.post(
        url, {**no_procedure, f"ev{p.pk}-procedure": "simple", f"ev{p.pk}-business_date": tomorrow}
    )
    assert response.status_code == 400 and future in response.content.decode()
    assert "<html" in response.content.decode()  # without htmx: the whole page with the errors
    response = client.post(
        url, {f"ev{p.pk}-event": "served", f"ev{p.pk}-business_date": today.isoformat()}, **HTMX
    )
    assert response.status_code == 400 and choice in response.content.decode()
    assert Proceeding.objects.get(pk=p.pk).state == "drafted"


def test_a_date_the_engine_refuses_is_shown_on_the_business_date(users, case):
    """The objection window has not lapsed yet: the engine's refusal lands on the date field."""
    p = payment_order_served(users["legal"], case)
    client = web(users["legal"], "en")
    response = client.post(
        reverse("legal:event", args=[p.pk]),
        {
            f"ev{p.pk}-event": "objection_window_lapsed",
            f"ev{p.pk}-business_date": business_today().isoformat(),
        },
        **HTMX,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r'id="id_ev\d+-business_date_errors"><li>[^<]*must be dated', body)


def test_open_form_errors(users, case):
    client = web(users["legal"])
    response = client.post(
        reverse("legal:open", args=[case.pk]),
        {"open-kind": "appeal", "open-business_date": "2026-13-40", "open-claim": "12.345"},
        **HTMX,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请选择列表中的选项" in body and "金额最多两位小数" in body
    assert not Proceeding.objects.exists()


def test_case_page_sections(users, case):
    p = payment_order_served(users["legal"], case)
    body = web(users["collector"]).get(case_url(case)).content.decode()
    assert 'data-testid="route-recommended"' in body and 'data-testid="route-option"' in body
    assert body.count('data-testid="deadline"') == Deadline.objects.filter(proceeding=p).count() == 4
    assert 'data-code="objection_due" data-status="open"' in body
    assert 'data-code="acceptance_decision" data-status="met"' in body
    assert body.count('data-testid="debt-row"') == 1 and body.count('data-testid="limitation-row"') == 1
    # fees on the claim: 10,000 + 500 + 200 + 100 yuan owed = 10,800 yuan → acceptance fee
    # 50 + 800 × 2.5 % = 70.00 yuan; a third of it for the payment order
    assert re.search(r'data-code="acceptance"><th scope="row">[^<]+</th><td class="num">¥70.00<', body)
    assert re.search(r'data-code="payment_order"><th scope="row">[^<]+</th><td class="num">¥23.33<', body)
    assert 'data-testid="no-documents"' in body


def test_english_rendering_with_the_language_switch(users, case):
    client = web(users["legal"])
    assert "法务工作台" in client.get(reverse("legal:home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("legal:home")})
    assert response.status_code == 302
    body = client.get(reverse("legal:home")).content.decode()
    assert "Legal workspace" in body and "法务工作台" not in body
    body = client.get(case_url(case)).content.decode()
    assert "Route advisor" in body and "Open a proceeding" in body and "路径建议" not in body


def test_calendar_month_navigation(users, case):
    today = business_today()
    p = payment_order_served(users["legal"], case)
    due = Deadline.objects.get(proceeding=p, code="objection_due").due_on
    client = web(users["legal"])
    month = due.strftime("%Y-%m")
    body = client.get(reverse("legal:home"), {"month": month}).content.decode()
    assert f'data-month="{month}"' in body
    assert re.search(
        rf'data-day="{due.isoformat()}">\s*<span class="day">{due.day}</span>\s*<a class="cal-item', body
    )
    # the fragment for htmx, for the previous and next month
    first = due.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    response = client.get(
        reverse("legal:home"), {"month": nxt.strftime("%Y-%m")}, HTTP_HX_TARGET="calendar", **HTMX
    )
    fragment = response.content.decode()
    assert fragment.startswith('<div id="calendar"') and f'data-month="{nxt:%Y-%m}"' in fragment
    assert 'data-testid="cal-empty"' in fragment or due.month == nxt.month
    assert f"?month={month}" in fragment  # back to the deadline's month
    assert f"?month={(nxt + timedelta(days=32)):%Y-%m}" in fragment
    # an unreadable month falls back to this month
    body = client.get(reverse("legal:home"), {"month": "2026-99"}).content.decode()
    assert f'data-month="{today:%Y-%m}"' in body


def test_home_lists_alerts_upcoming_and_open_proceedings(users, case, other_case):
    today = business_today()
    p = payment_order_served(users["legal"], case)
    # an overdue court deadline on the other case: applied 10 days ago, never accepted (5-day limit)
    q = proceeding_open(
        actor=users["legal"], case_id=other_case.pk, kind="payment_order", on=today - timedelta(days=10)
    )
    proceeding_transition(
        actor=users["legal"], proceeding_id=q.pk, event="applied", on=today - timedelta(days=10)
    )
    deadlines_scan(today=today)
    body = web(users["legal"]).get(reverse("legal:home")).content.decode()
    assert re.search(r'data-testid="alert-overdue">1<', body)
    assert body.count('data-testid="proceeding-row"') == 2
    assert 'data-testid="upcoming-row" data-level="overdue"' in body
    # the collector sees the assigned case only
    body = web(users["collector"]).get(reverse("legal:home")).content.decode()
    assert body.count('data-testid="proceeding-row"') == 1 and f"#proceeding-{p.pk}" in body
    assert re.search(r'data-testid="alert-overdue">0<', body)
    # filter by kind / state; htmx gets the results only
    response = web(users["legal"]).get(reverse("legal:home"), {"kind": "suit"}, **HTMX)
    assert response.content.decode().startswith('<div id="results">')
    assert 'data-testid="empty-proceedings"' in response.content.decode()
    body = web(users["legal"]).get(reverse("legal:home"), {"state": "served"}).content.decode()
    assert body.count('data-testid="proceeding-row"') == 1


def test_empty_states(users):
    client = web(users["legal"])
    body = client.get(reverse("legal:home")).content.decode()
    assert 'data-testid="empty-proceedings"' in body and 'data-testid="no-upcoming"' in body
    assert 'data-testid="cal-empty"' in body
    assert 'data-testid="empty-state"' in client.get(reverse("legal:kpis")).content.decode()


def test_badge_counts_overdue_and_due(users, case):
    today = business_today()
    assert "legal-badge" not in web(users["legal"]).get(reverse("legal:badge")).content.decode()
    p = proceeding_open(
        actor=users["legal"], case_id=case.pk, kind="payment_order", on=today - timedelta(days=9)
    )
    proceeding_transition(
        actor=users["legal"], proceeding_id=p.pk, event="applied", on=today - timedelta(days=9)
    )
    deadlines_scan(today=today)
    response = web(users["legal"]).get(reverse("legal:badge"))
    assert re.search(r'data-testid="legal-badge"[^>]*>1</span>', response.content.decode())
    assert "no-store" in response["Cache-Control"]
    # the navigation link loads it; pages without legal.view show no link
    page = web(users["legal"]).get(reverse("web:queue")).content.decode()
    assert 'data-testid="nav-legal"' in page and reverse("legal:badge") in page


def test_case_page_links_to_the_legal_page(users, case):
    body = web(users["collector"]).get(reverse("web:case", args=[case.pk])).content.decode()
    assert f'href="{case_url(case)}" data-testid="legal-link"' in body


def test_kpi_page_with_data(users, case):
    p = payment_order_served(users["legal"], case)
    proceeding_transition(
        actor=users["legal"],
        proceeding_id=p.pk,
        event="paid",
        on=business_today(),
        facts={"amount_fen": 1_080_000},
    )
    body = web(users["legal"]).get(reverse("legal:kpis")).content.decode()
    assert 'data-testid="po-rate">100.0%<' in body
    assert body.count('data-testid="band-row"') == 4
    chart = json.loads(re.search(r'id="legal-kpi-data"[^>]*>(.*?)</script>', body, re.S).group(1))
    assert chart["counts"] == [1, 0, 0, 0] and chart["success"] == [100.0, None, None, None]
    assert "echarts.min.js" in body


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_home_query_count_does_not_grow_with_the_lists(users):
    client = web(users["legal"])
    today = business_today()
    proceeding_open(actor=users["legal"], case_id=case_with_debt().pk, kind="demand", on=today)
    few = _queries(client, reverse("legal:home"))
    for _ in range(8):
        c = case_with_debt()
        p = proceeding_open(
            actor=users["legal"], case_id=c.pk, kind="payment_order", on=today - timedelta(days=2)
        )
        proceeding_transition(
            actor=users["legal"], proceeding_id=p.pk, event="applied", on=today - timedelta(days=2)
        )
    deadlines_scan(today=today)
    many = _queries(client, reverse("legal:home"))
    # session, user; alert counts; proceedings count and page; upcoming; calendar month; session save
    assert (few, many) == (10, 10)


def test_case_page_query_count_does_not_grow_with_history(users, case):
    client = web(users["legal"])
    p = proceeding_open(
        actor=users["legal"], case_id=case.pk, kind="enforcement", on=business_today() - timedelta(days=30)
    )
    few = _queries(client, case_url(case))
    day = business_today() - timedelta(days=20)
    proceeding_transition(actor=users["legal"], proceeding_id=p.pk, event="applied", on=day)
    proceeding_transition(actor=users["legal"], proceeding_id=p.pk, event="accepted", on=day)
    for i in range(6):
        proceeding_transition(
            actor=users["legal"],
            proceeding_id=p.pk,
            event="partial_payment",
            on=day + timedelta(days=i),
            facts={"amount_fen": 100},
        )
    proceeding_open(actor=users["legal"], case_id=case.pk, kind="demand", on=business_today())
    many = _queries(client, case_url(case))
    # the route advisor's reads and the limitation reads per debt are constant; proceedings, their events
    # and deadlines are three queries however many there are
    assert few == many == 40


def test_document_generated_on_the_page_and_downloaded(users, case):
    client = web(users["legal"])
    response = client.post(
        reverse("legal:generate", args=[case.pk]),
        {"doc-kind": "payment_order_application", "doc-fmt": "pdf", "doc-court": "北京市朝阳区人民法院"},
        **HTMX,
    )
    assert response.status_code == 200, response.content.decode()[:500]
    body = response.content.decode()
    assert 'data-testid="document-row" data-kind="payment_order_application"' in body
    url = re.search(r'href="(/legal/documents/\d+/download/)" data-testid="download"', body).group(1)
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content if download.streaming else [download.content]).startswith(
        b"%PDF"
    )
    assert "attachment" in download["Content-Disposition"]
    # no pii.reveal: no link, and the file is refused
    page = web(users["auditor"]).get(case_url(case)).content.decode()
    assert 'data-testid="download"' not in page and 'data-testid="document-row"' in page
    assert web(users["auditor"]).get(url).status_code == 403
    grant(users["creditor_viewer"], case)
    assert web(users["creditor_viewer"]).get(url).status_code == 403
    # a court filing without a court is refused on the form
    response = client.post(
        reverse("legal:generate", args=[case.pk]), {"doc-kind": "complaint", "doc-fmt": "pdf"}, **HTMX
    )
    assert response.status_code == 400
    assert re.search(r'id="id_doc-court_errors"><li>[^<]*法院', response.content.decode())


def test_download_of_an_invisible_case_is_404(users, case, other_case):
    from qingzhai.legal.services.documents import document_generate

    document, _ = document_generate(
        case_id=other_case.pk, kind="demand_letter", fmt="pdf", actor=users["legal"]
    )
    assert web(users["collector"]).get(reverse("legal:download", args=[document.pk])).status_code == 404
    assert web(users["supervisor"]).get(reverse("legal:download", args=[document.pk])).status_code == 200


def test_date_helpers():
    from qingzhai.legal.views.home import month_of, shift_month

    assert month_of("2026-02", date(2026, 11, 29)) == date(2026, 2, 1)
    assert month_of("x", date(2026, 11, 29)) == date(2026, 11, 1)
    assert shift_month(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert shift_month(date(2026, 1, 1), -1) == date(2025, 12, 1)
