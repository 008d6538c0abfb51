"""No API response carries personal data in plaintext, except the reveal answer, which is audited."""

from __future__ import annotations

import json

import pytest

from qingzhai.compliance.services import contact_log
from qingzhai.core import pii
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio import services
from qingzhai.portfolio.models import Activity, BankAccount, Guarantor
from tests.factories import CaseFactory, ContactPointFactory, DebtFactory, make_prc_id
from tests.portfolio.api.conftest import daytime

ID_NUMBER = make_prc_id(321)
PHONE = "13900001111"
EMERGENCY_PHONE = "13700002222"
HOME = "北京市朝阳区建国路88号3单元1201"  # what DebtorFactory stores
WORK = "上海市浦东新区世纪大道100号20层"
GUARANTOR_ID = make_prc_id(654)
GUARANTOR_PHONE = "13600003333"
BANK_ACCOUNT = "6222020200112233445"
PLAINTEXTS = [ID_NUMBER, PHONE, EMERGENCY_PHONE, HOME, WORK, GUARANTOR_ID, GUARANTOR_PHONE, BANK_ACCOUNT]


@pytest.fixture
def exposed(users):
    """A case whose debtor, contacts, guarantor and bank account carry known personal data."""
    admin = users["admin"]
    case = CaseFactory(assigned_to=users["collector"], debtor__id_number=ID_NUMBER)
    debtor = case.debtor
    pii.set_value(debtor, "work_address", WORK)
    debtor.save()
    phone = ContactPointFactory(debtor=debtor, value=PHONE)
    emergency = ContactPointFactory(
        debtor=debtor,
        value=EMERGENCY_PHONE,
        party="emergency",
        is_primary=False,
        name="王五",
        relation="朋友",
    )
    debt = DebtFactory(case=case)
    guarantor = Guarantor(debt=debt, name="赵六")
    pii.set_value(guarantor, "id_number", GUARANTOR_ID)
    pii.set_value(guarantor, "phone", GUARANTOR_PHONE)
    guarantor.save()
    account = BankAccount(debtor=debtor, bank_name="工商银行")
    pii.set_value(account, "account", BANK_ACCOUNT)
    account.save()
    services.case_refresh_totals(case=case)
    contact_log(
        actor=admin,
        case_id=case.pk,
        kind=Activity.Kind.CALL,
        outcome=Activity.Outcome.CONNECTED,
        contact_point_id=phone.pk,
        note="已接通",
        occurred_at=daytime(),
    )
    services.payment_record(actor=admin, debt_id=debt.pk, amount_fen=5_000, paid_on=debt.created_at.date())
    services.creditor_viewer_grant(
        actor=admin, user=users["creditor_viewer"], creditor_codes=[case.portfolio.creditor.code]
    )
    return {"case": case, "debtor": debtor, "debt": debt, "phone": phone, "emergency": emergency}


def _urls(x) -> list[str]:
    case, debtor, debt = x["case"], x["debtor"], x["debt"]
    return [
        "/api/v1/cases/",
        f"/api/v1/cases/?q={ID_NUMBER}",
        f"/api/v1/cases/?q={PHONE}",
        f"/api/v1/cases/{case.pk}/",
        f"/api/v1/cases/{case.pk}/timeline/",
        "/api/v1/debtors/",
        f"/api/v1/debtors/?q={ID_NUMBER}",
        f"/api/v1/debtors/{debtor.pk}/",
        "/api/v1/debts/",
        f"/api/v1/debts/{debt.pk}/",
        "/api/v1/payments/",
        "/api/v1/promises/",
        "/api/v1/activities/",
    ]


def _assert_no_plaintext(text: str, where: str) -> None:
    for secret in PLAINTEXTS:
        assert secret not in text, (secret, where)


@pytest.mark.parametrize("role", ["admin", "supervisor", "collector", "compliance", "creditor_viewer"])
def test_no_response_contains_plaintext_personal_data(role, exposed, api_for):
    client = api_for(role)
    for url in _urls(exposed):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_plaintext(response.content.decode("utf-8"), url)
        _assert_no_plaintext(json.dumps(response.json(), ensure_ascii=False), url)


def test_searches_by_exact_id_number_and_phone_find_the_case(exposed, api_for):
    client = api_for("collector")
    for term in (ID_NUMBER, PHONE):
        results = client.get("/api/v1/cases/", {"q": term}).json()["results"]
        assert [c["id"] for c in results] == [exposed["case"].pk]
    debtors = client.get("/api/v1/debtors/", {"q": ID_NUMBER}).json()["results"]
    assert [d["id"] for d in debtors] == [exposed["debtor"].pk]


