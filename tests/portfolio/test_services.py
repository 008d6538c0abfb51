from datetime import timedelta

import pytest

from qingzhai.core.clock import business_today
from qingzhai.core.errors import AccessDenied, Conflict, DomainError, NotFound
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio import services
from qingzhai.portfolio.contact import Clearance
from qingzhai.portfolio.models import Activity, Case, CaseStageChange, Debt, Payment, PromiseToPay
from tests.factories import DebtFactory


def events(action):
    return AuditEvent.objects.filter(action=action)


# --- payments ---------------------------------------------------------------------------------------


def test_payment_allocates_fee_interest_penalty_principal_and_audits(case, collector):
    debt = case.debts.get()
    payment = services.payment_record(
        actor=collector, debt_id=debt.pk, amount_fen=100_000, paid_on=business_today(), reference="T1"
    )
    assert (payment.fee_fen, payment.interest_fen, payment.penalty_fen, payment.principal_fen) == (
        10_000,
        50_000,
        20_000,
        20_000,
    )
    debt.refresh_from_db()
    assert (debt.fee_fen, debt.interest_fen, debt.penalty_fen, debt.principal_fen) == (0, 0, 0, 980_000)
    case.refresh_from_db()
    assert case.total_balance_fen == 980_000
    assert events("payment.create").get().entity_id == str(payment.pk)
    debt_event = events("debt.payment").get()
    assert debt_event.changes["principal_fen"] == [1_000_000, 980_000]
    assert debt_event.actor == collector


def test_allocation_order_is_configurable_per_contract(case, collector):
    debt = case.debts.get()
    Debt.objects.filter(pk=debt.pk).update(allocation_order="principal,interest,penalty,fee")
    payment = services.payment_record(
        actor=collector, debt_id=debt.pk, amount_fen=1_000_500, paid_on=business_today()
    )
    assert payment.principal_fen == 1_000_000 and payment.interest_fen == 500 and payment.fee_fen == 0


def test_full_payment_marks_debt_paid_and_overpayment_is_unapplied(case, collector):
    debt = case.debts.get()
    payment = services.payment_record(
        actor=collector, debt_id=debt.pk, amount_fen=debt.balance_fen + 5, paid_on=business_today()
    )
    debt.refresh_from_db()
    assert debt.status == Debt.Status.PAID and debt.balance_fen == 0 and debt.bucket == "M0"
    assert payment.unapplied_fen == 5


@pytest.mark.parametrize(
    ("amount", "days", "code"),
    [(0, 0, "amount_not_positive"), (-5, 0, "amount_not_positive"), (100, -1, "date_in_future")],
)
def test_payment_bad_input(case, collector, amount, days, code):
    debt = case.debts.get()
    with pytest.raises(DomainError) as info:
        services.payment_record(
            actor=collector,
            debt_id=debt.pk,
            amount_fen=amount,
            paid_on=business_today() - timedelta(days=days),
        )
    assert info.value.code == code
    assert not Payment.objects.exists()


def test_duplicate_reference_refused(case, collector):
    debt = case.debts.get()
    services.payment_record(
        actor=collector, debt_id=debt.pk, amount_fen=100, paid_on=business_today(), reference="R9"
    )
    with pytest.raises(Conflict):
        services.payment_record(
            actor=collector, debt_id=debt.pk, amount_fen=100, paid_on=business_today(), reference="R9"
        )


def test_reversal_restores_balances_and_cannot_repeat(case, collector, supervisor):
    debt = case.debts.get()
    before = debt.balance_fen
    payment = services.payment_record(
        actor=collector, debt_id=debt.pk, amount_fen=debt.balance_fen, paid_on=business_today()
    )
    with pytest.raises(AccessDenied):
        services.payment_reverse(actor=collector, payment_id=payment.pk, reason="bank returned it")
    reversal = services.payment_reverse(actor=supervisor, payment_id=payment.pk, reason="bank returned it")
    debt.refresh_from_db()
    assert debt.balance_fen == before and debt.status == Debt.Status.OPEN
    assert reversal.amount_fen == -payment.amount_fen and reversal.reversal_of == payment
    assert Payment.objects.count() == 2  # the original row is untouched
    with pytest.raises(Conflict):
        services.payment_reverse(actor=supervisor, payment_id=payment.pk, reason="again")
    with pytest.raises(Conflict):
        services.payment_reverse(actor=supervisor, payment_id=reversal.pk, reason="again")
    assert events("payment.reverse").count() == 1


