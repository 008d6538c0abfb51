"""The case page: what it shows, its actions (with and without htmx), bad input, access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingzhai.compliance.services import contact_log
from qingzhai.core.clock import business_today
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio import services
from qingzhai.portfolio.models import Activity, Case, Payment, PromiseToPay
from tests.web.conftest import form_time, past_local

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, case) -> str:
    return reverse(f"web:{name}", args=[case.pk])


def test_case_page_shows_debtor_debts_and_balance(collector_client, case):
    response = collector_client.get(url("case", case))
    assert response.status_code == 200
    html = response.content.decode()
    debt = case.debts.get()
    assert case.debtor.name in html
    assert case.debtor.id_number_masked in html
    assert "138****5678" in html
    assert debt.contract_no in html
    # 10,000 principal + 500 interest + 200 penalty + 100 fees
    assert '<strong class="big" data-testid="balance">¥10,800.00</strong>' in html
    assert "¥10,000.00" in html
    assert "还没有任何记录" in html


def test_collector_gets_404_for_someone_elses_case(collector_client, other_case):
    for name in ("case", "case_activity", "case_promise", "case_payment", "case_stage", "case_reveal"):
        method = collector_client.get if name == "case" else collector_client.post
        response = method(url(name, other_case), {})
        assert response.status_code == 404, name
        assert "记录不存在或无权查看" in response.content.decode()


def test_unknown_case_is_404(supervisor_client):
    assert supervisor_client.get("/cases/999999/").status_code == 404


# Calls are logged as made at 10:00 (Asia/Shanghai): the compliance gate refuses calls at night, and the
# tests must not depend on the hour they run at.
def test_log_a_call_in_one_click(collector_client, case):
    response = collector_client.post(
        url("case_activity", case),
        {"kind": "call", "party": "debtor", "quick": "no_answer", "occurred_at": form_time(past_local(10))},
    )
    assert response.status_code == 303
    assert response["Location"] == url("case", case)
    activity = Activity.objects.get(case=case)
    assert (activity.kind, activity.outcome, activity.party) == ("call", "no_answer", "debtor")
    page = collector_client.get(url("case", case)).content.decode()
    assert "已记录：电话 · 未接通" in page
    assert 'data-kind="activity"' in page


def test_log_with_htmx_returns_the_case_body(collector_client, case):
    cp = case.debtor.contact_points.get()
    response = collector_client.post(
        url("case_activity", case),
        {
            "kind": "sms",
            "party": "debtor",
            "outcome": "delivered",
            "contact_point": cp.pk,
            "note": "提醒还款",
            "occurred_at": form_time(past_local(10)),
        },
        **HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "已记录：短信 · 已送达" in html
    assert "提醒还款" in html
    assert Activity.objects.get(case=case).contact_point_id == cp.pk
    event = AuditEvent.objects.get(action="activity.create")
    assert (event.actor_label, event.source) == ("collector1", "web")


def test_first_contact_moves_a_new_case_to_contact(collector_client, case):
    collector_client.post(
        url("case_activity", case),
        {"kind": "call", "party": "debtor", "quick": "connected", "occurred_at": form_time(past_local(10))},
    )
    case.refresh_from_db()
    assert case.stage == "contact"


def test_record_a_promise(collector_client, case):
    due = business_today() + timedelta(days=5)
    response = collector_client.post(
        url("case_promise", case), {"amount": "¥1,200.50", "due_date": due.isoformat()}, **HX
    )
    assert response.status_code == 200
    promise = PromiseToPay.objects.get(case=case)
    assert (promise.amount_fen, promise.due_date, promise.status) == (120_050, due, "open")
    html = response.content.decode()
    assert f"已记录承诺还款 ¥1,200.50，日期 {due.isoformat()}" in html
    assert 'data-kind="promise"' in html
    case.refresh_from_db()
    assert case.next_action_date == due


def test_record_a_payment(collector_client, case):
    debt = case.debts.get()
    today = business_today()
    response = collector_client.post(
        url("case_payment", case),
        {
            "debt": debt.pk,
            "amount": "700",
            "paid_on": today.isoformat(),
            "method": "alipay",
            "reference": "ZF001",
        },
    )
    assert response.status_code == 303
    payment = Payment.objects.get(case=case)
    assert (payment.amount_fen, payment.method, payment.reference) == (70_000, "alipay", "ZF001")
    page = collector_client.get(url("case", case)).content.decode()
    assert "已登记还款 ¥700.00" in page
    assert "¥10,100.00" in page  # new balance
    assert 'data-kind="payment"' in page


def test_change_stage_only_to_allowed_targets(collector_client, case):
    page = collector_client.get(url("case", case))
    choices = [value for value, _ in page.context["stage_form"].fields["to_stage"].choices]
    assert choices == ["", "contact", "legal", "closed"]
    response = collector_client.post(
        url("case_stage", case), {"to_stage": "contact", "reason": "已与本人通话"}, **HX
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.stage == "contact"
    assert "阶段已变更为「联系中」" in response.content.decode()
    assert AuditEvent.objects.get(action="case.stage").reason == "已与本人通话"


def test_set_and_clear_next_action(collector_client, case):
    day = business_today() + timedelta(days=2)
    collector_client.post(url("case_next_action", case), {"next_action_date": day.isoformat()})
    case.refresh_from_db()
    assert case.next_action_date == day
    collector_client.post(url("case_next_action", case), {"next_action_date": ""})
    case.refresh_from_db()
    assert case.next_action_date is None


def _field_errors(response, form_name):
    return {name: list(errors) for name, errors in response.context[form_name].errors.items()}


@pytest.mark.parametrize(
    "data, errors",
    [
        ({}, {"amount": ["此项必填"], "due_date": ["此项必填"]}),
        ({"amount": "abc", "due_date": "2099-01-01"}, {"amount": ["金额格式不对：abc（例如 1234.56）"]}),
        ({"amount": "-5", "due_date": "2099-01-01"}, {"amount": ["金额不能为负数：-5"]}),
        ({"amount": "0", "due_date": "2099-01-01"}, {"amount": ["金额必须大于零：0"]}),
        ({"amount": "1.001", "due_date": "2099-01-01"}, {"amount": ["金额最多两位小数（精确到分）：1.001"]}),
        ({"amount": "100", "due_date": "2024/13/01"}, {"due_date": ["日期不存在：2024/13/01"]}),
        (
            {"amount": "100", "due_date": "next week"},
            {"due_date": ["日期格式无法识别：next week（可用 2024-03-01、2024/3/1、2024年3月1日）"]},
        ),
        ({"amount": "100", "due_date": "2020-01-01"}, {"due_date": ["承诺还款日期不能早于今天"]}),
        ({"amount": "99999", "due_date": "2099-01-01"}, {"amount": ["承诺金额超过欠款余额"]}),
    ],
)
def test_bad_promise_input(collector_client, case, data, errors):
    response = collector_client.post(url("case_promise", case), data)
    assert response.status_code == 400
    assert _field_errors(response, "promise_form") == errors
    assert PromiseToPay.objects.count() == 0
    assert response.context["open_panel"] == "promise"


def test_bad_payment_input(collector_client, case, other_case):
    debt = case.debts.get()
    today = business_today().isoformat()
    good = {"debt": debt.pk, "amount": "10", "paid_on": today, "method": "cash"}
    cases = [
        ({**good, "amount": ""}, {"amount": ["此项必填"]}, 400),
        ({**good, "paid_on": "2099-01-01"}, {"paid_on": ["还款日期不能晚于今天"]}, 400),
        ({**good, "method": "bitcoin"}, {"method": ["请选择列表中的选项"]}, 400),
        ({**good, "debt": other_case.debts.get().pk}, {"debt": ["请选择列表中的选项"]}, 400),
        ({**good, "debt": "x"}, {"debt": ["请选择列表中的选项"]}, 400),
    ]
    for data, errors, status in cases:
        response = collector_client.post(url("case_payment", case), data, **HX)
        assert response.status_code == status, data
        assert _field_errors(response, "payment_form") == errors, data
    assert Payment.objects.count() == 0
    collector_client.post(url("case_payment", case), {**good, "reference": "R1"})
    response = collector_client.post(url("case_payment", case), {**good, "reference": "R1"})
    assert response.status_code == 409
    assert _field_errors(response, "payment_form") == {"reference": ["该流水号已登记过：R1"]}


def test_bad_activity_and_stage_input(collector_client, case):
    response = collector_client.post(
        url("case_activity", case), {"kind": "fax", "party": "debtor", "outcome": "x"}
    )
    assert response.status_code == 400
    assert _field_errors(response, "activity_form") == {
        "kind": ["请选择列表中的选项"],
        "outcome": ["请选择列表中的选项"],
    }
    response = collector_client.post(url("case_stage", case), {"to_stage": "enforcement", "reason": "x"})
    assert response.status_code == 400
    assert _field_errors(response, "stage_form") == {"to_stage": ["请选择列表中的选项"]}
    response = collector_client.post(url("case_stage", case), {"to_stage": "contact", "reason": "   "})
    assert response.status_code == 400
    assert _field_errors(response, "stage_form") == {"reason": ["此项必填"]}
    response = collector_client.post(url("case_next_action", case), {"next_action_date": "2024-02-30"})
    assert response.status_code == 400
    assert _field_errors(response, "next_action_form") == {"next_action_date": ["日期不存在：2024-02-30"]}
    case.refresh_from_db()
    assert (case.stage, Activity.objects.count()) == ("new", 0)


def test_stage_conflict_when_the_case_moved_meanwhile(collector_client, case, collector):
    page = collector_client.get(url("case", case))
    assert page.status_code == 200
    services.case_change_stage(actor=collector, case_id=case.pk, to_stage="closed", reason="已结清")
    response = collector_client.post(url("case_stage", case), {"to_stage": "legal", "reason": "起诉"})
    assert response.status_code == 400  # "legal" is no longer offered from "closed"
    assert _field_errors(response, "stage_form") == {"to_stage": ["请选择列表中的选项"]}


def test_errors_in_english(login, collector, case):
    client = login(collector, "en")
    response = client.post(url("case_promise", case), {"amount": "abc", "due_date": ""})
    assert response.status_code == 400
    assert _field_errors(response, "promise_form") == {
        "amount": ["Not an amount: abc (for example 1234.56)"],
        "due_date": ["This field is required"],
    }


def test_get_on_an_action_is_405(collector_client, case):
    assert collector_client.get(url("case_promise", case)).status_code == 405


@pytest.mark.parametrize("role", ["auditor", "compliance", "creditor_viewer"])
def test_read_only_roles_see_no_forms_and_get_403_on_actions(login, users, case, role):
    from qingzhai.portfolio.models import CreditorViewerGrant

    CreditorViewerGrant.objects.create(user=users["creditor_viewer"], creditor=case.portfolio.creditor)
    client = login(users[role])
    page = client.get(url("case", case))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="promise-form"' not in html
    assert 'data-testid="stage-form"' not in html
    due = (business_today() + timedelta(days=3)).isoformat()
    response = client.post(url("case_promise", case), {"amount": "10", "due_date": due})
    assert response.status_code == 403
    assert "没有权限执行此操作" in response.content.decode()
    response = client.post(url("case_promise", case), {"amount": "10", "due_date": due}, **HX)
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#flash"
    assert PromiseToPay.objects.count() == 0


def _case_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url("case", case)).status_code == 200
    return len(ctx.captured_queries)


def test_case_page_query_count_does_not_grow_with_history(collector_client, collector, case):
    few = _case_queries(collector_client, case)
    debt = case.debts.get()
    for i in range(10):
        contact_log(
            actor=collector,
            case_id=case.pk,
            kind="call",
            outcome="no_answer",
            occurred_at=past_local(10, days_back=i),
        )
        services.payment_record(
            actor=collector, debt_id=debt.pk, amount_fen=100, paid_on=business_today(), reference=f"R{i}"
        )
        services.promise_create(
            actor=collector,
            case_id=case.pk,
            amount_fen=100,
            due_date=business_today() + timedelta(days=i + 1),
        )
    many = _case_queries(collector_client, case)
    assert Case.objects.get(pk=case.pk).stage == "contact"  # the first promise moved it on
    # session, user, case access check, case with debtor, debts, guarantors, instalments, phones,
    # bank accounts, tags, four timeline queries, the compliance panel (protection, disputes, dishonest-list
    # entries and matches, gate decisions), the evidence panel (a count, one page), the score panel (the
    # latest score, the champion check), then the session save (three)
    assert (few, many) == (26, 26)


def test_read_only_roles_get_403_even_for_bad_input(login, users, case):
    client = login(users["auditor"])
    for name in (
        "case_activity",
        "case_promise",
        "case_payment",
        "case_stage",
        "case_next_action",
        "case_reveal",
    ):
        assert client.post(url(name, case), {"amount": "abc"}).status_code == 403, name
