"""Violation rates and the policy pack viewer with the creditor's pack and overrides."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from qingzhai.compliance.models import CreditorPolicy, Utterance
from qingzhai.compliance.services import alert_act, utterance_record
from qingzhai.core.clock import now
from tests.compliance.web.conftest import POLITE, PROHIBITED
from tests.factories import UserFactory, case_with_debt

pytestmark = pytest.mark.django_db

STATS = reverse("compliance:stats")
POLICIES = reverse("compliance:policies")


def test_violations_per_thousand_in_total_and_per_collector(login, users, supervisor, collector, case):
    other = UserFactory(username="li", role="collector")
    other_case = case_with_debt(assigned_to=other)
    for _ in range(3):
        utterance_record(actor=collector, case_id=case.pk, text=POLITE)
    alert = utterance_record(actor=collector, case_id=case.pk, text=PROHIBITED).alert
    alert_act(actor=supervisor, alert_id=alert.pk, action="close", note="已辅导")
    utterance_record(actor=other, case_id=other_case.pk, text=PROHIBITED)
    utterance_record(actor=other, case_id=other_case.pk, text=POLITE)
    # Last month's sentences count only in longer periods.
    old = utterance_record(actor=other, case_id=other_case.pk, text=POLITE)
    Utterance.objects.filter(pk=old.pk).update(created_at=now() - timedelta(days=40))

    client = login(users["compliance"])
    response = client.get(STATS)
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.utterances, total.violating, total.per_thousand, total.alerts_open) == (7, 2, 285.7, 1)
    rows = [
        (r.name, r.utterances, r.violating, r.per_thousand, r.alerts_open) for r in response.context["rows"]
    ]
    assert rows == [("collector1", 4, 1, 250.0, 0), ("li", 3, 1, 333.3, 1)]
    assert response.context["alert_counts"] == [
        ("open", 1),
        ("acknowledged", 0),
        ("coached", 0),
        ("escalated", 0),
        ("closed", 1),
    ]
    html = response.content.decode()
    assert '<strong data-testid="rate-total">285.7</strong>' in html

    week = client.get(STATS, {"days": "7"})
    assert (week.context["total"].utterances, week.context["total"].per_thousand) == (6, 333.3)
    assert client.get(STATS, {"days": "5"}).status_code == 400


def test_stats_empty_state(login, users):
    html = login(users["auditor"]).get(STATS).content.decode()
    assert 'data-testid="empty-state"' in html
    assert '<strong data-testid="rate-total">0.0</strong>' in html


def test_policy_packs_and_the_rules_of_a_version(login, users):
    client = login(users["auditor"])
    response = client.get(POLICIES)
    assert response.status_code == 200
    assert [p.code for p in response.context["packs"]] == ["cn", "us-regf"]
    assert response.context["pack"].version_id == "cn@2026-01-30"
    html = response.content.decode()
    assert 'href="?pack=cn&amp;version=cn%402025-02-28"' in html
    assert '<article class="rule" id="rule-cn.hours.night" data-rule="cn.hours.night">' in html
    assert '<td><code>allowed_until</code></td><td class="mono">22:00</td><td>earlier</td>' in html
    older = client.get(POLICIES, {"pack": "cn", "version": "cn@2025-02-28"})
    assert older.context["pack"].version_id == "cn@2025-02-28"
    assert "cn.freq.attempts_per_number" not in [r["rule"].id for r in older.context["rules"]]
    us = client.get(POLICIES, {"pack": "us-regf"})
    assert us.context["pack"].version_id == "us-regf@2021-11-30"
    bad = client.get(POLICIES, {"pack": "cn", "version": "1999-01-01"})
    assert bad.status_code == 400
    assert bad.context["pack_error"].startswith("政策包 cn 没有版本 1999-01-01")


def test_compliance_sets_a_creditor_pack_and_stricter_overrides(login, users, case):
    creditor = case.portfolio.creditor
    url = reverse("compliance:creditor_policy", args=[creditor.pk])
    client = login(users["compliance"])
    overrides = {"cn.hours.night": {"allowed_until": "20:00"}}
    response = client.post(url, {"pack": "cn", "overrides": json.dumps(overrides), "reason": "委托方要求"})
    assert (response.status_code, response["Location"]) == (303, url)
    policy = CreditorPolicy.objects.get(creditor=creditor)
    assert (policy.pack, policy.overrides) == ("cn", overrides)
    html = client.get(url).content.decode()
    assert "&quot;allowed_until&quot;: &quot;20:00&quot;" in html
    listing = client.get(POLICIES)
    assert [(c["creditor"].pk, c["policy"].pack) for c in listing.context["creditors"]] == [
        (creditor.pk, "cn")
    ]


@pytest.mark.parametrize(
    "data, errors",
    [
        (
            {"pack": "cn", "overrides": '{"cn.hours.night": {"allowed_until": "23:00"}}', "reason": "试"},
            {
                "__all__": [
                    "参数 cn.hours.night.allowed_until 的覆盖值 23:00 比政策包 cn@2026-01-30 的 22:00 更宽松；此参数只能提前"
                ]
            },
        ),
        (
            {"pack": "cn", "overrides": "{not json", "reason": "试"},
            {
                "overrides": [
                    "不是有效的 JSON（第 1 行第 2 列）：Expecting property name enclosed in double quotes"
                ]
            },
        ),
        (
            {"pack": "cn", "overrides": "[1, 2]", "reason": "试"},
            {"overrides": ['格式应为 {"规则编号": {"参数": 值}}']},
        ),
        (
            {"pack": "xx", "overrides": "", "reason": ""},
            {"pack": ["请选择列表中的选项"], "reason": ["此项必填"]},
        ),
    ],
)
def test_bad_policy_input_is_shown_on_the_form(login, users, case, data, errors):
    url = reverse("compliance:creditor_policy", args=[case.portfolio.creditor.pk])
    response = login(users["compliance"]).post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert CreditorPolicy.objects.count() == 0


def test_only_compliance_may_change_a_creditor_policy(login, users, case):
    url = reverse("compliance:creditor_policy", args=[case.portfolio.creditor.pk])
    for role in ("supervisor", "auditor"):
        client = login(users[role])
        page = client.get(url)
        assert page.status_code == 200
        assert 'data-testid="policy-form"' not in page.content.decode()
        assert client.post(url, {"pack": "cn", "overrides": "", "reason": "x"}).status_code == 403
    assert CreditorPolicy.objects.count() == 0
