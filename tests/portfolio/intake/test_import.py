"""Importing files into the database: what each row creates, idempotence, updates, all-or-nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from qingzhai.core import pii
from qingzhai.core.errors import AccessDenied
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio import services
from qingzhai.portfolio.buckets import bucket_for, days_past_due
from qingzhai.portfolio.intake import UnusableInput
from qingzhai.portfolio.intake.load import run
from qingzhai.portfolio.models import (
    BankAccount,
    BucketHistory,
    Case,
    ContactPoint,
    Debt,
    Debtor,
    Guarantor,
    Portfolio,
)
from tests.factories import DebtorFactory, PortfolioFactory
from tests.portfolio.intake.helpers import HEADER, mobile, prc_id, row, uscc, write_csv, wrong_check

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setattr(run, "business_today", lambda: TODAY)


def counts():
    return {
        "debtors": Debtor.objects.count(),
        "contacts": ContactPoint.objects.count(),
        "accounts": BankAccount.objects.count(),
        "cases": Case.objects.count(),
        "debts": Debt.objects.count(),
        "guarantors": Guarantor.objects.count(),
        "portfolios": Portfolio.objects.count(),
        "history": BucketHistory.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_a_valid_file_creates_debtors_contacts_cases_and_debts(tmp_path, run_import, creditor):
    path = write_csv(tmp_path / "p.csv", [row(1), row(2)])
    result = run_import(path, portfolio_code="P2026-11", placement_date=date(2026, 11, 1))
    assert (result.rows, result.imported, result.updated, result.unchanged, result.errors) == (2, 2, 0, 0, [])
    assert result.encoding == "utf-8" and result.file_type == "csv" and result.portfolio_created

    debt = Debt.objects.get(contract_no="HT000001")
    assert debt.creditor == creditor
    assert (
        debt.original_principal_fen,
        debt.principal_fen,
        debt.interest_fen,
        debt.penalty_fen,
        debt.fee_fen,
    ) == (
        2_000_000,
        1_234_567,
        50_000,
        12_050,
        0,
    )
    assert debt.contract_date == date(2023, 1, 15)
    assert debt.due_date == date(2024, 1, 15)
    assert debt.overdue_since == date(2024, 3, 1)
    assert debt.annual_rate == Decimal("18.0000")
    assert debt.product == "信用卡" and debt.currency == "CNY" and debt.status == Debt.Status.OPEN
    dpd = days_past_due(date(2024, 3, 1), TODAY)
    assert (debt.dpd, debt.bucket, debt.dpd_as_of) == (dpd, bucket_for(dpd), TODAY)
    assert list(debt.bucket_history.values_list("as_of", "dpd", "bucket")) == [(TODAY, dpd, "M6+")]

    debtor = debt.case.debtor
    assert debtor.name == "张1" and debtor.kind == Debtor.Kind.PERSON
    assert pii.get_value(debtor, "id_number") == prc_id(1)
    assert debtor.id_number_masked == prc_id(1)[:3] + "*" * 11 + prc_id(1)[-4:]
    assert prc_id(1) not in debtor.id_number_enc
    assert pii.get_value(debtor, "home_address") == "北京市朝阳区建国路88号"

    points = list(debtor.contact_points.order_by("id"))
    assert [(p.party, p.is_primary, pii.get_value(p, "value")) for p in points] == [
        ("debtor", True, mobile(1)),
        ("emergency", False, mobile(50_000_001)),
    ]
    assert (points[1].name, points[1].relation, points[1].consent) == ("李四", "配偶", True)
    account = debtor.bank_accounts.get()
    assert account.bank_name == "工商银行" and pii.get_value(account, "account") == "6222000000000001"

    case = debt.case
    assert case.portfolio.code == "P2026-11" and case.portfolio.placement_date == date(2026, 11, 1)
    expected = (case.total_balance_fen, case.max_dpd, case.bucket)
    services.case_refresh_totals(case=case)
    case.refresh_from_db()
    assert expected == (case.total_balance_fen, case.max_dpd, case.bucket) == (1_296_617, dpd, "M6+")

    created = AuditEvent.objects.filter(action="debt.import").order_by("id")
    assert created.count() == 2
    assert created[0].changes["principal_fen"] == [None, 1_234_567]
    assert created[0].actor.username == "supervisor1" and created[0].source == "import"
    summary = AuditEvent.objects.get(action="portfolio.import")
    assert summary.changes["imported"] == 2 and summary.entity_id == str(case.portfolio_id)


def test_importing_the_same_file_again_changes_nothing(tmp_path, run_import):
    path = write_csv(tmp_path / "p.csv", [row(1), row(2), row(3, 证件号码=prc_id(1))])
    first = run_import(path, portfolio_code="P1")
    assert (first.imported, first.updated, first.unchanged) == (3, 0, 0)
    before = counts()
    debt_events = AuditEvent.objects.filter(action__startswith="debt.").count()
    second = run_import(path, portfolio_code="P1")
    assert (second.rows, second.imported, second.updated, second.unchanged, second.errors) == (3, 0, 0, 3, [])
    after = counts()
    assert after == {**before, "audit": before["audit"] + 1}  # only the import's own summary event
    assert AuditEvent.objects.filter(action__startswith="debt.").count() == debt_events
    # On another day, into the default portfolio of that day: still nothing new, no empty portfolio.
    third = run_import(path)
    assert (third.imported, third.unchanged, third.portfolio_created) == (0, 3, False)
    assert Portfolio.objects.count() == before["portfolios"]


def test_one_debtor_with_two_contracts_gets_one_case(tmp_path, run_import):
    second = row(
        2, 证件号码=prc_id(1), 债务人姓名="张1", 手机号码=mobile(1), 紧急联系人电话=mobile(50_000_001)
    )
    path = write_csv(tmp_path / "p.csv", [row(1), second])
    result = run_import(path)
    assert result.imported == 2
    assert Debtor.objects.count() == 1 and Case.objects.count() == 1
    case = Case.objects.get()
    assert case.debts.count() == 2
    assert case.total_balance_fen == 2 * 1_296_617
    # The same mobile and emergency contact on both rows are stored once.
    assert ContactPoint.objects.count() == 2


def test_changed_balances_are_updated_and_audited(tmp_path, run_import):
    write_csv(tmp_path / "a.csv", [row(1), row(2)])
    run_import(tmp_path / "a.csv", portfolio_code="P1")
    write_csv(tmp_path / "b.csv", [row(1, 剩余本金="10000", 逾期开始日期="2026-11-01"), row(2)])
    result = run_import(tmp_path / "b.csv", portfolio_code="P1")
    assert (result.imported, result.updated, result.unchanged) == (0, 1, 1)
    debt = Debt.objects.get(contract_no="HT000001")
    assert debt.principal_fen == 1_000_000 and debt.dpd == 27 and debt.bucket == "M1"
    event = AuditEvent.objects.get(action="debt.import_update")
    assert event.entity_id == str(debt.pk)
    assert event.changes["principal_fen"] == [1_234_567, 1_000_000]
    assert event.changes["overdue_since"] == ["2024-03-01", "2026-11-01"]
    assert event.changes["bucket"] == ["M6+", "M1"]
    assert list(debt.bucket_history.values_list("bucket", flat=True)) == ["M6+", "M1"]
    assert debt.case.total_balance_fen == 1_000_000 + 50_000 + 12_050


def test_any_error_imports_nothing(tmp_path, run_import):
    before = counts()
    path = write_csv(tmp_path / "p.csv", [row(1), row(2), row(3, 剩余本金="-5")])
    result = run_import(path)
    assert (result.rows, result.imported, result.updated, result.unchanged) == (3, 0, 0, 0)
    assert [(e.row, e.column, e.code) for e in result.errors] == [(4, "剩余本金", "amount_negative")]
    assert counts() == before


def test_an_error_after_written_batches_rolls_everything_back(tmp_path, run_import, monkeypatch):
    monkeypatch.setattr(run, "BATCH_SIZE", 2)
    before = counts()
    rows = [row(n) for n in range(1, 8)] + [row(8, 证件号码=wrong_check(prc_id(8)))]
    result = run_import(write_csv(tmp_path / "p.csv", rows))
    assert result.imported == 0 and result.error_count == 1 and result.errors[0].row == 9
    assert counts() == before


def test_skip_invalid_imports_the_valid_rows(tmp_path, run_import):
    path = write_csv(tmp_path / "p.csv", [row(1), row(2, 剩余本金="abc"), row(3)])
    result = run_import(path, skip_invalid=True)
    assert (result.rows, result.imported, result.skipped, result.error_count) == (3, 2, 1, 1)
    assert sorted(Debt.objects.values_list("contract_no", flat=True)) == ["HT000001", "HT000003"]


def test_dry_run_counts_but_writes_nothing(tmp_path, run_import):
    write_csv(tmp_path / "a.csv", [row(1)])
    run_import(tmp_path / "a.csv", portfolio_code="P1")
    before = counts()
    path = write_csv(tmp_path / "b.csv", [row(1, 利息="600"), row(2), row(3)])
    result = run_import(path, portfolio_code="P2", dry_run=True)
    assert (result.rows, result.imported, result.updated, result.unchanged) == (3, 2, 1, 0)
    assert result.dry_run and result.portfolio_created
    assert counts() == before


def test_batches_share_debtors_and_cases(tmp_path, run_import, monkeypatch):
    monkeypatch.setattr(run, "BATCH_SIZE", 3)
    rows = [row(n, 证件号码=prc_id(n % 4), 债务人姓名=f"王{n % 4}") for n in range(1, 11)]
    seen = []
    result = run_import(write_csv(tmp_path / "p.csv", rows), progress=lambda d, t: seen.append((d, t)))
    assert result.imported == 10
    assert Debtor.objects.count() == 4 and Case.objects.count() == 4
    assert Debt.objects.values("case_id").distinct().count() == 4
    for case in Case.objects.all():
        total = sum(d.balance_fen for d in case.debts.all())
        assert case.total_balance_fen == total
    assert seen[-1] == (10, 10)


def test_existing_debtor_is_reused_and_new_phones_added(tmp_path, run_import, creditor):
    debtor = DebtorFactory(creditor=creditor, id_number=prc_id(1), name="张一")
    path = write_csv(tmp_path / "p.csv", [row(1)])
    run_import(path)
    assert Debtor.objects.count() == 1
    debtor.refresh_from_db()
    assert debtor.name == "张一"  # an existing debtor's details are kept
    assert debtor.cases.get().debts.get().contract_no == "HT000001"
    assert debtor.contact_points.filter(party="debtor", is_primary=True).count() == 1


def test_enterprise_debtor_and_guarantor(tmp_path, run_import):
    header = [*HEADER, "担保人", "担保人证件号码", "担保人电话"]
    rows = [
        row(
            1,
            债务人姓名="北京某某科技有限公司",
            证件号码=uscc(7),
            担保人="赵六",
            担保人证件号码=prc_id(9),
            担保人电话=mobile(9),
        )
    ]
    path = write_csv(tmp_path / "p.csv", rows, header=header)
    assert run_import(path).imported == 1
    debtor = Debtor.objects.get()
    assert debtor.kind == Debtor.Kind.ENTERPRISE and pii.get_value(debtor, "id_number") == uscc(7)
    guarantor = Guarantor.objects.get()
    assert guarantor.name == "赵六" and pii.get_value(guarantor, "id_number") == prc_id(9)
    assert guarantor.phone_masked == "138****0009"
    assert run_import(path).unchanged == 1 and Guarantor.objects.count() == 1


def test_portfolio_defaults_and_placement_conflict(tmp_path, run_import, creditor):
    path = write_csv(tmp_path / "p.csv", [row(1)])
    result = run_import(path, placement_date=date(2026, 11, 2))
    assert result.portfolio_code == "ICBC-20261102"
    assert Portfolio.objects.get().placement_date == date(2026, 11, 2)
    PortfolioFactory(creditor=creditor, code="OLD", placement_date=date(2026, 1, 5))
    with pytest.raises(UnusableInput) as exc:
        run_import(path, portfolio_code="OLD", placement_date=date(2026, 2, 1))
    assert exc.value.code == "options_invalid"
    with pytest.raises(UnusableInput) as exc:
        run_import(path, placement_date=date(2026, 2, 1), recall_date=date(2026, 1, 1))
    assert exc.value.code == "options_invalid"


def test_only_users_who_may_import(tmp_path, run_import, collector):
    path = write_csv(tmp_path / "p.csv", [row(1)])
    with pytest.raises(AccessDenied):
        run_import(path, actor=collector)
    assert Debt.objects.count() == 0
    assert run_import(path, actor="cli:ops").imported == 1
    assert AuditEvent.objects.filter(action="debt.import").get().actor_label == "cli:ops"


def test_a_debtor_of_another_creditor_is_not_reused(tmp_path, run_import, creditor):
    other = DebtorFactory(id_number=prc_id(1), name="张一")
    assert other.creditor != creditor
    assert run_import(write_csv(tmp_path / "p.csv", [row(1)])).imported == 1
    mine = Debtor.objects.get(creditor=creditor)
    assert mine.pk != other.pk and mine.name == "张1"
    assert mine.id_number_bidx == other.id_number_bidx
    assert other.cases.count() == 0 and other.contact_points.count() == 0
