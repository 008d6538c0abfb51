"""The workspace and wall pages: permissions, the htmx fragments, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from qingzhai.compliance.models import Alert, ContactDecision, Utterance
from qingzhai.contact.models import BotCall
from qingzhai.core import pii
from qingzhai.core.clock import business_today, now
from qingzhai.portfolio.models import Activity, ContactPoint, PromiseToPay
from tests.factories import case_with_debt

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def test_permissions(login, users, case, other_case, daytime):
    for role in ("auditor", "creditor_viewer", "compliance"):
        client = login(users[role])
        assert client.get(reverse("contact:workspace")).status_code == 403
    assert login(users["collector"]).get(reverse("contact:wall")).status_code == 403
    assert login(users["auditor"]).get(reverse("contact:wall")).status_code == 403
    collector = login(users["collector"])
    assert collector.get(reverse("contact:workspace_case", args=[other_case.pk])).status_code == 404
    assert (
        collector.post(
            reverse("contact:workspace_outcome", args=[other_case.pk]), {"outcome": "no_answer"}
        ).status_code
        == 404
    )
    assert (
        collector.post(reverse("contact:workspace_screen", args=[other_case.pk]), {"text": "x"}).status_code
        == 404
    )
    for role in ("supervisor", "compliance", "admin"):
        assert login(users[role]).get(reverse("contact:wall")).status_code == 200
    assert login(users["supervisor"]).get(reverse("contact:workspace")).status_code == 200


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("contact:workspace"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_queue_page_and_take_next(collector_client, case, daytime):
    page = collector_client.get(reverse("contact:workspace"))
    assert page.status_code == 200 and b'data-testid="ws-row"' in page.content
    response = collector_client.get(reverse("contact:workspace_next"))
    assert response.status_code == 303
    assert response["Location"] == reverse("contact:workspace_case", args=[case.pk])


def test_empty_queue_and_nothing_callable(collector_client, collector, night):
    page = collector_client.get(reverse("contact:workspace"))
    assert b'data-testid="ws-empty"' in page.content
    case_with_debt(assigned_to=collector)
    none = collector_client.get(reverse("contact:workspace_next"))
    assert none.status_code == 200 and b'data-testid="no-next"' in none.content
    assert "夜间".encode() in none.content


def test_case_screen_shows_masked_data_and_the_first_line(collector_client, case, secrets_of):
    page = collector_client.get(reverse("contact:workspace_case", args=[case.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert case.debtor.name not in body and f"{case.debtor.name[0]}*" in body
    for secret in secrets_of(case):
        assert secret not in body
    assert 'data-testid="script-suggestion"' in body and "请问您是" in body and "智能客服" not in body


def test_script_assist_follows_the_debtor(collector_client, case):
    url = reverse("contact:workspace_script", args=[case.pk])
    last4 = pii.get_value(case.debtor, "id_number")[-4:]
    first = collector_client.post(url, {"reply": "是我"}, **HX).content.decode()
    assert 'data-node="verify"' in first and 'name="heard" value="是我"' in first
    second = collector_client.post(url, {"heard": ["是我"], "reply": last4}, **HX).content.decode()
    assert 'data-node="reminder"' in second
    anxious = collector_client.post(
        url, {"heard": ["是我", last4], "reply": "我最近很担心，压力好大，怎么办"}, **HX
    ).content.decode()
    assert 'data-branch="soothing"' in anxious and "焦虑" in anxious
    restart = collector_client.post(url, {"heard": ["是我"], "restart": "1"}, **HX).content.decode()
    assert 'data-node="greeting"' in restart
    assert not Utterance.objects.exists()  # the assistant stores nothing


def test_live_warnings_store_nothing(collector_client, case):
    url = reverse("contact:workspace_screen", args=[case.pk])
    bad = collector_client.post(url, {"text": "不还钱就让法院把你抓起来"}, **HX)
    assert bad.status_code == 200 and b'data-testid="draft-warning"' in bad.content
    good = collector_client.post(url, {"text": "您好，请问方便谈一下还款安排吗？"}, **HX)
    assert b'data-testid="draft-ok"' in good.content
    empty = collector_client.post(url, {"text": ""}, **HX)
    assert empty.content.strip() == b""
    assert not Utterance.objects.exists() and not Alert.objects.exists()


def test_say_records_and_alerts(collector_client, case):
    response = collector_client.post(
        reverse("contact:workspace_say", args=[case.pk]), {"text": "不还钱就让法院把你抓起来"}, **HX
    )
    assert response.status_code == 200 and "已通知主管".encode() in response.content
    assert Alert.objects.filter(case=case).count() == 1


def test_one_click_outcome_with_htmx(collector_client, case, daytime):
    cp = ContactPoint.objects.get(debtor=case.debtor).pk
    url = reverse("contact:workspace_outcome", args=[case.pk])
    response = collector_client.post(url, {"outcome": "no_answer", "contact_point": cp}, **HX)
    assert response.status_code == 200 and b'data-testid="ws-notice"' in response.content
    assert b'data-testid="next-case"' in response.content
    assert Activity.objects.get(case=case).outcome == "no_answer"


def test_promise_outcome_with_errors_then_saved(collector_client, case, daytime):
    cp = ContactPoint.objects.get(debtor=case.debtor).pk
    url = reverse("contact:workspace_outcome", args=[case.pk])
    bad = collector_client.post(url, {"outcome": "promise", "contact_point": cp}, **HX)
    assert bad.status_code == 400 and "须填写金额".encode() in bad.content
    due = (business_today() + timedelta(days=3)).isoformat()
    ok = collector_client.post(
        url,
        {"outcome": "promise", "contact_point": cp, "amount": "1,500.50", "due_date": due, "heard": ["是我"]},
        **HX,
    )
    assert ok.status_code == 200 and "已记录承诺还款".encode() in ok.content
    assert PromiseToPay.objects.get(case=case).amount_fen == 150_050


def test_a_denied_outcome_shows_the_rules(collector_client, case, night):
    cp = ContactPoint.objects.get(debtor=case.debtor).pk
    response = collector_client.post(
        reverse("contact:workspace_outcome", args=[case.pk]),
        {"outcome": "no_answer", "contact_point": cp},
        **HX,
    )
    assert response.status_code == 409 and b'data-testid="ws-denied"' in response.content
    assert b"cn.hours.night" in response.content
    assert not Activity.objects.exists() and ContactDecision.objects.get().allowed is False


def test_outcome_without_htmx_redirects(collector_client, case, daytime):
    cp = ContactPoint.objects.get(debtor=case.debtor).pk
    response = collector_client.post(
        reverse("contact:workspace_outcome", args=[case.pk]), {"outcome": "connected", "contact_point": cp}
    )
    assert response.status_code == 303


def test_callback(collector_client, case):
    on = (business_today() + timedelta(days=2)).isoformat()
    url = reverse("contact:workspace_callback", args=[case.pk])
    ok = collector_client.post(url, {"on": on, "at_time": "15:30", "note": "发薪日"}, **HX)
    assert ok.status_code == 200 and b'data-testid="callback-notice"' in ok.content
    case.refresh_from_db()
    assert case.next_action_date.isoformat() == on
    bad = collector_client.post(url, {"on": "not a date"}, **HX)
    assert bad.status_code == 400


def _calls(case, n):
    for i in range(n):
        BotCall.objects.create(
            case=case, script_id="standard", script_version="2", script_digest="0" * 64, outcome="promise",
            emotions=["calm", "anxious"], branches=["standard", "soothing"], transcript_sha256="0" * 64,
            started_at=now() - timedelta(minutes=i + 1), ended_at=now(),
        )  # fmt: skip
        Activity.objects.create(
            case=case,
            kind="call",
            outcome="no_answer",
            occurred_at=now() - timedelta(minutes=i + 1),
            created_at=now(),
        )


def test_wall_shows_calls_emotions_and_alerts(supervisor_client, case, collector):
    empty = supervisor_client.get(reverse("contact:wall"))
    assert (
        b'data-testid="wall-no-calls"' in empty.content and b'data-testid="wall-no-alerts"' in empty.content
    )
    _calls(case, 2)
    Utterance.objects.create(
        case=case,
        speaker="debtor",
        source="transcript",
        text="你们再打电话我就投诉，烦死了！",
        created_at=now(),
    )
    from qingzhai.compliance.services.screening import utterance_record

    utterance_record(actor=collector, case_id=case.pk, text="不还钱就让法院把你抓起来")
    feed = supervisor_client.get(reverse("contact:wall_feed"), **HX).content.decode()
    assert feed.count('data-testid="wall-call"') == 4
    assert feed.count('data-kind="bot"') == 2 and "焦虑" in feed
    assert feed.count('data-testid="wall-alert"') == 1
    page = supervisor_client.get(reverse("contact:wall")).content.decode()
    assert 'hx-trigger="every 5s"' in page


def test_wall_is_scoped_to_visible_cases(login, users, make_user, case):
    other = case_with_debt()
    _calls(other, 1)
    viewer = make_user("creditor_viewer")
    assert login(viewer).get(reverse("contact:wall_feed")).status_code == 403


def test_list_pages_have_fixed_query_counts(
    collector_client, supervisor_client, collector, daytime, django_assert_max_num_queries
):
    for _ in range(3):
        case = case_with_debt(assigned_to=collector)
        _calls(case, 2)
    with django_assert_max_num_queries(60):
        assert collector_client.get(reverse("contact:workspace")).status_code == 200
    with django_assert_max_num_queries(16):
        assert supervisor_client.get(reverse("contact:wall_feed")).status_code == 200
    for _ in range(12):
        case = case_with_debt(assigned_to=collector)
        _calls(case, 3)
    with django_assert_max_num_queries(16):
        assert supervisor_client.get(reverse("contact:wall_feed")).status_code == 200
