"""Contract interest with the private-lending cap, and doubled late-performance interest."""

from datetime import date
from decimal import Decimal

import pytest

from qingzhai.legal import lpr
from qingzhai.legal.fees import LegalInputError
from qingzhai.legal.interest import contract_interest, late_interest


def _interest(**kwargs):
    base = {"principal": "100000", "rate": "20", "start": "2024-09-01", "end": "2025-09-01"}
    return contract_interest(**{**base, **kwargs})


def test_private_cap_uses_the_lpr_in_force_on_the_contract_date():
    # 2024-09-01 lies between the 2024-07-22 (3.35) and 2024-10-21 (3.10) publications → 3.35 × 4
    result = _interest(contract_date="2024-09-01").as_dict()
    assert result["lpr_1y"] == "3.35" and result["lpr_effective"] == "2024-07-22"
    assert result["cap_rate"] == "13.40" and result["capped"] is True
    assert result["applied_rate"] == "13.40"
    assert result["days"] == 365 and result["interest"] == "13400.00"


def test_contract_on_a_publication_day_uses_that_publication():
    result = _interest(contract_date="2024-10-21").as_dict()
    assert (result["lpr_1y"], result["cap_rate"], result["interest"]) == ("3.10", "12.40", "12400.00")


def test_cap_follows_the_data_file(tmp_path, monkeypatch):
    path = tmp_path / "lpr.csv"
    path.write_text("effective_date,lpr_1y_percent\n2019-08-20,2.50\n", encoding="utf-8")
    monkeypatch.setenv(lpr.ENV_VAR, str(path))
    result = _interest(contract_date="2024-09-01").as_dict()
    assert (result["cap_rate"], result["interest"]) == ("10.00", "10000.00")


def test_licensed_lenders_are_not_capped():
    result = _interest(lender="licensed", contract_date="2024-09-01").as_dict()
    assert result["cap_rate"] is None and result["capped"] is False
    assert (result["applied_rate"], result["interest"]) == ("20.00", "20000.00")


def test_under_the_cap_is_kept():
    result = _interest(rate="10", contract_date="2024-09-01").as_dict()
    assert (result["capped"], result["interest"]) == (False, "10000.00")


def test_penalty_and_other_charges_share_the_cap():
    # 10 + 2 + 1 = 13 % < 13.40 % → kept
    kept = _interest(rate="10", penalty_rate="2", other_rate="1", contract_date="2024-09-01").as_dict()
    assert (kept["combined_rate"], kept["capped"], kept["interest"]) == ("13.00", False, "13000.00")
    # 10 + 4 = 14 % > 13.40 % → cut to the cap
    cut = _interest(rate="10", penalty_rate="4", contract_date="2024-09-01").as_dict()
    assert (cut["combined_rate"], cut["capped"], cut["interest"]) == ("14.00", True, "13400.00")


def test_simple_interest_actual_365_and_360():
    result = _interest(rate="7.3", lender="licensed", end="2024-10-01").as_dict()
    assert (result["days"], result["interest"]) == (30, "600.00")
    result = _interest(rate="7.2", lender="licensed", end="2024-10-01", day_basis=360).as_dict()
    assert result["interest"] == "600.00"


def test_compound_monthly():
    # 12 % over 3 whole months Jan–Mar 2025 (31, 28, 31 days), capitalised monthly, then nothing left
    result = _interest(rate="12", lender="licensed", start="2025-01-01", end="2025-04-01", compound=True)
    b1 = Decimal(10_000_000) * (1 + Decimal("0.12") * 31 / 365)
    b2 = b1 * (1 + Decimal("0.12") * 28 / 365)
    b3 = b2 * (1 + Decimal("0.12") * 31 / 365)
    expected = (b3 - 10_000_000).quantize(Decimal(1))
    assert result.interest_fen == int(expected) == 298_815
    simple = _interest(rate="12", lender="licensed", start="2025-01-01", end="2025-04-01").interest_fen
    assert simple == 295_890 < result.interest_fen


def test_compound_private_is_cut_to_simple_interest_at_the_cap():
    result = _interest(rate="13.40", contract_date="2024-09-01", compound=True).as_dict()
    assert result["capped"] is True and result["interest"] == "13400.00"


def test_contracts_before_2020_08_20_get_the_transition_note():
    result = _interest(contract_date="2020-01-10").as_dict()
    assert result["lpr_1y"] == "4.15" and result["cap_rate"] == "16.60"
    assert len(result["notes"]) == 1 and "art. 31" in result["notes"][0]


def test_zero_days_give_zero():
    assert _interest(end="2024-09-01", contract_date="2024-09-01").interest_fen == 0


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"principal": "0"}, "amount_not_positive", "principal"),
        ({"rate": "x"}, "rate_invalid", "rate"),
        ({"rate": "-1"}, "rate_invalid", "rate"),
        ({"penalty_rate": "2000"}, "rate_invalid", "penalty_rate"),
        ({"start": "2024-02-30"}, "date_impossible", "from"),
        ({"end": "2024-08-01"}, "period_invalid", "to"),
        ({"lender": "bank"}, "lender_invalid", "lender"),
        ({"day_basis": 366}, "day_basis_invalid", "day_basis"),
        ({"compound": True, "compound_months": 0}, "compound_months_invalid", "compound_months"),
        ({"contract_date": None}, "contract_date_required", "contract_date"),
        ({"contract_date": "2019-01-01"}, "lpr_before_first", "date"),
    ],
)
def test_bad_input_is_refused(kwargs, code, field):
    base = {"contract_date": "2024-09-01", **kwargs}
    with pytest.raises(LegalInputError) as info:
        _interest(**base)
    assert (info.value.code, info.value.field) == (code, field)


def test_late_interest_100000_for_30_days_is_525():
    assert late_interest(principal="100000", days=30) == {
        "principal": "100000.00",
        "days": 30,
        "daily_rate_percent": "0.0175",
        "amount": "525.00",
        "basis": "CPL 2023 art. 264; 法释〔2014〕8号",
    }


@pytest.mark.parametrize(
    ("principal", "days", "amount"),
    [("100000", "365", "6387.50"), ("12345.67", 7, "15.12"), ("100", 0, "0.00")],
)
def test_late_interest_amounts(principal, days, amount):
    assert late_interest(principal=principal, days=days)["amount"] == amount


@pytest.mark.parametrize("days", ["-1", "abc", "1.5", 2.0, True])
def test_late_interest_bad_days(days):
    with pytest.raises(LegalInputError) as info:
        late_interest(principal="100", days=days)
    assert (info.value.code, info.value.field) == ("days_invalid", "days")


def test_interest_contract_date_is_a_date():
    assert _interest(contract_date=date(2024, 9, 1)).contract_date == date(2024, 9, 1)
