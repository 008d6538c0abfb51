"""Mediation (调解), by a people's mediation organisation or by the court: CPL 2023 arts 205–206, 250
(../shared/domain/cn-legal-reference.md §3.3, §3.4).

proposed → in_mediation (procedure: people | court; a request to a mediation body interrupts limitation,
SOL interpretation art. 12) → agreement_signed (the debtor's agreement to perform also interrupts it,
Civil Code art. 195). A people's-mediation agreement needs judicial confirmation, applied for jointly
within 30 days of the agreement taking effect (art. 205): → confirmation_applied → confirmed (or
rejected → failed, art. 206). A court mediation statement is enforceable at once: → confirmed directly.
Once confirmed, 2 years to apply for enforcement from the last day of the performance period (art. 250;
none stated: from the effective date). confirmed → performed | breached (the creditor applies for
enforcement: spawn "enforcement"); proposed / in_mediation → failed.
"""

from __future__ import annotations

from qingzhai.legal.machines.base import DeadlineRule, EventSpec, Machine, register

STATES = {
    "proposed": ("已提议调解", "proposed"),
    "in_mediation": ("调解中", "in mediation"),
    "agreement_signed": ("已签调解协议", "agreement signed"),
    "confirmation_applied": ("已申请司法确认", "judicial confirmation applied for"),
    "confirmed": ("已确认生效", "confirmed, enforceable"),
    "performed": ("已履行", "performed"),
    "breached": ("未履行", "breached"),
    "failed": ("调解不成", "failed"),
}
TERMINAL = {"performed": "recovered", "breached": "breached", "failed": "failed"}
PROCEDURES = ("court", "people")

CONFIRMATION = DeadlineRule(
    "confirmation_due",
    "申请司法确认期限",
    "apply for judicial confirmation by",
    "creditor",
    "民事诉讼法第二百零五条：申请司法确认的，由双方当事人自调解协议生效之日起三十日内共同提出",
    "Civil Procedure Law art. 205: both parties apply for judicial confirmation within 30 days of the "
    "agreement taking effect",
    days=30,
    base="agreement_on",
    when=("procedure", ("people",)),
)


def _enforcement(when: tuple[str, tuple[str, ...]] | None = None) -> DeadlineRule:
    return DeadlineRule(
        "enforcement_due",
        "申请强制执行期限",
        "apply for enforcement by",
        "creditor",
        "民事诉讼法第二百五十条：申请执行的期间为二年，从法律文书规定履行期间的最后一日起计算"
        "（未规定履行期间的，从生效之日起计算）",
        "Civil Procedure Law art. 250: 2 years to apply for enforcement, from the last day of the "
        "performance period (none stated: from the effective date)",
        years=2,
        base="performance_end",
        when=when,
    )


PERFORMANCE = ("performance_days", "last_instalment_on")
ALL_DEADLINES = ("confirmation_due", "enforcement_due")

EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        "started",
        "开始调解",
        "mediation started",
        ("proposed",),
        "in_mediation",
        ("procedure",),
        "creditor",
        interrupts_limitation=True,
    ),
    EventSpec(
        "agreement_signed",
        "签订调解协议",
        "agreement signed",
        ("in_mediation",),
        "agreement_signed",
        (),
        "mediator",
        optional=("agreement_on", *PERFORMANCE),
        opens=(CONFIRMATION, _enforcement(("procedure", ("court",)))),
        interrupts_limitation=True,
        branches=(("procedure", "court", "confirmed"),),
        effective=("agreement_on", 0),
    ),
    EventSpec(
        "confirmation_applied",
        "申请司法确认",
        "judicial confirmation applied for",
        ("agreement_signed",),
        "confirmation_applied",
        (),
        "creditor",
        closes=("confirmation_due",),
    ),
    EventSpec(
        "confirmed",
        "法院裁定调解协议有效",
        "court confirmed the agreement",
        ("confirmation_applied",),
        "confirmed",
        (),
        "court",
        optional=PERFORMANCE,
        opens=(_enforcement(),),
        effective=("on", 0),
    ),
    EventSpec(
        "confirmation_rejected",
        "法院裁定驳回确认申请",
        "confirmation refused",
        ("confirmation_applied",),
        "failed",
        (),
        "court",
    ),
    EventSpec(
        "performed",
        "调解协议已履行",
        "agreement performed",
        ("agreement_signed", "confirmation_applied", "confirmed"),
        "performed",
        (),
        "debtor",
        optional=("amount_fen",),
        cancels=ALL_DEADLINES,
    ),
    EventSpec(
        "breached",
        "债务人不履行调解协议",
        "debtor breached the agreement",
        ("confirmed",),
        "breached",
        (),
        "debtor",
        spawn="enforcement",
    ),
    EventSpec(
        "failed", "调解不成", "mediation failed", ("proposed", "in_mediation"), "failed", (), "mediator"
    ),
)

MACHINE = register(
    Machine("mediation", "调解", "Mediation", "proposed", STATES, TERMINAL, EVENTS, procedures=PROCEDURES)
)
