"""Sending a running campaign's due messages, and what comes back: delivery receipts and replies.

A batch is claimed (status `sending`) in one short transaction, so two workers never take the same message.
Then the gate judges every message of the batch at this moment (`contacts_clear_bulk`: every decision is
stored); denied ones are kept with their rules and never sent. Allowed ones go out through their channel
adapter, outside any transaction, with retries (SMS, e-mail) under the message's idempotency key, so a
retry or a second run never delivers twice. A voice reminder is dialled once: another attempt is another
contact and must pass the gate again. Finally, in one transaction, each contact made is logged as an
activity with its clearance, each message gets its outcome and its evidence act (text hash, decision,
provider id, audio hash for voice, the PDF for letters), and the batch is audited.

Receipts: `delivered` marks the message and its activity delivered (a delivered demand interrupts
limitation). Replies: "TD", "退订" and the like opt the debtor out of SMS at once; other replies are kept with
their intent (contact.dialog intents).
"""

from __future__ import annotations

import hashlib
import html
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from qingzhai.compliance.models import ContactDecision
from qingzhai.compliance.services.contacts_bulk import BulkRequest, clearance_of, contacts_clear_bulk
from qingzhai.compliance.services.protection import opt_out_from_reply
from qingzhai.contact.campaigns.templates import GATE_CHANNEL
from qingzhai.contact.channel_settings import channel_settings
from qingzhai.contact.channels.base import (
    Channel,
    ChannelError,
    Message,
    Receipt,
    Reply,
    RetryPolicy,
    channel_for,
)
from qingzhai.contact.models import Campaign, CampaignMessage
from qingzhai.core import audit, pii
from qingzhai.core.clock import now
from qingzhai.evidence import acts as evidence_acts
from qingzhai.evidence import record as evidence_record
from qingzhai.portfolio import services as portfolio_services
from qingzhai.portfolio.models import Activity, ContactPoint

SEND_BATCH = 200
# Messages due within this many seconds are sent in the batch at hand (a slot is a pace, not an appointment;
# the gate judges the moment the message really goes).
LOOKAHEAD_SECONDS = 60
SEND_THREADS = 8
OPT_OUT_WORDS = frozenset({"td", "t", "n", "stop", "unsubscribe", "退订", "退定", "取消", "不要再发"})
# The activity a contact is logged as, by channel and whether the adapter accepted it.
LOGGED_OUTCOME = {
    ("sms", True): Activity.Outcome.OTHER,  # sent, awaiting the receipt
    ("email", True): Activity.Outcome.OTHER,
    ("letter", True): Activity.Outcome.OTHER,  # handed to the mail room
    ("voice", True): Activity.Outcome.LEFT_MESSAGE,  # the reminder was played
    ("voice", False): Activity.Outcome.NO_ANSWER,  # dialled: an attempt that counts
}


@dataclass(frozen=True)
class BatchResult:
    claimed: int
    sent: int
    failed: int
    denied: int


def _policy(channel: str, settings: dict[str, Any]) -> RetryPolicy:
    base = RetryPolicy.from_settings(settings)
    if channel == "voice":
        return RetryPolicy(max_attempts=1)
    return base


