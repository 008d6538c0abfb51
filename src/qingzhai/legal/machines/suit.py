"""Suit (诉讼) at first instance, with its appeal: CPL 2023 arts 126, 152, 164–171, 250
(../shared/domain/cn-legal-reference.md §3.2–§3.4).

drafted → filed (procedure: small_claims | simple | ordinary; interrupts limitation, SOL interpretation
art. 10) → registered | not_registered; registered → hearing_scheduled → heard (a further hearing may be
scheduled) → judgment_served. A small-claims judgment is final at first instance (art. 165) and
effective on service; otherwise the 15-day appeal window runs (art. 171): appealed → appeal →
appeal_decided → effective, or the window ends (the judgment takes effect the day after its last day)
→ effective. On effect: 2 years to apply for enforcement from the last day of the performance period
(art. 250) → enforcement_applied. A court mediation (mediated) ends the suit as settled; its mediation
statement is enforceable like a judgment, and enforcing it is a new enforcement proceeding. Open states
→ settled | withdrawn.
"""

from __future__ import annotations

from qingzhai.legal.machines.base import DeadlineRule, EventSpec, Machine, register

STATES = {
    "drafted": ("草拟", "drafted"),
    "filed": ("已起诉", "filed"),
    "registered": ("已立案", "registered"),
    "hearing_scheduled": ("已排期开庭", "hearing scheduled"),
    "heard": ("已开庭", "heard"),
    "judgment_served": ("判决已送达", "judgment served"),
    "appeal": ("二审中", "on appeal"),
    "effective": ("判决已生效", "judgment effective"),
    "not_registered": ("不予立案", "not registered"),
    "enforcement_applied": ("已申请执行", "enforcement applied for"),
    "settled": ("已和解", "settled"),
    "mediated": ("法院调解结案", "settled by court mediation"),
    "withdrawn": ("已撤诉", "withdrawn"),
}
TERMINAL = {
    "not_registered": "dismissed",
    "enforcement_applied": "effective",
    "settled": "settled",
    "mediated": "settled",
    "withdrawn": "withdrawn",
}
OPEN = tuple(s for s in STATES if s not in TERMINAL)
PROCEDURES = ("small_claims", "simple", "ordinary")

REGISTER = DeadlineRule(
    "register_due",
    "法院决定是否立案",
    "court registers the suit",
    "court",
    "民事诉讼法第一百二十六条：符合起诉条件的，应当在七日内立案",
    "Civil Procedure Law art. 126: a suit that meets the conditions is registered within 7 days",
    days=7,
)


def _trial(
    procedure: str, months: int, zh_months: str, article: tuple[str, str], zh_name: str
) -> DeadlineRule:
    return DeadlineRule(
        "trial_limit",
        f"审理期限（{zh_name}）",
        f"trial time limit ({procedure.replace('_', ' ')})",
        "court",
        f"民事诉讼法{article[0]}：适用{zh_name}审理的案件，应当在立案之日起{zh_months}个月内审结",
        f"Civil Procedure Law {article[1]}: {procedure.replace('_', '-')} cases are decided within "
        f"{months} months of registration",
        months=months,
        when=("procedure", (procedure,)),
    )


TRIAL_LIMITS = (
    _trial("small_claims", 2, "两", ("第一百六十八条", "art. 168"), "小额诉讼的程序"),
    _trial("simple", 3, "三", ("第一百六十四条", "art. 164"), "简易程序"),
    _trial("ordinary", 6, "六", ("第一百五十二条", "art. 152"), "普通程序"),
)
HEARING = DeadlineRule(
    "hearing",
    "开庭",
    "hearing",
    "creditor",
    "法院传票或开庭通知载明的开庭日期",
    "hearing date on the court's summons",
    base="hearing_on",
    statutory=False,
)
APPEAL = DeadlineRule(
    "appeal_window",
    "上诉期届满（双方）",
    "appeal window ends (both parties)",
    "creditor",
    "民事诉讼法第一百七十一条：不服第一审判决的，有权在判决书送达之日起十五日内提起上诉",
    "Civil Procedure Law art. 171: a first-instance judgment may be appealed within 15 days of service",
    days=15,
    when=("procedure", ("simple", "ordinary")),
    record_as="appeal_due_on",
)