def test_collector_cannot_pay_into_someone_elses_case(other_case, collector):
    with pytest.raises(NotFound):
        services.payment_record(
            actor=collector, debt_id=other_case.debts.get().pk, amount_fen=100, paid_on=business_today()
        )
    assert not Payment.objects.exists()


# --- promises ---------------------------------------------------------------------------------------


def test_promise_kept_by_payment(case, collector):
    debt = case.debts.get()
    promise = services.promise_create(
        actor=collector, case_id=case.pk, amount_fen=30_000, due_date=business_today() + timedelta(days=3)
    )
    case.refresh_from_db()
    assert case.next_action_date == promise.due_date
    assert case.stage == "contact"  # a promise means the debtor was reached
    services.payment_record(actor=collector, debt_id=debt.pk, amount_fen=20_000, paid_on=business_today())
    promise.refresh_from_db()
    assert promise.status == PromiseToPay.Status.OPEN and promise.paid_fen == 20_000
    services.payment_record(actor=collector, debt_id=debt.pk, amount_fen=20_000, paid_on=business_today())
    promise.refresh_from_db()
    assert promise.status == PromiseToPay.Status.KEPT and promise.paid_fen == 30_000
    assert events("promise.create").count() == 1 and events("promise.payment").count() == 2


def test_unpaid_promise_breaks_when_its_date_passes(case, collector):
    due = business_today() + timedelta(days=2)
    promise = services.promise_create(actor=collector, case_id=case.pk, amount_fen=30_000, due_date=due)
    assert services.promises_break_overdue(today=due) == 0  # still the due day
    assert services.promises_break_overdue(today=due + timedelta(days=1)) == 1
    assert services.promises_break_overdue(today=due + timedelta(days=1)) == 0  # safe to run twice
    promise.refresh_from_db()
    assert promise.status == PromiseToPay.Status.BROKEN and promise.resolved_at is not None
    case.refresh_from_db()
    assert case.next_action_date == due + timedelta(days=1)
    assert events("promise.broken").get().actor is None


def test_reversed_payment_reopens_or_breaks_the_promise(case, collector, supervisor):
    due = business_today() + timedelta(days=2)
    promise = services.promise_create(actor=collector, case_id=case.pk, amount_fen=10_000, due_date=due)
    payment = services.payment_record(
        actor=collector, debt_id=case.debts.get().pk, amount_fen=10_000, paid_on=business_today()
    )
    promise.refresh_from_db()
    assert promise.status == PromiseToPay.Status.KEPT
    services.payment_reverse(actor=supervisor, payment_id=payment.pk, reason="chargeback")
    promise.refresh_from_db()
    assert promise.status == PromiseToPay.Status.OPEN and promise.paid_fen == 0


@pytest.mark.parametrize(
    ("amount", "days", "code"),
    [(0, 1, "amount_not_positive"), (100, -1, "date_in_past"), (10**12, 1, "amount_over_balance")],
)
def test_promise_bad_input(case, collector, amount, days, code):
    with pytest.raises(DomainError) as info:
        services.promise_create(
            actor=collector,
            case_id=case.pk,
            amount_fen=amount,
            due_date=business_today() + timedelta(days=days),
        )
    assert info.value.code == code
    assert not PromiseToPay.objects.exists()


def test_promise_cancel(case, collector):
    promise = services.promise_create(
        actor=collector, case_id=case.pk, amount_fen=100, due_date=business_today()
    )
    services.promise_cancel(actor=collector, promise_id=promise.pk, reason="debtor disputes")
    promise.refresh_from_db()
    assert promise.status == PromiseToPay.Status.CANCELLED
    with pytest.raises(Conflict):
        services.promise_cancel(actor=collector, promise_id=promise.pk, reason="again")


