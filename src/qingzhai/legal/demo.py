"""Legal demo on top of the portfolio demo: the demo creditors' party details for court documents, the
legal representatives of enterprise debtors, and proceedings at every step — open ones with deadlines
due soon, and a closed history that gives the KPIs something to count — all recorded through the
services, so history, deadlines, audit and evidence are the same as for real work.

Every date is relative to the business day the demo is loaded on. `legal_demo_delete` removes the legal
rows of the demo cases (called before the portfolio demo is rebuilt: proceedings protect their cases).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from qingzhai.core.clock import business_today
from qingzhai.core.errors import DomainError

# The demo creditors as parties: fictional registry facts with valid-looking USCCs.
CREDITOR_PARTIES: dict[str, dict[str, str]] = {
    "DEMO-BANK": {
        "uscc": "91310000MA1FL0HX0",
        "legal_representative": "陈立明",
        "address": "上海市浦东新区陆家嘴环路1000号",
        "phone": "021-6888 0000",
    },
    "DEMO-CFC": {
        "uscc": "91310115MA1K4AH10",
        "legal_representative": "周文静",
        "address": "上海市浦东新区世纪大道88号",
        "phone": "021-5016 8800",
    },
    "DEMO-NET": {
        "uscc": "91310104MA1FYR220",
        "legal_representative": "王海峰",
        "address": "上海市徐汇区漕溪北路18号",
        "phone": "021-6426 6600",
    },
}
REPRESENTATIVES = ("李建国", "张秀英", "刘洋", "王静", "赵磊", "孙丽", "周强", "吴敏")
COURTS = ("上海市浦东新区人民法院", "上海市徐汇区人民法院", "上海市黄浦区人民法院", "上海市闵行区人民法院")


@dataclass
class Script:
    kind: str
    steps: list[tuple[str, int, dict[str, Any]]]  # event, days before today, facts
    claim_share: float = 1.0
    children: list[Script] = field(default_factory=list)  # opened after this one, on the child's first day


def _uscc(first17: str) -> str:
    from qingzhai.core.validators import uscc_check_char

    return first17 + uscc_check_char(first17)


# Open proceedings at different steps, each opening deadlines around today.
OPEN_SCRIPTS: list[Script] = [
    Script("payment_order", [("applied", 10, {}), ("accepted", 7, {})]),
    Script(
        "payment_order",
        [("applied", 40, {}), ("accepted", 37, {}), ("issued", 30, {}), ("served", 12, {})],
    ),
    Script(
        "payment_order",
        [
            ("applied", 60, {}),
            ("accepted", 57, {}),
            ("issued", 50, {}),
            ("served", 45, {}),
            ("objection_filed", 35, {}),
            ("termination_ruled", 3, {}),
        ],
    ),
    Script("suit", [("filed", 50, {"procedure": "simple"}), ("registered", 45, {})]),
    Script(
        "suit",
        [
            ("filed", 90, {"procedure": "ordinary"}),
            ("registered", 85, {}),
            ("hearing_scheduled", 30, {"hearing_on": 4}),
        ],
    ),
    Script(
        "enforcement",
        [
            ("applied", 120, {}),
            ("accepted", 115, {}),
            ("investigation_started", 110, {}),
            ("assets_frozen", 100, {"asset": "deposit"}),
            ("partial_payment", 40, {"amount_share": 0.3}),
        ],
    ),
    Script(
        "mediation",
        [("started", 40, {"procedure": "people"}), ("agreement_signed", 25, {"agreement_on": -25})],
    ),
    Script("demand", [("sent", 9, {}), ("delivered", 6, {"reply_days": 7})]),
]

# Closed history for the KPIs: payment orders that became effective or ended otherwise, enforcement
# and mediations that ended.
_PO_EFFECTIVE: list[tuple[str, int, dict[str, Any]]] = [
    ("applied", 200, {}),
    ("accepted", 197, {}),
    ("issued", 186, {}),
    ("served", 180, {}),
    ("objection_window_lapsed", 160, {}),
    ("enforcement_applied", 150, {}),
]
_PO_OBJECTED: list[tuple[str, int, dict[str, Any]]] = [
    ("applied", 210, {}),
    ("accepted", 206, {}),
    ("issued", 195, {}),
    ("served", 190, {}),
    ("objection_filed", 182, {}),
    ("termination_ruled", 170, {}),
    ("opted_out", 168, {}),
]
_PO_PAID: list[tuple[str, int, dict[str, Any]]] = [
    ("applied", 150, {}),
    ("accepted", 147, {}),
    ("issued", 135, {}),
    ("paid", 120, {"amount_share": 1.0}),
]
HISTORY_SCRIPTS: list[Script] = (
    [Script("payment_order", _PO_EFFECTIVE) for _ in range(9)]
    + [Script("payment_order", _PO_PAID) for _ in range(5)]
    + [Script("payment_order", _PO_OBJECTED) for _ in range(6)]
    + [
        Script(
            "mediation",
            [
                ("started", 160, {"procedure": "court"}),
                ("agreement_signed", 150, {"agreement_on": -150}),
                ("performed", 100, {"amount_share": 1.0}),
            ],
        )
        for _ in range(4)
    ]
    + [
        Script("mediation", [("started", 170, {"procedure": "people"}), ("failed", 140, {})])
        for _ in range(2)
    ]
    + [
        Script(
            "suit",
            [
                ("filed", 300, {"procedure": "small_claims"}),
                ("registered", 295, {}),
                ("hearing_scheduled", 280, {"hearing_on": -260}),
                ("heard", 260, {}),
                ("judgment_served", 250, {"performance_days": 10}),
                ("enforcement_applied", 200, {}),
            ],
        )
        for _ in range(3)
    ]
    + [
        Script(
            "enforcement",
            [
                ("applied", 280, {}),
                ("accepted", 275, {}),
                ("investigation_started", 270, {}),
                ("assets_frozen", 250, {"asset": "deposit"}),
                ("paid_in_full", 180, {"amount_share": 1.0}),
            ],
        )
        for _ in range(3)
    ]
    + [
        Script(
            "enforcement",
            [
                ("applied", 260, {}),
                ("accepted", 255, {}),
                ("investigation_started", 250, {}),
                ("closed_no_assets", 160, {}),
            ],
        )
        for _ in range(2)
    ]
)


DATE_FACTS = ("hearing_on", "agreement_on")


def _facts(raw: dict[str, Any], today: date, claim_fen: int) -> dict[str, Any]:
    """Date facts are given as days from today (negative: past); amount_share as a share of the claim."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in DATE_FACTS:
            out[key] = today + timedelta(days=value)
        elif key == "amount_share":
            out["amount_fen"] = int(claim_fen * value)
        else:
            out[key] = value
    return out


