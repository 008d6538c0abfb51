"""Writes through the API: what they return, what they change, and the audit events they leave."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qingzhai.core.clock import business_today
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio.models import Case, Debt, Payment, Portfolio, PromiseToPay
from tests.portfolio.api.conftest import daytime

TODAY = business_today


def _since(mark: int) -> list[tuple[str, str, str]]:
    return sorted(
        AuditEvent.objects.filter(id__gt=mark).values_list("action", "entity_type", "source").order_by("id")
    )


def _mark() -> int:
    last = AuditEvent.objects.order_by("-id").first()
    return last.pk if last else 0


WRITES = [
    (
        "creditor",
        "admin",
        lambda w, u: (
            "/api/v1/creditors/",
            {"name": "华夏消费金融", "code": "HXCF", "kind": "consumer_finance"},
        ),
        201,
        [("creditor.create", "portfolio.creditor", "api")],
    ),
    (
        "portfolio",
        "supervisor",
        lambda w, u: (
            "/api/v1/portfolios/",
            {"creditor_id": w.a.creditor.pk, "code": "2026-11", "placement_date": "2026年11月1日"},
        ),
        201,
        [("portfolio.create", "portfolio.portfolio", "api")],
    ),
    (
        "reveal",
        "compliance",
        lambda w, u: (
            f"/api/v1/debtors/{w.a.debtor.pk}/reveal/",
            {"field": "home_address", "reason": "合规抽查"},
        ),
        200,
        [("pii.reveal", "portfolio.debtor", "api")],
    ),
    (
        "stage",
        "collector",
        lambda w, u: (f"/api/v1/cases/{w.a.case.pk}/stage/", {"to_stage": "negotiated", "reason": "已协商"}),
        200,
        [("case.stage", "portfolio.case", "api")],
    ),
    (
        "next action",
        "legal",
        lambda w, u: (f"/api/v1/cases/{w.a.case.pk}/next-action/", {"next_action_date": "2099-03-01"}),
        200,
        [("case.next_action", "portfolio.case", "api")],
    ),
    (
        "assign",
        "supervisor",
        lambda w, u: (
            "/api/v1/cases/assign/",
            {"case_ids": [w.a.case.pk, w.b.case.pk], "assignee_id": u["legal"].pk, "reason": "转法务"},
        ),
        200,
        [("case.assign", "portfolio.case", "api"), ("case.assign", "portfolio.case", "api")],
    ),
    (
        "payment",
        "collector",
        lambda w, u: (
            "/api/v1/payments/",
            {"debt_id": w.a.debt.pk, "amount": 1234.56, "paid_on": TODAY().isoformat(), "method": "alipay"},
        ),
        201,
        [
            ("debt.payment", "portfolio.debt", "api"),
            ("payment.create", "portfolio.payment", "api"),
            ("promise.payment", "portfolio.promisetopay", "api"),  # counts towards the open promise
        ],
    ),
    (
        "reverse",
        "supervisor",
        lambda w, u: (f"/api/v1/payments/{w.a.payment.pk}/reverse/", {"reason": "重复入账"}),
        201,
        [("debt.payment_reversed", "portfolio.debt", "api"), ("payment.reverse", "portfolio.payment", "api")],
    ),
    (
        "promise",
        "collector",
        lambda w, u: (
            "/api/v1/promises/",
            {
                "case_id": w.a.case.pk,
                "amount": "2000",
                "due_date": (TODAY() + timedelta(days=10)).isoformat(),
            },
        ),
        201,
        [("promise.create", "portfolio.promisetopay", "api")],
    ),
    (
        "promise cancel",
        "collector",
        lambda w, u: (f"/api/v1/promises/{w.a.promise.pk}/cancel/", {"reason": "债务人要求改期"}),
        200,
        [("promise.cancel", "portfolio.promisetopay", "api")],
    ),
    (
        "activity",
        "collector",
        lambda w, u: (
            "/api/v1/activities/",
            {
                "case_id": w.a.case.pk,
                "kind": "call",
                "outcome": "connected",
                "note": "本人接听",
                "occurred_at": daytime().isoformat(),
            },
        ),
        201,
        # the case is already in contact (its promise moved it there), so no stage change follows
        [("activity.create", "portfolio.activity", "api")],
    ),
]


@pytest.mark.parametrize(
    ("name", "role", "request_for", "status", "events"), WRITES, ids=[w[0] for w in WRITES]
)
def test_every_write_endpoint_writes_audit_events(
    name, role, request_for, status, events, world, users, api_for
):
    url, data = request_for(world, users)
    mark = _mark()
    response = api_for(role).post(url, data, format="json")
    assert response.status_code == status, response.content[:400]
    assert _since(mark) == sorted(events)
    assert set(AuditEvent.objects.filter(id__gt=mark).values_list("actor_id", flat=True)) == {users[role].pk}


def test_payment_amounts_in_fen_and_yuan(world, api_for):
    debt = world.a.debt
    before = Debt.objects.get(pk=debt.pk)
    response = api_for("collector").post(
        "/api/v1/payments/",
        {"debt_id": debt.pk, "amount": "¥1,234.56", "paid_on": TODAY().isoformat(), "reference": "WX-778"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["amount_fen"], body["amount"]) == (123_456, "1234.56")
    # The fee was paid by the world's first payment; interest, then penalty, then principal.
    assert (body["fee_fen"], body["interest_fen"], body["penalty_fen"], body["principal_fen"]) == (
        0,
        50_000,
        20_000,
        53_456,
    )
    assert (body["principal"], body["unapplied"]) == ("534.56", "0.00")
    assert (body["reference"], body["method"], body["reversal_of"], body["reversed_by"]) == (
        "WX-778",
        "bank_transfer",
        None,
        None,
    )
    assert body["contract_no"] == debt.contract_no
    after = Debt.objects.get(pk=debt.pk)
    assert before.balance_fen - after.balance_fen == 123_456


def test_numbers_are_read_as_yuan_without_float_error(world, api_for):
    response = api_for("collector").post(
        "/api/v1/payments/",
        {"debt_id": world.a.debt.pk, "amount": 0.1, "paid_on": TODAY().isoformat()},
        format="json",
    )
    assert response.json()["amount_fen"] == 10


def test_reversal_links_both_rows_and_restores_the_balance(world, api_for):
    original = world.a.payment
    balance = Debt.objects.get(pk=world.a.debt.pk).balance_fen
    client = api_for("supervisor")
    response = client.post(f"/api/v1/payments/{original.pk}/reverse/", {"reason": "重复入账"}, format="json")
    assert response.status_code == 201
    reversal = response.json()
    assert (reversal["amount_fen"], reversal["reversal_of"], reversal["note"]) == (
        -10_000,
        original.pk,
        "重复入账",
    )
    assert client.get(f"/api/v1/payments/{original.pk}/").json()["reversed_by"] == reversal["id"]
    assert Debt.objects.get(pk=world.a.debt.pk).balance_fen == balance + 10_000
    timeline = client.get(f"/api/v1/cases/{world.a.case.pk}/timeline/").json()
    payments = {e["payment"]["id"]: e["payment"]["reversed_by"] for e in timeline if e["kind"] == "payment"}
    assert payments == {original.pk: reversal["id"], reversal["id"]: None}


def test_debt_balances_in_fen_and_as_decimal_strings(world, api_for):
    body = api_for("collector").get(f"/api/v1/debts/{world.a.debt.pk}/").json()
    assert {k: body[k] for k in ("principal_fen", "principal", "interest_fen", "interest")} == {
        "principal_fen": 1_000_000,
        "principal": "10000.00",
        "interest_fen": 50_000,
        "interest": "500.00",
    }
    assert (body["fee_fen"], body["fee"]) == (0, "0.00")  # the world's payment of 100.00 took the fee
    assert (body["balance_fen"], body["balance"]) == (1_070_000, "10700.00")
    assert (body["original_principal_fen"], body["original_principal"]) == (1_000_000, "10000.00")
    case = api_for("collector").get(f"/api/v1/cases/{world.a.case.pk}/").json()
    assert (case["total_balance_fen"], case["total_balance"]) == (1_070_000, "10700.00")


def test_stage_change_returns_the_case_and_shows_on_the_timeline(world, users, api_for):
    client = api_for("collector")
    response = client.post(
        f"/api/v1/cases/{world.a.case.pk}/stage/",
        {"to_stage": "legal", "reason": "拒不还款，转诉讼", "business_date": "2026-11-20"},
        format="json",
    )
    assert response.status_code == 200
    case = response.json()
    assert (case["stage"], case["allowed_stages"]) == ("legal", ["agreement", "closed", "enforcement"])
    first = client.get(f"/api/v1/cases/{world.a.case.pk}/timeline/").json()[0]
    assert first["kind"] == "stage"
    assert first["activity"] is None and first["payment"] is None and first["promise"] is None
    change = first["stage_change"]
    assert (change["from_stage"], change["to_stage"], change["business_date"], change["reason"]) == (
        "contact",
        "legal",
        "2026-11-20",
        "拒不还款，转诉讼",
    )
    assert change["actor"]["username"] == users["collector"].username


def test_promise_sets_the_next_action_and_can_be_cancelled(world, api_for):
    client = api_for("collector")
    due = TODAY() + timedelta(days=2)
    response = client.post(
        "/api/v1/promises/",
        {"case_id": world.a.case.pk, "amount": "800.00", "due_date": due.isoformat(), "note": "发薪日还款"},
        format="json",
    )
    assert response.status_code == 201
    promise = response.json()
    assert (promise["amount_fen"], promise["amount"], promise["status"], promise["paid"]) == (
        80_000,
        "800.00",
        "open",
        "0.00",
    )
    assert Case.objects.get(pk=world.a.case.pk).next_action_date == due
    cancelled = client.post(f"/api/v1/promises/{promise['id']}/cancel/", {"reason": "改期"}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/promises/{promise['id']}/cancel/", {"reason": "改期"}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "promise_not_open")
    assert PromiseToPay.objects.get(pk=promise["id"]).status == "cancelled"


def test_activity_with_a_contact_point_and_time(world, api_for):
    contact = world.a.debtor.contact_points.get()
    response = api_for("collector").post(
        "/api/v1/activities/",
        {
            "case_id": world.a.case.pk,
            "kind": "call",
            "outcome": "wrong_number",
            "contact_point_id": contact.pk,
            "occurred_at": "2026-11-27T09:30:00+08:00",
            "duration_seconds": 42,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["contact_point_id"], body["contact_point_masked"], body["duration_seconds"]) == (
        contact.pk,
        "138****5678",
        42,
    )
    assert body["occurred_at"] == "2026-11-27T09:30:00+08:00"
    contact.refresh_from_db()
    assert contact.status == "wrong_number"
    response = api_for("collector").post(
        "/api/v1/activities/",
        {
            "case_id": world.a.case.pk,
            "kind": "call",
            "outcome": "connected",
            "occurred_at": "2199-01-01T00:00:00Z",
        },
        format="json",
    )
    assert (response.status_code, response.json()["fields"]) == (400, {"occurred_at": ["future"]})


def test_contact_point_of_another_debtor_is_refused(world, api_for):
    response = api_for("admin").post(
        "/api/v1/activities/",
        {
            "case_id": world.a.case.pk,
            "kind": "sms",
            "outcome": "delivered",
            "contact_point_id": world.b.debtor.contact_points.get().pk,
        },
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (400, "contact_point_invalid")


def test_assign_and_unassign(world, users, api_for):
    client = api_for("supervisor")
    ids = [world.a.case.pk, world.b.case.pk]
    response = client.post(
        "/api/v1/cases/assign/", {"case_ids": ids, "assignee_id": users["collector"].pk}, format="json"
    )
    assert response.json() == {"changed": 1}  # case A was the collector's already
    assert set(Case.objects.filter(pk__in=ids).values_list("assigned_to_id", flat=True)) == {
        users["collector"].pk
    }
    response = client.post("/api/v1/cases/assign/", {"case_ids": ids, "assignee_id": None}, format="json")
    assert response.json() == {"changed": 2}
    assert set(Case.objects.filter(pk__in=ids).values_list("assigned_to_id", flat=True)) == {None}


@pytest.mark.parametrize(
    ("data", "code", "fields"),
    [
        ({"case_ids": [], "assignee_id": None}, "invalid", {"case_ids"}),
        ({"case_ids": [1]}, "invalid", {"assignee_id"}),
        ({"case_ids": [999_999], "assignee_id": None}, "case_missing", {"case_ids"}),
        ({"case_ids": ["x"], "assignee_id": None}, "invalid", {"case_ids.0"}),
    ],
)
def test_assign_refusals(data, code, fields, world, api_for):
    response = api_for("supervisor").post("/api/v1/cases/assign/", data, format="json")
    assert response.status_code == 400
    assert (response.json()["code"], set(response.json()["fields"])) == (code, fields)


def test_assign_to_an_unknown_user_or_an_auditor_is_refused(world, users, api_for):
    client = api_for("supervisor")
    unknown = client.post(
        "/api/v1/cases/assign/", {"case_ids": [world.a.case.pk], "assignee_id": 987_654}, format="json"
    )
    assert (unknown.status_code, unknown.json()["code"], unknown.json()["fields"]) == (
        400,
        "assignee_invalid",
        {"assignee_id": ["987654"]},
    )
    auditor = client.post(
        "/api/v1/cases/assign/",
        {"case_ids": [world.a.case.pk], "assignee_id": users["auditor"].pk},
        format="json",
    )
    assert (auditor.status_code, auditor.json()["code"]) == (400, "assignee_invalid")


def test_next_action_can_be_cleared(world, api_for):
    client = api_for("collector")
    url = f"/api/v1/cases/{world.a.case.pk}/next-action/"
    assert (
        client.post(url, {"next_action_date": "2099-01-02"}, format="json").json()["next_action_date"]
        == "2099-01-02"
    )
    assert client.post(url, {"next_action_date": None}, format="json").json()["next_action_date"] is None


def test_creating_reference_data(world, api_for):
    client = api_for("admin")
    created = client.post("/api/v1/creditors/", {"name": " 招商银行 ", "code": "CMB"}, format="json").json()
    assert {k: created[k] for k in ("name", "code", "kind", "is_active")} == {
        "name": "招商银行",
        "code": "CMB",
        "kind": "bank",
        "is_active": True,
    }
    dup = client.post("/api/v1/creditors/", {"name": "招商银行", "code": "CMB2"}, format="json")
    assert (dup.status_code, dup.json()["code"]) == (409, "creditor_exists")
    portfolio = client.post(
        "/api/v1/portfolios/",
        {
            "creditor_id": created["id"],
            "code": "CMB-2026-11",
            "placement_date": "2026-11-01",
            "recall_date": "2027-05-01",
        },
        format="json",
    ).json()
    assert (portfolio["creditor"]["id"], portfolio["placement_date"], portfolio["recall_date"]) == (
        created["id"],
        "2026-11-01",
        "2027-05-01",
    )
    bad = client.post(
        "/api/v1/portfolios/",
        {
            "creditor_id": created["id"],
            "code": "X",
            "placement_date": "2026-11-01",
            "recall_date": "2026-10-01",
        },
        format="json",
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "portfolio_dates")
    missing = client.post(
        "/api/v1/portfolios/",
        {"creditor_id": 99_999, "code": "X", "placement_date": "2026-11-01"},
        format="json",
    )
    assert missing.status_code == 404
    assert Portfolio.objects.filter(code="X").count() == 0


def test_payment_in_the_future_or_with_a_duplicate_reference(world, api_for):
    client = api_for("collector")
    future = client.post(
        "/api/v1/payments/",
        {"debt_id": world.a.debt.pk, "amount": "1", "paid_on": (TODAY() + timedelta(days=1)).isoformat()},
        format="json",
    )
    assert (future.status_code, future.json()["code"]) == (400, "date_in_future")
    dup = client.post(
        "/api/v1/payments/",
        {
            "debt_id": world.a.debt.pk,
            "amount": "1",
            "paid_on": TODAY().isoformat(),
            "reference": world.a.payment.reference,
        },
        format="json",
    )
    assert (dup.status_code, dup.json()["code"]) == (409, "duplicate_reference")
    assert Payment.objects.filter(debt=world.a.debt).count() == 1
