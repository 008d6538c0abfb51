"""Campaigns end to end on the database: planned through the gate, sent through the local SMS gateway,
every message's gate decision stored, each contact logged with its clearance and in the evidence ledger,
receipts marking delivery (which interrupts limitation), replies opting out, and the controls."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qingzhai.compliance.models import ContactDecision, DebtorProtection, Dispute
from qingzhai.contact.channels.sms import SmsChannel
from qingzhai.contact.models import Campaign, CampaignMessage
from qingzhai.contact.selectors.campaigns import campaign_progress, campaign_results
from qingzhai.contact.services import campaigns as svc
from qingzhai.contact.services.campaign_send import (
    campaign_receipts_record,
    campaign_reply_record,
    campaign_send_due,
)
from qingzhai.core import pii
from qingzhai.core.clock import now
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.evidence.models import Outbox
from qingzhai.portfolio.models import Activity
from tests.factories import case_with_debt

SMS = [{"template_id": "reminder_sms_zh", "offset_hours": 0}]


@pytest.fixture
def three_cases(supervisor):
    cases = [case_with_debt() for _ in range(3)]
    Dispute.objects.create(case=cases[2], reason="金额有误", opened_at=now())
    return cases


def _campaign(committed, actor, cases, steps=SMS, **kw):
    campaign = svc.campaign_create(
        actor=actor,
        name="提醒",
        steps=steps,
        filters={"portfolio_ids": [c.portfolio_id for c in cases]},
        **kw,
    )
    committed(svc.campaign_plan_start, actor=actor, campaign_id=campaign.pk)  # Celery runs eagerly in tests
    campaign.refresh_from_db()
    return campaign


def _receipts(gateway):
    channel = SmsChannel(gateway.url)
    return [channel.parse_receipt(r) for r in gateway.receipts]


def test_a_campaign_is_gated_sent_logged_and_delivered(supervisor, three_cases, gateway, daytime, committed):
    campaign = _campaign(committed, supervisor, three_cases)
    assert campaign.status == Campaign.Status.PLANNED
    assert (campaign.cases_total, campaign.messages_total, campaign.refused_total) == (3, 3, 1)
    refused = CampaignMessage.objects.get(status=CampaignMessage.Status.REFUSED)
    assert refused.case_id == three_cases[2].pk and "stop.dispute" in refused.rules

    committed(svc.campaign_start, actor=supervisor, campaign_id=campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.COMPLETED  # all due at once, nothing left
    sent = list(CampaignMessage.objects.filter(status=CampaignMessage.Status.SENT))
    assert len(sent) == 2 and len(gateway.messages) == 2
    for message in sent:
        decision = ContactDecision.objects.get(pk=message.decision_id)
        assert (
            decision.allowed and decision.source == "campaign" and decision.activity_id == message.activity_id
        )
        activity = Activity.objects.get(pk=message.activity_id)
        assert (activity.kind, activity.outcome, activity.contact_point_id) == (
            "sms",
            "other",
            message.contact_point_id,
        )
        assert message.provider_id.startswith("gw-") and len(message.body_sha256) == 64
        assert "¥" in message.body and "TD" in message.body
    texts = {m["text"] for m in gateway.messages.values()}
    assert texts == {m.body for m in sent}
    assert Outbox.objects.filter(kind="campaign_message").count() == 2

    assert campaign_receipts_record(channel="sms", receipts=_receipts(gateway)) == 2
    assert CampaignMessage.objects.filter(status=CampaignMessage.Status.DELIVERED).count() == 2
    assert Activity.objects.filter(kind="sms", outcome="delivered").count() == 2  # interrupts limitation
    assert Outbox.objects.filter(kind="campaign_receipt").count() == 2
    results = campaign_results(campaign)
    assert (results["sent"], results["delivered"], results["refused"], results["cases_reached"]) == (
        2,
        2,
        1,
        2,
    )
    assert campaign_progress(campaign)["percent"] == 100.0


def test_a_message_the_gate_denies_at_sending_is_never_sent(
    supervisor, three_cases, gateway, daytime, committed
):
    campaign = _campaign(committed, supervisor, three_cases[:2])
    DebtorProtection.objects.create(debtor=three_cases[0].debtor, opted_out=["sms"], updated_at=now())
    committed(svc.campaign_start, actor=supervisor, campaign_id=campaign.pk)
    denied = CampaignMessage.objects.get(case=three_cases[0])
    assert denied.status == CampaignMessage.Status.DENIED and denied.rules == ["stop.opt_out"]
    assert denied.activity_id is None and not ContactDecision.objects.get(pk=denied.decision_id).allowed
    assert len(gateway.messages) == 1
    assert not Activity.objects.filter(case=three_cases[0]).exists()


def test_retries_and_a_second_run_never_deliver_twice(supervisor, three_cases, gateway, daytime, committed):
    gateway.configure(fail_next=[503])
    campaign = _campaign(committed, supervisor, three_cases[:1])
    committed(svc.campaign_start, actor=supervisor, campaign_id=campaign.pk)
    message = CampaignMessage.objects.get()
    assert (message.status, message.attempts) == ("sent", 2)
    # as if the sender had stopped before recording: the message is taken again under the same key
    CampaignMessage.objects.update(status=CampaignMessage.Status.PLANNED)
    Campaign.objects.update(status=Campaign.Status.RUNNING)
    campaign_send_due(campaign_id=campaign.pk)
    assert len(gateway.messages) == 1 and gateway.requests == 3


def test_pause_resume_and_cancel(supervisor, three_cases, gateway, daytime, committed):
    campaign = _campaign(committed, supervisor, three_cases[:2], per_hour={"sms": 1})
    times = sorted(CampaignMessage.objects.values_list("scheduled_at", flat=True))
    assert times[1] - times[0] >= timedelta(minutes=1)  # one an hour: the second waits for the next hour
    committed(svc.campaign_start, actor=supervisor, campaign_id=campaign.pk)
    assert CampaignMessage.objects.filter(status="sent").count() == 1
    svc.campaign_pause(actor=supervisor, campaign_id=campaign.pk, reason="客户要求")
    daytime.shift(timedelta(hours=1))
    assert campaign_send_due(campaign_id=campaign.pk).claimed == 0  # paused: nothing goes out
    with pytest.raises(DomainError) as exc:
        committed(svc.campaign_start, actor=supervisor, campaign_id=campaign.pk)
    assert exc.value.code == "campaign_state" and exc.value.status == 409
    committed(svc.campaign_resume, actor=supervisor, campaign_id=campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.COMPLETED and len(gateway.messages) == 2
    with pytest.raises(DomainError):
        svc.campaign_cancel(actor=supervisor, campaign_id=campaign.pk)


def test_cancel_stops_what_is_not_sent(supervisor, three_cases, gateway, daytime, committed):
    campaign = _campaign(committed, supervisor, three_cases[:2], per_hour={"sms": 1})
    committed(svc.campaign_start, actor=supervisor, campaign_id=campaign.pk)
    svc.campaign_cancel(actor=supervisor, campaign_id=campaign.pk, reason="停止")
    daytime.shift(timedelta(hours=2))
    assert campaign_send_due(campaign_id=campaign.pk).claimed == 0
    assert CampaignMessage.objects.filter(status="cancelled").count() == 1
    assert len(gateway.messages) == 1


def test_a_td_reply_opts_the_debtor_out(supervisor, three_cases, gateway, daytime, committed):
    case = three_cases[0]
    _campaign(committed, supervisor, [case])
    committed(svc.campaign_start, actor=supervisor, campaign_id=Campaign.objects.get().pk)
    phone = pii.get_value(case.debtor.contact_points.first(), "value")
    reply = SmsChannel(gateway.url).parse_reply(gateway.add_reply(phone, "TD"))
    message = campaign_reply_record(channel="sms", reply=reply)
    assert message is not None and message.reply_intent == "opt_out"
    assert DebtorProtection.objects.get(debtor=case.debtor).opted_out == ["sms"]
    assert campaign_results(Campaign.objects.get())["opted_out"] == 1
    other = SmsChannel(gateway.url).parse_reply(gateway.add_reply("13900000000", "你好"))
    assert campaign_reply_record(channel="sms", reply=other) is None  # unknown number: nothing matched


def test_voice_and_letter_steps(supervisor, three_cases, gateway, daytime, committed):
    steps = [{"template_id": "reminder_voice_zh", "offset_hours": 0}, {"template_id": "reminder_letter_zh"}]
    campaign = _campaign(committed, supervisor, three_cases[:1], steps=steps)
    committed(svc.campaign_start, actor=supervisor, campaign_id=campaign.pk)
    voice = CampaignMessage.objects.get(channel="voice")
    letter = CampaignMessage.objects.get(channel="letter")
    assert voice.status == "delivered" and Activity.objects.get(pk=voice.activity_id).kind == "bot_call"
    assert letter.status == "sent" and len(letter.provider_id) == 64  # the PDF's sha256
    assert Outbox.objects.filter(kind="letter", case_id=three_cases[0].pk).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"steps": []}, "steps"),
        ({"steps": [{"template_id": "nope"}]}, "steps"),
        ({"steps": [{"channel": "voice", "template_id": "reminder_sms_zh"}]}, "steps"),
        ({"steps": [{"template_id": "reminder_sms_zh", "offset_hours": 72}]}, "steps"),
        ({"filters": {"colour": "red"}}, "filters"),
        ({"per_hour": {"sms": 0}}, "per_hour"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(supervisor, change, field):
    params = {"name": "x", "steps": SMS, **change}
    with pytest.raises(DomainError) as exc:
        svc.campaign_create(actor=supervisor, **params)
    assert field in exc.value.fields
    assert not Campaign.objects.exists()


def test_only_campaign_managers_create(users):
    for role in ("collector", "auditor", "creditor_viewer"):
        with pytest.raises(AccessDenied):
            svc.campaign_create(actor=users[role], name="x", steps=SMS)


def test_a_channel_without_settings_pauses_the_campaign_and_sends_nothing(
    supervisor, three_cases, daytime, committed, settings
):
    settings.QINGZHAI_SMS_GATEWAY_URL = ""
    campaign = _campaign(committed, supervisor, three_cases[:1])
    committed(svc.campaign_start, actor=supervisor, campaign_id=campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED and "QINGZHAI_SMS_GATEWAY_URL" in campaign.error
    assert CampaignMessage.objects.get().status == CampaignMessage.Status.PLANNED
    assert not Activity.objects.exists()