def _party_details() -> None:
    from qingzhai.portfolio.demo.reference import DEMO_CREDITOR_CODES
    from qingzhai.portfolio.models import Creditor, Debtor

    for creditor in Creditor.objects.filter(code__in=DEMO_CREDITOR_CODES):
        details = dict(CREDITOR_PARTIES.get(creditor.code, {}))
        if details:
            details["uscc"] = _uscc(details["uscc"][:17])
            Creditor.objects.filter(pk=creditor.pk).update(**details)
    enterprises = Debtor.objects.filter(
        creditor__code__in=DEMO_CREDITOR_CODES, kind=Debtor.Kind.ENTERPRISE, legal_representative=""
    ).order_by("pk")
    for index, debtor_id in enumerate(enterprises.values_list("pk", flat=True)):
        Debtor.objects.filter(pk=debtor_id).update(
            legal_representative=REPRESENTATIVES[index % len(REPRESENTATIVES)]
        )


def _play(script: Script, case: Any, index: int, today: date) -> None:
    from qingzhai.legal.services.proceedings import proceeding_open, proceeding_transition

    first = script.steps[0][1]
    proceeding = proceeding_open(
        actor="demo",
        case_id=case.pk,
        kind=script.kind,
        on=today - timedelta(days=first + 1),
        court="" if script.kind == "demand" else COURTS[index % len(COURTS)],
        claim_fen=int(case.total_balance_fen * script.claim_share),
        note="演示 / demo",
        check_access=False,
    )
    for event, days_before, raw in script.steps:
        proceeding_transition(
            actor="demo",
            proceeding_id=proceeding.pk,
            event=event,
            on=today - timedelta(days=days_before),
            facts=_facts(raw, today, proceeding.claim_fen),
            note="演示 / demo",
            check_access=False,
        )


@transaction.atomic
def legal_demo_load(*, today: date | None = None) -> dict[str, int]:
    """Proceedings for the demo's largest open cases; nothing when some already exist."""
    from qingzhai.legal.models import Deadline, Proceeding
    from qingzhai.legal.services.proceedings import deadlines_scan
    from qingzhai.portfolio.demo.reference import DEMO_CREDITOR_CODES
    from qingzhai.portfolio.models import Case

    _party_details()
    if Proceeding.objects.filter(case__portfolio__creditor__code__in=DEMO_CREDITOR_CODES).exists():
        return {"proceedings": 0, "skipped": 0, "deadlines": 0}
    today = today or business_today()
    scripts = OPEN_SCRIPTS + HISTORY_SCRIPTS
    cases = list(
        Case.objects.filter(portfolio__creditor__code__in=DEMO_CREDITOR_CODES, total_balance_fen__gt=0)
        .exclude(stage="closed")
        .order_by("-total_balance_fen", "pk")[: len(scripts)]
    )
    made = skipped = 0
    for index, (case, script) in enumerate(zip(cases, scripts, strict=False)):
        try:
            with transaction.atomic():
                _play(script, case, index, today)
            made += 1
        except DomainError as exc:
            # A deadline in a year the holiday calendar does not know yet (calendar_year_not_covered)
            # is refused rather than guessed; that script is left out of the demo.
            if exc.code != "calendar_year_not_covered":
                raise
            skipped += 1
    deadlines_scan(today=today)
    return {
        "proceedings": made,
        "skipped": skipped,
        "deadlines": Deadline.objects.filter(case__portfolio__creditor__code__in=DEMO_CREDITOR_CODES).count(),
    }


@transaction.atomic
def legal_demo_delete() -> int:
    """Delete the legal rows of the demo cases (documents, deadlines, events, proceedings)."""
    from qingzhai.legal.models import Deadline, LegalDocument, Proceeding, ProceedingEvent
    from qingzhai.portfolio.demo.reference import DEMO_CREDITOR_CODES

    procs = Proceeding.objects.filter(case__portfolio__creditor__code__in=DEMO_CREDITOR_CODES)
    LegalDocument.objects.filter(case__portfolio__creditor__code__in=DEMO_CREDITOR_CODES).delete()
    Deadline.objects.filter(proceeding__in=procs).delete()
    ProceedingEvent.objects.filter(proceeding__in=procs).delete()
    count = procs.count()
    # children first (parent is PROTECT)
    while procs.exists():
        procs.filter(children__isnull=True).delete()
    return count
