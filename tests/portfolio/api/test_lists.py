"""List filters, search, sorting and pagination."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qingzhai.core.clock import business_today
from qingzhai.portfolio.models import Case, Tag
from tests.factories import DebtFactory, case_with_debt


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def queue(world, users):
    """World A (assigned to the collector, stage new) and B (unassigned), plus C: the legal officer's,
    in stage legal, a small balance, a tag and an early next action."""
    c = case_with_debt(assigned_to=users["legal"], portfolio=world.a.portfolio)
    c.debts.update(principal_fen=100, interest_fen=0, penalty_fen=0, fee_fen=0, dpd=200, bucket="M7")
    Case.objects.filter(pk=c.pk).update(
        stage="legal",
        next_action_date=business_today() - timedelta(days=1),
        total_balance_fen=100,
        max_dpd=200,
        bucket="M7",
    )
    c.tags.add(Tag.objects.create(name="诉讼"))
    return {"a": world.a.case.pk, "b": world.b.case.pk, "c": c.pk, "c_contract": c.debts.get().contract_no}


def test_case_filters(queue, world, users, api_for):
    client = api_for("admin")
    url = "/api/v1/cases/"
    assert sorted(ids(client.get(url))) == sorted([queue["a"], queue["b"], queue["c"]])
    assert ids(client.get(url, {"stage": "legal"})) == [queue["c"]]
    assert sorted(ids(client.get(url, {"stage": "contact"}))) == sorted([queue["a"], queue["b"]])
    assert ids(client.get(url, {"bucket": "M7"})) == [queue["c"]]
    assert sorted(ids(client.get(url, {"creditor": world.a.creditor.pk}))) == sorted([queue["a"], queue["c"]])
    assert ids(client.get(url, {"portfolio": world.b.portfolio.pk})) == [queue["b"]]
    assert ids(client.get(url, {"assigned_to": users["collector"].pk})) == [queue["a"]]
    assert ids(client.get(url, {"unassigned": "true"})) == [queue["b"]]
    assert ids(client.get(url, {"next_action_before": business_today().isoformat()})) == [queue["c"]]
    assert ids(client.get(url, {"max_balance": "1.00"})) == [queue["c"]]
    assert sorted(ids(client.get(url, {"min_balance": "1,000.00"}))) == sorted([queue["a"], queue["b"]])
    assert ids(client.get(url, {"q": queue["c_contract"]})) == [queue["c"]]
    assert ids(client.get(url, {"q": world.b.debtor.name})) == [queue["b"]]
    assert ids(client.get(url, {"tag": "诉讼"})) == [queue["c"]]
    assert ids(client.get(url, {"sort": "balance"}))[0] == queue["c"]
    assert ids(client.get(url, {"sort": "-dpd"}))[0] == queue["c"]


def test_case_list_row_shape(queue, world, users, api_for):
    row = next(r for r in api_for("admin").get("/api/v1/cases/").json()["results"] if r["id"] == queue["a"])
    assert row["portfolio"] == {
        "id": world.a.portfolio.pk,
        "code": world.a.portfolio.code,
        "name": world.a.portfolio.name,
    }
    assert row["creditor"] == {
        "id": world.a.creditor.pk,
        "name": world.a.creditor.name,
        "code": world.a.creditor.code,
    }
    assert row["debtor"] == {
        "id": world.a.debtor.pk,
        "name": world.a.debtor.name,
        "kind": "person",
        "id_number_masked": world.a.debtor.id_number_masked,
    }
    assert row["assigned_to"] == {
        "id": users["collector"].pk,
        "username": users["collector"].username,
        "label": users["collector"].label,
        "role": "collector",
    }
    assert (row["stage"], row["bucket"], row["max_dpd"], row["tags"]) == ("contact", "M2", 45, [])


def test_pagination(world, api_for):
    for _ in range(3):
        DebtFactory(case=world.a.case)
    client = api_for("admin")
    first = client.get("/api/v1/debts/", {"page_size": 2}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (5, 2, None)
    assert first["next"].endswith("/api/v1/debts/?page=2&page_size=2")
    last = client.get("/api/v1/debts/", {"page_size": 2, "page": 3}).json()
    assert (len(last["results"]), last["next"]) == (1, None)


def test_other_list_filters(world, api_for):
    client = api_for("admin")
    a, b = world.a, world.b
    assert ids(client.get("/api/v1/debts/", {"case": a.case.pk})) == [a.debt.pk]
    assert ids(client.get("/api/v1/debts/", {"creditor": b.creditor.pk})) == [b.debt.pk]
    assert ids(client.get("/api/v1/debts/", {"contract_no": b.debt.contract_no[-4:]})) == [b.debt.pk]
    assert ids(client.get("/api/v1/debts/", {"status": "paid"})) == []
    assert ids(client.get("/api/v1/payments/", {"debt": b.debt.pk})) == [b.payment.pk]
    assert ids(client.get("/api/v1/payments/", {"case": a.case.pk})) == [a.payment.pk]
    assert ids(client.get("/api/v1/promises/", {"case": b.case.pk})) == [b.promise.pk]
    assert ids(client.get("/api/v1/promises/", {"status": "kept"})) == []
    assert ids(client.get("/api/v1/activities/", {"case": a.case.pk, "kind": "call"})) == [a.activity.pk]
    assert ids(client.get("/api/v1/activities/", {"kind": "visit"})) == []
    assert ids(client.get("/api/v1/debtors/", {"creditor": a.creditor.pk})) == [a.debtor.pk]
    assert ids(client.get("/api/v1/debtors/", {"q": b.debtor.name})) == [b.debtor.pk]
    assert ids(client.get("/api/v1/portfolios/", {"creditor": b.creditor.pk})) == [b.portfolio.pk]
    assert ids(client.get("/api/v1/creditors/", {"q": a.creditor.code})) == [a.creditor.pk]
    assert ids(client.get("/api/v1/imports/", {"creditor": a.creditor.pk})) == [world.job.pk]
    assert ids(client.get("/api/v1/imports/", {"status": "done"})) == []


def test_import_job_shape(world, api_for):
    body = api_for("auditor").get(f"/api/v1/imports/{world.job.pk}/").json()
    assert {k: body[k] for k in ("status", "rows", "error_count", "progress", "errors", "original_name")} == {
        "status": "validated",
        "rows": 3,
        "error_count": 1,
        "progress": {"done": 3, "total": 3, "percent": 100},
        "errors": [{"row": 2, "column": "id_number", "code": "id_check_digit", "message": "校验位错误"}],
        "original_name": "placement.csv",
    }
    assert body["uploaded_by"]["role"] == "supervisor"
