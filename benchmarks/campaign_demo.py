"""A 72-hour reminder campaign on the full demo data, end to end, with the clock moved on hour by hour.

What runs is the product: the campaign is created and planned by the services (every message scheduled
through the compliance gate and each channel's capacity, in chunks of cases by id, by the Celery task in
eager mode), then sent by the dispatch task each hour: the gate judges every message again at the moment
it goes (each decision stored), SMS go through the local test gateway over HTTP (in this process, so
that its receipts carry the same moved clock),
voice reminders are synthesised with espeak-ng and played over the loopback telephony connector, each
contact is logged as an activity with its clearance and recorded in the evidence ledger. Delivery receipts
come back from the gateway and are recorded; 1 % of the delivered SMS are answered, a quarter of the
answers "TD".

Steps: SMS at 0 h, voice at 6 h, SMS at 24 h, voice at 30 h, SMS at 48 h; capacity SMS 20,000 and voice
3,000 an hour; the campaign starts at 09:00 Shanghai time the day after today. The clock is moved with
time-machine (the only thing simulated, with the debtors' replies).

Prints planning and sending time, messages per second, and the campaign's results as the page shows
them; `--check` exits 1 unless every message was gate-checked and logged.

    .venv/bin/python benchmarks/campaign_demo.py [--data-dir DIR] [--json] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SH = ZoneInfo("Asia/Shanghai")
STEPS = [
    {"template_id": "reminder_sms_zh", "offset_hours": 0},
    {"template_id": "reminder_voice_zh", "offset_hours": 6},
    {"template_id": "followup_sms_zh", "offset_hours": 24},
    {"template_id": "reminder_voice_zh", "offset_hours": 30},
    {"template_id": "reminder_sms_zh", "offset_hours": 48},
]


def prepare(data_dir: Path, fresh: bool) -> None:
    env = {**os.environ, "QINGZHAI_DATA_DIR": str(data_dir), "QINGZHAI_ALLOW_GENERATED_SECRETS": "1"}
    env.pop("DATABASE_URL", None)
    qingzhai = str(Path(sys.executable).with_name("qingzhai"))
    subprocess.run([qingzhai, "migrate"], env=env, check=True, capture_output=True)
    if fresh:
        subprocess.run([qingzhai, "demo", "--json"], env=env, check=True, capture_output=True)
    os.environ.update({k: env[k] for k in ("QINGZHAI_DATA_DIR", "QINGZHAI_ALLOW_GENERATED_SECRETS")})
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qingzhai.config.settings"
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an existing data folder with the full demo loaded")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="qz-campaign-"))
    prepare(data_dir.resolve(), fresh=args.data_dir is None)
    import time_machine
    from django.conf import settings

    from qingzhai.accounts.models import User
    from qingzhai.compliance.models import ContactDecision
    from qingzhai.contact import tasks
    from qingzhai.contact.channels.sms import SmsChannel
    from qingzhai.contact.channels.test_gateway import LocalGateway
    from qingzhai.contact.models import CampaignMessage
    from qingzhai.contact.selectors.campaigns import campaign_progress, campaign_results
    from qingzhai.contact.services import campaigns as svc
    from qingzhai.contact.services.campaign_send import campaign_receipts_record, campaign_reply_record
    from qingzhai.core import pii
    from qingzhai.evidence import sequencer
    from qingzhai.evidence.models import Entry, Outbox

    gateway = LocalGateway().start()
    url = gateway.url
    settings.QINGZHAI_SMS_GATEWAY_URL = url
    settings.QINGZHAI_VOICE_TELEPHONY = "loopback"
    settings.QINGZHAI_VOICE_TTS = "espeak"
    sms = SmsChannel(url)
    rng = random.Random(11)
    tomorrow = datetime.now(SH).date() + timedelta(days=1)
    start = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, 0, tzinfo=SH)
    admin = User.objects.get(username="demo_admin")
    replies = 0
    try:
        with time_machine.travel(start, tick=True) as clock:
            began = time.perf_counter()
            campaign = svc.campaign_create(
                actor=admin, name="72 小时逾期提醒 / 72-hour overdue reminders", steps=STEPS,
                per_hour={"sms": 20000, "voice": 3000}, hotline="400-820-0000",
            )  # fmt: skip
            svc.campaign_plan_start(actor=admin, campaign_id=campaign.pk)
            campaign.refresh_from_db()
            plan_seconds = time.perf_counter() - began
            svc.campaign_start(actor=admin, campaign_id=campaign.pk)
            send_began = time.perf_counter()
            seen = 0
            for _hour in range(73):
                tasks.campaign_dispatch(campaign.pk)
                fresh = gateway.receipts[seen:]
                seen += len(fresh)
                campaign_receipts_record(channel="sms", receipts=[sms.parse_receipt(r) for r in fresh])
                # each newly delivered SMS is answered once, with a 1 % chance (a quarter of answers: "TD")
                fresh_sms = (
                    CampaignMessage.objects.filter(
                        campaign=campaign,
                        channel="sms",
                        status="delivered",
                        provider_id__in=[r["id"] for r in fresh],
                    )
                    .select_related("contact_point")
                    .order_by("pk")
                )
                for message in fresh_sms.iterator():
                    if rng.random() < 0.01:
                        text = rng.choice(["TD", "好的，我这周五还", "我现在有困难，能分期吗", "已经还了"])
                        phone = pii.get_value(message.contact_point, "value")
                        at = datetime.now().astimezone().isoformat()
                        reply = sms.parse_reply({"from": phone, "text": text, "at": at})
                        replies += campaign_reply_record(channel="sms", reply=reply) is not None
                campaign.refresh_from_db()
                if campaign.status != "running":
                    break
                clock.shift(timedelta(hours=1))
            send_seconds = time.perf_counter() - send_began
            campaign.refresh_from_db()
            progress = campaign_progress(campaign)
            results = campaign_results(campaign)
    finally:
        gateway.stop()
    msgs = CampaignMessage.objects.filter(campaign=campaign)

    def evidenced(rows) -> bool:
        """Each message sent (or tried) has its campaign_message act, each denied one its decision's act,
        whether still queued (Outbox) or already in the log (Entry)."""
        wanted = {
            f"contact.campaignmessage:{pk}"
            for pk in rows.exclude(status="denied").values_list("pk", flat=True)
        }
        wanted |= {
            f"compliance.contactdecision:{pk}"
            for pk in rows.filter(status="denied").values_list("decision_id", flat=True)
        }
        while Outbox.objects.exists():  # append what is still queued, then read the log alone
            sequencer.run()
        found = set(
            Entry.objects.filter(kind__in=("campaign_message", "compliance_decision")).values_list(
                "subject", flat=True
            )
        )
        missing = wanted - found
        if missing:
            print("without an evidence entry:", sorted(missing)[:10], file=sys.stderr)
        return not missing

    went = msgs.filter(status__in=("sent", "delivered", "failed")).exclude(
        activity__isnull=True, status="failed"
    )
    checks = {
        "every_sent_message_has_an_allowed_decision_and_an_activity": not msgs.filter(
            status__in=("sent", "delivered")
        )
        .filter(activity__isnull=True)
        .exists()
        and ContactDecision.objects.filter(pk__in=went.values("decision_id"), allowed=True).count()
        == went.count(),
        "every_denied_message_has_a_stored_denial": not msgs.filter(
            status="denied", decision__isnull=True
        ).exists(),
        "nothing_left_planned_or_sending": not msgs.filter(status__in=("planned", "sending")).exists(),
        "evidence_per_message": evidenced(msgs.filter(status__in=("sent", "delivered", "failed", "denied"))),
    }
    sent = results["sent"]
    report = {
        "campaign": campaign.pk, "status": campaign.status, "cases": campaign.cases_total,
        "messages": progress["total"], "counts": progress["counts"], "plan_seconds": round(plan_seconds, 1),
        "send_seconds": round(send_seconds, 1), "messages_per_second": round(sent / send_seconds, 1) if send_seconds else 0,
        "decisions": ContactDecision.objects.filter(source="campaign").count(), "replies": replies,
        "results": {k: v for k, v in results.items() if k != "first_sent_at"}, "checks": checks,
    }  # fmt: skip
    if args.json:
        print(json.dumps(report, ensure_ascii=False, default=str))
    else:
        print(
            f"campaign #{campaign.pk}: {campaign.status}, {campaign.cases_total:,} cases, {progress['total']:,} messages"
        )
        print(f"planning: {plan_seconds:.1f} s; sending over 72 simulated hours: {send_seconds:.1f} s "
              f"({report['messages_per_second']} messages/s end to end, gate + send + log + evidence)")  # fmt: skip
        print("by status:", {k: v for k, v in progress["counts"].items() if v})
        print("gate decisions stored at sending:", report["decisions"])
        print("results:", json.dumps(report["results"], ensure_ascii=False, default=str))
        print("checks:", checks)
    return 0 if (not args.check or all(checks.values())) else 1


if __name__ == "__main__":
    sys.exit(main())