def _enforcement(when: tuple[str, tuple[str, ...]] | None = None) -> DeadlineRule:
    return DeadlineRule(
        "enforcement_due",
        "申请强制执行期限",
        "apply for enforcement by",
        "creditor",
        "民事诉讼法第二百五十条：申请执行的期间为二年，从法律文书规定履行期间的最后一日起计算"
        "（分期履行的，从最后一期履行期限届满之日起计算）",
        "Civil Procedure Law art. 250: 2 years to apply for enforcement, from the last day of the "
        "performance period (instalments: from the last instalment's day)",
        years=2,
        base="performance_end",
        when=when,
    )


ENFORCEMENT = _enforcement()
ALL_DEADLINES = ("register_due", "trial_limit", "hearing", "appeal_window", "enforcement_due")
PERFORMANCE = ("performance_days", "last_instalment_on")

EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        "filed",
        "起诉",
        "suit filed",
        ("drafted",),
        "filed",
        ("procedure",),
        "creditor",
        opens=(REGISTER,),
        interrupts_limitation=True,
    ),
    EventSpec(
        "registered",
        "法院立案",
        "suit registered",
        ("filed",),
        "registered",
        (),
        "court",
        opens=TRIAL_LIMITS,
        closes=("register_due",),
    ),
    EventSpec(
        "not_registered",
        "法院裁定不予受理",
        "court refused to register",
        ("filed",),
        "not_registered",
        (),
        "court",
        closes=("register_due",),
    ),
    EventSpec(
        "hearing_scheduled",
        "确定开庭日期",
        "hearing scheduled",
        ("registered", "hearing_scheduled", "heard"),
        "hearing_scheduled",
        ("hearing_on",),
        "court",
        opens=(HEARING,),
        cancels=("hearing",),
    ),
    EventSpec(
        "heard",
        "开庭审理",
        "hearing held",
        ("hearing_scheduled",),
        "heard",
        (),
        "court",
        closes=("hearing",),
        guards=((">=", "hearing_on"),),
    ),
    EventSpec(
        "judgment_served",
        "判决书送达",
        "judgment served",
        ("hearing_scheduled", "heard"),
        "judgment_served",
        ("performance_days",),
        "court",
        optional=("last_instalment_on",),
        opens=(APPEAL, _enforcement(("procedure", ("small_claims",)))),
        closes=("trial_limit", "hearing"),
        guards=((">=", "hearing_on"),),
        branches=(("procedure", "small_claims", "effective"),),
        effective=("on", 0),
    ),
    EventSpec(
        "appealed",
        "提起上诉",
        "appeal lodged",
        ("judgment_served",),
        "appeal",
        (),
        "creditor",
        closes=("appeal_window",),
        guards=(("<=", "appeal_due_on"),),
    ),
    EventSpec(
        "appeal_decided",
        "二审判决送达",
        "appeal judgment served",
        ("appeal",),
        "effective",
        (),
        "court",
        optional=PERFORMANCE,
        opens=(ENFORCEMENT,),
        effective=("on", 0),
    ),
    EventSpec(
        "appeal_window_lapsed",
        "上诉期届满未上诉，判决生效",
        "appeal window ended: judgment effective",
        ("judgment_served",),
        "effective",
        (),
        "debtor",
        opens=(ENFORCEMENT,),
        closes=("appeal_window",),
        guards=((">", "appeal_due_on"),),
        effective=("appeal_due_on", 1),
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
        "settled",
        "双方和解",
        "settled",
        OPEN,
        "settled",
        (),
        "creditor",
        optional=("amount_fen",),
        cancels=ALL_DEADLINES,
    ),
    EventSpec(
        "withdrawn",
        "撤诉",
        "suit withdrawn",
        tuple(s for s in OPEN if s != "effective"),
        "withdrawn",
        (),
        "creditor",
        cancels=ALL_DEADLINES,
    ),
    EventSpec(
        "mediated",
        "法院调解结案（调解书送达）",
        "settled by court mediation (statement served)",
        ("registered", "hearing_scheduled", "heard", "appeal"),
        "mediated",
        (),
        "court",
        cancels=ALL_DEADLINES,
    ),
)

MACHINE = register(
    Machine("suit", "诉讼", "Lawsuit", "drafted", STATES, TERMINAL, EVENTS, procedures=PROCEDURES)
)
