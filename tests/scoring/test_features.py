"""Case features: the debtor's indicators as of each case's own date (no look-ahead), typed for models."""

from __future__ import annotations

from datetime import date

from qingzhai.portfolio import services as portfolio_services
from qingzhai.profiling import indicators as ind
from qingzhai.scoring.features import case_features
from tests.factories import CaseFactory, DebtFactory


def test_features_are_taken_as_of_each_cases_date_and_typed(supervisor):
    early = CaseFactory(portfolio__placement_date=date(2025, 1, 1))
    DebtFactory(case=early)
    portfolio_services.payment_record(
        actor=supervisor, debt_id=early.debts.get().pk, amount_fen=10_000, paid_on=date(2025, 3, 1)
    )
    late = CaseFactory()
    DebtFactory(case=late)
    frame, infos = case_features(
        [early.pk, late.pk, 999_999], as_of_by_case={early.pk: date(2025, 2, 1), late.pk: date(2025, 4, 1)}
    )
    assert list(frame.index) == [early.pk, late.pk]  # the unknown case is left out
    assert list(frame.columns) == [i.code for i in ind.catalogue()] == [f.name for f in infos]
    assert frame.loc[early.pk, "cr_paid_total"] == 0  # the payment came after its date
    again, _ = case_features([early.pk], as_of_by_case=date(2025, 4, 1))
    assert again.loc[early.pk, "cr_paid_total"] == 10_000
    assert frame["id_has_id_number"].tolist() == [1.0, 1.0]  # booleans as 0/1
    assert str(frame["cr_paid_total"].dtype) == "float64"
    info = {f.name: f for f in infos}["liab_outstanding_total"]
    assert (info.dtype, info.unit, info.direction) == ("numeric", "fen", 0)
    assert info.name_zh == "未结欠款余额" and info.name_en
    units = {f.name: f.unit for f in infos}
    assert (units["liab_max_dpd"], units["liab_repaid_share"], units["cr_payments_12m"]) == ("", "ratio", "")


def test_gender_is_read_from_the_resident_id_number() -> None:
    from qingzhai.scoring.features import gender_from_id

    assert gender_from_id("11010519491231002X") == "女"  # 17th digit 2: even
    assert gender_from_id("110105194912310039") == "男"  # 17th digit 3: odd
    assert gender_from_id("1101051949123100") == "未知"
    assert gender_from_id("") == "未知"
