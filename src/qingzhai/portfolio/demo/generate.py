"""The seeded generator: builds the demo's rows in memory, then writes them with bulk inserts."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models

from qingzhai.accounts.models import Team, User
from qingzhai.core import pii
from qingzhai.core.clock import business_tz
from qingzhai.portfolio import allocation
from qingzhai.portfolio.buckets import bucket_for
from qingzhai.portfolio.demo.casework import CaseWork, DebtState
from qingzhai.portfolio.demo.debtors import enterprise, person
from qingzhai.portfolio.demo.debts import add_guarantors, build_debt
from qingzhai.portfolio.demo.identity import Identities
from qingzhai.portfolio.demo.reference import (
    BUCKET_DPD,
    BUCKET_WEIGHTS,
    DEMO_CREDITORS,
    DEMO_TAGS,
    ENTERPRISE_PERCENT,
    NOTES,
    TAG_DISPUTE,
    TAG_HARDSHIP,
    TAG_HIGH,
    TAG_LOST,
    CreditorSpec,
    DemoSize,
    Weighted,
    pick_bucket,
    pick_profile,
)
from qingzhai.portfolio.models import (
    Activity,
    BankAccount,
    BucketHistory,
    Case,
    CaseStageChange,
    ContactPoint,
    Creditor,
    Debt,
    Debtor,
    Guarantor,
    Instalment,
    Payment,
    Portfolio,
    PromiseToPay,
    Tag,
)
from qingzhai.portfolio.stages import Stage

BATCH = 2000


@dataclass
class Staff:
    """The demo users that cases are assigned to and stage changes are made by."""

    collectors: list[User]
    legal: User
    supervisor: User
    team: Team


class Generator:
    """Builds unsaved model instances; `insert()` writes them with bulk_create."""

    def __init__(self, *, seed: int, size: DemoSize, today: date, staff: Staff) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.today = today
        self.staff = staff
        self.tz = business_tz()
        self.pii_seconds = 0.0
        self.ident = Identities(self.rng, today)
        self.contract_seq: dict[str, int] = {}
        self.creditors: list[Creditor] = []
        self.portfolios: list[Portfolio] = []
        self.debtors: list[Debtor] = []
        self.contact_points: list[ContactPoint] = []
        self.bank_accounts: list[BankAccount] = []
        self.cases: list[Case] = []
        self.debts: list[Debt] = []
        self.instalments: list[Instalment] = []
        self.history: dict[int, list[BucketHistory]] = {}  # id(debt) -> its bucket history
        self.guarantors: list[Guarantor] = []
        self.payments: list[Payment] = []
        self.reversals: list[Payment] = []
        self.promises: list[PromiseToPay] = []
        self.activities: list[Activity] = []
        self.stage_changes: list[CaseStageChange] = []
        self.case_tags: list[tuple[Case, str]] = []

    # -- small helpers --

    def set_pii(self, obj: Any, attr: str, value: str) -> None:
        """Store a personal-data value (encrypted and masked), timing it for the load's report."""
        started = time.perf_counter()
        pii.set_value(obj, attr, value)
        self.pii_seconds += time.perf_counter() - started

    def at(self, day: date, hour: int | None = None, minute: int | None = None) -> datetime:
        """A business-time moment on `day`; the hour and minute are drawn when not given."""
        rng = self.rng
        return datetime(
            day.year,
            day.month,
            day.day,
            rng.randint(9, 19) if hour is None else hour,
            rng.randint(0, 59) if minute is None else minute,
            tzinfo=self.tz,
        )

    # -- reference data --

    def build_creditors(self) -> None:
        rng, today = self.rng, self.today
        for spec in DEMO_CREDITORS:
            creditor = Creditor(name=spec.name, code=spec.code, kind=spec.kind)
            self.creditors.append(creditor)
            ages = (rng.randint(250, 300), rng.randint(100, 130), rng.randint(40, 55), rng.randint(8, 12))
            for batch, age in enumerate(ages, start=1):
                placed = today - timedelta(days=age)
                self.portfolios.append(
                    Portfolio(
                        creditor=creditor,
                        code=f"{spec.prefix}{placed:%Y%m}-{batch:02d}",
                        name=f"{spec.short}{placed:%Y年%m月}委案批次",
                        placement_date=placed,
                        recall_date=placed + timedelta(days=365 if batch == 1 else 180),
                    )
                )

    # -- the whole portfolio --

    def build(self) -> None:
        rng = self.rng
        self.build_creditors()
        size = self.size
        enterprises = size.debtors * ENTERPRISE_PERCENT // 100
        per_creditor: list[int] = []
        ent_per_creditor: list[int] = []
        for i, spec in enumerate(DEMO_CREDITORS):
            last = i == len(DEMO_CREDITORS) - 1
            per_creditor.append(
                size.debtors - sum(per_creditor) if last else size.debtors * spec.debtor_percent // 100
            )
            ent_per_creditor.append(
                enterprises - sum(ent_per_creditor) if last else enterprises * spec.enterprise_percent // 100
            )
        debt_counts = [1] * size.debtors
        extra = size.debts - size.debtors
        while extra > 0:
            i = rng.randrange(size.debtors)
            if debt_counts[i] < 4:
                debt_counts[i] += 1
                extra -= 1
        index = 0
        for c_index, spec in enumerate(DEMO_CREDITORS):
            creditor = self.creditors[c_index]
            portfolios = [p for p in self.portfolios if p.creditor is creditor]
            kinds = [Debtor.Kind.ENTERPRISE] * ent_per_creditor[c_index]
            kinds += [Debtor.Kind.PERSON] * (per_creditor[c_index] - len(kinds))
            rng.shuffle(kinds)
            person_product = Weighted(spec.person_products)
            for kind in kinds:
                if kind == Debtor.Kind.ENTERPRISE:
                    debtor, points, extra_info = enterprise(self, creditor)
                else:
                    debtor, points, extra_info = person(self, creditor)
                self.debtors.append(debtor)
                self.contact_points.extend(points)
                if index < len(BUCKET_WEIGHTS):  # the first cases cover every bucket, whatever the seed
                    low, high = BUCKET_DPD[BUCKET_WEIGHTS[index][0]]
                    anchor = (low + min(high, 360)) // 2
                else:
                    low, high = BUCKET_DPD[pick_bucket(rng)]
                    anchor = (
                        rng.randint(low, high)
                        if high < 400
                        else min(low + int(rng.expovariate(1 / 220)), high)
                    )
                eligible = [p for p in portfolios if (self.today - p.placement_date).days < anchor - 2]
                portfolio = rng.choices(eligible, weights=[3.0, 2.0, 1.5, 1.0][-len(eligible) :])[0]
                case = Case(portfolio=portfolio, debtor=debtor)
                debts = []
                for n in range(debt_counts[index]):
                    if kind == Debtor.Kind.ENTERPRISE and spec.enterprise_product is not None:
                        product = spec.enterprise_product
                    else:
                        product = person_product(rng)
                    age = (self.today - portfolio.placement_date).days
                    dpd = anchor if n == 0 else max(age + 3, anchor - rng.randint(0, 40))
                    debt = build_debt(self, spec, product, case, dpd)
                    add_guarantors(self, debt, kind, extra_info)
                    debts.append(debt)
                self.debts.extend(debts)
                self.cases.append(case)
                self.work_case(case, debts, points, spec, newest=portfolio is portfolios[-1])
                index += 1

    # -- a case's history since placement --

    def work_case(
        self, case: Case, debts: list[Debt], points: list[ContactPoint], spec: CreditorSpec, newest: bool
    ) -> None:
        rng, today, staff = self.rng, self.today, self.staff
        placed = case.portfolio.placement_date
        states = [DebtState(d, allocation.parse_order(d.allocation_order)) for d in debts]
        profile = pick_profile(rng)
        collector = None if newest and rng.random() < 0.25 else rng.choice(staff.collectors)
        case.assigned_to = collector
        case.team = staff.team if collector else None
        case.stage = Stage.NEW.value
        ctx = CaseWork(self, case, states, collector, profile)
        debtor_phones = [p for p in points if p.party == ContactPoint.Party.DEBTOR]
        emergency = [p for p in points if p.party == ContactPoint.Party.EMERGENCY and p.consent]
        days_active = (today - placed).days - 1
        sms_day = placed + timedelta(days=1)
        if sms_day < today:
            ctx.activity(
                sms_day,
                Activity.Kind.SMS,
                Activity.Outcome.DELIVERED,
                note=f"【{spec.short}】委案通知短信已送达",
                contact_point=debtor_phones[0],
                actor=None,
                hour=10,
            )
        if collector is None or days_active < 2:
            self.finish_case(ctx, profile)
            return
        gap = rng.randint(4, 12)
        attempts = min(40, days_active // gap)
        days = sorted(rng.sample(range(2, days_active + 1), attempts)) if attempts else []
        legal_at = None
        big = ctx.balance >= 3_000_000
        if profile in ("hard", "lost") and big and max(d.dpd for d in debts) >= 240 and rng.random() < 0.35:
            legal_at = days[len(days) // 2] if days else None
        for offset in days:
            day = placed + timedelta(days=offset)
            if ctx.closed or day >= today:
                break
            if ctx.busy_until and day <= ctx.busy_until:
                continue
            if (
                legal_at is not None
                and offset >= legal_at
                and case.stage not in (Stage.LEGAL, Stage.ENFORCEMENT)
            ):
                ctx.move(day, Stage.LEGAL, "提起诉讼 legal action", staff.legal)
                case.assigned_to, case.team = staff.legal, None
                ctx.actor = staff.legal
            if case.stage in (Stage.LEGAL, Stage.ENFORCEMENT):
                ctx.legal_step(day)
                continue
            roll = rng.random()
            if roll < 0.62:
                ctx.call(day, debtor_phones, emergency)
            elif roll < 0.88:
                ctx.activity(
                    day,
                    Activity.Kind.SMS,
                    Activity.Outcome.DELIVERED,
                    note=f"【{spec.short}】您的{debts[0].product}账户已逾期，请尽快处理。",
                    contact_point=debtor_phones[0],
                )
            else:
                ctx.activity(
                    day, Activity.Kind.NOTE, Activity.Outcome.OTHER, note=rng.choice(NOTES), party="none"
                )
        self.finish_case(ctx, profile)

    def finish_case(self, ctx: CaseWork, profile: str) -> None:
        rng, today, case = self.rng, self.today, ctx.case
        if ctx.closed:
            case.next_action_date = None
        elif ctx.open_promise is not None:
            case.next_action_date = ctx.open_promise.due_date
        elif ctx.last_broken:
            case.next_action_date = today
        elif case.stage in (Stage.LEGAL, Stage.ENFORCEMENT):
            case.next_action_date = today + timedelta(days=rng.randint(7, 30))
        elif case.assigned_to is None:
            case.next_action_date = today
        else:
            case.next_action_date = today + timedelta(days=rng.randint(-2, 14))
        debts = [s.debt for s in ctx.states]
        case.total_balance_fen = sum(d.balance_fen for d in debts)
        case.max_dpd = max(d.dpd for d in debts)
        case.bucket = bucket_for(case.max_dpd)
        if case.total_balance_fen >= 20_000_000:
            self.case_tags.append((case, TAG_HIGH))
        if ctx.lost_contact or (profile == "lost" and rng.random() < 0.5):
            self.case_tags.append((case, TAG_LOST))
        if ctx.disputed:
            self.case_tags.append((case, TAG_DISPUTE))
        if profile == "cooperative" and rng.random() < 0.06:
            self.case_tags.append((case, TAG_HARDSHIP))

    # -- writing --

    def insert(self) -> dict[str, int]:
        def create(model: type[models.Model], objs: Sequence[models.Model]) -> None:
            model.objects.bulk_create(objs, batch_size=BATCH)  # type: ignore[attr-defined]

        create(Creditor, self.creditors)
        create(Portfolio, self.portfolios)
        create(Debtor, self.debtors)
        create(ContactPoint, self.contact_points)
        create(BankAccount, self.bank_accounts)
        create(Case, self.cases)
        create(Debt, self.debts)
        create(Instalment, self.instalments)
        history = [row for debt in self.debts for row in self.history[id(debt)]]
        create(BucketHistory, history)
        create(Guarantor, self.guarantors)
        create(Payment, self.payments)
        create(Payment, self.reversals)
        create(PromiseToPay, self.promises)
        create(Activity, self.activities)
        create(CaseStageChange, self.stage_changes)
        tags = {}
        for name in DEMO_TAGS:
            tags[name], _ = Tag.objects.get_or_create(name=name)
        through = Case.tags.through
        create(through, [through(case_id=c.pk, tag_id=tags[name].pk) for c, name in self.case_tags])
        return {
            "creditors": len(self.creditors),
            "portfolios": len(self.portfolios),
            "debtors": len(self.debtors),
            "enterprises": sum(1 for d in self.debtors if d.kind == Debtor.Kind.ENTERPRISE),
            "contact_points": len(self.contact_points),
            "bank_accounts": len(self.bank_accounts),
            "cases": len(self.cases),
            "debts": len(self.debts),
            "instalments": len(self.instalments),
            "bucket_history": len(history),
            "guarantors": len(self.guarantors),
            "payments": len(self.payments) + len(self.reversals),
            "reversals": len(self.reversals),
            "promises": len(self.promises),
            "activities": len(self.activities),
            "stage_changes": len(self.stage_changes),
            "case_tags": len(self.case_tags),
        }