def _claim(campaign_id: int, limit: int) -> list[int]:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.status != Campaign.Status.RUNNING:
            return []
        ids = list(
            CampaignMessage.objects.filter(
                campaign_id=campaign_id,
                status=CampaignMessage.Status.PLANNED,
                scheduled_at__lte=now() + timedelta(seconds=LOOKAHEAD_SECONDS),
            )
            .order_by("scheduled_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        CampaignMessage.objects.filter(pk__in=ids, status=CampaignMessage.Status.PLANNED).update(
            status=CampaignMessage.Status.SENDING
        )
        return ids


def _address(message: CampaignMessage) -> str:
    if message.channel in ("sms", "voice"):
        return pii.get_value(message.contact_point, "value") if message.contact_point else ""
    if message.channel == "letter":
        return pii.get_value(message.case.debtor, "home_address")
    return ""


def letter_html(subject: str, body: str, address: str) -> str:
    """A reminder letter as an HTML fragment for the letter channel's A4 page: the address block, the
    title, then one paragraph per line of the text."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    paragraphs = "".join(
        f'<p class="{"indent" if 0 < n < len(lines) - 1 else "right" if n else ""}">{html.escape(line)}</p>'
        for n, line in enumerate(lines)
    )
    return f"<p>{html.escape(address)}</p><h1>{html.escape(subject)}</h1>{paragraphs}"


def _send_one(channel: Channel, policy: RetryPolicy, message: CampaignMessage, to: str) -> Any:
    meta: dict[str, Any] = {"campaign": message.campaign_id, "case": message.case_id}
    body = message.body
    if message.channel == "letter":
        meta["title"] = message.subject
        body = letter_html(message.subject, message.body, to)
    out = Message(
        idempotency_key=message.idempotency_key,
        channel=message.channel,
        to=to,
        subject=message.subject,
        body=body,
        meta=meta,
    )
    return policy.run(channel.send, out)


def campaign_send_due(
    *, campaign_id: int, limit: int = SEND_BATCH, threads: int = SEND_THREADS
) -> BatchResult:
    """Send one batch of the campaign's due messages. Safe to run twice and from several workers."""
    ids = _claim(campaign_id, limit)
    if not ids:
        return BatchResult(0, 0, 0, 0)
    campaign = Campaign.objects.select_related("created_by").get(pk=campaign_id)
    actor = campaign.created_by
    messages = list(
        CampaignMessage.objects.filter(pk__in=ids)
        .select_related("contact_point", "case__debtor")
        .order_by("id")
    )
    at = now()
    with transaction.atomic():
        decisions = contacts_clear_bulk(
            actor=actor,
            requests=[
                BulkRequest(
                    case_id=m.case_id,
                    kind=GATE_CHANNEL[m.channel],
                    at=at,
                    contact_point_id=m.contact_point_id,
                )
                for m in messages
            ],
        )
        denied: list[CampaignMessage] = []
        to_send: list[tuple[CampaignMessage, ContactDecision]] = []
        for message, decision in zip(messages, decisions, strict=True):
            blocking = [h["rule"] for h in decision.hits if h["effect"] in ("deny", "require", "route")]
            message.decision_id = decision.pk
            if not decision.allowed or blocking:
                message.status = CampaignMessage.Status.DENIED
                message.rules = blocking
                denied.append(message)
                evidence_acts.row("compliance_decision", decision, actor=actor, case_id=message.case_id)
            else:
                to_send.append((message, decision))
        CampaignMessage.objects.bulk_update(denied, ["status", "rules", "decision"], batch_size=500)
    settings = channel_settings()
    channels: dict[str, Channel] = {}
    results: list[Any] = []
    if to_send:
        try:
            for name in {m.channel for m, _ in to_send}:
                channels[name] = channel_for(name, settings)
        except ChannelError as exc:
            _halt(campaign, [m for m, _ in to_send], exc)
            return BatchResult(len(ids), 0, 0, len(denied))
        addresses = [_address(m) for m, _ in to_send]
        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
            results = list(
                pool.map(
                    lambda pair: _send_one(
                        channels[pair[0].channel], _policy(pair[0].channel, settings), *pair
                    ),
                    [(m, a) for (m, _), a in zip(to_send, addresses, strict=True)],
                )
            )
        for channel in channels.values():
            close = getattr(channel, "close", None)
            if callable(close):
                close()
    sent = failed = 0
    with transaction.atomic():
        entries = []
        logged: list[tuple[CampaignMessage, ContactDecision, Any]] = []
        for (message, decision), outcome in zip(to_send, results, strict=True):
            result = outcome.result
            message.attempts = outcome.attempts
            logged_outcome = LOGGED_OUTCOME.get((message.channel, result.ok))
            if result.ok:
                message.status = (
                    CampaignMessage.Status.DELIVERED
                    if message.channel == "voice"
                    else CampaignMessage.Status.SENT
                )
                message.provider_id = result.provider_id[:80]
                message.sent_at = at
                if message.channel == "voice":
                    message.delivered_at = at
                sent += 1
            else:
                message.status = CampaignMessage.Status.FAILED
                message.error_code = result.error_code[:60]
                message.error = f"{result.error_zh} / {result.error_en}"[:300]
                failed += 1
            if logged_outcome is not None:
                entries.append((clearance_of(decision), logged_outcome, at, f"campaign #{campaign.pk}"))
                logged.append((message, decision, result))
            else:
                evidence_record.act(
                    kind="campaign_message",
                    actor=actor,
                    subject=evidence_acts.subject(message),
                    case_id=message.case_id,
                    content=_evidence(message, decision, result, None),
                )
        activities = portfolio_services.activities_log_cleared(actor=actor, entries=entries)
        for (message, decision, result), activity in zip(logged, activities, strict=True):
            message.activity_id = activity.pk
            decision.activity_id = activity.pk
            if message.channel == "letter" and result.data:
                evidence_record.file(
                    kind="letter",
                    actor=actor,
                    data=result.data,
                    media_type="application/pdf",
                    subject=evidence_acts.subject(message),
                    case_id=message.case_id,
                )
            evidence_record.act(
                kind="campaign_message",
                actor=actor,
                subject=evidence_acts.subject(message),
                case_id=message.case_id,
                content=_evidence(message, decision, result, activity),
            )
        CampaignMessage.objects.bulk_update(
            [m for m, _ in to_send],
            [
                "status",
                "attempts",
                "provider_id",
                "sent_at",
                "delivered_at",
                "error_code",
                "error",
                "decision",
                "activity",
            ],
            batch_size=500,
        )
        ContactDecision.objects.bulk_update([d for _, d, _ in logged], ["activity"], batch_size=500)
        audit.record(
            actor=actor,
            action="campaign.batch_sent",
            entity=campaign,
            changes={"sent": [None, sent], "failed": [None, failed], "denied": [None, len(denied)]},
        )
    return BatchResult(len(ids), sent, failed, len(denied))


@transaction.atomic
def _halt(campaign: Campaign, messages: list[CampaignMessage], exc: ChannelError) -> None:
    """A channel cannot be built (its settings are missing or wrong): nothing is sent, the messages go back
    to the queue (their gate decisions expire unused) and the campaign is paused with the reason."""
    CampaignMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        status=CampaignMessage.Status.PLANNED
    )
    Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.RUNNING).update(
        status=Campaign.Status.PAUSED, error=f"{exc.zh} / {exc.en}"
    )
    audit.record(
        actor="system",
        action="campaign.pause",
        entity=campaign,
        changes={"status": [Campaign.Status.RUNNING, Campaign.Status.PAUSED]},
        reason=f"{exc.code}: {exc.en}",
    )


