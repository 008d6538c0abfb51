"""Payment order (支付令, supervision procedure): CPL 2023 arts 225–228, CPL Interpretation arts 430–440
(../shared/domain/cn-legal-reference.md §3.1).

drafted → applied (interrupts limitation, SOL interpretation art. 11) → accepted | rejected;
accepted → issued | dismissed; issued → served | terminated (not served within 30 days of issue);
served → objected (written objection within the 15 days; a later one counts as none, CPLI art. 431)
→ termination_ruled → terminated (creditor opts out) | converted (a suit, filed on the application date);
served → effective once the objection window has ended (the day after its last day: the period runs to
24:00 of the last day, Civil Code art. 203) → enforcement_applied. Any open state → paid | withdrawn.
"""

from __future__ import annotations

from qingzhai.legal.machines.base import DeadlineRule, EventSpec, Machine, register

STATES = {
    "drafted": ("草拟", "drafted"),
    "applied": ("已申请", "applied"),
    "accepted": ("已受理", "accepted"),
    "issued": ("已发出支付令", "order issued"),
    "served": ("已送达", "served"),
    "objected": ("债务人已异议", "objection filed"),
    "termination_ruled": ("已裁定终结督促程序", "procedure terminated by ruling"),
    "effective": ("支付令已生效", "order effective"),
    "rejected": ("不予受理", "not accepted"),
    "dismissed": ("驳回申请", "application dismissed"),
    "terminated": ("督促程序终结", "procedure ended"),
    "converted": ("转入诉讼", "converted to a suit"),
    "enforcement_applied": ("已申请执行", "enforcement applied for"),
    "paid": ("已清偿", "paid"),
    "withdrawn": ("已撤回", "withdrawn"),
}
TERMINAL = {
    "rejected": "dismissed",
    "dismissed": "dismissed",
    "terminated": "terminated",
    "converted": "converted",
    "enforcement_applied": "effective",
    "paid": "recovered",
    "withdrawn": "withdrawn",
}
OPEN = tuple(s for s in STATES if s not in TERMINAL)

ACCEPTANCE = DeadlineRule(
    "acceptance_decision",
    "法院决定是否受理",
    "court decides whether to accept",
    "court",
    "民事诉讼法第二百二十六条：债权人提出申请后，人民法院应当在五日内通知是否受理",
    "Civil Procedure Law art. 226: the court notifies within 5 days of the application whether it accepts",
    days=5,
)
ISSUE = DeadlineRule(
    "issue_decision",
    "法院发出支付令或驳回申请",
    "court issues the order or dismisses the application",
    "court",
    "民事诉讼法第二百二十七条：受理之日起十五日内向债务人发出支付令；申请不成立的，裁定驳回",
    "Civil Procedure Law art. 227: within 15 days of acceptance the court issues the order, or dismisses",
    days=15,
)
SERVICE = DeadlineRule(
    "service_due",
    "支付令须在发出后三十日内送达",
    "order must be served within 30 days of issue",
    "creditor",
    "民事诉讼法解释第四百三十条：支付令自发出之日起三十日内无法送达债务人的，裁定终结督促程序",
    "CPL Interpretation art. 430: an order not served within 30 days of issue ends the procedure",
    days=30,
)
OBJECTION = DeadlineRule(
    "objection_due",
    "债务人异议期届满",
    "debtor's objection window ends",
    "debtor",
    "民事诉讼法第二百二十七条：债务人应当自收到支付令之日起十五日内清偿债务，或者提出书面异议",
    "Civil Procedure Law art. 227: within 15 days of receiving the order the debtor pays or objects in writing",
    days=15,
    record_as="objection_due_on",
)
OPT_OUT = DeadlineRule(
    "opt_out_due",
    "表示不同意转入诉讼的期限",
    "last day to opt out of the suit",
    "creditor",
    "民事诉讼法解释第四百三十八条、第四百三十九条：收到终结督促程序裁定之日起七日内未表示不同意起诉的，视为起诉",
    "CPL Interpretation arts 438–439: unless the applicant objects within 7 days of the termination "
    "ruling, a suit is deemed filed on the application date",
    days=7,
)
ENFORCEMENT = DeadlineRule(
    "enforcement_due",
    "申请强制执行期限",
    "apply for enforcement by",
    "creditor",
    "民事诉讼法第二百五十条：申请执行的期间为二年，从法律文书规定履行期间的最后一日起计算",
    "Civil Procedure Law art. 250: 2 years to apply for enforcement, from the last day of the performance period",
    years=2,
    base="objection_due_on",
)
ALL_DEADLINES = tuple(r.code for r in (ACCEPTANCE, ISSUE, SERVICE, OBJECTION, OPT_OUT, ENFORCEMENT))

EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        "applied",
        "申请支付令",
        "payment order applied for",
        ("drafted",),
        "applied",
        (),
        "creditor",
        opens=(ACCEPTANCE,),
        interrupts_limitation=True,
        records_on=("applied_on",),
    ),
    EventSpec(
        "accepted",
        "法院受理",
        "court accepted",
        ("applied",),
        "accepted",
        (),
        "court",
        opens=(ISSUE,),
        closes=("acceptance_decision",),
    ),
    EventSpec(
        "rejected",
        "法院不予受理",
        "court refused to accept",
        ("applied",),
        "rejected",
        (),
        "court",
        closes=("acceptance_decision",),
    ),
    EventSpec(
        "issued",
        "法院发出支付令",
        "order issued",
        ("accepted",),
        "issued",
        (),
        "court",
        opens=(SERVICE,),
        closes=("issue_decision",),
    ),
    EventSpec(
        "dismissed",
        "法院裁定驳回申请",
        "application dismissed",
        ("accepted",),
        "dismissed",
        (),
        "court",
        closes=("issue_decision",),
    ),
    EventSpec(
        "served",
        "支付令送达债务人",
        "order received by the debtor",
        ("issued",),
        "served",
        (),
        "court",
        opens=(OBJECTION,),
        closes=("service_due",),
        records_on=("served_on",),
    ),
    EventSpec(
        "unserved_terminated",
        "无法送达，终结督促程序",
        "not served in time: procedure ended",
        ("issued",),
        "terminated",
        (),
        "court",
        cancels=("service_due",),
    ),
    EventSpec(
        "objection_filed",
        "债务人提出书面异议",
        "debtor objected in writing",
        ("served",),
        "objected",
        (),
        "debtor",
        closes=("objection_due",),
        guards=(("<=", "objection_due_on"),),
    ),
    EventSpec(
        "termination_ruled",
        "收到终结督促程序裁定",
        "termination ruling received",
        ("objected",),
        "termination_ruled",
        (),
        "court",
        opens=(OPT_OUT,),
    ),
    EventSpec(
        "opted_out",
        "申请人不同意提起诉讼",
        "applicant opted out of the suit",
        ("termination_ruled",),
        "terminated",
        (),
        "creditor",
        closes=("opt_out_due",),
    ),
    EventSpec(
        "converted",
        "转入诉讼程序",
        "converted to a suit",
        ("termination_ruled",),
        "converted",
        (),
        "creditor",
        cancels=("opt_out_due",),
        spawn="suit",
        copies=(("filed_on", "applied_on"),),
    ),
    EventSpec(
        "objection_window_lapsed",
        "异议期届满未异议，支付令生效",
        "objection window ended: order effective",
        ("served",),
        "effective",
        (),
        "debtor",
        opens=(ENFORCEMENT,),
        closes=("objection_due",),
        guards=((">", "objection_due_on"),),
    ),
    EventSpec(
        "enforcement_applied",
        "申请强制执行",
        "enforcement applied for",
        ("effective",),
        "enforcement_applied",
        (),
        "creditor",
        closes=("enforcement_due",),
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
        cancels=ALL_DEADLINES,
    ),
    EventSpec(
        "withdrawn",
        "撤回申请",
        "application withdrawn",
        OPEN,
        "withdrawn",
        (),
        "creditor",
        cancels=ALL_DEADLINES,
    ),
)

MACHINE = register(Machine("payment_order", "支付令", "Payment order", "drafted", STATES, TERMINAL, EVENTS))
