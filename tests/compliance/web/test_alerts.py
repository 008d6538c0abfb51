"""The alert queue: newest first, status filter, the live feed, one alert's actions and history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingzhai.compliance.models import Alert, AlertAction
from qingzhai.compliance.services import alert_act

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
ALERTS = reverse("compliance:alerts")
FEED = reverse("compliance:alert_feed")
INSULT = "你这个废物，赶紧还钱"


def ids(response) -> list[int]:
    return [a.pk for a in response.context["alerts"]]


def test_newest_first_with_case_collector_and_marked_sentence(supervisor_client, case, alert_on):
    first = alert_on(case)
    second = alert_on(case, INSULT)
    response = supervisor_client.get(ALERTS)
    assert response.status_code == 200
    assert ids(response) == [second.pk, first.pk]
    html = response.content.decode()
    assert f'href="/cases/{case.pk}/">案件 #{case.pk} {case.debtor.name}</a>' in html
    assert "collector1" in html
    assert '<span class="badge cat">骚扰第三方</span>' in html
    assert 'data-label="骚扰第三方" title="骚扰第三方">去你孩子学校</mark>找你' in html
    # The page polls for newer alerts than the newest shown.
    assert f'hx-get="/compliance/alerts/feed/?since_id={second.pk}" hx-trigger="every 2s"' in html


def test_status_filter_defaults_to_not_closed(supervisor_client, supervisor, case, alert_on):
    done = alert_on(case)
    alert_act(actor=supervisor, alert_id=done.pk, action="close", note="已辅导并结案")
    active = alert_on(case, INSULT)
    assert ids(supervisor_client.get(ALERTS)) == [active.pk]
    assert ids(supervisor_client.get(ALERTS, {"status": "closed"})) == [done.pk]
    assert ids(supervisor_client.get(ALERTS, {"status": "all"})) == [active.pk, done.pk]
    response = supervisor_client.get(ALERTS, {"status": "gone"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"status": ["请选择列表中的选项"]}


def test_empty_state(supervisor_client):
    response = supervisor_client.get(ALERTS)
    html = response.content.decode()
    assert 'data-testid="empty-state"' in html
    assert "新的告警会自动出现在这里，无需刷新。" in html
    assert 'hx-get="/compliance/alerts/feed/?since_id=0"' in html


def test_feed_returns_only_newer_alerts_and_the_next_poller(supervisor_client, case, alert_on):
    old = alert_on(case)
    response = supervisor_client.get(FEED, {"since_id": old.pk}, **HX)
    assert response.status_code == 204
    new = alert_on(case, INSULT)
    response = supervisor_client.get(FEED, {"since_id": old.pk}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<li id="alert-poll" hidden aria-hidden="true" hx-get="/compliance/alerts/feed/?since_id={new.pk}"'
    )
    assert f'id="alert-{new.pk}"' in html
    assert f'id="alert-{old.pk}"' not in html
    assert supervisor_client.get(FEED, {"since_id": "x"}, **HX).status_code == 400


def test_feed_keeps_the_status_filter(supervisor_client, case, alert_on):
    alert = alert_on(case)
    response = supervisor_client.get(FEED, {"since_id": 0, "status": "closed"}, **HX)
    assert response.status_code == 204
    response = supervisor_client.get(FEED, {"since_id": 0, "status": "open"}, **HX)
    assert (
        f'hx-get="/compliance/alerts/feed/?since_id={alert.pk}&amp;status=open"' in response.content.decode()
    )


def test_pagination(supervisor_client, case, alert_on):
    made = [alert_on(case).pk for _ in range(52)]
    response = supervisor_client.get(ALERTS)
    assert ids(response) == made[::-1][:50]
    assert "共 52 条 · 第 1 / 2 页" in response.content.decode()
    second = supervisor_client.get(ALERTS, {"page": 2}, **HX)
    assert ids(second) == made[::-1][50:]
    # Only the first page is live.
    assert "alert-poll" not in second.content.decode()


def test_acknowledge_then_coach_then_close_with_history(supervisor_client, case, alert_on):
    alert = alert_on(case)
    url = reverse("compliance:alert_act", args=[alert.pk])
    detail = reverse("compliance:alert", args=[alert.pk])
    page = supervisor_client.get(detail)
    assert [a for a, _ in page.context["next_actions"]] == ["acknowledge", "coach", "escalate", "close"]
    assert "尚未处理。" in page.content.decode()

    response = supervisor_client.post(url, {"action": "acknowledge"})
    assert (response.status_code, response["Location"]) == (303, detail)
    response = supervisor_client.post(url, {"action": "coach", "note": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {"note": ["请填写处理说明"]}
    supervisor_client.post(url, {"action": "coach", "note": "已当面辅导，话术已更正"})
    supervisor_client.post(url, {"action": "close", "note": "结案"})

    alert.refresh_from_db()
    assert alert.status == "closed"
    history = list(
        AlertAction.objects.filter(alert=alert).values_list("action", "from_status", "to_status", "note")
    )
    assert history == [
        ("acknowledge", "open", "acknowledged", ""),
        ("coach", "acknowledged", "coached", "已当面辅导，话术已更正"),
        ("close", "coached", "closed", "结案"),
    ]
    html = supervisor_client.get(detail).content.decode()
    assert "已当面辅导，话术已更正" in html
    assert "该告警已关闭。" in html


def test_an_invalid_transition_shows_the_error(supervisor_client, supervisor, case, alert_on):
    alert = alert_on(case)
    alert_act(actor=supervisor, alert_id=alert.pk, action="acknowledge")
    response = supervisor_client.post(
        reverse("compliance:alert_act", args=[alert.pk]), {"action": "acknowledge"}
    )
    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == ["告警当前状态为「acknowledged」，不能执行该操作"]
    response = supervisor_client.post(reverse("compliance:alert_act", args=[alert.pk]), {"action": "delete"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"action": ["请选择列表中的选项"]}
    assert Alert.objects.get().status == "acknowledged"


def test_auditor_reads_but_cannot_act(login, users, case, alert_on):
    alert = alert_on(case)
    client = login(users["auditor"])
    page = client.get(reverse("compliance:alert", args=[alert.pk]))
    assert page.status_code == 200
    assert 'data-testid="alert-act-form"' not in page.content.decode()
    assert (
        client.post(reverse("compliance:alert_act", args=[alert.pk]), {"action": "acknowledge"}).status_code
        == 403
    )
    assert Alert.objects.get().status == "open"


def test_unknown_alert_is_404(supervisor_client):
    assert supervisor_client.get(reverse("compliance:alert", args=[999])).status_code == 404


def test_alerts_page_in_english(login, supervisor, case, alert_on):
    alert_on(case)
    html = login(supervisor, "en").get(ALERTS).content.decode()
    assert "<h1>Compliance alerts</h1>" in html
    assert '<span class="badge sev-high">High</span>' in html
    assert '<span class="badge cat">Pressure through third parties</span>' in html
    assert 'data-label="Pressure through third parties"' in html
