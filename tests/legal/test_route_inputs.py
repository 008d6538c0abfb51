"""The route advisor's inputs read from the database for one case, and the advice for a visible case."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from qingzhai.compliance.models import Dispute
from qingzhai.core import pii
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.legal import limitation as lim
from qingzhai.legal.models import Proceeding
from qingzhai.legal.route import Signal
from qingzhai.legal.route_inputs import case_route, history, route_inputs_for
from qingzhai.legal.selectors import limitation_input
from qingzhai.portfolio.models import ContactPoint, Debt
from qingzhai.portfolio.services import case_refresh_totals
from qingzhai.profiling.models import Record, SourceFile
from qingzhai.scoring.models import CaseScore, ScoringModel
from tests.factories import CaseFactory, ContactPointFactory, DebtFactory

ON = date(2026, 6, 1)
NOW = timezone.now()


@pytest.fixture
def route_case(collector):
    """Two open debts (RMB 10,800 and RMB 5,000 owed) and one paid debt, a primary phone, an address."""
    case = CaseFactory(assigned_to=collector)
    DebtFactory(case=case, due_date=date(2024, 3, 10), overdue_since=date(2024, 3, 11))
    DebtFactory(
        case=case,
        principal_fen=400_000,
        interest_fen=100_000,
        penalty_fen=0,
        fee_fen=0,
        due_date=date(2023, 9, 1),
        overdue_since=date(2023, 9, 2),
    )
    DebtFactory(case=case, status=Debt.Status.PAID, due_date=date(2022, 1, 1))
    ContactPointFactory(debtor=case.debtor)
    return case_refresh_totals(case=case)


def _score(case, probability: float) -> CaseScore:
    model = ScoringModel.objects.create(
        name="repayment", version=1, kind="scorecard", label_code="paid_any_90", payload_sha256="0" * 64,
        created_at=NOW,
    )  # fmt: skip
    return CaseScore.objects.create(
        case=case, model=model, as_of=ON, probability=probability, points=600, created_at=NOW
    )


def _source(
    debtor, kind: str, basis: str = "legal_duty", purposes=("collection", "litigation", "asset_investigation")
):
    return SourceFile.objects.create(
        debtor=debtor, kind=kind, original_name=f"{kind}.csv", sha256=f"{kind}{debtor.pk}".ljust(64, "0"),
        basis=basis, purposes=list(purposes), status="done", retain_until=date(2030, 1, 1), created_at=NOW,
    )  # fmt: skip


def _record(sf, row: int, kind: str, data: dict, effective_on: date) -> Record:
    return Record.objects.create(
        debtor=sf.debtor, source_file=sf, row=row, kind=kind, data=data, effective_on=effective_on,
        dedupe_key=f"{kind}-{row}",
    )  # fmt: skip


def _court(sf, row, case_no, record_type, role, status, filed_on=date(2025, 5, 1)):
    data = {"record_type": record_type, "case_no": case_no, "role": role, "status": status,
            "filed_on": filed_on.isoformat(), "amount_fen": 5_000_000}  # fmt: skip
    return _record(sf, row, "court", data, filed_on)


def _proceeding(case, kind, outcome, days, claim=1_000_000, recovered=0, parent=None, closed=True):
    opened = date(2025, 1, 1)
    return Proceeding.objects.create(
        case=case, kind=kind, state="done" if closed else "applied", outcome=outcome, parent=parent,
        opened_on=opened, closed_on=date.fromordinal(opened.toordinal() + days) if closed else None,
        claim_fen=claim, recovered_fen=recovered,
    )  # fmt: skip


def test_inputs_from_the_case(route_case):
    _score(route_case, 0.4321)
    i = route_inputs_for(route_case, on=ON)
    assert (i.balance_fen, i.principal_fen) == (1_080_000 + 500_000, 1_000_000 + 400_000)
    assert (i.p_repay, i.debtor_kind, i.on) == (0.4321, "person", ON)
    assert (i.servable, i.whereabouts_known, i.disputed) == (True, True, False)
    assert (i.signals, dict(i.history), i.open_kinds) == ((), {}, ())
    # the earliest expiry among the open debts: the one due 2023-09-01 (the paid one does not count)
    older = route_case.debts.get(due_date=date(2023, 9, 1))
    terms, events = limitation_input(older)
    expected = lim.limitation(terms, events, as_of=ON).days_left
    assert i.limitation_days_left == expected
    assert 89 <= expected <= 93  # 2026-09-01 (moved past a holiday or weekend at most) minus 2026-06-01
    assert i.procedure is None  # the small-claims file has no Shanghai figure for 2026


def test_small_claims_procedure_from_the_threshold_file(route_case):
    # Shanghai 2024: 50 % of RMB 147,684 = RMB 73,842 (unconfirmed figure); the case owes RMB 15,800
    assert route_inputs_for(route_case, on=date(2024, 6, 1)).procedure == "small_claims"
    DebtFactory(case=route_case, principal_fen=8_000_000, due_date=date(2024, 3, 10))
    assert route_inputs_for(route_case, on=date(2024, 6, 1)).procedure == "simple"
    assert route_inputs_for(route_case, on=date(2024, 6, 1), province="北京").procedure is None


def test_dispute_address_and_phones(route_case):
    Dispute.objects.create(case=route_case, reason="金额不对", opened_at=NOW)
    Dispute.objects.create(case=route_case, reason="已还", opened_at=NOW, resolved_at=NOW)
    assert route_inputs_for(route_case, on=ON).disputed is True

    debtor = route_case.debtor
    pii.set_value(debtor, "home_address", "")
    debtor.save()
    route_case.refresh_from_db()
    i = route_inputs_for(route_case, on=ON)  # a valid phone without consent: reachable, not servable
    assert (i.servable, i.whereabouts_known) == (False, True)
    ContactPoint.objects.filter(debtor=debtor).update(consent=True)
    assert route_inputs_for(route_case, on=ON).servable is True
    ContactPoint.objects.filter(debtor=debtor).update(status=ContactPoint.Status.WRONG_NUMBER)
    i = route_inputs_for(route_case, on=ON)
    assert (i.servable, i.whereabouts_known) == (False, False)


def test_history_counts_closed_proceedings_with_an_outcome(route_case):
    parent = _proceeding(route_case, "payment_order", "effective", 30, claim=1_000_000, recovered=0)
    _proceeding(route_case, "enforcement", "recovered", 90, recovered=600_000, parent=parent)
    _proceeding(route_case, "payment_order", "recovered", 20, claim=1_000_000, recovered=1_000_000)
    _proceeding(route_case, "payment_order", "converted", 40, recovered=0)
    _proceeding(route_case, "payment_order", "", 40)  # closed without an outcome: left out
    _proceeding(route_case, "payment_order", "withdrawn", 5)  # withdrawn: left out
    _proceeding(route_case, "mediation", "breached", 10, recovered=0)
    _proceeding(route_case, "payment_order", "", 0, closed=False)  # open: left out, but listed as open
    _proceeding(route_case, "suit", "settled", 101, claim=2_000_000, recovered=500_000)
    h = history()
    po = h["payment_order"]
    # 3 closed: 2 successes; (30 + 20 + 40) / 3 days; (600,000 + 1,000,000) / 2,000,000 recovered
    assert (po.n, po.success_rate, po.mean_days, po.recovery_rate) == (3, 0.6667, 30, 0.8)
    assert h["suit"] == type(po)(n=1, success_rate=1.0, mean_days=101, recovery_rate=0.25)
    assert h["mediation"] == type(po)(n=1, success_rate=1.0, mean_days=10, recovery_rate=0.0)
    assert "enforcement" not in h and "demand" not in h
    assert route_inputs_for(route_case, on=ON).open_kinds == ("payment_order",)


def test_twenty_closed_payment_orders_switch_the_advice_to_our_history(route_case, collector):
    for n in range(20):
        _proceeding(route_case, "payment_order", "effective" if n < 15 else "converted", 21 + n % 2,
                    recovered=900_000 if n < 15 else 0)  # fmt: skip
    advice = case_route(case_id=route_case.pk, user=collector, on=ON)
    po = advice.option("payment_order")
    assert (po.basis, po.p_success, po.duration_days) == ("history", 0.75, 22)  # 430 / 20 = 21.5, half up
    assert any("20 closed proceedings" in line for line in advice.explanation_en)


def test_profile_signals(route_case):
    debtor = route_case.debtor
    court = _source(debtor, "court")
    _court(court, 2, "(2025)沪0115执123号", "enforcement", "respondent", "open")
    _court(court, 3, "(2025)沪0115执456号", "enforcement", "respondent", "open")
    _court(court, 4, "(2025)沪0115执456号", "enforcement", "respondent", "closed", date(2025, 8, 1))
    _court(court, 5, "(2025)沪0104民初9号", "suit", "defendant", "open")
    _court(court, 6, "(2025)沪0104执7号", "enforcement", "applicant", "open")  # the debtor as creditor
    _court(court, 7, "(2026)沪0104执8号", "enforcement", "respondent", "open", date(2026, 7, 1))  # after ON
    business = _source(debtor, "business")
    _record(business, 2, "business", {"company": "上海某置业有限公司", "status": "active", "role": "shareholder",
            "change_type": "other", "change_after": "预售资金监管账户开立并入账", "as_of": "2026-03-01"},
            date(2026, 3, 1))  # fmt: skip
    signals = {s.code: s for s in route_inputs_for(route_case, on=ON).signals}
    assert set(signals) == {"escrow_funded", "other_creditors_enforcing", "other_creditors_suing"}
    assert signals["other_creditors_enforcing"] == Signal(
        "other_creditors_enforcing",
        "其他债权人正在对债务人强制执行（1 件）",
        "Other creditors are enforcing against the debtor (1 cases)",
        "court records: (2025)沪0115执123号",
        "high",
    )
    assert signals["other_creditors_suing"].strength == "low"
    assert signals["escrow_funded"].strength == "high"
    assert signals["escrow_funded"].evidence == (
        f"escrow: 上海某置业有限公司 (business record, source {business.pk})"
    )
    advice = case_route(case_id=route_case.pk, user=None, on=ON)
    assert advice.recommended == "suit"
    assert any("Other creditors are enforcing" in line for line in advice.explanation_en)


def test_signals_need_a_legal_basis_covering_their_purpose(route_case):
    court = _source(route_case.debtor, "court", basis="contract", purposes=("collection",))
    _court(court, 2, "(2025)沪0115执123号", "enforcement", "respondent", "open")
    assert route_inputs_for(route_case, on=ON).signals == ()


def test_access_and_errors(route_case, make_user):
    outsider = make_user("collector", username="outsider")
    with pytest.raises(NotFound) as err:
        case_route(case_id=route_case.pk, user=outsider, on=ON)
    assert "不存在或无权查看" in err.value.zh and "not visible to you" in err.value.en
    with pytest.raises(NotFound):
        case_route(case_id="abc", user=None, on=ON)
    Debt.objects.filter(case=route_case).update(status=Debt.Status.PAID)
    with pytest.raises(DomainError) as err:
        case_route(case_id=route_case.pk, user=None, on=ON)
    assert err.value.code == "nothing_owed" and err.value.fields == {"balance": ["The case owes nothing"]}


def test_queries_are_bounded(route_case, django_assert_max_num_queries):
    route_case = type(route_case).objects.select_related("debtor", "debtor__protection").get(pk=route_case.pk)
    with django_assert_max_num_queries(30):
        route_inputs_for(route_case, on=ON)