# --- stages, activities, assignment ---------------------------------------------------------------------


def test_stage_change_writes_history_and_audit(case, collector):
    services.case_change_stage(actor=collector, case_id=case.pk, to_stage="contact", reason="reached debtor")
    change = CaseStageChange.objects.get(case=case)
    assert (change.from_stage, change.to_stage, change.actor) == ("new", "contact", collector)
    assert change.business_date == business_today()
    assert events("case.stage").get().changes == {"stage": ["new", "contact"]}


def test_illegal_stage_change_refused_without_trace(case, collector):
    with pytest.raises(Conflict) as info:
        services.case_change_stage(
            actor=collector, case_id=case.pk, to_stage="enforcement", reason="skip ahead"
        )
    assert info.value.code == "illegal_transition"
    assert "新案" in info.value.zh and "New" in info.value.en
    assert not CaseStageChange.objects.exists() and not events("case.stage").exists()


def test_stage_change_needs_reason_and_permission(case, collector, users):
    with pytest.raises(DomainError):
        services.case_change_stage(actor=collector, case_id=case.pk, to_stage="contact", reason="  ")
    with pytest.raises(AccessDenied):
        services.case_change_stage(actor=users["auditor"], case_id=case.pk, to_stage="contact", reason="x")


def cleared(case, kind="call", party="debtor", contact_point_id=None) -> Clearance:
    """What the compliance gate hands over for an allowed contact (portfolio only checks that it covers it)."""
    return Clearance(
        decision_id=1, case_id=case.pk, kind=kind, party=party, contact_point_id=contact_point_id
    )


def test_connected_call_moves_new_case_to_contact(case, collector):
    activity = services.activity_log(
        actor=collector,
        case_id=case.pk,
        kind="call",
        outcome="connected",
        note="spoke with debtor",
        clearance=cleared(case),
    )
    case.refresh_from_db()
    assert case.stage == "contact"
    assert events("activity.create").get().entity_id == str(activity.pk)


def test_wrong_number_marks_the_contact_point(case, collector):
    point = case.debtor.contact_points.get()
    services.activity_log(
        actor=collector,
        case_id=case.pk,
        kind="call",
        outcome="wrong_number",
        contact_point_id=point.pk,
        clearance=cleared(case, contact_point_id=point.pk),
    )
    point.refresh_from_db()
    assert point.status == "wrong_number"


def test_activity_refuses_foreign_contact_point(case, other_case, collector):
    foreign = other_case.debtor.contact_points.get()
    with pytest.raises(DomainError):
        services.activity_log(
            actor=collector,
            case_id=case.pk,
            kind="call",
            outcome="no_answer",
            contact_point_id=foreign.pk,
            clearance=cleared(case, contact_point_id=foreign.pk),
        )
    assert not Activity.objects.exists()


def test_bulk_assignment(supervisor, collector, make_user):
    cases = [Case.objects.get(pk=DebtFactory().case_id) for _ in range(3)]
    changed = services.cases_assign(
        actor=supervisor, case_ids=[c.pk for c in cases], assignee=collector, reason="rebalance"
    )
    assert changed == 3
    assert set(Case.objects.values_list("assigned_to", flat=True)) == {collector.pk}
    assert events("case.assign").count() == 3
    assert services.cases_assign(actor=supervisor, case_ids=[c.pk for c in cases], assignee=collector) == 0
    with pytest.raises(AccessDenied):
        services.cases_assign(actor=collector, case_ids=[cases[0].pk], assignee=collector)
    with pytest.raises(DomainError):
        services.cases_assign(actor=supervisor, case_ids=[cases[0].pk], assignee=make_user("auditor"))
    with pytest.raises(DomainError):
        services.cases_assign(actor=supervisor, case_ids=[999_999], assignee=collector)


