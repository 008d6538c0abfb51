"""What the import's raw inserts store, compared with what the models and services would store: personal
data as pii.set_value writes it, column defaults, the audit event of a new debt, the cases' totals."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.core import pii
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio import services
from qingzhai.portfolio.buckets import days_past_due
from qingzhai.portfolio.intake.load import run
from qingzhai.portfolio.models import BankAccount, Case, ContactPoint, Debt, Debtor, Guarantor
from tests.portfolio.intake.helpers import HEADER, mobile, prc_id, row, write_csv

TODAY = date(2026, 11, 28)
GUARANTOR_HEADER = [*HEADER, "工作单位", "单位地址", "担保人", "担保人证件号码", "担保人电话"]


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setattr(run, "business_today", lambda: TODAY)


def _as_set_value_stores(obj, attr: str) -> dict[str, str]:
    """The columns pii.set_value writes for the plaintext stored in obj.<attr>."""
    fresh = type(obj)()
    pii.set_value(fresh, attr, pii.get_value(obj, attr))
    names = [n for n in (f"{attr}_enc", f"{attr}_masked", f"{attr}_bidx") if hasattr(fresh, n)]
    return {n: getattr(fresh, n) for n in names if not n.endswith("_enc")}


def _stored(obj, attr: str) -> dict[str, str]:
    names = [n for n in (f"{attr}_masked", f"{attr}_bidx") if hasattr(obj, n)]
    return {n: getattr(obj, n) for n in names}


def test_personal_data_is_stored_as_pii_set_value_stores_it(tmp_path, run_import):
    cells = row(
        1,
        家庭住址="北京市 朝阳区 建国路88号",
        工作单位="北京某某科技有限公司",
        单位地址="北京市海淀区 中关村大街1号",
        担保人="赵六",
        担保人证件号码=prc_id(9),
        担保人电话=mobile(9),
        银行账号="6222 0000 0000 0001",
    )
    assert run_import(write_csv(tmp_path / "p.csv", [cells], header=GUARANTOR_HEADER)).imported == 1

    debtor = Debtor.objects.get()
    assert pii.get_value(debtor, "id_number") == prc_id(1)
    assert pii.get_value(debtor, "home_address") == "北京市朝阳区建国路88号"
    assert pii.get_value(debtor, "work_address") == "北京市海淀区中关村大街1号"
    assert debtor.id_number_bidx == pii.lookup_index("id_number", prc_id(1))
    for attr in ("id_number", "home_address", "work_address"):
        assert _stored(debtor, attr) == _as_set_value_stores(debtor, attr)
    points = {p.party: p for p in ContactPoint.objects.all()}
    assert pii.get_value(points["debtor"], "value") == mobile(1)
    assert pii.get_value(points["emergency"], "value") == mobile(50_000_001)
    for point in points.values():
        assert _stored(point, "value") == _as_set_value_stores(point, "value")
    account = BankAccount.objects.get()
    assert pii.get_value(account, "account") == "6222000000000001"
    assert _stored(account, "account") == _as_set_value_stores(account, "account")
    guarantor = Guarantor.objects.get()
    assert (pii.get_value(guarantor, "id_number"), pii.get_value(guarantor, "phone")) == (
        prc_id(9),
        mobile(9),
    )
    for attr in ("id_number", "phone"):
        assert _stored(guarantor, attr) == _as_set_value_stores(guarantor, attr)


def test_columns_the_import_does_not_set_get_their_defaults(tmp_path, run_import):
    run_import(write_csv(tmp_path / "p.csv", [row(1)]))
    debt = Debt.objects.get()
    assert debt.allocation_order == Debt._meta.get_field("allocation_order").default
    assert debt.created_at is not None and debt.updated_at is not None
    debtor = Debtor.objects.get()
    assert debtor.timezone == "Asia/Shanghai" and debtor.created_at is not None
    assert set(ContactPoint.objects.values_list("status", flat=True)) == {"valid"}
    case = Case.objects.get()
    assert (case.stage, case.assigned_to_id, case.next_action_date) == ("new", None, None)
    assert Guarantor.objects.count() == 0


def test_the_audit_event_of_a_new_debt(tmp_path, run_import, supervisor):
    run_import(write_csv(tmp_path / "p.csv", [row(1)]), portfolio_code="P1")
    debt = Debt.objects.get()
    event = AuditEvent.objects.get(action="debt.import")
    dpd = days_past_due(date(2024, 3, 1), TODAY)
    assert event.changes == {
        "contract_no": [None, "HT000001"],
        "case": [None, debt.case_id],
        "principal_fen": [None, 1_234_567],
        "interest_fen": [None, 50_000],
        "penalty_fen": [None, 12_050],
        "fee_fen": [None, 0],
        "status": [None, "open"],
        "dpd": [None, dpd],
        "bucket": [None, "M6+"],
        "overdue_since": [None, "2024-03-01"],
        "due_date": [None, "2024-01-15"],
        "product": [None, "信用卡"],
        "annual_rate": [None, "18.0000"],
        "contract_date": [None, "2023-01-15"],
        "allocation_order": [None, "fee,interest,penalty,principal"],
    }
    assert (event.entity_type, event.entity_id, event.actor, event.actor_label) == (
        "portfolio.debt",
        str(debt.pk),
        supervisor,
        supervisor.username,
    )
    assert (event.reason, event.source) == ("导入 import: p.csv", "import")
    assert event.occurred_at is not None


def _totals(case: Case) -> tuple[int, int, str]:
    case.refresh_from_db()
    kept = (case.total_balance_fen, case.max_dpd, case.bucket)
    services.case_refresh_totals(case=case)
    case.refresh_from_db()
    assert kept == (case.total_balance_fen, case.max_dpd, case.bucket)
    return kept


def test_a_new_debt_joins_the_debtors_existing_case(tmp_path, run_import):
    run_import(write_csv(tmp_path / "a.csv", [row(1)]), portfolio_code="P1")
    case = Case.objects.get()
    assert _totals(case) == (1_296_617, days_past_due(date(2024, 3, 1), TODAY), "M6+")
    second = row(2, 证件号码=prc_id(1), 剩余本金="100", 利息="0", 罚息="0", 逾期开始日期="2026-11-01")
    result = run_import(write_csv(tmp_path / "b.csv", [row(1), second]), portfolio_code="P1")
    assert (result.imported, result.unchanged) == (1, 1)
    assert Case.objects.get() == case and case.debts.count() == 2
    assert _totals(case) == (1_296_617 + 10_000, days_past_due(date(2024, 3, 1), TODAY), "M6+")


def test_totals_of_cases_whose_debts_come_in_several_batches(tmp_path, run_import, monkeypatch):
    monkeypatch.setattr(run, "BATCH_SIZE", 2)
    overdue = ["2026-11-20", "2026-10-01", "2026-06-01", "2026-11-27", "2026-11-26"]
    rows = [
        row(n, 证件号码=prc_id(n % 2), 剩余本金=str(n * 100), 逾期开始日期=overdue[n - 1])
        for n in range(1, 6)
    ]
    rows.append(row(6, 证件号码=prc_id(7), 剩余本金="0", 利息="0", 罚息="0"))
    assert run_import(write_csv(tmp_path / "p.csv", rows)).imported == 6
    cases = {c.debtor.name: c for c in Case.objects.select_related("debtor")}
    assert _totals(cases["张1"]) == (
        (100 + 300 + 500) * 100 + 3 * (50_000 + 12_050),
        days_past_due(date(2026, 6, 1), TODAY),
        "M6",
    )
    assert _totals(cases["张2"]) == (
        (200 + 400) * 100 + 2 * (50_000 + 12_050),
        days_past_due(date(2026, 10, 1), TODAY),
        "M2",
    )
    assert _totals(cases["张6"]) == (0, 0, "M0")
    assert Debt.objects.get(contract_no="HT000006").status == "paid"


def test_the_sqlite_page_cache_is_enlarged_for_the_import_only(tmp_path, run_import, monkeypatch):
    from django.db import connection

    from qingzhai.portfolio.intake.load import sql

    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting")

    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    seen = []
    real_insert = sql.Table.insert

    def insert(self, rows, *, returning=True):
        seen.append(cache_size())
        return real_insert(self, rows, returning=returning)

    monkeypatch.setattr(sql.Table, "insert", insert)
    run_import(write_csv(tmp_path / "p.csv", [row(1)]))
    assert set(seen) == {-sql.SQLITE_CACHE_KIB} and before != -sql.SQLITE_CACHE_KIB
    assert cache_size() == before


def _lookups(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT")
        and ('"contract_no" IN (' in q["sql"] or '"id_number_bidx" IN (' in q["sql"])
    ]


def test_a_creditor_without_debts_needs_no_lookups(tmp_path, run_import, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(run, "BATCH_SIZE", 2)
    path = write_csv(tmp_path / "p.csv", [row(n, 证件号码=prc_id(n % 4)) for n in range(1, 7)])
    with CaptureQueriesContext(connection) as first:
        assert run_import(path, portfolio_code="P1").imported == 6
    assert _lookups(first.captured_queries) == []
    assert Debtor.objects.count() == 4 and Case.objects.count() == 4
    with CaptureQueriesContext(connection) as second:
        assert run_import(path, portfolio_code="P1").unchanged == 6
    assert len(_lookups(second.captured_queries)) == 3  # one per batch of two
    assert Debtor.objects.count() == 4 and Debt.objects.count() == 6


def test_statistics_are_refreshed_after_a_large_import_on_postgresql(tmp_path, run_import, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(run, "ANALYZE_AFTER_ROWS", 2)
    path = write_csv(tmp_path / "p.csv", [row(1), row(2)])
    with CaptureQueriesContext(connection) as dry:
        run_import(path, dry_run=True)
    with CaptureQueriesContext(connection) as real:
        run_import(path)
    with CaptureQueriesContext(connection) as again:
        run_import(path)
    analyzed = [
        [q["sql"] for q in c.captured_queries if q["sql"].startswith("ANALYZE")] for c in (dry, real, again)
    ]
    if connection.vendor == "postgresql":
        tables = '"portfolio_debtor", "portfolio_contactpoint", "portfolio_bankaccount", "portfolio_case", '
        tables += '"portfolio_debt", "portfolio_guarantor"'
        assert analyzed == [[], [f"ANALYZE {tables}"], []]
    else:
        assert analyzed == [[], [], []]


def test_raw_inserts_refuse_what_they_cannot_fill_alike():
    from qingzhai.portfolio.intake.load.sql import Table
    from qingzhai.portfolio.models import ImportJob

    with pytest.raises(ValueError, match="no columns"):
        Table(Debt, ("creditor_id", "contract_number"))
    with pytest.raises(ValueError, match="callable defaults"):
        Table(ImportJob, ("creditor_id", "original_name", "stored_path"))  # options, errors: dict(), list()
    assert Table(Debt, ("creditor_id", "case_id", "contract_no")).default("allocation_order") == (
        "fee,interest,penalty,principal"
    )
