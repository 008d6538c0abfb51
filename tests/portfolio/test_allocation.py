import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingzhai.portfolio.allocation import COMPONENTS, DEFAULT_ORDER, allocate, parse_order


def test_default_order_is_fee_interest_penalty_principal():
    result = allocate(7_000, {"fee": 1_000, "interest": 5_000, "penalty": 2_000, "principal": 100_000})
    assert result.parts == {"fee": 1_000, "interest": 5_000, "penalty": 1_000, "principal": 0}
    assert result.unapplied == 0


def test_custom_order_principal_first():
    order = parse_order("principal,fee,interest,penalty")
    result = allocate(150, {"fee": 100, "interest": 100, "penalty": 100, "principal": 100}, order)
    assert result.parts == {"principal": 100, "fee": 50, "interest": 0, "penalty": 0}


def test_overpayment_is_reported_unapplied():
    result = allocate(500, {"fee": 100, "interest": 0, "penalty": 0, "principal": 300})
    assert result.parts["principal"] == 300 and result.unapplied == 100


@pytest.mark.parametrize(
    "text", ["fee,interest", "fee,fee,interest,principal", "fee,interest,penalty,capital"]
)
def test_bad_orders_are_refused(text):
    with pytest.raises(ValueError):
        parse_order(text)


def test_empty_order_means_default():
    assert parse_order("") == DEFAULT_ORDER


def test_negative_amount_refused():
    with pytest.raises(ValueError):
        allocate(-1, {"fee": 1})


balances = st.fixed_dictionaries({c: st.integers(min_value=0, max_value=10**9) for c in COMPONENTS})


@given(st.integers(min_value=0, max_value=5 * 10**9), balances, st.permutations(COMPONENTS))
def test_allocation_conserves_money_and_respects_balances(amount, bal, order):
    result = allocate(amount, bal, order)
    assert result.applied + result.unapplied == amount
    assert all(0 <= result.parts[c] <= bal[c] for c in COMPONENTS)
    # a later component only receives money once every earlier one is paid off
    for i, component in enumerate(order):
        if result.parts[component] > 0:
            assert all(result.parts[e] == bal[e] for e in order[:i])
