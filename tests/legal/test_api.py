"""The legal API: who may read and write, opening a proceeding and moving it on by its events, the
deadlines calendar, KPIs, route advice, documents generated and downloaded; errors in the house shape
{"code", "message", "fields"}, in the request's language; money as fen and as 2-place decimal strings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qingzhai.core.clock import business_today
from qingzhai.legal.models import Proceeding
from qingzhai.legal.services.proceedings import deadlines_scan
from tests.legal.workspace import MANAGERS, ROLES, api, grant, payment_order_served

pytestmark = pytest.mark.django_db
API = "/api/v1/legal"


def error_code(response) -> str:
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    return body["code"]


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(users, case, other_case, role):
    grant(users["creditor_viewer"], case)
    legal = users["legal"]
    p = payment_order_served(legal, case)
    q = payment_order_served(legal, other_case)
    client = api(users[role])
    narrowed = role in ("collector", "creditor_viewer")
    for url in (f"{API}/cases/{case.pk}/", f"{API}/cases/{case.pk}/route/", f"{API}/proceedings/{p.pk}/"):
        assert client.get(url).status_code == 200, url
    for url in (f"{API}/cases/{other_case.pk}/", f"{API}/proceedings/{q.pk}/"):
        assert client.get(url).status_code == (404 if narrowed else 200), url
    listing = client.get(f"{API}/proceedings/").json()
    assert listing["count"] == (1 if narrowed else 2)
    assert client.get(f"{API}/deadlines/").json()["count"] == (1 if narrowed else 2)
    assert client.get(f"{API}/kpis/").json()["proceedings"] == (1 if narrowed else 2)
    opened = client.post(f"{API}/proceedings/", {"case_id": case.pk, "kind": "demand"}, format="json")
    moved = client.post(f"{API}/proceedings/{p.pk}/events/", {"event": "objection_filed"}, format="json")
    if role in MANAGERS:
        assert (opened.status_code, moved.status_code) == (201, 200)
    else:
        assert (opened.status_code, moved.status_code) == (403, 403)
        assert error_code(opened) == "permission_denied"


def test_anonymous_gets_401(case):
    client = api(None)
    for url in (f"{API}/cases/{case.pk}/", f"{API}/proceedings/", f"{API}/deadlines/", f"{API}/kpis/"):
        response = client.get(url)
        assert response.status_code == 401 and error_code(response) == "not_authenticated"


def test_open_and_transition(users, case):
    client = api(users["legal"])
    today = business_today()
    start = today - timedelta(days=4)
    response = client.post(
        f"{API}/proceedings/",
        {
            "case_id": case.pk,
            "kind": "suit",
            "business_date": start.isoformat(),
            "claim": "10800.50",
            "court": "朝阳法院",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["state"], body["claim_fen"], body["claim"], body["recovered"]) == (
        "suit",
        "drafted",
        1_080_050,
        "10800.50",
        "0.00",
    )
    assert body["next_events"] == ["filed", "settled", "withdrawn"]
    assert [e["event"] for e in body["events"]] == ["opened"]
    pid = body["id"]
    response = client.post(
        f"{API}/proceedings/{pid}/events/",
        {
            "event": "filed",
            "business_date": start.isoformat(),
            "facts": {"procedure": "small_claims"},
            "note": "立案",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "filed" and body["procedure"] in ("", "small_claims")
    filed = body["events"][-1]
    assert (filed["event"], filed["business_date"], filed["interrupts_limitation"], filed["note"]) == (
        "filed",
        start.isoformat(),
        True,
        "立案",
    )
    assert filed["facts"]["procedure"] == "small_claims"
    [deadline] = body["deadlines"]
    assert (deadline["party"], deadline["status"], deadline["case_id"]) == ("court", "open", case.pk)
    # the detail and the case summary agree
    assert api(users["auditor"]).get(f"{API}/proceedings/{pid}/").json() == body
    summary = client.get(f"{API}/cases/{case.pk}/").json()
    assert [p["id"] for p in summary["proceedings"]] == [pid]
    assert summary["claim_fen"] == 1_080_000 and summary["claim"] == "10800.00"
    assert {f["code"]: f["amount_fen"] for f in summary["fees"]}["acceptance"] == 7000
    assert {f["code"]: f["amount"] for f in summary["fees"]}["payment_order"] == "23.33"
    [debt] = summary["debts"]
    assert debt["outstanding_fen"] == 1_080_000 and debt["outstanding"] == "10800.00"


def test_engine_and_service_refusals_in_the_error_shape(users, case):
    client = api(users["legal"])
    p = payment_order_served(users["legal"], case)
    url = f"{API}/proceedings/{p.pk}/events/"
    response = client.post(url, {"event": "filed"}, format="json")
    assert response.status_code == 400 and error_code(response) == "unknown_event"
    response = client.post(
        url, {"event": "objection_window_lapsed"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert error_code(response) == "illegal_transition"
    assert "must be dated" in response.json()["message"] and "business_date" in response.json()["fields"]
    tomorrow = (business_today() + timedelta(days=1)).isoformat()
    response = client.post(url, {"event": "objection_filed", "business_date": tomorrow}, format="json")
    assert error_code(response) == "date_in_future" and "晚于今天" in response.json()["message"]
    response = client.post(url, {"event": "objection_filed", "facts": {"amount": "1.234"}}, format="json")
    assert error_code(response) == "invalid" and "facts.amount" in response.json()["fields"]
    response = client.post(f"{API}/proceedings/", {"case_id": case.pk, "kind": "appeal"}, format="json")
    assert error_code(response) == "invalid" and "kind" in response.json()["fields"]
    suit = client.post(f"{API}/proceedings/", {"case_id": case.pk, "kind": "suit"}, format="json").json()
    response = client.post(f"{API}/proceedings/{suit['id']}/events/", {"event": "filed"}, format="json")
    assert error_code(response) == "missing_fact" and "procedure" in response.json()["fields"]
    assert Proceeding.objects.get(pk=p.pk).state == "served"


def test_deadlines_filters(users, case):
    today = business_today()
    p = payment_order_served(users["legal"], case)
    client = api(users["legal"])
    body = client.get(f"{API}/deadlines/").json()
    assert [d["code"] for d in body["results"]] == ["objection_due"]
    body = client.get(f"{API}/deadlines/", {"status": "all"}).json()
    assert body["count"] == 4
    body = client.get(
        f"{API}/deadlines/", {"status": "met", "start": (today - timedelta(days=60)).isoformat()}
    ).json()
    assert {d["code"] for d in body["results"]} == {"acceptance_decision", "issue_decision", "service_due"}
    assert client.get(f"{API}/deadlines/", {"alerts": "1"}).json()["count"] == 0
    proceeding_due = p.deadlines.get(code="objection_due").due_on
    deadlines_scan(today=proceeding_due)
    assert client.get(f"{API}/deadlines/", {"alerts": "1"}).json()["results"][0]["alert"] == "due"
    response = client.get(f"{API}/deadlines/", {"start": "2026-01-01", "end": "2027-06-01"})
    assert response.status_code == 400 and error_code(response) == "bad_range"
    response = client.get(f"{API}/deadlines/", {"status": "late"})
    assert error_code(response) == "invalid"


def test_kpis(users, case):
    p = payment_order_served(users["legal"], case)
    client = api(users["legal"])
    from qingzhai.legal.services.proceedings import proceeding_transition

    proceeding_transition(
        actor=users["legal"], proceeding_id=p.pk, event="paid", on=business_today(), facts={"amount_fen": 500}
    )
    body = client.get(f"{API}/kpis/").json()
    assert body["payment_order"] == {"ended": 1, "succeeded": 1, "success_rate": 1.0}
    assert body["bands"][0]["payment_orders"] == 1 and body["bands"][0]["median_days_to_issue"] == 10.0
    assert body["enforcement"]["claimed_fen"] == 0 and body["enforcement"]["claimed"] == "0.00"
    other = client.get(f"{API}/kpis/", {"creditor": case.portfolio.creditor_id + 1000}).json()
    assert other["proceedings"] == 0


def test_route(users, case):
    body = api(users["collector"]).get(f"{API}/cases/{case.pk}/route/").json()
    codes = [o["code"] for o in body["options"]]
    assert body["recommended"] in codes and "wait" in codes
    option = body["options"][0]
    assert option["cost"] == f"{option['cost_fen'] // 100}.{option['cost_fen'] % 100:02d}"
    assert isinstance(body["explanation_zh"], list) and isinstance(body["explanation_en"], list)


def test_documents_generate_and_download(users, case):
    client = api(users["legal"])
    response = client.post(
        f"{API}/cases/{case.pk}/documents/", {"kind": "demand_letter", "fmt": "docx"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "demand_letter" and body["fmt"] == "docx"
    assert body["download_url"] == f"{API}/documents/{body['id']}/download/"
    download = client.get(body["download_url"])
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert api(users["collector"]).get(body["download_url"]).status_code == 200  # assigned, pii.reveal
    response = api(users["auditor"]).get(body["download_url"])
    assert response.status_code == 403 and error_code(response) == "permission_denied"
    response = client.post(f"{API}/cases/{case.pk}/documents/", {"kind": "complaint"}, format="json")
    assert response.status_code == 400 and error_code(response) == "court_required"
    response = api(users["collector"]).post(
        f"{API}/cases/{case.pk}/documents/", {"kind": "demand_letter"}, format="json"
    )
    assert response.status_code == 403
    summary = client.get(f"{API}/cases/{case.pk}/").json()
    assert [d["id"] for d in summary["documents"]] == [body["id"]]
