"""The collector's workspace in Debian's chromium: take the next case, follow the script (the suggestion
changes with what the debtor says), be warned before saying something prohibited, record a promise and see
it confirmed and saved. Screenshot: $QINGZHAI_TEST_OUTPUT/screenshots/contact-workspace.png."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from qingzhai.core import pii
from qingzhai.core.clock import business_today
from qingzhai.portfolio.models import Activity, PromiseToPay
from tests.factories import UserFactory, case_with_debt
from tests.web.test_browser import CHROMIUM, browser, shots_dir, sign_in  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Debian chromium is not installed at {CHROMIUM}"),
]


@pytest.mark.django_db(transaction=True)
def test_take_the_next_case_follow_the_script_and_record_a_promise(browser, live_server, daytime):  # noqa: F811
    collector = UserFactory(username="zhao", role="collector", display_name="赵催收")
    case = case_with_debt(assigned_to=collector)
    last4 = pii.get_value(case.debtor, "id_number")[-4:]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, "zhao")
        page.get_by_test_id("nav-workspace").click()
        page.get_by_test_id("ws-row").first.wait_for()
        page.get_by_test_id("take-next").click()
        page.wait_for_url(f"{live_server.url}/contact/workspace/cases/{case.pk}/")

        suggestion = page.get_by_test_id("script-suggestion")
        assert "请问您是" in suggestion.inner_text()
        assert suggestion.get_attribute("data-node") == "greeting"

        reply = page.get_by_test_id("debtor-reply")
        reply.fill("是我")
        reply.press("Enter")
        page.locator("[data-testid=script-suggestion][data-node=verify]").wait_for()
        assert "身份证" in page.get_by_test_id("script-suggestion").inner_text()

        page.get_by_test_id("debtor-reply").fill(last4)
        page.get_by_test_id("debtor-reply-submit").click()
        page.locator("[data-testid=script-suggestion][data-node=reminder]").wait_for()

        page.get_by_test_id("debtor-reply").fill("我最近很担心，压力好大，怎么办")
        page.get_by_test_id("debtor-reply").press("Enter")
        page.locator("[data-testid=script-branch][data-branch=soothing]").wait_for()
        assert page.get_by_test_id("script-emotion").inner_text() == "焦虑"

        page.get_by_test_id("draft-text").type("不还钱就让法院把你抓起来", delay=10)
        page.get_by_test_id("draft-warning").wait_for()

        due = business_today() + timedelta(days=5)
        page.get_by_test_id("promise-amount").fill("3000")
        page.get_by_test_id("promise-date").fill(due.isoformat())
        page.get_by_test_id("outcome-promise").click()
        notice = page.get_by_test_id("ws-notice")
        notice.wait_for()
        assert "已记录承诺还款" in notice.inner_text() and "3,000.00" in notice.inner_text()
        page.screenshot(path=str(shots_dir() / "contact-workspace.png"), full_page=True)

        promise = PromiseToPay.objects.get(case=case)
        assert (promise.amount_fen, promise.due_date, promise.status) == (300_000, due, "open")
        call = Activity.objects.get(case=case, kind="call")
        assert call.outcome == "promise" and call.actor_id == collector.pk
        assert page.get_by_test_id("next-case").is_visible()
    finally:
        context.close()
