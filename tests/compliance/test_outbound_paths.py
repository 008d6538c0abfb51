"""Every outbound path in the code base goes through the contact gate.

The scanner (outbound_scan.py) lists every place that writes an Activity row, calls `activity_log`, asks the
gate, or is named like a sender. The list must equal the known paths below, each with why it is lawful; a new
path fails this test until it is added here with a test that proves it asks the gate. Then every interface
through which a person or a program makes a contact is driven with a contact the gate denies: nothing is
logged as made, and the denial is on record.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from qingzhai.compliance import services
from qingzhai.compliance.models import ContactDecision, Utterance
from qingzhai.core.clock import now
from qingzhai.core.errors import DomainError
from qingzhai.portfolio import services as portfolio_services
from qingzhai.portfolio.contact import OUTBOUND_KINDS
from qingzhai.portfolio.models import Activity
from tests.compliance.outbound_scan import Site, scan

KNOWN: dict[Site, str] = {
    Site("qingzhai.portfolio.services", "activity_log", "creates_activity"): (
        "the one writer of Activity rows: refuses an outbound kind without the gate's clearance"
    ),
    Site("qingzhai.compliance.services.contacts", "contact_log", "activity_log"): (
        "asks the gate (or takes an allowed, unused decision) and passes the clearance"
    ),
    Site("qingzhai.portfolio.demo.casework", "CaseWork.activity", "creates_activity"): (
        "demo history, not a contact: every generated contact passes the gate (test_demo_history)"
    ),
    Site("qingzhai.web.views.cases", "case_activity", "gate:contact_log"): "collector's log form",
    Site(
        "qingzhai.portfolio.api.work", "ActivityListView.post", "gate:contact_log"
    ): "POST /api/v1/activities/",
    Site("qingzhai.compliance.views.case", "case_clear", "gate:contact_clear"): "check before dialling (web)",
    Site(
        "qingzhai.compliance.api.gate", "GateCheckView.post", "gate:contact_clear"
    ): "check before contact (API)",
    Site("qingzhai.compliance.api.utterances", "BotReleaseView.post", "gate:bot_utterance_release"): (
        "a bot's sentence is screened before it is sent (API)"
    ),
    Site("qingzhai.compliance.demo", "_casework", "gate:contact_clear"): "demo: a denied late-night call",
    Site("qingzhai.contact.services.bot_calls", "bot_call_run", "gate:contact_clear"): (
        "a bot call asks the gate first; a denial is kept and nothing is said (tests/contact/services)"
    ),
    Site("qingzhai.contact.services.bot_calls", "_converse", "gate:contact_log"): (
        "the bot call is logged with the clearance it was given"
    ),
    Site("qingzhai.contact.services.bot_calls", "_releaser.screen", "gate:bot_utterance_release"): (
        "each bot line is screened before it is said"
    ),
    Site("qingzhai.contact.services.workspace", "outcome_record", "gate:contact_clear"): (
        "the collector's one-click outcome asks the gate first; a refusal is stored and nothing is logged "
        "(tests/contact/workspace)"
    ),
    Site("qingzhai.contact.services.workspace", "outcome_record", "gate:contact_log"): (
        "the call is logged with the clearance the gate gave"
    ),
    Site("qingzhai.contact.services.workspace", "callback_schedule", "gate:contact_log"): (
        "a callback agreed on the call is a note on the case, not a contact"
    ),
    Site("qingzhai.portfolio.services", "activities_log_cleared", "creates_activity"): (
        "bulk writer for campaigns: each row carries the clearance of a stored, allowed gate decision"
    ),
    Site("qingzhai.contact.services.campaign_send", "campaign_send_due", "gate:contacts_clear_bulk"): (
        "every campaign message is judged by the gate at the moment of sending; a denial is stored and the "
        "message is never sent (tests/contact/campaigns/test_campaign_services.py)"
    ),
    Site("qingzhai.contact.services.campaign_send", "campaign_send_due", "activities_log_cleared"): (
        "the messages sent are logged with the clearances the gate gave them"
    ),
    # Channel adapters are transports: whoever calls them must hold a gate clearance. Only the campaign
    # sender calls them (tests/contact/channels/test_callers.py keeps it so).
    Site("qingzhai.contact.channels.base", "Channel.send", "sender"): "transport protocol",
    Site("qingzhai.contact.channels.email", "EmailChannel.send", "sender"): "transport (SMTP)",
    Site("qingzhai.contact.channels.letter", "LetterChannel.send", "sender"): "transport (mail-room PDF)",
    Site("qingzhai.contact.channels.sms", "SmsChannel.send", "sender"): "transport (SMS gateway)",
    Site("qingzhai.contact.channels.voice", "VoiceChannel.send", "sender"): "transport (voice call)",
    Site("qingzhai.contact.channels.voice", "Telephony.dial", "sender"): "telephony protocol",
    Site("qingzhai.contact.channels.voice", "LoopbackTelephony.dial", "sender"): "in-memory line for tests",
}


def test_every_outbound_path_is_known():
    found = scan()
    unknown = sorted(found - set(KNOWN), key=str)
    gone = sorted(set(KNOWN) - found, key=str)
    assert unknown == [], "new outbound path(s): route them through compliance.services and list them here"
    assert gone == [], "paths listed here no longer exist: update the list"


def test_only_the_gate_service_calls_activity_log():
    callers = {s for s in scan() if s.what == "activity_log"}
    assert callers == {Site("qingzhai.compliance.services.contacts", "contact_log", "activity_log")}


@pytest.mark.parametrize("kind", sorted(OUTBOUND_KINDS))
def test_the_activity_writer_refuses_every_outbound_kind_without_clearance(collector, case, kind):
    with pytest.raises(DomainError) as caught:
        portfolio_services.activity_log(actor=collector, case_id=case.pk, kind=kind, outcome="other")
    assert caught.value.code == "contact_not_cleared"
    assert not Activity.objects.exists()


@pytest.fixture
def calls_opted_out(supervisor, case):
    services.protection_set(
        actor=supervisor, case_id=case.pk, reason="债务人拒绝电话联系", opted_out=["call"]
    )
    return case


def _earlier() -> datetime:
    """10:00 Beijing time on a past day: inside the contact hours, so only the opt-out can refuse."""
    local = now().astimezone(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)
    return local.replace(hour=10, minute=0, second=0, microsecond=0)


def _assert_refused_and_recorded(case, source_count: int = 1):
    assert not Activity.objects.filter(case=case).exists()
    denials = ContactDecision.objects.filter(case=case, allowed=False)
    assert denials.count() == source_count
    assert [h["rule"] for h in denials.first().hits if h["effect"] == "deny"] == ["stop.opt_out"]


def test_service_path(collector, calls_opted_out):
    case = calls_opted_out
    with pytest.raises(services.ContactDenied):
        services.contact_log(
            actor=collector,
            case_id=case.pk,
            kind="call",
            outcome="connected",
            contact_point_id=case.debtor.contact_points.first().pk,
            occurred_at=_earlier(),
        )
    _assert_refused_and_recorded(case)


def test_web_log_form_path(collector, calls_opted_out):
    case = calls_opted_out
    client = Client()
    client.force_login(collector, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        f"/cases/{case.pk}/activity/",
        {
            "kind": "call",
            "outcome": "connected",
            "party": "debtor",
            "contact_point": str(case.debtor.contact_points.first().pk),
            "occurred_at": _earlier().strftime("%Y-%m-%dT%H:%M"),
            "note": "",
        },
    )
    assert response.status_code == 409
    _assert_refused_and_recorded(case)


def test_api_activity_path(collector, calls_opted_out):
    case = calls_opted_out
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=collector).key}")
    response = client.post(
        "/api/v1/activities/",
        {
            "case_id": case.pk,
            "kind": "call",
            "outcome": "connected",
            "party": "debtor",
            "contact_point_id": case.debtor.contact_points.first().pk,
            "occurred_at": _earlier().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "contact_denied"
    _assert_refused_and_recorded(case)


def test_api_gate_check_path_records_the_denial(collector, calls_opted_out):
    case = calls_opted_out
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=collector).key}")
    response = client.post(
        "/api/v1/compliance/gate/check/",
        {
            "case_id": case.pk,
            "kind": "call",
            "party": "debtor",
            "contact_point_id": case.debtor.contact_points.first().pk,
            "at": _earlier().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["allowed"] is False
    _assert_refused_and_recorded(case)


def test_bot_path_never_sends_a_violation(users, case):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['admin']).key}")
    response = client.post(
        "/api/v1/compliance/bot/release/",
        {"case_id": case.pk, "text": "不还钱就让法院把你抓起来"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["send"] is False
    assert Utterance.objects.get(case=case).blocked is True
