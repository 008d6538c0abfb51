"""Utterances on a case are screened on arrival: alerts for collectors, blocks for bots, the alert workflow."""

from __future__ import annotations

import pytest

from qingzhai.compliance import services
from qingzhai.compliance.models import Alert, AlertAction, Utterance
from qingzhai.compliance.selectors import alert_queryset, collector_stats
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.core.models import AuditEvent

PROHIBITED = "再不还钱就去你孩子学校找你"


def test_a_collectors_violation_raises_an_alert_with_the_span(collector, supervisor, case):
    utterance = services.utterance_record(actor=collector, case_id=case.pk, text=PROHIBITED)
    assert [(v["category"], v["span"]) for v in utterance.violations] == [("third_party_contact", [5, 11])]
    assert PROHIBITED[5:11] == "去你孩子学校"
    alert = Alert.objects.get(utterance=utterance)
    assert (alert.collector, alert.categories, alert.severity, alert.status) == (
        collector,
        ["third_party_contact"],
        "high",
        "open",
    )
    assert list(alert_queryset(user=supervisor, status="active")) == [alert]
    assert AuditEvent.objects.filter(action="alert.raise", entity_id=str(alert.pk)).count() == 1


def test_lawful_sentences_raise_nothing(collector, case):
    for text in (
        "我们不会联系您的家人",
        "您可以向法院申请调解",
        "如判决生效后仍不履行，法院可以依法强制执行",
    ):
        utterance = services.utterance_record(actor=collector, case_id=case.pk, text=text)
        assert utterance.violations == []
    assert not Alert.objects.exists()


def test_the_debtors_own_words_are_kept_without_an_alert(collector, case):
    utterance = services.utterance_record(
        actor=collector, case_id=case.pk, text="你们这帮骗子", speaker="debtor"
    )
    assert (utterance.author, utterance.violations, Alert.objects.exists()) == (None, [], False)


def test_a_bot_utterance_with_a_violation_is_never_sent(case):
    send, utterance = services.bot_utterance_release(case_id=case.pk, text="不还钱就让法院把你抓起来")
    assert (send, utterance.blocked, utterance.speaker) == (False, True, "bot")
    assert Alert.objects.get(utterance=utterance).collector is None
    send, clean = services.bot_utterance_release(case_id=case.pk, text="您好，您的账单已逾期，请及时还款。")
    assert (send, clean.blocked) == (True, False)


def test_bad_input_and_access(collector, other_case, case):
    with pytest.raises(DomainError) as empty:
        services.utterance_record(actor=collector, case_id=case.pk, text="   ")
    assert empty.value.fields == {"text": ["required"]}
    with pytest.raises(DomainError):
        services.utterance_record(actor=collector, case_id=case.pk, text="x" * 4001)
    with pytest.raises(NotFound):
        services.utterance_record(actor=collector, case_id=other_case.pk, text="你好")
    assert not Utterance.objects.exists()


def test_alert_workflow(users, collector, supervisor, case):
    alert = services.utterance_record(actor=collector, case_id=case.pk, text=PROHIBITED).alert
    with pytest.raises(AccessDenied):
        services.alert_act(actor=collector, alert_id=alert.pk, action="acknowledge")
    services.alert_act(actor=supervisor, alert_id=alert.pk, action="acknowledge")
    with pytest.raises(DomainError) as no_note:
        services.alert_act(actor=supervisor, alert_id=alert.pk, action="coach")
    assert no_note.value.code == "note_required"
    services.alert_act(actor=supervisor, alert_id=alert.pk, action="coach", note="已辅导：不得提及第三方")
    with pytest.raises(DomainError) as back:
        services.alert_act(actor=supervisor, alert_id=alert.pk, action="acknowledge")
    assert back.value.code == "alert_transition"
    services.alert_act(actor=users["compliance"], alert_id=alert.pk, action="close", note="结案")
    assert list(AlertAction.objects.values_list("from_status", "to_status")) == [
        ("open", "acknowledged"),
        ("acknowledged", "coached"),
        ("coached", "closed"),
    ]
    assert list(alert_queryset(user=supervisor, status="active")) == []


def test_violations_per_thousand_utterances_per_collector(make_user, collector, supervisor, case):
    for text in ("您好，请问是张先生吗", "您的账单已逾期", "我们可以协商分期", PROHIBITED):
        services.utterance_record(actor=collector, case_id=case.pk, text=text)
    total, rows = collector_stats(user=supervisor)
    assert (total.utterances, total.violating, total.per_thousand, total.alerts_open) == (4, 1, 250.0, 1)
    assert [(r.collector_id, r.utterances, r.violating) for r in rows] == [(collector.pk, 4, 1)]
    with pytest.raises(AccessDenied):
        collector_stats(user=collector)
