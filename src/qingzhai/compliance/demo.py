"""Compliance demo data on top of the portfolio demo: a dishonest-debtor list that matches some debtors,
debtor protections and a dispute, gate decisions (some denied), and collectors' screened sentences with the
alerts they raised. Everything goes through the services, so the demo shows what production would record."""

from __future__ import annotations

import csv
import random
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction

from qingzhai.accounts.models import User
from qingzhai.compliance import services
from qingzhai.compliance.models import DishonestEntry, DishonestImport
from qingzhai.core import pii
from qingzhai.core.clock import business_tz, now
from qingzhai.portfolio.models import Case, Debtor
from qingzhai.portfolio.stages import Stage

LIST_NAME = "演示失信名单 demo dishonest list.csv"
COURTS = ("上海市浦东新区人民法院", "北京市朝阳区人民法院", "广州市天河区人民法院", "杭州市西湖区人民法院")
# What the demo collectors say on their cases: mostly lawful, a few sentences that break the rules.
SENTENCES = (
    "您好，我是清债催收中心的工作人员，请问是本人吗？",
    "您名下的信用卡已逾期，今天能先还一部分吗？",
    "如果一次还不上，我们可以帮您申请分期。",
    "我们不会联系您的家人，也不会告诉您单位。",
    "您可以通过官方客服电话核实我的身份。",
    "如判决生效后仍不履行，法院可以依法强制执行。",
    "对账单有异议的话，可以提交书面材料，我们会核实。",
    "再不还钱就去你孩子学校找你。",
    "你这个老赖，还要不要脸？",
    "不还钱就让法院把你抓起来。",
    "我们会把你欠钱的事发到你们公司群里。",
)


def _actor(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _dishonest_list(rng: random.Random) -> int:
    debtors = list(Debtor.objects.exclude(id_number_bidx="").order_by("id")[:400])
    chosen = rng.sample(debtors, min(6, len(debtors)))
    rows = []
    for index, debtor in enumerate(chosen):
        listed = now().date() - timedelta(days=rng.randint(30, 700))
        rows.append(
            (
                debtor.name,
                pii.get_value(debtor, "id_number"),
                f"({listed.year})沪0115执{1000 + index}号",
                rng.choice(COURTS),
                listed.isoformat(),
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "list.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["被执行人姓名/名称", "身份证号码/组织机构代码", "案号", "执行法院", "发布时间"])
            writer.writerows(rows)
        result = services.dishonest_import(actor="cli:demo", path=path, original_name=LIST_NAME)
    return result.added


def _casework(rng: random.Random) -> dict[str, int]:
    counts = {"utterances": 0, "denied": 0, "protections": 0, "disputes": 0}
    supervisor = _actor("demo_supervisor")
    tz = business_tz()
    for username in ("demo_collector1", "demo_collector2", "demo_collector3"):
        collector = _actor(username)
        if collector is None:
            continue
        cases = list(
            Case.objects.filter(assigned_to=collector, stage__in=[Stage.NEW, Stage.CONTACT, Stage.NEGOTIATED])
            .select_related("debtor")
            .order_by("id")[:12]
        )
        for index, case in enumerate(cases):
            for text in rng.sample(SENTENCES[:7], 2):
                services.utterance_record(actor=collector, case_id=case.pk, text=text)
                counts["utterances"] += 1
            if index < 2:
                services.utterance_record(
                    actor=collector, case_id=case.pk, text=SENTENCES[7 + rng.randint(0, 3)]
                )
                counts["utterances"] += 1
        if cases:
            # A call tried late last night: refused by the gate and kept in the denied-contact log.
            late = datetime.combine(now().astimezone(tz).date() - timedelta(days=1), time(22, 40), tzinfo=tz)
            point = cases[0].debtor.contact_points.first()
            decision = services.contact_clear(
                actor=collector,
                case_id=cases[0].pk,
                kind="call",
                contact_point_id=point.pk if point else None,
                at=late,
            )
            counts["denied"] += 0 if decision.allowed else 1
        if len(cases) > 3:
            services.protection_set(
                actor=collector, case_id=cases[3].pk, reason="债务人来电要求不再发送短信", opted_out=["sms"]
            )
            counts["protections"] += 1
        if len(cases) > 4:
            services.dispute_open(
                actor=collector, case_id=cases[4].pk, reason="债务人称第3期已还，要求核对流水"
            )
            counts["disputes"] += 1
        if supervisor is not None and len(cases) > 5:
            services.protection_set(
                actor=supervisor,
                case_id=cases[5].pk,
                reason="债务人失业，提交了困难证明，给予30天保护期",
                hardship_until=now().astimezone(tz).date() + timedelta(days=30),
            )
            counts["protections"] += 1
    return counts


@transaction.atomic
def compliance_demo_load(*, seed: int = 20260615, reset: bool = False) -> dict[str, Any]:
    """Load once: with the demo list already imported nothing changes (unless `reset`, after the portfolio
    demo was rebuilt)."""
    previous = DishonestImport.objects.filter(original_name=LIST_NAME)
    if reset:
        DishonestEntry.objects.filter(first_import__in=previous).delete()
        previous.delete()
    elif previous.exists():
        return {"already_loaded": True}
    rng = random.Random(seed)
    listed = _dishonest_list(rng)
    counts = _casework(rng)
    return {"already_loaded": False, "dishonest_entries": listed, **counts}