def _evidence(
    message: CampaignMessage, decision: ContactDecision, result: Any, activity: Activity | None
) -> dict[str, Any]:
    return {
        "campaign": message.campaign_id,
        "message": message.pk,
        "channel": message.channel,
        "template": message.template_id,
        "body_sha256": message.body_sha256,
        "status": message.status,
        "attempts": message.attempts,
        "provider_id": result.provider_id,
        "error_code": result.error_code,
        "audio_sha256": result.detail.get("audio_sha256", ""),
        "data_sha256": hashlib.sha256(result.data).hexdigest() if result.data else "",
        "decision": {
            "id": decision.pk,
            "allowed": decision.allowed,
            "pack": decision.pack,
            "version": decision.pack_version,
        },
        "activity": activity.pk if activity else None,
    }


def campaign_finish_if_done(*, campaign_id: int) -> bool:
    """A running campaign with nothing left to send (planned or sending) is completed."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.status != Campaign.Status.RUNNING:
            return False
        left = CampaignMessage.objects.filter(
            campaign=campaign, status__in=(CampaignMessage.Status.PLANNED, CampaignMessage.Status.SENDING)
        ).exists()
        if left:
            return False
        campaign.status = Campaign.Status.COMPLETED
        campaign.finished_at = now()
        campaign.save(update_fields=["status", "finished_at"])
        audit.record(actor=campaign.created_by, action="campaign.completed", entity=campaign)
        evidence_acts.row(
            "campaign", campaign, actor=campaign.created_by, case_id=None, extra={"action": "complete"}
        )
        return True


# --- what comes back ----------------------------------------------------------------------------


@transaction.atomic
def campaign_receipts_record(*, channel: str, receipts: list[Receipt]) -> int:
    """Delivery receipts of sent campaign messages (unknown provider ids are ignored). Returns how many
    messages changed."""
    by_id = {r.provider_id: r for r in receipts if r.provider_id}
    if not by_id:
        return 0
    messages = list(
        CampaignMessage.objects.select_for_update().filter(
            channel=channel, provider_id__in=list(by_id), status=CampaignMessage.Status.SENT
        )
    )
    delivered: list[int] = []
    for message in messages:
        receipt = by_id[message.provider_id]
        if receipt.status in ("delivered", "read"):
            message.status = CampaignMessage.Status.DELIVERED
            message.delivered_at = receipt.at
            if message.activity_id:
                delivered.append(message.activity_id)
        else:
            message.status = CampaignMessage.Status.FAILED
            message.error_code = "undelivered"
            message.error = "未送达 / Not delivered"
        evidence_record.act(
            kind="campaign_receipt",
            actor="gateway",
            subject=evidence_acts.subject(message),
            case_id=message.case_id,
            content={
                "message": message.pk,
                "provider_id": message.provider_id,
                "status": receipt.status,
                "at": receipt.at.isoformat(),
            },
        )
    CampaignMessage.objects.bulk_update(
        messages, ["status", "delivered_at", "error_code", "error"], batch_size=500
    )
    portfolio_services.activities_mark_delivered(activity_ids=delivered)
    return len(messages)


def reply_intent(text: str) -> str:
    words = text.strip().lower()
    if words in OPT_OUT_WORDS or any(w in words for w in ("退订", "别再发", "不要再发")):
        return "opt_out"
    from qingzhai.contact.dialog.intents import Recognizer

    return Recognizer().rules(text)[0]


@transaction.atomic
def campaign_reply_record(*, channel: str, reply: Reply) -> CampaignMessage | None:
    """An answer to a reminder, matched by the sender's number to the latest message sent to it."""
    if channel != "sms":
        return None
    index = pii.lookup_index("phone", reply.from_)
    points = list(ContactPoint.objects.filter(value_bidx=index).values_list("pk", flat=True))
    if not points:
        return None
    message = (
        CampaignMessage.objects.select_for_update()
        .filter(contact_point_id__in=points, channel="sms")
        .filter(Q(status=CampaignMessage.Status.SENT) | Q(status=CampaignMessage.Status.DELIVERED))
        .order_by("-sent_at", "-id")
        .first()
    )
    if message is None:
        return None
    message.reply_text = reply.text[:500]
    message.replied_at = reply.at
    message.reply_intent = reply_intent(reply.text)[:20]
    message.save(update_fields=["reply_text", "replied_at", "reply_intent"])
    if message.reply_intent == "opt_out":
        opt_out_from_reply(debtor_id=message.debtor_id, channel="sms", note=f"campaign message #{message.pk}")
    evidence_record.act(
        kind="campaign_receipt",
        actor="gateway",
        subject=evidence_acts.subject(message),
        case_id=message.case_id,
        content={
            "message": message.pk,
            "reply_sha256": hashlib.sha256(reply.text.encode()).hexdigest(),
            "intent": message.reply_intent,
            "at": reply.at.isoformat(),
        },
    )
    return message
