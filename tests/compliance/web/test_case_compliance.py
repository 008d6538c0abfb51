"""The compliance parts of the case page: logging through the gate, the check before contacting, the
sentence check, protections, disputes, dishonest-list matches and recent decisions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingzhai.compliance.models import Alert, ContactDecision, DebtorProtection, Dispute, Utterance
from qingzhai.compliance.services import protection_set
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio.models import Activity
from tests.compliance.web.conftest import POLITE, PROHIBITED
from tests.web.conftest import form_time, past_local

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
NIGHT_ZH = "当地时间23:00处于夜间禁止时段（22:00至次日08:00）：未经债务人约定不得催收。"
NIGHT_EN = "Local time 23:00 is in the night window (22:00 to 08:00): no collection contact without the debtor's agreement."
NIGHT_BASIS = "GB/T 45251—2025（双方未约定时，催收作业不应在每日22:00至次日8:00进行）"


def case_url(name: str, case) -> str:
    return reverse(name, args=[case.pk])


def log(client, case, htmx: bool = False, **data):
    payload = {"kind": "call", "party": "debtor", "quick": "no_answer", **data}
    return client.post(case_url("web:case_activity", case), payload, **(HX if htmx else {}))


def test_a_call_at_night_is_refused_with_its_rule_and_basis_and_nothing_is_logged(collector_client, case):
    response = log(collector_client, case, occurred_at=form_time(past_local(23)))
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="contact-denied"' in html
    assert NIGHT_ZH in html
    assert NIGHT_BASIS in html
    assert "<code>cn.hours.night</code>" in html
    assert Activity.objects.count() == 0
    decision = ContactDecision.objects.get()
    assert (decision.allowed, decision.channel, decision.party, decision.activity_id) == (
        False,
        "call",
        "debtor",
        None,
    )
    assert [h["rule"] for h in decision.hits] == ["cn.hours.night"]
    assert response.context["open_panel"] == "activity"


def test_the_refusal_in_english(login, collector, case):
    response = log(login(collector, "en"), case, occurred_at=form_time(past_local(23)))
    assert response.status_code == 409
    assert NIGHT_EN.replace("'", "&#x27;") in response.content.decode()


def test_an_opted_out_channel_is_refused_in_daytime_too(collector_client, collector, case):
    protection_set(actor=collector, case_id=case.pk, reason="债务人要求不要打电话", opted_out=["call"])
    response = log(collector_client, case, htmx=True, occurred_at=form_time(past_local(10)))
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-rule="stop.opt_out"' in html
    assert Activity.objects.count() == 0
    # An SMS is still allowed.
    response = log(
        collector_client,
        case,
        kind="sms",
        quick="",
        outcome="delivered",
        occurred_at=form_time(past_local(10)),
    )
    assert response.status_code == 303
    assert Activity.objects.get().kind == "sms"


def test_a_daytime_call_is_logged_with_its_decision(collector_client, case):
    response = log(collector_client, case, occurred_at=form_time(past_local(10)))
    assert response.status_code == 303
    activity = Activity.objects.get()
    decision = ContactDecision.objects.get()
    assert (decision.allowed, decision.activity_id) == (True, activity.pk)
    assert activity.occurred_at == past_local(10)


def test_a_time_in_the_future_or_unreadable_is_a_form_error(collector_client, case):
    response = log(collector_client, case, occurred_at="2199-01-01T10:00")
    assert response.status_code == 400
    assert response.context["activity_form"].errors == {"occurred_at": ["发生时间不能晚于现在"]}
    response = log(collector_client, case, occurred_at="yesterday")
    assert response.status_code == 400
    assert response.context["activity_form"].errors == {
        "occurred_at": ["时间格式无法识别：yesterday（例如 2026-03-01 10:30）"]
    }
    assert (Activity.objects.count(), ContactDecision.objects.count()) == (0, 0)


def test_check_before_contacting_allowed_carries_the_clearance_into_the_log_form(
    collector_client, case, monkeypatch
):
    monkeypatch.setattr("qingzhai.compliance.services.contacts.now", lambda: past_local(10))
    cp = case.debtor.contact_points.get()
    response = collector_client.post(
        case_url("compliance:case_clear", case),
        {"channel": "call", "party": "debtor", "contact_point": cp.pk},
        **HX,
    )
    assert response.status_code == 200
    decision = ContactDecision.objects.get()
    assert decision.allowed is True
    html = response.content.decode()
    assert 'data-testid="clear-allowed"' in html
    assert f"放行编号 #{decision.pk}" in html
    # The log form is swapped in out of band, set to the cleared contact and carrying the clearance.
    assert '<div id="activity-form-box" hx-swap-oob="true">' in html
    assert f'<input type="hidden" name="decision_id" value="{decision.pk}"' in html
    assert f"将使用合规放行 #{decision.pk}" in html
    form = response.context["activity_form"]
    assert (form.initial["kind"], form.initial["party"], form.initial["contact_point"]) == (
        "call",
        "debtor",
        str(cp.pk),
    )

    # Logging right after uses that decision; no second decision is made.
    response = collector_client.post(
        case_url("web:case_activity", case),
        {
            "kind": "call",
            "party": "debtor",
            "contact_point": cp.pk,
            "quick": "connected",
            "decision_id": decision.pk,
        },
    )
    assert response.status_code == 303
    activity = Activity.objects.get()
    decision.refresh_from_db()
    assert (ContactDecision.objects.count(), decision.activity_id) == (1, activity.pk)

    # A clearance is used once.
    response = collector_client.post(
        case_url("web:case_activity", case),
        {
            "kind": "call",
            "party": "debtor",
            "contact_point": cp.pk,
            "quick": "connected",
            "decision_id": decision.pk,
        },
    )
    assert response.status_code == 400
    assert response.context["activity_form"].non_field_errors() == ["该放行记录已被使用"]
    assert Activity.objects.count() == 1


def test_a_clearance_for_another_channel_is_refused(collector_client, case, monkeypatch):
    monkeypatch.setattr("qingzhai.compliance.services.contacts.now", lambda: past_local(10))
    collector_client.post(case_url("compliance:case_clear", case), {"channel": "sms", "party": "debtor"})
    decision = ContactDecision.objects.get()
    response = log(collector_client, case, decision_id=decision.pk)
    assert response.status_code == 400
    assert response.context["activity_form"].non_field_errors() == ["放行记录与联系方式不一致"]
    assert Activity.objects.count() == 0


def test_check_before_contacting_denied_is_red_with_the_rules(collector_client, case, monkeypatch):
    monkeypatch.setattr("qingzhai.compliance.services.contacts.now", lambda: past_local(23))
    response = collector_client.post(
        case_url("compliance:case_clear", case), {"channel": "visit", "party": "debtor"}, **HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="clear-denied"' in html
    assert 'data-rule="cn.hours.night"' in html
    assert NIGHT_BASIS in html
    assert "hx-swap-oob" not in html
    assert ContactDecision.objects.get().allowed is False


def test_check_before_contacting_without_htmx_renders_the_case_page(collector_client, case, monkeypatch):
    monkeypatch.setattr("qingzhai.compliance.services.contacts.now", lambda: past_local(10))
    response = collector_client.post(
        case_url("compliance:case_clear", case), {"channel": "sms", "party": "debtor"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'data-testid="clear-allowed"' in html
    decision = ContactDecision.objects.get()
    assert response.context["activity_form"].initial["decision_id"] == decision.pk


def test_check_before_contacting_bad_input(collector_client, case, other_case):
    response = collector_client.post(
        case_url("compliance:case_clear", case),
        {"channel": "fax", "party": "boss", "contact_point": other_case.debtor.contact_points.get().pk},
        **HX,
    )
    assert response.status_code == 400
    assert response.context["clear_form"].errors == {
        "channel": ["请选择列表中的选项"],
        "party": ["请选择列表中的选项"],
        "contact_point": ["请选择列表中的选项"],
    }
    assert ContactDecision.objects.count() == 0


def test_a_prohibited_sentence_is_marked_and_raises_an_alert(collector_client, case, collector):
    response = collector_client.post(case_url("compliance:case_utterance", case), {"text": PROHIBITED}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<p class="utterance" data-testid="utterance-text">再不还钱就<mark class="viol sev-high" '
        'data-categories="third_party_contact" data-label="骚扰第三方" title="骚扰第三方">去你孩子学校</mark>找你</p>'
    ) in html
    assert "已通知主管。" in html
    utterance = Utterance.objects.get()
    assert (utterance.text, utterance.author_id, utterance.speaker) == (PROHIBITED, collector.pk, "collector")
    alert = Alert.objects.get()
    assert (alert.case_id, alert.collector_id, alert.severity, alert.categories, alert.status) == (
        case.pk,
        collector.pk,
        "high",
        ["third_party_contact"],
        "open",
    )
    # The box is ready for the next sentence.
    assert response.context["utterance_form"].is_bound is False


def test_a_polite_sentence_passes(collector_client, case):
    response = collector_client.post(case_url("compliance:case_utterance", case), {"text": POLITE}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "未发现问题" in html
    assert f'<p class="utterance" data-testid="utterance-text">{POLITE}</p>' in html
    assert "<mark" not in html
    assert (Utterance.objects.count(), Alert.objects.count()) == (1, 0)


def test_an_empty_or_too_long_sentence_is_a_form_error(collector_client, case):
    response = collector_client.post(case_url("compliance:case_utterance", case), {"text": "   "}, **HX)
    assert response.status_code == 400
    assert response.context["utterance_form"].errors == {"text": ["此项必填"]}
    response = collector_client.post(case_url("compliance:case_utterance", case), {"text": "话" * 4001})
    assert response.status_code == 400
    assert response.context["utterance_form"].errors == {"text": ["内容过长（最多 4000 字）"]}
    assert Utterance.objects.count() == 0


def test_collector_records_an_opt_out_and_agreed_times(collector_client, case):
    response = collector_client.post(
        case_url("compliance:case_protection", case),
        {
            "opted_out": ["call", "visit"],
            "agreed_windows": "18:00-19:30\n2026-03-01 9:00-10:00\n12:00-13:00 (4, 0)",
            "reason": "本人要求",
        },
        **HX,
    )
    assert response.status_code == 200
    assert "已更新保护事项" in response.content.decode()
    protection = DebtorProtection.objects.get(debtor=case.debtor)
    assert protection.opted_out == ["call", "visit"]
    assert protection.agreed_windows == [
        {"start": "18:00", "end": "19:30"},
        {"start": "09:00", "end": "10:00", "on": "2026-03-01"},
        {"start": "12:00", "end": "13:00", "weekdays": [0, 4]},
    ]
    # The form shows them back in the same notation.
    page = collector_client.get(case_url("web:case", case))
    assert page.context["protection_form"].initial["agreed_windows"] == (
        "18:00-19:30\n2026-03-01 09:00-10:00\n12:00-13:00 (0,4)"
    )
    assert AuditEvent.objects.get(action="protection.set").reason == "本人要求"


def test_collector_cannot_set_bankruptcy_but_a_supervisor_can(collector_client, supervisor_client, case):
    page = collector_client.get(case_url("web:case", case))
    assert "bankrupt" not in page.context["protection_form"].fields
    # Sending the field anyway changes nothing: the collector's form does not carry it.
    collector_client.post(
        case_url("compliance:case_protection", case), {"bankrupt": "on", "reason": "试一下"}
    )
    assert DebtorProtection.objects.get(debtor=case.debtor).bankrupt is False
    response = supervisor_client.post(
        case_url("compliance:case_protection", case),
        {
            "bankrupt": "on",
            "guarantor_contact_allowed": "on",
            "hardship_until": "2026-12-31",
            "reason": "法院受理破产",
        },
    )
    assert response.status_code == 303
    protection = DebtorProtection.objects.get(debtor=case.debtor)
    assert (protection.bankrupt, protection.hardship_until.isoformat()) == (True, "2026-12-31")


def test_bad_protection_input_is_shown_on_the_form(collector_client, case):
    response = collector_client.post(
        case_url("compliance:case_protection", case),
        {"opted_out": ["fax"], "agreed_windows": "evenings", "reason": ""},
        **HX,
    )
    assert response.status_code == 400
    assert response.context["protection_form"].errors == {
        "opted_out": ["请选择列表中的选项"],
        "agreed_windows": ["第 1 行格式应为 09:00-12:00 或 2026-03-01 18:00-19:00：evenings"],
        "reason": ["此项必填"],
    }
    assert DebtorProtection.objects.count() == 0


def test_read_only_roles_see_protections_without_forms(login, users, case, collector):
    protection_set(actor=collector, case_id=case.pk, reason="本人要求", opted_out=["sms"])
    html = login(users["auditor"]).get(case_url("web:case", case)).content.decode()
    assert 'data-testid="protection-summary"' in html
    assert 'data-testid="opted-out">短信</span>' in html
    for form in ("protection-form", "clear-form", "utterance-form", "dispute-form", "activity-form"):
        assert f'data-testid="{form}"' not in html
    response = login(users["auditor"]).post(
        case_url("compliance:case_protection", case), {"opted_out": ["call"], "reason": "x"}
    )
    assert response.status_code == 403


def test_dispute_open_and_resolve(collector_client, supervisor_client, case):
    response = collector_client.post(case_url("compliance:case_dispute", case), {"reason": "金额不对"}, **HX)
    assert response.status_code == 200
    assert "已登记异议" in response.content.decode()
    dispute = Dispute.objects.get()
    assert (dispute.case_id, dispute.reason, dispute.resolved_at) == (case.pk, "金额不对", None)
    # A collector may not resolve it.
    url = reverse("compliance:dispute_resolve", args=[dispute.pk])
    assert collector_client.post(url, {"resolution": "已核实"}).status_code == 403
    response = supervisor_client.post(url, {"resolution": ""}, **HX)
    assert response.status_code == 400
    assert response.context["resolve_form"].errors == {"resolution": ["此项必填"]}
    response = supervisor_client.post(url, {"resolution": "已核实金额无误"})
    assert response.status_code == 303
    dispute.refresh_from_db()
    assert dispute.resolution == "已核实金额无误"
    assert dispute.resolved_at is not None


def test_a_second_open_dispute_is_refused(collector_client, case):
    collector_client.post(case_url("compliance:case_dispute", case), {"reason": "金额不对"})
    response = collector_client.post(case_url("compliance:case_dispute", case), {"reason": "又有异议"}, **HX)
    assert response.status_code == 409
    assert response.context["dispute_form"].non_field_errors() == ["该案件已有未解决的异议"]
    assert Dispute.objects.count() == 1


def test_case_page_lists_recent_decisions(collector_client, case):
    log(collector_client, case, occurred_at=form_time(past_local(23)))
    html = collector_client.get(case_url("web:case", case)).content.decode()
    assert 'data-testid="case-decisions"' in html
    assert NIGHT_ZH in html
    # A collector has no compliance pages to link to.
    assert "/compliance/decisions/" not in html


def test_compliance_actions_on_someone_elses_case_are_404(collector_client, other_case):
    for name in ("case_clear", "case_utterance", "case_protection", "case_dispute"):
        response = collector_client.post(
            case_url(f"compliance:{name}", other_case), {"text": "x", "reason": "x"}
        )
        assert response.status_code == 404, name
