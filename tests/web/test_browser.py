"""End to end in Debian's chromium through Playwright: a collector's day on the queue and a case, and
a collector kept out of someone else's case. Screenshots go to $QINGZHAI_TEST_OUTPUT/screenshots."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve

from qingzhai.core.clock import business_today
from qingzhai.portfolio.models import Payment, PromiseToPay
from tests.factories import UserFactory, case_with_debt
from tests.web.conftest import PASSWORD, form_time, past_local

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Debian chromium is not installed at {CHROMIUM}"),
]


def shots_dir() -> Path:
    folder = Path(os.environ.get("QINGZHAI_TEST_OUTPUT", "test-output")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the tests' own database access from
    # the same thread is synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.django_db(transaction=True)
def test_collector_records_a_promise_and_a_payment(page, live_server):
    collector = UserFactory(username="wang", role="collector", display_name="王催收")
    mine = case_with_debt(assigned_to=collector)
    decoy = case_with_debt(assigned_to=collector)
    decoy.debts.update(principal_fen=5_000_000)
    from qingzhai.portfolio.services import case_refresh_totals

    case_refresh_totals(case=decoy)
    shots = shots_dir()

    sign_in(page, live_server, "wang")
    assert page.locator("tbody tr").count() == 2
    page.screenshot(path=str(shots / "01-queue.png"), full_page=True)

    # "/" jumps to the search box.
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.name") == "q"

    # Filter: balances up to ¥20,000 leave only the case at hand (htmx swaps the results in place).
    page.get_by_label("最高金额（元）").fill("20000")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r".*max_amount=20000.*"))
    rows = page.locator("tbody tr")
    rows.first.wait_for()
    assert rows.count() == 1
    page.screenshot(path=str(shots / "02-queue-filtered.png"), full_page=True)

    page.get_by_role("link", name=mine.debtor.name).click()
    page.wait_for_url(f"{live_server.url}/cases/{mine.pk}/")
    assert page.get_by_test_id("balance").inner_text() == "¥10,800.00"

    due = business_today() + timedelta(days=7)
    page.locator("#panel-promise > summary").click()
    page.get_by_label("承诺金额（元）").fill("1,500")
    page.get_by_label("承诺日期").fill(due.isoformat())
    page.get_by_role("button", name="保存承诺").click()
    page.get_by_test_id("notice").filter(has_text="已记录承诺还款 ¥1,500.00").wait_for()

    page.locator("#panel-payment > summary").click()
    page.get_by_label("还款金额（元）").fill("800")
    page.get_by_label("流水号").fill("BANK-0001")
    page.get_by_role("button", name="保存还款").click()
    page.get_by_test_id("notice").filter(has_text="已登记还款 ¥800.00").wait_for()

    timeline = page.get_by_test_id("timeline")
    assert timeline.locator("li[data-kind=promise]").count() == 1
    assert timeline.locator("li[data-kind=payment]").count() == 1
    assert "承诺还款 ¥1,500.00" in timeline.inner_text()
    assert "还款 ¥800.00" in timeline.inner_text()
    assert page.get_by_test_id("balance").inner_text() == "¥10,000.00"
    page.screenshot(path=str(shots / "03-case-after-promise-and-payment.png"), full_page=True)

    # One click logs a call's outcome (made at 10:00: the compliance gate refuses calls at night).
    page.get_by_label("发生时间（留空为现在）").fill(form_time(past_local(10)))
    page.get_by_role("button", name="未接通").click()
    page.get_by_test_id("notice").filter(has_text="已记录：电话 · 未接通").wait_for()
    assert timeline.locator("li[data-kind=activity]").count() == 1

    promise = PromiseToPay.objects.get(case=mine)
    payment = Payment.objects.get(case=mine)
    assert (promise.amount_fen, promise.due_date) == (150_000, due)
    assert (payment.amount_fen, payment.reference, payment.paid_on) == (80_000, "BANK-0001", business_today())


def _api_case_path(case_id: int) -> str | None:
    path = f"/api/v1/cases/{case_id}/"
    try:
        resolve(path)
    except (Resolver404, NoReverseMatch):
        return None
    return path


@pytest.mark.django_db(transaction=True)
def test_collector_cannot_open_someone_elses_case(page, live_server):
    UserFactory(username="li", role="collector")
    someone = UserFactory(username="zhao", role="collector")
    theirs = case_with_debt(assigned_to=someone)

    sign_in(page, live_server, "li")
    response = page.goto(f"{live_server.url}/cases/{theirs.pk}/")
    assert response.status == 404
    assert "记录不存在或无权查看" in page.content()
    assert theirs.debtor.name not in page.content()
    page.screenshot(path=str(shots_dir() / "04-someone-elses-case-404.png"), full_page=True)

    api_path = _api_case_path(theirs.pk)
    if api_path is not None:
        api = page.request.get(f"{live_server.url}{api_path}")
        assert api.status in (403, 404)
        assert theirs.debtor.name not in api.text()


@pytest.mark.django_db(transaction=True)
def test_supervisor_assigns_a_page_of_cases_in_english(page, live_server):
    UserFactory(username="lead", role="supervisor")
    UserFactory(username="chen", role="collector", display_name="陈催收")
    pool = [case_with_debt() for _ in range(3)]
    shots = shots_dir()

    sign_in(page, live_server, "lead")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Assign cases").count() == 1
    page.get_by_role("link", name="Assign cases").click()
    page.wait_for_url(f"{live_server.url}/assign/")
    page.get_by_label("Select all on this page").check()
    assert page.locator("input[name=case_ids]:checked").count() == 3
    page.get_by_label("Assign to").select_option(label="陈催收")
    page.get_by_label("Reason").fill("New placement")
    page.screenshot(path=str(shots / "05-assign-en.png"), full_page=True)
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_text("3 case(s) assigned").wait_for()
    assert [c.assigned_to.username for c in type(pool[0]).objects.order_by("pk")] == ["chen"] * 3
    workload = page.get_by_test_id("workload").inner_text()
    assert "陈催收" in workload and "¥32,400.00" in workload
    page.screenshot(path=str(shots / "06-assign-done-en.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_auditor_reads_who_revealed_what(page, live_server):
    from qingzhai.portfolio.services import pii_reveal

    collector = UserFactory(username="sun", role="collector")
    UserFactory(username="audit", role="auditor")
    case = case_with_debt(assigned_to=collector)
    pii_reveal(
        actor=collector,
        kind="debtor",
        object_id=case.debtor.pk,
        attr="id_number",
        reason="核实身份后登记还款",
    )

    sign_in(page, live_server, "audit")
    page.goto(f"{live_server.url}/audit/")
    page.get_by_role("link", name="只看个人信息查看记录").click()
    page.wait_for_url(re.compile(r".*action=pii\.reveal.*"))
    table = page.get_by_test_id("audit-table").inner_text()
    assert "sun" in table and "证件号码" in table and "核实身份后登记还款" in table
    page.screenshot(path=str(shots_dir() / "07-audit-reveals.png"), full_page=True)
