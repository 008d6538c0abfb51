"""Demo debts: principal, rate, instalment schedule, overdue figures, bucket history and guarantors."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from math import log
from typing import TYPE_CHECKING, Any

from qingzhai.portfolio.buckets import bucket_for
from qingzhai.portfolio.demo.reference import BUSINESS_LOAN, CAR_LOAN, CreditorSpec, ProductSpec, pick_region
from qingzhai.portfolio.demo.schedule import add_months, annuity_schedule
from qingzhai.portfolio.models import BucketHistory, Case, Debt, Debtor, Guarantor, Instalment

if TYPE_CHECKING:
    from qingzhai.portfolio.demo.generate import Generator


def _contract_no(gen: Generator, spec: CreditorSpec, product: ProductSpec, signed: date) -> str:
    key = spec.prefix + product.code
    gen.contract_seq[key] = gen.contract_seq.get(key, 0) + 1
    return f"{key}{signed:%Y%m}{gen.contract_seq[key]:06d}"


def _principal(gen: Generator, product: ProductSpec) -> int:
    yuan = gen.rng.lognormvariate(log(product.median_yuan), product.sigma)
    yuan = min(max(int(yuan), product.min_yuan), product.max_yuan)
    if product.terms:
        return (yuan // 100) * 100 * 100  # loans are granted in hundreds of yuan
    return yuan * 100 + gen.rng.randrange(100)


def build_debt(gen: Generator, spec: CreditorSpec, product: ProductSpec, case: Case, dpd: int) -> Debt:
    """A debt `dpd` days past due today; its instalments and bucket history go to the generator."""
    rng, today = gen.rng, gen.today
    principal0 = _principal(gen, product)
    rate_bp = rng.randint(*product.rate_bp)
    target = today - timedelta(days=dpd)
    debt = Debt(
        creditor=case.portfolio.creditor,
        case=case,
        product=product.label,
        original_principal_fen=principal0,
        annual_rate=(Decimal(rate_bp) / 100).quantize(Decimal("0.0001")),
        allocation_order=spec.allocation_order,
    )
    instalments: list[Instalment] = []
    if product.terms:
        months = rng.choice(product.terms)
        paid = rng.randint(0, max(0, months * 2 // 3))
        signed = add_months(target, -(paid + 1))
        overdue_since = add_months(signed, paid + 1)
        schedule = annuity_schedule(principal0, rate_bp, months)
        outstanding = principal0 - sum(part for part, _ in schedule[:paid])
        overdue_principal = interest = overdue_count = 0
        for seq, (part, rate_part) in enumerate(schedule, start=1):
            due = add_months(signed, seq)
            amount = part + rate_part
            instalments.append(
                Instalment(
                    debt=debt,
                    seq=seq,
                    due_date=due,
                    amount_fen=amount,
                    paid_fen=amount if seq <= paid else 0,
                )
            )
            if seq > paid and due < today:
                overdue_principal += part
                interest += rate_part
                overdue_count += 1
        dpd = (today - overdue_since).days
        base = outstanding if dpd > 90 else overdue_principal
        debt.principal_fen = outstanding
        debt.interest_fen = interest
        debt.penalty_fen = base * rate_bp * 15 * dpd // (10 * 10_000 * 365)
        debt.fee_fen = product.late_fee_fen * min(overdue_count, 12)
        debt.due_date = add_months(signed, months)
    else:
        signed = target - timedelta(days=rng.randint(400, 3000))
        overdue_since = target
        debt.principal_fen = principal0
        debt.interest_fen = min(principal0 * 5 * dpd // 10_000, principal0 * 60 // 100)
        debt.penalty_fen = principal0 * 5 * min(dpd // 30 + 1, 24) // 1000
        debt.fee_fen = 20_000 * (dpd // 365) if rng.random() < 0.7 else 0
        debt.due_date = overdue_since
    debt.contract_no = _contract_no(gen, spec, product, signed)
    debt.contract_date = signed
    debt.overdue_since = overdue_since
    debt.dpd, debt.dpd_as_of, debt.bucket = dpd, today, bucket_for(dpd)
    gen.instalments.extend(instalments)
    gen.history[id(debt)] = [
        BucketHistory(
            debt=debt, as_of=overdue_since + timedelta(days=start), dpd=start, bucket=bucket_for(start)
        )
        for start in (1, 31, 61, 91, 121, 151, 181)
        if start <= dpd
    ]
    return debt


def _guarantor(gen: Generator, debt: Debt, name: str, id_number: str, phone: str, allowed: bool) -> None:
    guarantor = Guarantor(debt=debt, name=name, contact_allowed=allowed)
    gen.set_pii(guarantor, "id_number", id_number)
    gen.set_pii(guarantor, "phone", phone)
    gen.guarantors.append(guarantor)


def add_guarantors(gen: Generator, debt: Debt, kind: str, extra: dict[str, Any]) -> None:
    """An enterprise's representative guarantees its debts; a spouse guarantees some business and car loans."""
    rng = gen.rng
    if kind == Debtor.Kind.ENTERPRISE:
        name, id_number, phone = extra["representative"]
        _guarantor(gen, debt, name, id_number, phone, True)
        return
    spouse = extra.get("spouse")
    wants = {BUSINESS_LOAN: 0.5, CAR_LOAN: 0.15}.get(debt.product, 0.0)
    if spouse and rng.random() < wants:
        if "id_number" not in spouse:
            born = gen.ident.birthday(24, 60)
            spouse["id_number"] = gen.ident.prc_id(pick_region(rng), born, spouse["male"])
        _guarantor(gen, debt, spouse["name"], spouse["id_number"], spouse["phone"], spouse["consent"])
