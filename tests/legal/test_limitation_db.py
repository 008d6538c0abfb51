"""The limitation period of a debt from the database, and `qingzhai legal limitation`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import legal_limitation as _limitation_command  # noqa: F401  (registers the command)
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.legal.selectors import debt_limitation
from qingzhai.portfolio.models import Activity, Instalment, Payment, PromiseToPay
from tests.factories import DebtFactory

runner = CliRunner()
NOW = timezone.now()


def _at(year: int, month: int, day: int, hour_utc: int = 2) -> datetime:
    return datetime(year, month, day, hour_utc, tzinfo=UTC)


def _pay(debt, amount_fen: int, on: date, reversal_of=None) -> Payment:
    return Payment.objects.create(
        debt=debt, case=debt.case, amount_fen=amount_fen, paid_on=on, recorded_at=NOW, reversal_of=reversal_of
    )


def _activity(debt, kind: str, outcome: str, at: datetime, party: str = "debtor") -> Activity:
    return Activity.objects.create(
        case=debt.case, kind=kind, outcome=outcome, party=party, occurred_at=at, created_at=NOW
    )


@pytest.fixture
def debt(db):
    """Due 2022-03-10; a delivered letter, a promise, an undelivered SMS, a reversed payment, a call."""
    debt = DebtFactory(due_date=date(2022, 3, 10), overdue_since=date(2022, 3, 11))
    _activity(debt, "letter", "delivered", _at(2023, 6, 1))
    PromiseToPay.objects.create(
        case=debt.case, amount_fen=5000, due_date=date(2023, 7, 20), created_at=_at(2023, 7, 3)
    )
    PromiseToPay.objects.create(
        case=debt.case,
        amount_fen=5000,
        due_date=date(2023, 9, 20),
        created_at=_at(2023, 9, 3),
        status="cancelled",
    )
    _activity(debt, "sms", "no_answer", _at(2023, 9, 1))
    _activity(debt, "call", "connected", _at(2023, 10, 9))
    _activity(debt, "letter", "delivered", _at(2023, 11, 1), party="emergency")
    paid = _pay(debt, 10_000, date(2023, 8, 1))
    _pay(debt, -10_000, date(2023, 8, 2), reversal_of=paid)
    return debt


def test_the_selector_builds_events_from_payments_promises_and_demands(debt):
    found = debt_limitation(debt_id=debt.pk, as_of=date(2026, 5, 1))
    result = found.result
    assert (result.start, result.expiry, result.days_left, result.status) == (
        date(2022, 3, 10),
        date(2026, 7, 3),
        63,
        "expiring_soon",
    )
    letter, sms = Activity.objects.filter(kind__in=["letter", "sms"], party="debtor").order_by("occurred_at")
    promise = PromiseToPay.objects.get(status="open")
    assert [(e.on, e.kind, e.ref, e.effect) for e in result.events] == [
        (date(2023, 6, 1), "demand", f"activity:{letter.pk}", "interrupts"),
        (date(2023, 7, 3), "acknowledgment", f"promise:{promise.pk}", "interrupts"),
        (date(2023, 9, 1), "demand", f"activity:{sms.pk}", "no_delivery"),
    ]
    assert found.as_dict()["debt_id"] == debt.pk and found.as_dict()["contract_no"] == debt.contract_no


def test_a_payment_counts_and_dates_are_taken_in_shanghai_time(db):
    debt = DebtFactory(due_date=date(2022, 3, 10))
    _pay(debt, 20_000, date(2023, 1, 16))
    _activity(debt, "email", "delivered", _at(2023, 1, 15, hour_utc=17))  # 01:00 on 01-16 in Shanghai
    result = debt_limitation(debt_id=debt.pk, as_of=date(2025, 6, 1)).result
    assert result.expiry == date(2026, 1, 16)
    assert [(e.on, e.kind) for e in result.events] == [
        (date(2023, 1, 16), "demand"),
        (date(2023, 1, 16), "partial_payment"),
    ]


def test_instalments_run_from_the_last_due_date(db):
    debt = DebtFactory(due_date=date(2021, 1, 10))
    for seq, due in enumerate([date(2022, 1, 10), date(2022, 3, 10), date(2022, 2, 10)], start=1):
        Instalment.objects.create(debt=debt, seq=seq, due_date=due, amount_fen=10_000)
    result = debt_limitation(debt_id=debt.pk, as_of=date(2024, 1, 1)).result
    assert (result.start, result.expiry) == (date(2022, 3, 10), date(2025, 3, 10))


def test_without_a_due_date_the_day_before_overdue_since_is_used_and_said(db):
    debt = DebtFactory(due_date=None, overdue_since=date(2022, 3, 11))
    result = debt_limitation(debt_id=debt.pk, as_of=date(2024, 1, 1)).result
    assert (result.start, result.expiry) == (date(2022, 3, 10), date(2025, 3, 10))
    assert "overdue_since" in result.start_basis_en and "逾期起始日" in result.start_basis_zh


def test_a_debt_without_any_date_is_refused(db):
    debt = DebtFactory(due_date=None, overdue_since=None)
    with pytest.raises(DomainError) as exc:
        debt_limitation(debt_id=debt.pk)
    assert exc.value.code == "no_due_date" and "due_date" in exc.value.fields


def test_unknown_or_invisible_debts_are_not_found(debt, make_user):
    with pytest.raises(NotFound):
        debt_limitation(debt_id=debt.pk + 1000)
    with pytest.raises(NotFound):
        debt_limitation(debt_id="abc")
    with pytest.raises(NotFound):
        debt_limitation(debt_id=debt.pk, user=make_user("collector"))
    assert debt_limitation(
        debt_id=debt.pk, user=make_user("admin"), as_of=date(2026, 5, 1)
    ).result.expiry == date(2026, 7, 3)


def test_cli_json(debt):
    result = runner.invoke(
        app, ["legal", "limitation", "--debt", str(debt.pk), "--as-of", "2026-05-01", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: data[k] for k in ("debt_id", "start", "expiry", "days_left", "status")} == {
        "debt_id": debt.pk,
        "start": "2022-03-10",
        "expiry": "2026-07-03",
        "days_left": 63,
        "status": "expiring_soon",
    }
    assert [(e["kind"], e["interrupts"]) for e in data["events"]] == [
        ("demand", True),
        ("acknowledgment", True),
        ("demand", False),
    ]
    assert (
        data["events"][2]["why_zh"].startswith("没有送达证明") and "delivery" in data["events"][2]["why_en"]
    )


def test_cli_table(debt):
    result = runner.invoke(app, ["legal", "limitation", "--debt", str(debt.pk), "--as-of", "2026-05-01"])
    assert result.exit_code == 0, result.output
    assert "2026-07-03" in result.output and "即将届满" in result.output and "expiring soon" in result.output


def test_cli_errors_are_bilingual_with_exit_2(debt):
    missing = runner.invoke(app, ["legal", "limitation", "--debt", str(debt.pk + 1000), "--json"])
    assert missing.exit_code == 2
    body = json.loads(missing.output)
    assert (
        body["code"] == "not_found" and "不存在" in body["message_zh"] and "not found" in body["message_en"]
    )
    bad = runner.invoke(
        app, ["legal", "limitation", "--debt", str(debt.pk), "--as-of", "2026-13-01", "--json"]
    )
    assert bad.exit_code == 2 and json.loads(bad.output)["code"] == "invalid_date"
    plain = runner.invoke(app, ["legal", "limitation", "--debt", "x"])
    assert plain.exit_code == 2 and "Debt x not found" in plain.output
