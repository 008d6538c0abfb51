"""The limitation period of a debt and the period to apply for enforcement (pure: no Django).

Limitation (诉讼时效, Civil Code; ../shared/domain/cn-legal-reference.md §5.1):
- art. 188: 3 years from when the creditor knew or should have known of the damage — for a debt, the
  day after its due date; absolute cap of 20 years from the same start;
- art. 189: a debt payable in instalments runs from the due date of the LAST instalment;
- art. 195 (+ SOL interpretation arts 8, 10, 11, 14): interrupted by a demand proven to have reached
  the debtor (an undelivered demand does not interrupt), by the debtor's agreement to perform (a
  partial payment, a promise or repayment plan), and by a filing (suit, payment order, preservation,
  enforcement application); the 3 years then run again from the interruption day. For a filing the
  period restarts when the proceedings end (Event.restart_on); while they are pending the filing day is
  used, which can only make the computed expiry earlier, never later.
Enforcement application (申请执行期间, CPL 2023 art. 250, §3.4/§5.2): 2 years from the last day of the
performance period in the judgment (instalments: the last instalment's day; none stated: the day the
judgment took effect), interrupted like limitation.

Deadlines are counted with calendar.period_end (start day excluded; a last day on a holiday moves to
the next working day). Where the calendar has no data for the year of a deadline, the unmoved date is
used and the result says so (`calendar_adjusted: false` plus a note): a holiday move can only make the
deadline later, so the unmoved date is the safe one to act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from qingzhai.legal import calendar

EventKind = Literal["demand", "partial_payment", "acknowledgment", "filing"]
EVENT_KINDS: tuple[str, ...] = ("demand", "partial_payment", "acknowledgment", "filing")
LIMITATION_YEARS = 3
CAP_YEARS = 20
ENFORCEMENT_YEARS = 2
DEFAULT_WARN_DAYS = 90

KIND_TEXT = {
    "demand": ("催收（要求履行）", "demand for performance"),
    "partial_payment": ("部分还款", "partial payment"),
    "acknowledgment": (
        "债务人同意履行（承诺还款/还款计划）",
        "acknowledgment (promise to pay / repayment plan)",
    ),
    "filing": ("起诉/申请支付令/申请执行", "filing (suit, payment order, enforcement application)"),
}
INTERRUPT_WHY = {
    "demand": (
        "送达的催收中断时效（民法典第195条第1项；诉讼时效规定第8条）",
        "a delivered demand interrupts (CC art. 195(1); SOL art. 8)",
    ),
    "partial_payment": (
        "部分还款即同意履行，中断时效（民法典第195条第2项；诉讼时效规定第14条）",
        "a partial payment is an agreement to perform (CC art. 195(2); SOL art. 14)",
    ),
    "acknowledgment": (
        "同意履行中断时效（民法典第195条第2项；诉讼时效规定第14条）",
        "an agreement to perform interrupts (CC art. 195(2); SOL art. 14)",
    ),
    "filing": (
        "起诉或同等程序中断时效，程序终结时重新计算；暂按提出之日计算（民法典第195条第3项；诉讼时效规定第10、11条）",
        "a filing interrupts and the period restarts when the proceedings end; counted from the filing day for now (CC art. 195(3); SOL arts 10, 11)",
    ),
}


class LimitationError(ValueError):
    """Input the engine cannot work with; bilingual, with a stable code and the field at fault."""

    def __init__(self, code: str, zh: str, en: str, *, field: str = "") -> None:
        self.code, self.zh, self.en, self.field = code, zh, en, field
        super().__init__(f"{code}: {en}")


@dataclass(frozen=True)
class Event:
    """Something that may interrupt the period. `delivered` matters only for demands."""

    on: date
    kind: str
    delivered: bool = False
    ref: str = ""
    # For a filing whose proceedings have ended: the day they ended, from which the period runs again.
    restart_on: date | None = None


@dataclass(frozen=True)
class Terms:
    """When the debt fell due: a single due date, or instalment due dates (the last one counts)."""

    due_date: date | None = None
    instalment_due_dates: tuple[date, ...] = ()
    basis: str = ""  # where due_date came from when not the contract's due date (selector fallback)


@dataclass(frozen=True)
class Applied:
    on: date
    kind: str
    ref: str
    interrupts: bool
    effect: str  # interrupts | no_delivery | before_start | after_expiry | after_as_of
    why_zh: str
    why_en: str
    expiry_after: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.on.isoformat(),
            "kind": self.kind,
            "kind_zh": KIND_TEXT[self.kind][0],
            "kind_en": KIND_TEXT[self.kind][1],
            "ref": self.ref,
            "interrupts": self.interrupts,
            "effect": self.effect,
            "why_zh": self.why_zh,
            "why_en": self.why_en,
            "expiry_after": self.expiry_after.isoformat(),
        }


@dataclass
class Result:
    period: str  # limitation | enforcement
    start: date
    start_basis_zh: str
    start_basis_en: str
    expiry: date
    cap: date | None
    as_of: date
    days_left: int
    status: str  # running | expiring_soon | expired
    warn_days: int
    events: list[Applied] = field(default_factory=list)
    calendar_adjusted: bool = True
    notes: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "start": self.start.isoformat(),
            "start_basis_zh": self.start_basis_zh,
            "start_basis_en": self.start_basis_en,
            "expiry": self.expiry.isoformat(),
            "cap": self.cap.isoformat() if self.cap else None,
            "as_of": self.as_of.isoformat(),
            "days_left": self.days_left,
            "status": self.status,
            "warn_days": self.warn_days,
            "calendar_adjusted": self.calendar_adjusted,
            "events": [e.as_dict() for e in self.events],
            "notes": [{"zh": zh, "en": en} for zh, en in self.notes],
        }


class _Deadline:
    """period_end, falling back to the unmoved date outside the calendar's data (remembered, to note)."""

    def __init__(self) -> None:
        self.unmoved: set[date] = set()

    def __call__(self, start: date, years: int) -> date:
        try:
            return calendar.period_end(start, years=years)
        except calendar.CalendarError:
            end = calendar.nominal_end(start, years=years)
            self.unmoved.add(end)
            return end

    def notes(self, expiry: date) -> list[tuple[str, str]]:
        """A note when the expiry itself could not be checked against the holiday calendar."""
        if expiry not in self.unmoved:
            return []
        first, last = calendar.covered_years()
        return [
            (
                f"节假日日历没有 {expiry.year} 年的数据（已知 {first}–{last} 年），届满日未按节假日顺延；"
                "实际届满日可能更晚，请在国务院公布安排后升级 chinese-calendar",
                f"The holiday calendar has no data for {expiry.year} (it knows {first}–{last}); the expiry "
                "is not moved past holidays — the real last day may be later; update chinese-calendar "
                "once the State Council publishes the arrangement",
            )
        ]


