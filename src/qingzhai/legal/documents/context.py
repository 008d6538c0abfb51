"""A case turned into the context a document template reads: the parties, the debts and what is
outstanding on each, the total claim in figures and in capital numerals, the court, the proceeding's
numbers (for an enforcement application: the instrument enforced), the court fee the filing incurs and
the date in Chinese.

The court is the one given explicitly, else the given proceeding's, else the one of the case's latest
proceeding that names a court. A document filed with a court is refused without one (`court_required`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from qingzhai.core.clock import business_today
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.legal.documents import numerals
from qingzhai.legal.documents.catalog import INSTRUMENTS, DocumentKind
from qingzhai.legal.documents.parties import Party, Reveals, creditor_party, date_zh, debtor_party
from qingzhai.legal.fees import fees_fen
from qingzhai.legal.models import Proceeding
from qingzhai.portfolio.models import Case, Debt, PromiseToPay

REPLY_DAYS = 7  # the period a demand gives the debtor to pay (the demand machine's default reply_days)
CN_DIGITS = "〇一二三四五六七八九"
FEE_LABELS = {
    "payment_order": "申请费",
    "acceptance": "案件受理费",
    "preservation": "保全申请费",
    "enforcement": "执行申请费",
}


def date_cn(day: date) -> str:
    """2026-03-05 → 二〇二六年三月五日 (the form signatures and rulings use)."""

    def small(n: int) -> str:
        tens, units = divmod(n, 10)
        head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
        return head + (CN_DIGITS[units] if units else "")

    year = "".join(CN_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{small(day.month)}月{small(day.day)}日"


def money(fen: int) -> dict[str, Any]:
    """An amount as templates show it: fen, figures, capitals and both in one phrase."""
    return {
        "fen": fen,
        "figures": numerals.figures(fen),
        "capital": numerals.capital(fen),
        "text": numerals.amount_text(fen),
    }


@dataclass
class DocumentContext:
    kind: DocumentKind
    case: Case
    proceeding: Proceeding | None
    court: str
    claim_fen: int
    applicant: Party
    respondent: Party
    values: dict[str, Any] = field(default_factory=dict)
    reveals: Reveals = field(default_factory=Reveals)


def _no_claim(case: Case) -> DomainError:
    return DomainError(
        "no_claim",
        "案件 {id} 没有未结清的债务，无法生成文书",
        "Case {id} has no outstanding debt to claim",
        fields={"case": [str(case.pk)]},
        id=case.pk,
    )


def court_required(kind: DocumentKind) -> DomainError:
    return DomainError(
        "court_required",
        "{title}须写明受理法院：请指定法院，或先登记载明法院的法律程序",
        "A {name} must name the court: give one, or record a proceeding with its court first",
        fields={"court": ["required"]},
        title=kind.zh,
        name=kind.en.lower(),
    )


def _proceeding(case: Case, kind: DocumentKind, proceeding_id: int | None) -> Proceeding | None:
    if proceeding_id is not None:
        found = Proceeding.objects.filter(pk=proceeding_id, case=case).select_related("parent").first()
        if found is None:
            raise NotFound()
        return found
    return (
        Proceeding.objects.filter(case=case, kind=kind.proceeding_kind)
        .select_related("parent")
        .order_by("-opened_on", "-id")
        .first()
    )


def _court(case: Case, given: str | None, proceeding: Proceeding | None) -> str:
    if given and given.strip():
        return given.strip()
    if proceeding is not None and proceeding.court:
        return proceeding.court
    latest = (
        Proceeding.objects.filter(case=case)
        .exclude(court="")
        .order_by("-opened_on", "-id")
        .values_list("court", flat=True)
        .first()
    )
    return latest or ""


def _instrument(case: Case, proceeding: Proceeding | None) -> dict[str, str]:
    """The instrument an enforcement application enforces: the proceeding's parent, else the case's
    latest judgment, payment order or mediation with a court case number."""
    source = proceeding.parent if proceeding is not None and proceeding.kind == "enforcement" else None
    if source is None or source.kind not in INSTRUMENTS:
        source = (
            Proceeding.objects.filter(case=case, kind__in=list(INSTRUMENTS))
            .exclude(court_case_no="")
            .order_by("-opened_on", "-id")
            .first()
        )
    if source is None:
        return {"zh": "", "court": "", "case_no": "", "text": ""}
    name = INSTRUMENTS[source.kind][0]
    text = f"{source.court}{source.court_case_no}{name}"
    return {"zh": name, "court": source.court, "case_no": source.court_case_no, "text": text}


def _debts(case: Case) -> list[Debt]:
    return [
        d for d in Debt.objects.filter(case=case, status=Debt.Status.OPEN).order_by("id") if d.balance_fen > 0
    ]


def build(
    case: Case,
    kind: DocumentKind,
    *,
    court: str | None = None,
    proceeding_id: int | None = None,
    today: date | None = None,
) -> DocumentContext:
    """The template context for a document of `kind` about `case`; raises court_required, no_claim."""
    today = today or business_today()
    proceeding = _proceeding(case, kind, proceeding_id)
    court_name = _court(case, court, proceeding)
    if kind.needs_court and not court_name:
        raise court_required(kind)
    debts = _debts(case)
    if not debts:
        raise _no_claim(case)
    creditor = case.portfolio.creditor
    reveals = Reveals()
    applicant = creditor_party(creditor, kind.applicant_zh)
    respondent = debtor_party(case.debtor, kind.respondent_zh, reveals)
    parts = {
        name: sum(getattr(d, f"{name}_fen") for d in debts)
        for name in ("principal", "interest", "penalty", "fee")
    }
    claim_fen = sum(parts.values())
    fee = None
    if kind.fee_key:
        fee = {"zh": FEE_LABELS[kind.fee_key], **money(fees_fen(claim_fen)[kind.fee_key])}
    promises = [
        {"due_on": date_zh(p.due_date), "amount": money(p.amount_fen - p.paid_fen)}
        for p in PromiseToPay.objects.filter(case=case, status="open").order_by("due_date", "id")
        if p.amount_fen > p.paid_fen
    ]
    values: dict[str, Any] = {
        "kind": kind.code,
        "title": kind.zh,
        "applicant": applicant,
        "respondent": respondent,
        "creditor": creditor,
        "court": court_name,
        "case_id": case.pk,
        "debts": [
            {
                "contract_no": d.contract_no,
                "product": d.product,
                "contract_date": date_zh(d.contract_date) if d.contract_date else "",
                "overdue_since": date_zh(d.overdue_since) if d.overdue_since else "",
                "original_principal": numerals.figures(d.original_principal_fen),
                "principal": numerals.figures(d.principal_fen),
                "interest": numerals.figures(d.interest_fen),
                "penalty": numerals.figures(d.penalty_fen),
                "fee": numerals.figures(d.fee_fen),
                "total": numerals.figures(d.balance_fen),
            }
            for d in debts
        ],
        "totals": {name: money(value) for name, value in parts.items()},
        "claim": money(claim_fen),
        "fee": fee,
        "proceeding": (
            {
                "id": proceeding.pk,
                "kind": proceeding.kind,
                "court": proceeding.court,
                "court_case_no": proceeding.court_case_no,
                "procedure": proceeding.procedure,
            }
            if proceeding is not None
            else None
        ),
        "instrument": _instrument(case, proceeding),
        "promises": promises,
        "today": date_zh(today),
        "today_cn": date_cn(today),
        "pay_by": date_zh(today + timedelta(days=REPLY_DAYS)),
        "reply_days": REPLY_DAYS,
    }
    return DocumentContext(
        kind=kind,
        case=case,
        proceeding=proceeding,
        court=court_name,
        claim_fen=claim_fen,
        applicant=applicant,
        respondent=respondent,
        values=values,
        reveals=reveals,
    )