def test_masked_values_are_what_the_api_shows(exposed, api_for):
    body = api_for("collector").get(f"/api/v1/debtors/{exposed['debtor'].pk}/").json()
    assert body["id_number_masked"] == ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:]
    assert body["home_address_masked"] == "北京市朝阳区********"
    assert body["work_address_masked"] == "上海市浦东新********"
    assert [(c["party"], c["value_masked"]) for c in body["contact_points"]] == [
        ("debtor", "139****1111"),
        ("emergency", "137****2222"),
    ]
    assert body["bank_accounts"] == [
        {
            "id": body["bank_accounts"][0]["id"],
            "bank_name": "工商银行",
            "account_masked": "6222***********3445",
        }
    ]
    debt = api_for("collector").get(f"/api/v1/debts/{exposed['debt'].pk}/").json()
    assert [(g["id_number_masked"], g["phone_masked"]) for g in debt["guarantors"]] == [
        (GUARANTOR_ID[:3] + "*" * 11 + GUARANTOR_ID[-4:], "136****3333")
    ]


@pytest.mark.parametrize(
    ("field", "expected"),
    [("id_number", ID_NUMBER), ("home_address", HOME), ("work_address", WORK)],
)
def test_reveal_returns_plaintext_and_writes_an_audit_event(field, expected, exposed, users, api_for):
    debtor = exposed["debtor"]
    response = api_for("collector").post(
        f"/api/v1/debtors/{debtor.pk}/reveal/",
        {"field": field, "reason": "债务人来电核实身份"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "debtor_id": debtor.pk,
        "field": field,
        "contact_point_id": None,
        "value": expected,
    }
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="pii.reveal")
    assert (event.actor, event.entity_type, event.entity_id) == (
        users["collector"],
        "portfolio.debtor",
        str(debtor.pk),
    )
    assert (event.changes, event.reason, event.source) == ({"field": field}, "债务人来电核实身份", "api")


def test_reveal_of_a_phone_names_the_contact_point(exposed, users, api_for):
    emergency = exposed["emergency"]
    response = api_for("legal").post(
        f"/api/v1/debtors/{exposed['debtor'].pk}/reveal/",
        {"field": "phone", "contact_point_id": emergency.pk, "reason": "联系紧急联系人"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["value"] == EMERGENCY_PHONE
    assert response.json()["contact_point_id"] == emergency.pk
    event = AuditEvent.objects.get(action="pii.reveal")
    assert (event.actor, event.entity_type, event.entity_id, event.changes) == (
        users["legal"],
        "portfolio.contactpoint",
        str(emergency.pk),
        {"field": "value"},
    )


def test_reveal_refusals_write_no_audit_event(exposed, world, api_for):
    client = api_for("collector")
    url = f"/api/v1/debtors/{exposed['debtor'].pk}/reveal/"
    cases = [
        ({"field": "id_number"}, 400, "invalid", {"reason"}),
        ({"field": "id_number", "reason": "看看"}, 400, "reason_required", {"reason"}),
        ({"field": "phone", "reason": "联系债务人本人"}, 400, "invalid", {"contact_point_id"}),
        ({"field": "bank_account", "reason": "联系债务人本人"}, 400, "invalid", {"field"}),
        (
            {
                "field": "phone",
                "contact_point_id": world.b.debtor.contact_points.get().pk,
                "reason": "联系本人",
            },
            404,
            "not_found",
            {"contact_point_id"},
        ),
    ]
    for data, status, code, fields in cases:
        response = client.post(url, data, format="json")
        assert response.status_code == status, data
        assert response.json()["code"] == code, data
        assert set(response.json()["fields"]) == fields, data
    assert AuditEvent.objects.filter(action="pii.reveal").count() == 0


def test_revealing_does_not_unmask_later_responses(exposed, api_for):
    client = api_for("collector")
    debtor = exposed["debtor"]
    client.post(
        f"/api/v1/debtors/{debtor.pk}/reveal/",
        {"field": "id_number", "reason": "核实身份信息"},
        format="json",
    )
    _assert_no_plaintext(client.get(f"/api/v1/debtors/{debtor.pk}/").content.decode(), "after reveal")
