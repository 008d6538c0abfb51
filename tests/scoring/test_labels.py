"""Outcome labels on hand-built cases: each definition, its window boundary, and "not yet observable"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from qingzhai.core.clock import business_tz
from qingzhai.portfolio import services as portfolio_services
from qingzhai.portfolio.models import CaseStageChange, Debt, PromiseToPay
from qingzhai.scoring.engine.spec import ScoringError
from qingzhai.scoring.labels import LABELS, label_cases, label_get, observation_dates
from tests.factories import CaseFactory, DebtFactory, PortfolioFactory

PLACED = date(2025, 1, 1)
BALANCE = 1_080_000  # the factory debt: 1,000,000 principal + 50,000 + 20,000 + 10,000
LATER = date(2026, 6, 1)  # every window has ended


@pytest.fixture
def portfolio(db):
    return PortfolioFactory(placement_date=PLACED)


def new_case(portfolio):
    case = CaseFactory(portfolio=portfolio, debtor__creditor=portfolio.creditor)
    DebtFactory(case=case)
    return case


def pay(actor, case, amount, day):
    return portfolio_services.payment_record(
        actor=actor, debt_id=case.debts.get().pk, amount_fen=amount, paid_on=day
    )


def at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=business_tz())


def test_catalogue_is_bilingual_and_unknown_codes_are_refused():
    assert {"recovered_50_180", "paid_any_90", "promise_kept_90", "closed_paid_365"} <= set(LABELS)
    for definition in LABELS.values():
        assert (
            definition.name_zh
            and definition.name_en
            and definition.description_zh
            and definition.description_en
        )
        assert definition.params["window_days"] > 0
    with pytest.raises(ScoringError) as err:
        label_get("nope")
    assert "nope" in err.value.message_zh and "nope" in err.value.message_en


def test_observation_date_is_the_placement_date(portfolio):
    case = new_case(portfolio)
    assert observation_dates([case.pk]) == {case.pk: PLACED}


def test_recovered_share_counts_payments_inside_180_days_against_the_balance_at_placement(
    portfolio, supervisor
):
    half = BALANCE // 2
    last_day = new_case(portfolio)  # 50 % on day 179: inside
    pay(supervisor, last_day, half, PLACED + timedelta(days=179))
    day_after = new_case(portfolio)  # 50 % on day 180: outside
    pay(supervisor, day_after, half, PLACED + timedelta(days=180))
    short = new_case(portfolio)  # one yuan short of half
    pay(supervisor, short, half - 100, PLACED + timedelta(days=30))
    # 300,000 inside and 500,000 after the window: the balance at placement is rebuilt (1,080,000)
    rebuilt = new_case(portfolio)
    pay(supervisor, rebuilt, 300_000, PLACED + timedelta(days=10))
    pay(supervisor, rebuilt, 500_000, PLACED + timedelta(days=200))
    reversed_case = new_case(portfolio)  # paid in full, then reversed
    payment = pay(supervisor, reversed_case, BALANCE, PLACED + timedelta(days=5))
    portfolio_services.payment_reverse(actor=supervisor, payment_id=payment.pk, reason="退票")
    ids = [last_day.pk, day_after.pk, short.pk, rebuilt.pk, reversed_case.pk]
    assert label_cases(label="recovered_50_180", case_ids=ids, as_of=LATER) == {
        last_day.pk: 1,
        day_after.pk: 0,
        short.pk: 0,
        rebuilt.pk: 0,
        reversed_case.pk: 0,
    }


def test_a_window_not_yet_over_gives_none(portfolio, supervisor):
    case = new_case(portfolio)
    pay(supervisor, case, BALANCE, PLACED + timedelta(days=3))
    end = PLACED + timedelta(days=180)
    assert label_cases(label="recovered_50_180", case_ids=[case.pk], as_of=end - timedelta(days=1)) == {
        case.pk: None
    }
    assert label_cases(label="recovered_50_180", case_ids=[case.pk], as_of=end) == {case.pk: 1}


def test_paid_any_within_90_days(portfolio, supervisor):
    inside = new_case(portfolio)
    pay(supervisor, inside, 10_000, PLACED + timedelta(days=89))
    outside = new_case(portfolio)
    pay(supervisor, outside, 10_000, PLACED + timedelta(days=90))
    before = new_case(portfolio)  # paid before placement: not an outcome of our work
    pay(supervisor, before, 10_000, PLACED - timedelta(days=1))
    reversed_case = new_case(portfolio)
    payment = pay(supervisor, reversed_case, 10_000, PLACED + timedelta(days=1))
    portfolio_services.payment_reverse(actor=supervisor, payment_id=payment.pk, reason="错账")
    nothing = new_case(portfolio)
    ids = [inside.pk, outside.pk, before.pk, reversed_case.pk, nothing.pk]
    assert label_cases(label="paid_any_90", case_ids=ids, as_of=PLACED + timedelta(days=90)) == {
        inside.pk: 1,
        outside.pk: 0,
        before.pk: 0,
        reversed_case.pk: 0,
        nothing.pk: 0,
    }
    assert set(
        label_cases(label="paid_any_90", case_ids=ids, as_of=PLACED + timedelta(days=89)).values()
    ) == {None}


def promise(case, *, made, status, resolved=None):
    return PromiseToPay.objects.create(
        case=case,
        amount_fen=10_000,
        due_date=made + timedelta(days=7),
        status=status,
        paid_fen=10_000 if status == PromiseToPay.Status.KEPT else 0,
        created_at=at(made),
        resolved_at=at(resolved) if resolved else None,
    )


def test_promise_made_and_kept_within_90_days(portfolio):
    kept = new_case(portfolio)
    promise(kept, made=PLACED + timedelta(days=80), status="kept", resolved=PLACED + timedelta(days=89))
    kept_late = new_case(portfolio)
    promise(kept_late, made=PLACED + timedelta(days=85), status="kept", resolved=PLACED + timedelta(days=90))
    broken = new_case(portfolio)
    promise(broken, made=PLACED + timedelta(days=5), status="broken", resolved=PLACED + timedelta(days=13))
    made_before = new_case(portfolio)
    promise(made_before, made=PLACED - timedelta(days=3), status="kept", resolved=PLACED + timedelta(days=2))
    ids = [kept.pk, kept_late.pk, broken.pk, made_before.pk]
    assert label_cases(label="promise_kept_90", case_ids=ids, as_of=LATER) == {
        kept.pk: 1,
        kept_late.pk: 0,
        broken.pk: 0,
        made_before.pk: 0,
    }


def close(case, day):
    CaseStageChange.objects.create(
        case=case,
        from_stage="contact",
        to_stage="closed",
        business_date=day,
        reason="结清",
        created_at=at(day),
    )


def test_closed_paid_within_365_days(portfolio):
    paid = new_case(portfolio)
    close(paid, PLACED + timedelta(days=364))
    Debt.objects.filter(case=paid).update(status=Debt.Status.PAID)
    unpaid = new_case(portfolio)  # closed, but its debt is still open
    close(unpaid, PLACED + timedelta(days=100))
    late = new_case(portfolio)
    close(late, PLACED + timedelta(days=365))
    Debt.objects.filter(case=late).update(status=Debt.Status.PAID)
    ids = [paid.pk, unpaid.pk, late.pk]
    assert label_cases(label="closed_paid_365", case_ids=ids, as_of=PLACED + timedelta(days=365)) == {
        paid.pk: 1,
        unpaid.pk: 0,
        late.pk: 0,
    }
    assert label_cases(label="closed_paid_365", case_ids=ids, as_of=PLACED + timedelta(days=364)) == {
        paid.pk: None,
        unpaid.pk: None,
        late.pk: None,
    }
