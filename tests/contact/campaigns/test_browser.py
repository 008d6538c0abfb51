"""A reminder campaign in Debian's chromium: a supervisor creates it from the form, plans it (every
message through the gate), starts it, watches the progress bar reach 100 % and reads the results.
Screenshot: $QINGZHAI_TEST_OUTPUT/screenshots/contact-campaign.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingzhai.contact.models import CampaignMessage
from tests.factories import UserFactory, case_with_debt
from tests.web.test_browser import CHROMIUM, browser, shots_dir, sign_in  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Debian chromium is not installed at {CHROMIUM}"),
]


@pytest.mark.django_db(transaction=True)
def test_create_plan_start_and_read_the_results(browser, live_server, daytime, gateway):  # noqa: F811
    UserFactory(username="qian", role="supervisor", display_name="钱主管")
    for _ in range(3):
        case_with_debt()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, "qian")
        page.get_by_test_id("nav-campaigns").click()
        page.get_by_test_id("no-campaigns").wait_for()
        page.fill("#id_name", "十二月逾期提醒")
        page.select_option("#id_step1_template", "reminder_sms_zh")
        page.get_by_test_id("campaign-create").click()
        page.get_by_test_id("action-plan").click()
        page.get_by_test_id("action-start").wait_for()
        assert page.get_by_test_id("campaign-status").inner_text() == "已规划"
        page.get_by_test_id("action-start").click()
        page.locator("[data-testid=campaign-progress][data-status=completed]").wait_for()
        assert "100" in page.locator("#campaign-progress progress").get_attribute("value")
        assert page.get_by_test_id("result-sent").inner_text() == "3"
        page.screenshot(path=str(shots_dir() / "contact-campaign.png"), full_page=True)
        assert CampaignMessage.objects.filter(status="sent").count() == 3 == len(gateway.messages)
    finally:
        context.close()