def test_next_action_date(case, collector):
    target = business_today() + timedelta(days=5)
    services.case_set_next_action(actor=collector, case_id=case.pk, next_action_date=target)
    case.refresh_from_db()
    assert case.next_action_date == target
    assert events("case.next_action").count() == 1


def test_dpd_refresh_rolls_buckets_and_case_totals(case):
    debt = case.debts.get()
    Debt.objects.filter(pk=debt.pk).update(
        overdue_since=business_today() - timedelta(days=95), dpd_as_of=None
    )
    assert services.debts_refresh_dpd(today=business_today()) == 1
    debt.refresh_from_db()
    case.refresh_from_db()
    assert (debt.dpd, debt.bucket, case.bucket, case.max_dpd) == (95, "M4", "M4", 95)
    assert debt.bucket_history.get().bucket == "M4"


# --- personal information ---------------------------------------------------------------------------


def test_reveal_is_audited_with_reason(case, collector):
    value = services.pii_reveal(
        actor=collector,
        kind="debtor",
        object_id=case.debtor_id,
        attr="id_number",
        reason="核实身份 verify identity",
    )
    assert value.startswith("110105") and len(value) == 18
    event = events("pii.reveal").get()
    assert event.actor == collector and event.reason == "核实身份 verify identity"
    assert event.changes == {"field": "id_number"}


def test_reveal_refused_without_reason_role_or_visibility(case, other_case, collector, users):
    with pytest.raises(DomainError):
        services.pii_reveal(
            actor=collector, kind="debtor", object_id=case.debtor_id, attr="id_number", reason=""
        )
    with pytest.raises(AccessDenied):
        services.pii_reveal(
            actor=users["auditor"],
            kind="debtor",
            object_id=case.debtor_id,
            attr="id_number",
            reason="curious",
        )
    with pytest.raises(DomainError) as info:
        services.pii_reveal(
            actor=collector,
            kind="debtor",
            object_id=other_case.debtor_id,
            attr="id_number",
            reason="not mine",
        )
    assert info.value.status == 404
    with pytest.raises(DomainError):
        services.pii_reveal(
            actor=collector, kind="debtor", object_id=case.debtor_id, attr="name", reason="nope!"
        )
    assert not events("pii.reveal").exists()


def test_reference_data_services(supervisor, collector):
    creditor = services.creditor_create(actor=supervisor, name="招商银行信用卡中心", code="CMB")
    with pytest.raises(Conflict):
        services.creditor_create(actor=supervisor, name="招商银行信用卡中心", code="CMB2")
    with pytest.raises(AccessDenied):
        services.creditor_create(actor=collector, name="X", code="X")
    today = business_today()
    services.portfolio_create(actor=supervisor, creditor=creditor, code="2026-11", placement_date=today)
    with pytest.raises(Conflict) as info:
        services.portfolio_create(actor=supervisor, creditor=creditor, code="2026-11", placement_date=today)
    assert info.value.en == "Portfolio already exists: 2026-11"
    with pytest.raises(DomainError):
        services.portfolio_create(
            actor=supervisor,
            creditor=creditor,
            code="bad",
            placement_date=today,
            recall_date=today - timedelta(days=1),
        )
    assert events("creditor.create").count() == 1 and events("portfolio.create").count() == 1


def test_cancel_missing_promise_is_not_found(collector):
    with pytest.raises(NotFound):
        services.promise_cancel(actor=collector, promise_id=987_654, reason="none")


def test_bank_account_can_be_revealed(case, collector):
    from qingzhai.core import pii
    from qingzhai.portfolio.models import BankAccount

    account = BankAccount(debtor=case.debtor, bank_name="工商银行")
    pii.set_value(account, "account", "6222 0212 3456 7890 123")
    account.save()
    assert account.account_masked == "6222***********0123"
    value = services.pii_reveal(
        actor=collector, kind="bank_account", object_id=account.pk, attr="account", reason="核对还款账户"
    )
    assert value == "6222021234567890123"
