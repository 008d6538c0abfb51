"""The repayment agreement as a machine (pure: no Django): terms, then payments and events by date, out
comes the state timeline. `simulate(terms, events, until)` runs it day by day.

Each day, in this order:
1. that day's payments are allocated to the components in the contract's order (costs → interest →
   principal by default) and fill the instalments oldest first; that day's named events are noted;
2. a reminder for each unpaid instalment `reminder_days` before its due date;
3. an instalment still unpaid when its grace ends (`grace_days` after the due date) is missed. When the
   instalments missed and still unpaid reach `missed_to_breach`, the agreement is in breach: a breach notice
   gives `notice_days` to cure, and the conditional interest waiver is revoked (the waived interest is owed
   again, due at the end of the notice);
4. a breach is cured when every missed instalment is paid before the notice ends; otherwise, at its end,
   the whole balance falls due (acceleration) and the legal step is generated: a payment order on the
   agreement, or the enforcement of a judicially confirmed agreement (`legal_step`);
5. when nothing is left to pay, the agreement is fulfilled, and an unrevoked waiver is granted for good;
6. each new-money tranche is released the first day all its conditions hold (never after acceleration,
   when the tranches not yet released are cancelled).

States: active → breached → (cured: active) → accelerated → settled; active → fulfilled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from qingzhai.agreements.terms import AgreementError, Condition, Instalment, Terms, Tranche

MAX_DAYS = 366 * 10


@dataclass(frozen=True)
class Event:
    on: date
    payment_fen: int = 0
    name: str = ""


def parse_events(raw: Any) -> list[Event]:
    if not isinstance(raw, list):
        raise AgreementError("bad_events", "events 须为数组", "events must be an array", field="events")
    out = []
    for n, row in enumerate(raw, start=1):
        if not isinstance(row, dict):
            raise AgreementError(
                "bad_events", f"第{n}个事件格式错误", f"Event {n} is not an object", field="events"
            )
        try:
            on = date.fromisoformat(str(row.get("date")))
        except ValueError:
            raise AgreementError(
                "bad_date",
                f"第{n}个事件的日期错误",
                f"Event {n} has no valid date (YYYY-MM-DD)",
                field="events",
            ) from None
        payment = row.get("payment_fen", 0)
        name = str(row.get("event") or "").strip()
        if (
            isinstance(payment, bool)
            or not isinstance(payment, int)
            or payment < 0
            or (not payment and not name)
        ):
            raise AgreementError(
                "bad_events",
                f"第{n}个事件须为正的还款金额（分）或一个事件名",
                f"Event {n} must be a positive payment in fen or a named event",
                field="events",
            )
        out.append(Event(on, payment, name))
    return sorted(out, key=lambda e: e.on)


@dataclass
class _Item:
    """One amount on the schedule: an instalment, or the interest owed again after a waiver is revoked."""

    number: int
    due: date
    amount_fen: int
    paid_fen: int = 0
    missed: bool = False
    label: str = "instalment"

    @property
    def unpaid(self) -> int:
        return self.amount_fen - self.paid_fen


@dataclass
class Result:
    state: str
    timeline: list[dict[str, Any]]
    components: dict[str, int]  # still owed per component
    paid_fen: int
    unapplied_fen: int
    schedule: list[dict[str, Any]]
    disbursed: list[str]
    legal_step: dict[str, Any] | None = None
    waiver: str = "conditional"  # conditional | granted | revoked | none

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "outstanding_fen": sum(self.components.values()),
            "components": self.components,
            "paid_fen": self.paid_fen,
            "unapplied_fen": self.unapplied_fen,
            "waiver": self.waiver,
            "disbursed": self.disbursed,
            "legal_step": self.legal_step,
            "schedule": self.schedule,
            "timeline": self.timeline,
        }


@dataclass
class _Machine:
    terms: Terms
    state: str = "active"
    items: list[_Item] = field(default_factory=list)
    owed: dict[str, int] = field(default_factory=dict)
    paid: int = 0
    unapplied: int = 0
    happened: set[str] = field(default_factory=set)
    ever_breached: bool = False
    cure_by: date | None = None
    waiver: str = "conditional"
    released: list[str] = field(default_factory=list)
    legal: dict[str, Any] | None = None
    timeline: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        t = self.terms
        self.items = [_Item(i.number, i.due, i.amount_fen) for i in t.instalments]
        self.owed = dict(t.debt)
        self.owed["interest"] -= t.waiver_fen
        if not t.waiver_fen:
            self.waiver = "none"

    # --- helpers -----------------------------------------------------------------------------------

    @property
    def outstanding(self) -> int:
        return sum(self.owed.values())

    def log(self, on: date, event: str, zh: str, en: str, **detail: Any) -> None:
        self.timeline.append(
            {"date": on.isoformat(), "event": event, "state": self.state, "zh": zh, "en": en, **detail}
        )

    def pay(self, on: date, amount: int) -> None:
        allocated: dict[str, int] = {}
        left = amount
        for component in self.terms.allocation:
            take = min(left, self.owed[component])
            if take:
                allocated[component] = take
                self.owed[component] -= take
                left -= take
        applied = amount - left
        self.paid += applied
        self.unapplied += left
        fill = applied
        for item in sorted(self.items, key=lambda i: (i.due, i.number)):
            take = min(fill, item.unpaid)
            item.paid_fen += take
            fill -= take
        paid_items = [i.number for i in self.items if i.unpaid == 0 and i.paid_fen]
        self.log(
            on, "payment", f"收到还款 {amount} 分", f"Payment of {amount} fen received",
            amount_fen=amount, allocated=allocated, unapplied_fen=left, outstanding_fen=self.outstanding,
            instalments_paid=paid_items,
        )  # fmt: skip

    def condition_holds(self, on: date, tranche: Tranche) -> bool:
        return all(self._holds(on, c) for c in tranche.conditions)

    def _holds(self, on: date, c: Condition) -> bool:
        if c.kind == "paid_instalments":
            return sum(1 for i in self.items if i.label == "instalment" and i.unpaid == 0) >= c.count
        if c.kind == "no_breach":
            return not self.ever_breached
        if c.kind == "on_or_after":
            return c.on is None or on >= c.on
        return c.name in self.happened

    # --- one day -----------------------------------------------------------------------------------

    def day(self, on: date, events: Iterable[Event]) -> None:
        t = self.terms
        for event in events:
            if event.payment_fen:
                self.pay(on, event.payment_fen)
            if event.name:
                self.happened.add(event.name)
                self.log(on, "event", f"事件：{event.name}", f"Event: {event.name}", name=event.name)
        if self.state in ("fulfilled", "settled"):
            return
        if self.outstanding == 0:
            self._finish(on)
            return
        if self.state in ("active", "breached"):
            for item in self.items:
                if item.unpaid and item.due - timedelta(days=t.reminder_days) == on and t.reminder_days:
                    self.log(
                        on, "reminder", f"第{item.number}期将于{item.due}到期", f"Instalment {item.number} falls due on {item.due}",
                        instalment=item.number, amount_fen=item.unpaid,
                    )  # fmt: skip
            for item in self.items:
                if item.unpaid and not item.missed and item.due + timedelta(days=t.grace_days) == on:
                    item.missed = True
                    self.log(
                        on, "missed", f"第{item.number}期宽限期届满仍未足额还款", f"Instalment {item.number} unpaid at the end of its grace",
                        instalment=item.number, unpaid_fen=item.unpaid,
                    )  # fmt: skip
        missed_unpaid = [i for i in self.items if i.missed and i.unpaid]
        if self.state == "active" and len(missed_unpaid) >= t.missed_to_breach:
            self._breach(on)
        elif self.state == "breached" and not missed_unpaid:
            self.state = "active"
            self.cure_by = None
            self.log(on, "cured", "违约已在通知期内纠正", "The breach was cured within the notice period")
        elif self.state == "breached" and self.cure_by is not None and on >= self.cure_by:
            self._accelerate(on)
        if self.state in ("active", "breached"):
            for tranche in t.tranches:
                if tranche.id not in self.released and self.condition_holds(on, tranche):
                    self.released.append(tranche.id)
                    self.log(
                        on, "disbursed", f"新增资金 {tranche.id} 放款 {tranche.amount_fen} 分：条件均已满足",
                        f"Tranche {tranche.id} of {tranche.amount_fen} fen released: its conditions hold",
                        tranche=tranche.id, amount_fen=tranche.amount_fen,
                    )  # fmt: skip

    def _breach(self, on: date) -> None:
        t = self.terms
        self.state = "breached"
        self.ever_breached = True
        self.cure_by = on + timedelta(days=t.notice_days)
        self.log(
            on, "breach_notice", f"违约通知：请于{self.cure_by}前付清逾期款项，否则全部余款提前到期",
            f"Breach notice: pay the overdue instalments by {self.cure_by}, or the whole balance falls due",
            cure_by=self.cure_by.isoformat(), overdue_fen=sum(i.unpaid for i in self.items if i.missed),
        )  # fmt: skip
        if self.waiver == "conditional":
            self.waiver = "revoked"
            self.owed["interest"] += t.waiver_fen
            self.items.append(_Item(len(self.items) + 1, self.cure_by, t.waiver_fen, label="waiver_revoked"))
            self.log(
                on, "waiver_revoked", f"违约，附条件减免的利息 {t.waiver_fen} 分恢复计收",
                f"Breach: the conditionally waived interest of {t.waiver_fen} fen is owed again",
                amount_fen=t.waiver_fen, due=self.cure_by.isoformat(),
            )  # fmt: skip

    def _accelerate(self, on: date) -> None:
        t = self.terms
        self.state = "accelerated"
        for item in self.items:
            if item.unpaid and item.due > on:
                item.due = on
        claim = self.outstanding
        self.legal = {
            "kind": t.legal_step,
            "date": on.isoformat(),
            "claim_fen": claim,
            "components": dict(self.owed),
        }
        self.log(
            on, "accelerated", f"通知期满未纠正：全部余款 {claim} 分提前到期", f"Not cured: the whole balance of {claim} fen falls due",
            outstanding_fen=claim,
        )  # fmt: skip
        zh = "依协议申请支付令" if t.legal_step == "payment_order" else "申请强制执行经司法确认的调解协议"
        en = (
            "payment order on the agreement"
            if t.legal_step == "payment_order"
            else "enforcement of the confirmed agreement"
        )
        self.log(on, "legal_step", f"生成法律步骤：{zh}", f"Legal step generated: {en}", **self.legal)
        for tranche in t.tranches:
            if tranche.id not in self.released:
                self.log(
                    on, "disbursement_cancelled", f"加速到期，{tranche.id} 不再放款", f"Accelerated: tranche {tranche.id} is cancelled",
                    tranche=tranche.id,
                )  # fmt: skip

    def _finish(self, on: date) -> None:
        if self.state == "accelerated":
            self.state = "settled"
            self.log(on, "settled", "提前到期后全部付清", "Paid in full after acceleration")
            return
        self.state = "fulfilled"
        self.log(on, "fulfilled", "协议全部履行完毕", "The agreement is fulfilled")
        if self.waiver == "conditional":
            self.waiver = "granted"
            self.log(
                on, "waiver_granted", f"按期履行，减免利息 {self.terms.waiver_fen} 分最终确认",
                f"Performed on time: the waiver of {self.terms.waiver_fen} fen is granted for good",
                amount_fen=self.terms.waiver_fen,
            )  # fmt: skip


def simulate(terms: Terms, events: list[Event], until: date | None = None) -> Result:
    """Run the agreement from its start to `until` (default: 60 days after the last due date or event)."""
    last = max([i.due for i in terms.instalments] + [e.on for e in events])
    end = until or last + timedelta(days=60 + terms.grace_days + terms.notice_days)
    if end < terms.start:
        raise AgreementError(
            "bad_until", "结束日期早于协议开始日", "`until` is before the agreement's start", field="until"
        )
    if (end - terms.start).days > MAX_DAYS:
        raise AgreementError(
            "bad_until",
            "模拟期间不能超过十年",
            "The simulation cannot run more than ten years",
            field="until",
        )
    if events and events[0].on < terms.start:
        raise AgreementError(
            "bad_events", "事件早于协议开始日", "An event falls before the agreement's start", field="events"
        )
    machine = _Machine(terms)
    machine.log(
        terms.start, "signed", "协议生效", "The agreement takes effect",
        payable_fen=terms.payable_fen, waiver_fen=terms.waiver_fen, instalments=len(terms.instalments),
    )  # fmt: skip
    by_day: dict[date, list[Event]] = {}
    for event in events:
        by_day.setdefault(event.on, []).append(event)
    on = terms.start
    while on <= end:
        machine.day(on, by_day.get(on, ()))
        on += timedelta(days=1)
    return Result(
        state=machine.state,
        timeline=machine.timeline,
        components=machine.owed,
        paid_fen=machine.paid,
        unapplied_fen=machine.unapplied,
        schedule=[
            {
                "number": i.number,
                "kind": i.label,
                "due": i.due.isoformat(),
                "amount_fen": i.amount_fen,
                "paid_fen": i.paid_fen,
                "missed": i.missed,
            }
            for i in sorted(machine.items, key=lambda i: (i.due, i.number))
        ],
        disbursed=machine.released,
        legal_step=machine.legal,
        waiver=machine.waiver,
    )


__all__ = ["AgreementError", "Event", "Instalment", "Result", "parse_events", "simulate"]
