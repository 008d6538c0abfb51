"""The denied-contact log and one decision with its inputs and re-explanation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from qingzhai.compliance.models import ContactDecision
from qingzhai.compliance.services import contact_clear
from qingzhai.core.clock import business_today
from tests.web.conftest import past_local

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
LIST = reverse("compliance:decisions")


def ids(response) -> list[int]:
    return [d.pk for d in response.context["decisions"]]


@pytest.fixture
def decisions(collector, case):
    """A denied call at night, an allowed SMS by day, a denied visit at night (in that order)."""
    night_call = contact_clear(actor=collector, case_id=case.pk, kind="call", at=past_local(23))
    day_sms = contact_clear(actor=collector, case_id=case.pk, kind="sms", at=past_local(10))
    night_visit = contact_clear(actor=collector, case_id=case.pk, kind="visit", at=past_local(23, 30))
    return night_call, day_sms, night_visit


def test_denied_only_by_default_newest_first(login, users, decisions):
    night_call, day_sms, night_visit = decisions
    client = login(users["compliance"])
    response = client.get(LIST)
    assert response.status_code == 200
    assert ids(response) == [night_visit.pk, night_call.pk]
    html = response.content.decode()
    assert "<code>cn.hours.night</code> 当地时间23:00处于夜间禁止时段" in html
    assert ids(client.get(LIST, {"result": "allowed"})) == [day_sms.pk]
    assert ids(client.get(LIST, {"result": "all"})) == [night_visit.pk, day_sms.pk, night_call.pk]
    assert ids(client.get(LIST, {"result": "denied", "channel": "visit"})) == [night_visit.pk]


def test_date_range_filter(login, users, decisions):
    night_call, _, night_visit = decisions
    ContactDecision.objects.filter(pk=night_call.pk).update(decided_at=past_local(12, days_back=10))
    client = login(users["auditor"])
    today = business_today()
    recent = client.get(LIST, {"date_from": (today - timedelta(days=3)).isoformat()})
    assert ids(recent) == [night_visit.pk]
    old = client.get(LIST, {"date_to": (today - timedelta(days=5)).isoformat()}, **HX)
    assert ids(old) == [night_call.pk]
    assert "<html" not in old.content.decode()


def test_bad_filters_are_shown(login, users, decisions):
    response = login(users["auditor"]).get(
        LIST, {"channel": "fax", "date_from": "2026-02-30", "date_to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "channel": ["请选择列表中的选项"],
        "date_from": ["日期不存在：2026-02-30"],
    }
    response = login(users["auditor"]).get(LIST, {"date_from": "2026-03-01", "date_to": "2026-01-01"})
    assert response.context["form"].errors == {"date_to": ["截止日期不能早于起始日期"]}


def test_empty_state(login, users):
    html = login(users["auditor"]).get(LIST).content.decode()
    assert 'data-testid="empty-state"' in html


def test_pagination(login, users, collector, case):
    made = [
        contact_clear(actor=collector, case_id=case.pk, kind="sms", at=past_local(23)).pk for _ in range(51)
    ]
    client = login(users["compliance"])
    first = client.get(LIST)
    assert ids(first) == made[::-1][:50]
    assert "共 51 条 · 第 1 / 2 页" in first.content.decode()
    assert ids(client.get(LIST, {"page": 2})) == [made[0]]


def test_detail_shows_rules_basis_pack_version_and_inputs(login, users, decisions):
    night_call = decisions[0]
    response = login(users["compliance"]).get(reverse("compliance:decision", args=[night_call.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<code data-testid="pack-version">{night_call.pack_version}</code>' in html
    assert night_call.pack_version.startswith("cn@")
    assert 'data-rule="cn.hours.night"' in html
    assert "中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》（2026-01-30）" in html
    assert "&quot;channel&quot;: &quot;call&quot;" in html
    assert "&quot;dispute_open&quot;: false" in html
    assert 'data-testid="history-count">当时计入的联系：0 次</p>' in html
    assert response.context["explained"] is None


def test_re_explain_matches_the_stored_hits(login, users, decisions):
    night_call = decisions[0]
    client = login(users["compliance"])
    response = client.get(reverse("compliance:decision_explain", args=[night_call.pk]), **HX)
    assert response.status_code == 200
    explained = response.context["explained"]
    assert (explained["same"], explained["allowed"], explained["pack_version"]) == (
        True,
        False,
        night_call.pack_version,
    )
    assert [h["rule"] for h in explained["hits"]] == ["cn.hours.night"]
    html = response.content.decode()
    assert html.startswith('<div id="explain-box" data-testid="explain">')
    assert 'data-testid="explain-same">与当时的结果一致</span>' in html
    # Without htmx the detail page shows it too.
    page = client.get(reverse("compliance:decision", args=[night_call.pk]), {"explain": "1"})
    assert 'data-testid="explain-same"' in page.content.decode()


def test_re_explain_shows_a_difference(login, users, decisions):
    day_sms = decisions[1]
    stored = [{"rule": "cn.freq.made_up", "effect": "deny", "basis": "x", "zh": "x", "en": "x", "params": {}}]
    ContactDecision.objects.filter(pk=day_sms.pk).update(hits=stored, allowed=False)
    response = login(users["compliance"]).get(reverse("compliance:decision_explain", args=[day_sms.pk]), **HX)
    explained = response.context["explained"]
    assert (explained["same"], explained["allowed"]) == (False, True)
    assert explained["only_then"] == [("cn.freq.made_up", "deny")]
    assert 'data-testid="explain-differs"' in response.content.decode()


def test_re_explain_of_an_unknown_pack_version_is_an_error_not_a_crash(login, users, decisions):
    night_call = decisions[0]
    ContactDecision.objects.filter(pk=night_call.pk).update(pack_version="cn@1999-01-01")
    response = login(users["compliance"]).get(
        reverse("compliance:decision_explain", args=[night_call.pk]), **HX
    )
    assert response.status_code == 200
    assert response.context["explained"]["error"].startswith("政策包 cn 没有版本 1999-01-01")


def test_unknown_decision_is_404(login, users):
    assert login(users["compliance"]).get(reverse("compliance:decision", args=[999999])).status_code == 404
