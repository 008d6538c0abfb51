from qingzhai.core.models import AuditEvent
from qingzhai.portfolio import services


def test_payment_allocates_and_audits(case, collector):
    debt = case.debts.get()
    payment = services.payment_record(actor=collector, debt_id=debt.pk, amount_fen=70_000,
                                      paid_on=debt.created_at.date())
    assert (payment.fee_fen, payment.interest_fen, payment.penalty_fen, payment.principal_fen) == (
        10_000, 50_000, 10_000, 0)
    assert AuditEvent.objects.filter(action="payment.create").count() == 1