def _run(
    *,
    period: str,
    start: date,
    basis: tuple[str, str],
    years: int,
    cap_years: int | None,
    events: Iterable[Event],
    as_of: date,
    warn_days: int,
) -> Result:
    deadline = _Deadline()
    cap = deadline(start, cap_years) if cap_years else None
    expiry = deadline(start, years)
    if cap is not None:
        expiry = min(expiry, cap)
    applied: list[Applied] = []
    for ev in sorted(events, key=lambda e: (e.on, EVENT_KINDS.index(e.kind) if e.kind in EVENT_KINDS else 9)):
        if ev.kind not in EVENT_KINDS:
            raise LimitationError(
                "invalid_event_kind",
                f"未知的事件类型：{ev.kind}（可选 {'、'.join(EVENT_KINDS)}）",
                f"Unknown event kind: {ev.kind} ({', '.join(EVENT_KINDS)})",
                field="events",
            )
        restart: date | None = None
        if ev.on > as_of:
            effect, zh, en = "after_as_of", "晚于计算基准日，未计入", "after the as-of date: not counted"
        elif ev.on <= start:
            effect, zh, en = (
                "before_start",
                "发生在时效起算之前（债务尚未到期），不中断",
                "before the period started (the debt was not yet due): does not interrupt",
            )
        elif ev.on > expiry:
            effect, zh, en = (
                "after_expiry",
                "发生在期间届满之后，不中断；债务人届满后同意履行的，不得再以时效抗辩（民法典第192条；"
                "诉讼时效规定第19条），需法务审核",
                "after the period had expired: does not interrupt; a debtor who agrees to perform after "
                "expiry loses the limitation defence (CC art. 192; SOL art. 19) — needs legal review",
            )
        elif ev.kind == "demand" and not ev.delivered:
            effect, zh, en = (
                "no_delivery",
                "没有送达证明的催收不中断时效（诉讼时效规定第8条）",
                "a demand without proof of delivery does not interrupt (SOL art. 8)",
            )
        else:
            effect, (zh, en) = "interrupts", INTERRUPT_WHY[ev.kind]
            restart = ev.on
            if ev.kind == "filing" and ev.restart_on is not None and ev.on <= ev.restart_on <= as_of:
                restart = ev.restart_on
                zh += f"；程序已于 {ev.restart_on.isoformat()} 终结，自该日重新计算"
                en += (
                    f"; the proceedings ended on {ev.restart_on.isoformat()}, the period runs again from then"
                )
        if restart is not None:
            new_expiry = deadline(restart, years)
            if cap is not None and new_expiry > cap:
                new_expiry = cap
                zh += f"；但不超过自起算日20年的最长期间（{cap.isoformat()}，民法典第188条）"
                en += f"; but not beyond the 20-year cap from the start ({cap.isoformat()}, CC art. 188)"
            expiry = max(expiry, new_expiry)
        applied.append(Applied(ev.on, ev.kind, ev.ref, restart is not None, effect, zh, en, expiry))
    days_left = (expiry - as_of).days
    status = "expired" if days_left < 0 else "expiring_soon" if days_left <= warn_days else "running"
    return Result(
        period=period,
        start=start,
        start_basis_zh=basis[0],
        start_basis_en=basis[1],
        expiry=expiry,
        cap=cap,
        as_of=as_of,
        days_left=days_left,
        status=status,
        warn_days=warn_days,
        events=applied,
        calendar_adjusted=expiry not in deadline.unmoved,
        notes=deadline.notes(expiry),
    )


