"""Demand letter (催告函): drafted → sent → delivered → replied | escalated | paid; a returned letter may be
sent again. Delivery interrupts limitation (Civil Code art. 195(1); SOL interpretation art. 8: a letter
or data message that reaches the debtor). The reply period is the one the letter states (default 7
days), in plain calendar days: it is our own term, not a statutory period.
"""

from __future__ import annotations

from qingzhai.legal.machines.base import DeadlineRule, EventSpec, Machine, register

STATES = {
    "drafted": ("草拟", "drafted"),
    "sent": ("已发出", "sent"),
    "delivered": ("已送达", "delivered"),
    "returned": ("被退回", "returned undelivered"),
    "replied": ("已答复", "replied"),
    "escalated": ("已升级处理", "escalated"),
    "paid": ("已清偿", "paid"),
}
TERMINAL = {"escalated": "escalated", "paid": "recovered"}
OPEN = tuple(s for s in STATES if s not in TERMINAL)

REPLY_DUE = DeadlineRule(
    code="reply_due",
    zh="催告函答复期届满",
    en="reply to the demand due",
    party="creditor",
    basis_zh="催告函载明的答复期限（送达即中断诉讼时效：民法典第一百九十五条）",
    basis_en="reply period stated in the demand letter (delivery interrupts limitation: Civil Code art. 195)",
    days_fact="reply_days",
    statutory=False,
)

EVENTS: tuple[EventSpec, ...] = (
    EventSpec("sent", "发出催告函", "demand sent", ("drafted", "returned"), "sent", (), "creditor"),
    EventSpec(
        "delivered",
        "催告函送达",
        "demand delivered",
        ("sent",),
        "delivered",
        (),
        "creditor",
        optional=("reply_days",),
        opens=(REPLY_DUE,),
        interrupts_limitation=True,
    ),
    EventSpec(
        "returned", "催告函被退回", "demand returned undelivered", ("sent",), "returned", (), "creditor"
    ),
    EventSpec(
        "replied",
        "债务人答复",
        "debtor replied",
        ("delivered",),
        "replied",
        (),
        "debtor",
        closes=("reply_due",),
    ),
    EventSpec(
        "escalated",
        "升级处理",
        "escalated",
        ("sent", "delivered", "returned", "replied"),
        "escalated",
        (),
        "creditor",
        cancels=("reply_due",),
    ),
    EventSpec(
        "paid",
        "债务人清偿",
        "debtor paid",
        OPEN,
        "paid",
        (),
        "debtor",
        optional=("amount_fen",),
        cancels=("reply_due",),
    ),
)

MACHINE = register(Machine("demand", "催告函", "Demand letter", "drafted", STATES, TERMINAL, EVENTS))
