"""Training from our own case outcomes: labels at the observation date, features as of it, registration."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qingzhai.core.errors import DomainError
from qingzhai.portfolio import services as portfolio_services
from qingzhai.scoring import services
from tests.factories import CaseFactory, DebtFactory, PortfolioFactory

PLACED = date(2025, 1, 6)


def cases(n, supervisor, *, paying=lambda i: i % 3 == 0):
    portfolio = PortfolioFactory(placement_date=PLACED)
    out = []
    for i in range(n):
        case = CaseFactory(portfolio=portfolio, debtor__creditor=portfolio.creditor)
        amount = 200_000 + 40_000 * i
        debt = DebtFactory(case=case, principal_fen=amount, original_principal_fen=amount, dpd=30 + 7 * i)
        if paying(i):
            portfolio_services.payment_record(
                actor=supervisor,
                debt_id=debt.pk,
                amount_fen=debt.balance_fen,
                paid_on=PLACED + timedelta(days=20),
            )
        out.append(case)
    return out


def test_too_few_observed_cases_is_a_bilingual_error(supervisor):
    cases(10, supervisor)
    with pytest.raises(DomainError) as err:
        services.model_train_from_cases(actor=supervisor, label_code="recovered_50_180")
    assert err.value.code == "scoring_too_few_labels"
    assert "50" in err.value.zh and "10" in err.value.en


def test_one_outcome_only_is_refused(supervisor):
    cases(55, supervisor, paying=lambda i: False)
    with pytest.raises(DomainError) as err:
        services.model_train_from_cases(actor=supervisor, label_code="paid_any_90")
    assert err.value.code == "scoring_too_few_labels"


def test_unknown_label_is_refused(supervisor):
    with pytest.raises(DomainError) as err:
        services.model_train_from_cases(actor=supervisor, label_code="nope")
    assert err.value.code == "scoring_error" and err.value.fields == {
        "label": [err.value.zh + " / " + err.value.en]
    }


def test_trains_on_labelled_cases_and_registers_an_indicator_model(supervisor):
    made = cases(60, supervisor)
    model = services.model_train_from_cases(
        actor=supervisor, label_code="recovered_50_180", kind="scorecard", portfolio_id=made[0].portfolio_id
    )
    assert (model.name, model.version, model.status, model.kind) == ("repayment", 1, "candidate", "scorecard")
    assert model.feature_source == "indicators" and model.label_code == "recovered_50_180"
    assert model.n_train + model.n_test == 60
    assert model.payload["data"]["positives_train"] + model.payload["data"]["positives_test"] == 20
    assert model.payload["id_col"] == "case_id"
    used = {f["name"] for f in model.payload["features"]}
    assert "case_id" not in used and "label" not in used
    assert used <= {f["name"] for f in model.card["data"]["features"]}
    # gender, read from the ID number, is reported on and never used; so is the treatment (the stage)
    assert "性别" not in used and "stage" not in used
    (gender,) = model.card["fairness"]["attributes"]
    assert gender["attribute"] == "性别"
    assert {g["group"] for g in gender["groups"]} <= {"男", "女"}
    assert sum(g["n"] for g in gender["groups"]) == model.n_test
    assert set(gender["treatment"]) == {g["group"] for g in gender["groups"]}