def limitation(
    terms: Terms, events: Sequence[Event] = (), *, as_of: date, warn_days: int = DEFAULT_WARN_DAYS
) -> Result:
    """The 3-year limitation period of a debt (CC arts 188, 189, 195) as of `as_of`."""
    if terms.instalment_due_dates:
        start = max(terms.instalment_due_dates)
        basis = (
            f"分期债务自最后一期到期日（{start.isoformat()}）起算（民法典第189条）",
            f"instalment debt: runs from the last instalment's due date ({start.isoformat()}, CC art. 189)",
        )
    elif terms.due_date is not None:
        start = terms.due_date
        basis = (
            f"自到期日（{start.isoformat()}）起算，即债权人知道权利受损之日（民法典第188条）",
            f"runs from the due date ({start.isoformat()}), when the creditor knew of the default (CC art. 188)",
        )
        if terms.basis:
            basis = (f"{basis[0]}；{terms.basis}", f"{basis[1]}; {terms.basis}")
    else:
        raise LimitationError(
            "no_due_date",
            "无法确定到期日：债务没有到期日、逾期起始日或分期计划",
            "Cannot tell when the debt fell due: no due date, overdue date or instalment plan",
            field="due_date",
        )
    return _run(
        period="limitation",
        start=start,
        basis=basis,
        years=LIMITATION_YEARS,
        cap_years=CAP_YEARS,
        events=events,
        as_of=as_of,
        warn_days=warn_days,
    )


def enforcement_period(
    *,
    performance_end: date | None = None,
    instalment_ends: Sequence[date] = (),
    effective_date: date | None = None,
    events: Sequence[Event] = (),
    as_of: date,
    warn_days: int = DEFAULT_WARN_DAYS,
) -> Result:
    """The 2-year period to apply for enforcement of a judgment (CPL 2023 art. 250)."""
    if instalment_ends:
        start = max(instalment_ends)
        basis = (
            f"分期履行的，自最后一期履行期限届满之日（{start.isoformat()}）起算（民事诉讼法第250条）",
            f"performance in instalments: from the last instalment's day ({start.isoformat()}, CPL art. 250)",
        )
    elif performance_end is not None:
        start = performance_end
        basis = (
            f"自法律文书规定履行期间的最后一日（{start.isoformat()}）起算（民事诉讼法第250条）",
            f"from the last day of the performance period in the judgment ({start.isoformat()}, CPL art. 250)",
        )
    elif effective_date is not None:
        start = effective_date
        basis = (
            f"法律文书未规定履行期间的，自生效之日（{start.isoformat()}）起算（民事诉讼法第250条）",
            f"no performance period stated: from the day the judgment took effect ({start.isoformat()}, CPL art. 250)",
        )
    else:
        raise LimitationError(
            "no_performance_date",
            "需要履行期间最后一日、分期履行日期或生效日期",
            "Need the last day of the performance period, the instalment days or the effective date",
            field="performance_end",
        )
    return _run(
        period="enforcement",
        start=start,
        basis=basis,
        years=ENFORCEMENT_YEARS,
        cap_years=None,
        events=events,
        as_of=as_of,
        warn_days=warn_days,
    )
