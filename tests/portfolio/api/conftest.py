"""Fixtures for the API tests: token clients per role and a small world of two creditors.

Creditor A's case is assigned to the collector and granted to the creditor_viewer; creditor B's case
is nobody's, so the collector and the creditor_viewer must not see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from qingzhai.compliance.services import contact_log
from qingzhai.core.clock import business_today, business_tz, now
from qingzhai.portfolio import services
from qingzhai.portfolio.models import (
    Activity,
    Case,
    Creditor,
    Debt,
    Debtor,
    ImportJob,
    Payment,
    Portfolio,
    PromiseToPay,
)
from tests.factories import case_with_debt, make_prc_id


def daytime(hour: int = 10) -> datetime:
    """The latest moment at `hour`:00 Beijing time that is not in the future: an outbound contact logged then
    is inside the lawful contact hours whenever the tests run (the gate refuses 22:00–08:00)."""
    local = now().astimezone(business_tz())
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at <= local else at - timedelta(days=1)


def placement_csv(rows: int = 2, *, start: int = 500) -> bytes:
    """A small, valid placement file with the documented Chinese headers (UTF-8)."""
    lines = ["合同编号,债务人姓名,证件号码,手机号码,剩余本金,利息"]
    for i in range(rows):
        lines.append(
            f"IMP{start + i:05d},李{start + i},{make_prc_id(start + i)},1390000{start + i:04d},8000.00,120.50"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """DRF throttles count in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def token_client(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api_for(users):
    """api_for("collector") -> an APIClient authenticated with that role's token; None -> anonymous."""

    def make(role: str | None) -> APIClient:
        return token_client(users[role] if role else None)

    return make


@dataclass
class Side:
    creditor: Creditor
    portfolio: Portfolio
    debtor: Debtor
    case: Case
    debt: Debt
    payment: Payment
    promise: PromiseToPay
    activity: Activity


@dataclass
class World:
    a: Side  # visible to the collector (assigned) and to the creditor_viewer (granted)
    b: Side  # visible to neither
    job: ImportJob


def _side(case: Case, actor: Any) -> Side:
    debt = case.debts.get()
    today = business_today()
    payment = services.payment_record(
        actor=actor, debt_id=debt.pk, amount_fen=10_000, paid_on=today, reference=f"R-{case.pk}"
    )
    promise = services.promise_create(
        actor=actor, case_id=case.pk, amount_fen=50_000, due_date=today + timedelta(days=7)
    )
    activity = contact_log(
        actor=actor,
        case_id=case.pk,
        kind=Activity.Kind.CALL,
        outcome=Activity.Outcome.NO_ANSWER,
        contact_point_id=case.debtor.contact_points.get().pk,
        occurred_at=daytime(),
    )
    case.refresh_from_db()
    return Side(
        creditor=case.portfolio.creditor,
        portfolio=case.portfolio,
        debtor=case.debtor,
        case=case,
        debt=debt,
        payment=payment,
        promise=promise,
        activity=activity,
    )


@pytest.fixture
def world(users) -> World:
    admin = users["admin"]
    case_a = case_with_debt(assigned_to=users["collector"])
    case_b = case_with_debt()
    services.creditor_viewer_grant(
        actor=admin, user=users["creditor_viewer"], creditor_codes=[case_a.portfolio.creditor.code]
    )
    job = ImportJob.objects.create(
        creditor=case_a.portfolio.creditor,
        uploaded_by=users["supervisor"],
        original_name="placement.csv",
        stored_path="imports/placement.csv",
        status=ImportJob.Status.VALIDATED,
        rows=3,
        progress_done=3,
        progress_total=3,
        errors=[{"row": 2, "column": "id_number", "code": "id_check_digit", "message": "校验位错误"}],
        error_count=1,
    )
    return World(a=_side(case_a, admin), b=_side(case_b, admin), job=job)
