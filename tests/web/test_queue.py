"""The case queue: filters, blind-index search, sorting, pagination, marks, htmx, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingzhai.core.clock import business_today, now
from qingzhai.portfolio.models import Case, PromiseToPay
from tests.factories import ContactPointFactory, case_with_debt

pytestmark = pytest.mark.django_db

QUEUE = reverse("web:queue")


def rows(response) -> list[int]:
    """Case ids in the order the queue lists them."""
    return [row["case"].pk for row in response.context["rows"]]


def test_queue_needs_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:login')}?next=/"


def test_collector_sees_only_assigned_cases(collector_client, case, other_case):
    response = collector_client.get(QUEUE)
    assert response.status_code == 200
    assert rows(response) == [case.pk]
    html = response.content.decode()
    assert case.debtor.name in html
    assert other_case.debtor.name not in html
    assert "案件队列" in html


def test_queue_in_english(login, collector, case):
    response = login(collector, "en").get(QUEUE)
    html = response.content.decode()
    assert "Case queue" in html
    assert "案件队列" not in html


@pytest.fixture
def three(collector):
    today = business_today()
    a = case_with_debt(assigned_to=collector)
    b = case_with_debt(assigned_to=collector)
    c = case_with_debt(assigned_to=collector)
    Case.objects.filter(pk=a.pk).update(
        stage="contact", bucket="M1", total_balance_fen=50_000, next_action_date=today
    )
    Case.objects.filter(pk=b.pk).update(
        stage="new", bucket="M3", total_balance_fen=900_000, next_action_date=today - timedelta(days=3)
    )
    Case.objects.filter(pk=c.pk).update(
        stage="new", bucket="M3", total_balance_fen=300_000, next_action_date=today + timedelta(days=10)
    )
    return a, b, c


def test_filter_by_stage_bucket_and_amount(collector_client, three):
    a, b, c = three
    assert rows(collector_client.get(QUEUE, {"stage": "new"})) == [b.pk, c.pk]
    assert rows(collector_client.get(QUEUE, {"bucket": "M1"})) == [a.pk]
    assert rows(collector_client.get(QUEUE, {"min_amount": "¥1,000", "max_amount": "5000"})) == [c.pk]
    assert rows(collector_client.get(QUEUE, {"creditor": a.portfolio.creditor_id})) == [a.pk]


def test_filter_by_next_action(collector_client, three):
    a, b, _c = three
    assert rows(collector_client.get(QUEUE, {"next_action": "today"})) == [b.pk, a.pk]
    assert rows(collector_client.get(QUEUE, {"next_action": "overdue"})) == [b.pk]
    assert rows(collector_client.get(QUEUE, {"next_action": "week"})) == [b.pk, a.pk]


def test_sorting(collector_client, three):
    a, b, c = three
    assert rows(collector_client.get(QUEUE)) == [b.pk, a.pk, c.pk]
    assert rows(collector_client.get(QUEUE, {"sort": "-balance"})) == [b.pk, c.pk, a.pk]
    assert rows(collector_client.get(QUEUE, {"sort": "balance"})) == [a.pk, c.pk, b.pk]


def test_cases_without_next_action_come_last(collector_client, three):
    a, b, c = three
    Case.objects.filter(pk=a.pk).update(next_action_date=None)
    assert rows(collector_client.get(QUEUE)) == [b.pk, c.pk, a.pk]
    assert rows(collector_client.get(QUEUE, {"sort": "-next_action"})) == [c.pk, b.pk, a.pk]


def test_search_by_name_contract_id_and_phone(collector_client, collector, three, plain_id, case):
    a, b, c = three
    ContactPointFactory(debtor=b.debtor, value="13900001111", is_primary=False)
    assert rows(collector_client.get(QUEUE, {"q": a.debtor.name})) == [a.pk]
    assert rows(collector_client.get(QUEUE, {"q": c.debts.get().contract_no})) == [c.pk]
    assert rows(collector_client.get(QUEUE, {"q": plain_id})) == [case.pk]
    assert rows(collector_client.get(QUEUE, {"q": "139 0000 1111"})) == [b.pk]
    # A partial ID number finds nothing: the blind index matches whole values only.
    assert rows(collector_client.get(QUEUE, {"q": plain_id[:10]})) == []


def test_pagination_50_a_page(collector_client, collector):
    for _ in range(51):
        case_with_debt(assigned_to=collector)
    first = collector_client.get(QUEUE)
    assert len(rows(first)) == 50
    assert first.context["page_obj"].paginator.num_pages == 2
    assert "共 51 条 · 第 1 / 2 页" in first.content.decode()
    second = collector_client.get(QUEUE, {"page": 2})
    assert len(rows(second)) == 1
    assert set(rows(first)).isdisjoint(rows(second))


def test_empty_state_says_what_to_do(collector_client):
    html = collector_client.get(QUEUE).content.decode()
    assert 'data-testid="empty-state"' in html
    assert "主管分配给您的案件会出现在这里" in html


def test_empty_state_when_filtered(collector_client, case):
    html = collector_client.get(QUEUE, {"q": "无此人"}).content.decode()
    assert "没有符合条件的案件" in html
    assert "清除全部筛选" in html


def test_marks_callbacks_overdue_and_broken_promises(collector_client, three):
    a, b, c = three
    PromiseToPay.objects.create(
        case=c,
        amount_fen=1000,
        due_date=business_today() - timedelta(days=2),
        status=PromiseToPay.Status.BROKEN,
        created_at=now(),
    )
    response = collector_client.get(QUEUE)
    flags = {row["case"].pk: row["flags"] for row in response.context["rows"]}
    assert flags == {a.pk: {"callback_today"}, b.pk: {"overdue"}, c.pk: {"broken_promise"}}
    html = response.content.decode()
    assert html.count('class="badge broken"') == 1
    assert html.count('class="badge callback"') == 1
    assert html.count('class="badge overdue"') == 1


@pytest.mark.parametrize(
    "params, field",
    [
        ({"min_amount": "abc"}, "min_amount"),
        ({"max_amount": "-5"}, "max_amount"),
        ({"min_amount": "10.123"}, "min_amount"),
        ({"min_amount": "100", "max_amount": "10"}, "max_amount"),
        ({"stage": "nonsense"}, "stage"),
        ({"bucket": "M99"}, "bucket"),
        ({"creditor": "x"}, "creditor"),
        ({"next_action": "yesterday"}, "next_action"),
        ({"sort": "password"}, "sort"),
    ],
)
def test_bad_filters_answer_400_with_message(collector_client, case, params, field):
    response = collector_client.get(QUEUE, params)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert "筛选条件有误" in response.content.decode()
    assert rows(response) == []


def test_bad_page_number_falls_back(collector_client, case):
    assert rows(collector_client.get(QUEUE, {"page": "zzz"})) == [case.pk]
    assert rows(collector_client.get(QUEUE, {"page": "999"})) == [case.pk]


def test_htmx_gets_the_results_fragment(collector_client, case):
    response = collector_client.get(QUEUE, {"stage": "new"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    restore = collector_client.get(QUEUE, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_fixed_number_of_queries(collector_client, collector):
    for _ in range(3):
        case_with_debt(assigned_to=collector)
    small = _queue_queries(collector_client)
    for _ in range(27):
        case_with_debt(assigned_to=collector)
    Case.objects.update(next_action_date=business_today())
    big = _queue_queries(collector_client)
    assert len(collector_client.get(QUEUE).context["rows"]) == 30
    # session, user, creditors for the filter, count, rows, phones, promises; then the session is
    # saved again (savepoint, update, release) because sessions expire after inactivity
    assert (small, big) == (10, 10)
