"""The profile page in Debian's chromium: headline figures, flags with evidence, both ECharts charts drawn,
indicators by category; screenshot saved to $QINGZHAI_TEST_OUTPUT/screenshots/profile.png."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qingzhai.profiling.demo import profile_demo_load
from tests.factories import UserFactory, case_with_debt
from tests.web.test_browser import CHROMIUM, browser, shots_dir, sign_in  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Debian chromium is not installed at {CHROMIUM}"),
]


@pytest.mark.django_db(transaction=True)
def test_profile_page_renders_its_charts(browser, live_server):  # noqa: F811
    legal = UserFactory(username="li", role="legal", display_name="李法务")
    case = case_with_debt(assigned_to=legal)
    case.debts.update(contract_date=date(2020, 1, 15))
    profile_demo_load(debtor_ids=[case.debtor_id])
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, "li")
        page.goto(f"{live_server.url}/profile/debtors/{case.debtor_id}/")
        page.wait_for_selector("[data-testid=chart-flows][data-rendered='1'] canvas")
        page.wait_for_selector("[data-testid=chart-categories][data-rendered='1'] canvas")
        # the canvas is drawn on, not blank
        drawn = page.evaluate(
            """() => [...document.querySelectorAll('[data-rendered] canvas')].map(c => {
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })"""
        )
        assert len(drawn) == 2 and all(n > 1000 for n in drawn), drawn
        flags = page.locator("[data-testid=flag]")
        assert flags.count() >= 3
        assert page.locator("[data-flag=divorce_asset_transfer]").count() == 1
        assert page.locator("[data-testid=indicator-group]").count() == 12
        page.screenshot(path=str(shots_dir() / "profile.png"), full_page=True)
        page.locator("[data-flag=income_consumption_gap] details.evidence-list > summary").click()
        with page.expect_navigation():
            page.locator("[data-flag=income_consumption_gap] ul.evidence a").first.click()
        assert page.locator("tr.focus").count() == 1
        page.screenshot(path=str(shots_dir() / "profile-evidence-row.png"))
    finally:
        context.close()
