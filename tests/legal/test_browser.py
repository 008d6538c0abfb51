"""The legal workspace in Debian's chromium: a legal officer opens a payment order on a case, records its
application with the htmx form and sees the court's 5-day deadline, then finds it on the workspace's
calendar; screenshots saved to $QINGZHAI_TEST_OUTPUT/screenshots/legal-case.png and legal-home.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingzhai.core.clock import business_today
from qingzhai.legal.models import Deadline, Proceeding
from tests.factories import UserFactory, case_with_debt
from tests.web.test_browser import CHROMIUM, browser, shots_dir, sign_in  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Debian chromium is not installed at {CHROMIUM}"),
]


@pytest.mark.django_db(transaction=True)
def test_open_a_payment_order_record_its_application_and_see_the_deadline(browser, live_server):  # noqa: F811
    UserFactory(username="li", role="legal", display_name="李法务")
    case = case_with_debt()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, "li")
        page.goto(f"{live_server.url}/legal/cases/{case.pk}/")
        page.get_by_test_id("no-proceedings").wait_for()
        page.locator("#panel-open summary").click()
        form = page.get_by_test_id("open-form")
        form.locator("select[name$=kind]").select_option("payment_order")
        form.locator("input[name$=court]").fill("上海市浦东新区人民法院")
        form.get_by_role("button", name="开启").click()
        page.get_by_test_id("proceeding").wait_for()
        proceeding = Proceeding.objects.get(case=case)
        assert proceeding.state == "drafted" and proceeding.court == "上海市浦东新区人民法院"

        page.locator("[data-testid=proceeding] details:has([data-testid=event-form]) summary").first.click()
        event_form = page.get_by_test_id("event-form").first
        event_form.locator("select[name$=event]").select_option("applied")
        event_form.get_by_role("button", name="记录").click()
        page.locator("[data-testid=deadline]", has_text="法院决定是否受理").wait_for()
        deadline = Deadline.objects.get(proceeding=proceeding)
        assert deadline.code == "acceptance_decision" and deadline.status == "open"
        assert page.get_by_test_id("proceeding-state").first.inner_text().strip() == "已申请"
        page.screenshot(path=str(shots_dir() / "legal-case.png"), full_page=True)

        page.goto(f"{live_server.url}/legal/?month={deadline.due_on:%Y-%m}")
        item = page.locator("[data-testid=cal-item]", has_text=f"#{case.pk}")
        item.first.wait_for()
        assert business_today() <= deadline.due_on
        page.screenshot(path=str(shots_dir() / "legal-home.png"), full_page=True)
    finally:
        context.close()
