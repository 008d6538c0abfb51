"""One case's collection history, simulated day by day: calls, promises, payments, reversals, stage moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from qingzhai.accounts.models import User
from qingzhai.core.money import format_fen
from qingzhai.portfolio import allocation, stages
from qingzhai.portfolio.demo.reference import (
    CALL_NOTES,
    CALL_SECONDS,
    ENFORCEMENT_NOTES,
    LEGAL_NOTES,
    pick_method,
    pick_outcome,
)
from qingzhai.portfolio.models import (
    Activity,
    BucketHistory,
    Case,
    CaseStageChange,
    ContactPoint,
    Debt,
    Payment,
    PromiseToPay,
)
from qingzhai.portfolio.stages import Stage

if TYPE_CHECKING:
    from qingzhai.portfolio.demo.generate import Generator


@dataclass
class DebtState:
    debt: Debt
    order: tuple[str, ...]

    @property
    def balance(self) -> int:
        return self.debt.balance_fen


_CASE_ACTOR = object()  # "whoever works the case" in CaseWork.activity


class CaseWork:
    """One case's collection history, simulated day by day: calls, promises, payments, stage moves."""

    def __init__(
        self, gen: Generator, case: Case, states: list[DebtState], actor: User | None, profile: str
    ) -> None:
        self.gen, self.rng, self.case, self.states = gen, gen.rng, case, states
        self.actor, self.profile = actor, profile
        self.closed = False
        self.disputed = False
        self.lost_contact = False
        self.last_broken = False
        self.open_promise: PromiseToPay | None = None
        self.busy_until: date | None = None
        self.last_change: datetime | None = None

    @property
    def balance(self) -> int:
        return sum(s.balance for s in self.states)

    def close_if_paid(self, day: date, reason: str) -> bool:
        """Close the case when nothing is owed any more; True when it did."""
        if self.balance != 0:
            return False
        self.move(day, Stage.CLOSED, reason, self.actor)
        self.closed = True
        return True

    def activity(
        self,
        day: date,
        kind: str,
        outcome: str,
        *,
        note: str = "",
        party: str = Activity.Party.DEBTOR,
        contact_point: ContactPoint | None = None,
        actor: Any = _CASE_ACTOR,
        duration: int = 0,
        hour: int | None = None,
    ) -> datetime:
        moment = self.gen.at(day, hour)
        self.gen.activities.append(
            Activity(
                case=self.case,
                kind=kind,
                party=party,
                contact_point=contact_point,
                outcome=outcome,
                occurred_at=moment,
                duration_seconds=duration,
                note=note,
                actor=self.actor if actor is _CASE_ACTOR else actor,
                created_at=moment + timedelta(minutes=1),
            )
        )
        return moment

    def move(self, day: date, to: Stage, reason: str, actor: Any) -> None:
        target = stages.check_transition(self.case.stage, to.value)
        moment = self.gen.at(day, 20, self.rng.randint(0, 59))
        if self.last_change is not None and moment <= self.last_change:
            moment = self.last_change + timedelta(minutes=1)
        self.gen.stage_changes.append(
            CaseStageChange(
                case=self.case,
                from_stage=self.case.stage,
                to_stage=target.value,
                business_date=day,
                reason=reason,
                actor=actor,
                created_at=moment,
            )
        )
        self.case.stage, self.case.stage_changed_at = target.value, moment
        self.last_change = moment

    def call(self, day: date, phones: list[ContactPoint], emergency: list[ContactPoint]) -> None:
        rng = self.rng
        usable = [p for p in phones if p.status == ContactPoint.Status.VALID]
        # A listed contact is asked only when the debtor cannot be reached, and never again after refusing
        # (GB/T 45251—2025): the demo's history is one the contact gate would have allowed.
        willing = [p for p in emergency if p.status == ContactPoint.Status.VALID]
        if not usable and not willing:
            self.lost_contact = True
            self.activity(
                day, Activity.Kind.NOTE, Activity.Outcome.OTHER, note="债务人失联，需信息修复", party="none"
            )
            return
        if not usable:
            point = rng.choice(willing)
            outcome = rng.choice(("connected", "no_answer", "no_answer", "refused"))
            if outcome == "refused":
                point.status = ContactPoint.Status.REFUSED
            note = (
                f"联系紧急联系人（{point.relation}），请其转告债务人回电，未透露欠款信息"
                if outcome == "connected"
                else CALL_NOTES[outcome][0]
            )
            duration = rng.randint(40, 180) if outcome == "connected" else 0
            self.activity(
                day,
                Activity.Kind.CALL,
                outcome,
                note=note,
                party="emergency",
                contact_point=point,
                duration=duration,
            )
            return
        point = usable[0] if rng.random() < 0.8 else rng.choice(usable)
        outcome = pick_outcome[self.profile](rng)
        if outcome == "paid" and self.balance == 0:
            outcome = "connected"
        duration = rng.randint(*CALL_SECONDS[outcome])
        if outcome == "promise":
            self.promise(day, point, duration)
            return
        if outcome == "paid":
            self.spontaneous_payment(day, point, duration)
            return
        note = rng.choice(CALL_NOTES[outcome])
        self.activity(day, Activity.Kind.CALL, outcome, note=note, contact_point=point, duration=duration)
        if outcome == "wrong_number":
            point.status = ContactPoint.Status.WRONG_NUMBER
        if outcome == "dispute":
            self.disputed = True
        if outcome in ("connected", "dispute"):
            self.first_contact(day)

    def first_contact(self, day: date) -> None:
        if self.case.stage == Stage.NEW:
            self.move(day, Stage.CONTACT, "首次联系 first contact", self.actor)

    def pay(self, day: date, amount: int, *, method: str | None = None, note: str = "") -> list[Payment]:
        """Apply `amount` fen across the open debts, highest days past due first."""
        rng, gen = self.rng, self.gen
        method = method or pick_method(rng)
        remaining, made = amount, []
        for state in sorted(self.states, key=lambda s: (-s.debt.dpd, s.debt.contract_no)):
            debt = state.debt
            if remaining <= 0:
                break
            if debt.balance_fen == 0:
                continue
            part = min(remaining, debt.balance_fen)
            balances = {
                "fee": debt.fee_fen,
                "interest": debt.interest_fen,
                "penalty": debt.penalty_fen,
                "principal": debt.principal_fen,
            }
            alloc = allocation.allocate(part, balances, state.order)
            debt.fee_fen -= alloc.parts["fee"]
            debt.interest_fen -= alloc.parts["interest"]
            debt.penalty_fen -= alloc.parts["penalty"]
            debt.principal_fen -= alloc.parts["principal"]
            remaining -= part
            payment = Payment(
                debt=debt,
                case=self.case,
                amount_fen=part,
                paid_on=day,
                method=method,
                reference=f"{method[:2].upper()}{day:%Y%m%d}{rng.randrange(10**8):08d}",
                fee_fen=alloc.parts["fee"],
                interest_fen=alloc.parts["interest"],
                penalty_fen=alloc.parts["penalty"],
                principal_fen=alloc.parts["principal"],
                unapplied_fen=alloc.unapplied,
                note=note,
                recorded_by=self.actor,
                recorded_at=gen.at(day, rng.randint(10, 18)),
            )
            gen.payments.append(payment)
            made.append(payment)
            if debt.balance_fen == 0:
                debt.status = Debt.Status.PAID
                debt.dpd, debt.bucket = 0, "M0"
                rows = gen.history[id(debt)]
                rows[:] = [r for r in rows if r.as_of < day]
                rows.append(BucketHistory(debt=debt, as_of=day, dpd=0, bucket="M0"))
        return made

    def reverse(self, day: date, original: Payment) -> None:
        debt = original.debt
        debt.fee_fen += original.fee_fen
        debt.interest_fen += original.interest_fen
        debt.penalty_fen += original.penalty_fen
        debt.principal_fen += original.principal_fen
        self.gen.reversals.append(
            Payment(
                debt=debt,
                case=self.case,
                amount_fen=-original.amount_fen,
                paid_on=original.paid_on,
                method=original.method,
                reference=original.reference,
                reversal_of=original,
                fee_fen=-original.fee_fen,
                interest_fen=-original.interest_fen,
                penalty_fen=-original.penalty_fen,
                principal_fen=-original.principal_fen,
                unapplied_fen=-original.unapplied_fen,
                note="银行退票，冲正 transfer returned",
                recorded_by=self.gen.staff.supervisor,
                recorded_at=self.gen.at(day, 17),
            )
        )

    def promise(self, day: date, point: ContactPoint, duration: int) -> None:
        rng, gen, today = self.rng, self.gen, self.gen.today
        balance = self.balance
        if balance == 0:
            return
        if balance <= 300_000 or rng.random() < 0.1:
            amount = balance
        else:
            amount = min(balance, max(20_000, int(balance * rng.uniform(0.05, 0.4)) // 10_000 * 10_000))
        due = day + timedelta(days=rng.randint(2, 14))
        if due == today - timedelta(days=1):
            due = today
        moment = self.activity(
            day,
            Activity.Kind.CALL,
            Activity.Outcome.PROMISE,
            note=f"债务人承诺于{due:%Y-%m-%d}前还款{format_fen(amount)}",
            contact_point=point,
            duration=duration,
        )
        self.first_contact(day)
        if self.case.stage == Stage.CONTACT:
            self.move(day, Stage.NEGOTIATED, "债务人承诺还款 promise to pay", self.actor)
        promise = PromiseToPay(
            case=self.case,
            amount_fen=amount,
            due_date=due,
            note="电话承诺",
            created_by=self.actor,
            created_at=moment + timedelta(minutes=2),
        )
        gen.promises.append(promise)
        self.busy_until = due
        self.last_broken = False
        if due >= today:
            self.open_promise = promise
            return
        keeps = {"cooperative": 0.6, "hard": 0.3}.get(self.profile, 0.2)
        if rng.random() < keeps:
            paid_on = due - timedelta(days=rng.randint(0, min(3, (due - day).days)))
            self.pay(paid_on, amount, note="按承诺还款")
            promise.status, promise.paid_fen = PromiseToPay.Status.KEPT, amount
            promise.resolved_at = gen.at(paid_on, 18)
            self.activity(
                paid_on,
                Activity.Kind.NOTE,
                Activity.Outcome.PAID,
                note="承诺还款已到账",
                party="none",
                hour=19,
            )
            self.close_if_paid(paid_on, "全部结清 paid in full")
            return
        partial = 0
        if rng.random() < 0.25 and amount >= 40_000:
            partial = int(amount * rng.uniform(0.2, 0.6)) // 100 * 100
            self.pay(due - timedelta(days=rng.randint(0, min(2, (due - day).days))), partial, note="部分还款")
        promise.status, promise.paid_fen = PromiseToPay.Status.BROKEN, partial
        promise.resolved_at = gen.at(due + timedelta(days=1), 1, 0)
        self.last_broken = True

    def spontaneous_payment(self, day: date, point: ContactPoint, duration: int) -> None:
        rng = self.rng
        balance = self.balance
        settle = balance <= 2_000_000 and rng.random() < 0.2
        amount = balance if settle else min(balance, rng.randint(5, 50) * 10_000)
        self.activity(
            day,
            Activity.Kind.CALL,
            Activity.Outcome.PAID,
            note=f"债务人告知已还款{format_fen(amount)}，已核实到账",
            contact_point=point,
            duration=duration,
        )
        self.first_contact(day)
        made = self.pay(day, amount)
        if self.close_if_paid(day, "全部结清 paid in full"):
            return
        if (
            made
            and made[0].debt.status == Debt.Status.OPEN
            and rng.random() < 0.05
            and day + timedelta(days=2) < self.gen.today
        ):
            self.reverse(day + timedelta(days=2), made[0])
            self.busy_until = day + timedelta(days=2)

    def legal_step(self, day: date) -> None:
        rng = self.rng
        if self.case.stage == Stage.LEGAL and rng.random() < 0.12:
            self.move(day, Stage.ENFORCEMENT, "申请强制执行 enforcement", self.actor)
            self.activity(
                day, Activity.Kind.NOTE, Activity.Outcome.OTHER, note=ENFORCEMENT_NOTES[0], party="none"
            )
            return
        if self.case.stage == Stage.ENFORCEMENT and rng.random() < 0.15 and self.balance > 0:
            amount = min(self.balance, rng.randint(10, 200) * 10_000)
            self.pay(day, amount, method=Payment.Method.COURT, note="法院执行款")
            self.activity(day, Activity.Kind.NOTE, Activity.Outcome.PAID, note="收到法院执行款", party="none")
            self.close_if_paid(day, "执行完毕，全部结清 paid in full")
            return
        notes = LEGAL_NOTES if self.case.stage == Stage.LEGAL else ENFORCEMENT_NOTES
        if rng.random() < 0.4:
            self.activity(
                day, Activity.Kind.NOTE, Activity.Outcome.OTHER, note=rng.choice(notes), party="none"
            )
