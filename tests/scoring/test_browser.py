"""The score on the case page and the model page in Debian's chromium: the panel with its three reasons,
the model card with its calibration and importance bars, the promotion form; screenshots saved to
$QINGZHAI_TEST_OUTPUT/screenshots/scoring-case.png and scoring-model.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import UserFactory, case_with_debt
from tests.scoring.test_pages import LABEL, REASONS, make_model, make_score
from tests.web.test_browser import CHROMIUM, browser, shots_dir, sign_in  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Debian chromium is not installed at {CHROMIUM}"),
]


@pytest.mark.django_db(transaction=True)
def test_case_score_panel_and_model_page(browser, live_server):  # noqa: F811
    supervisor = UserFactory(username="zhou", role="supervisor", display_name="周主管")
    case = case_with_debt(assigned_to=supervisor)
    champion = make_model(1, status="champion")
    candidate = make_model(2)
    make_score(case, champion)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, "zhou")
        page.goto(f"{live_server.url}/cases/{case.pk}/")
        panel = page.locator("[data-testid=score-panel]")
        panel.wait_for()
        assert panel.locator("[data-testid=score-points]").inner_text() == "618"
        reasons = panel.locator("[data-testid=score-reason]")
        assert reasons.count() == 3
        for i, reason in enumerate(REASONS):
            assert reason["text_zh"] in reasons.nth(i).inner_text()
        panel.scroll_into_view_if_needed()
        page.screenshot(path=str(shots_dir() / "scoring-case.png"), full_page=True)

        page.get_by_test_id("nav-scoring").click()
        page.wait_for_selector("[data-testid=model-table]")
        assert page.locator("[data-testid=model-row]").count() == 2
        page.goto(f"{live_server.url}/scoring/models/{candidate.pk}/")
        page.wait_for_selector("[data-testid=model-card]")
        assert LABEL["name_zh"] in page.locator("[data-testid=card-label-name]").inner_text()
        # the bars are drawn: the widest importance bar is wider than the narrowest
        widths = page.eval_on_selector_all(
            "[data-testid=card-importance-row] .mc-bar",
            "bars => bars.map(b => b.getBoundingClientRect().width)",
        )
        assert len(widths) == 2 and widths[0] > widths[1] > 0, widths
        page.screenshot(path=str(shots_dir() / "scoring-model.png"), full_page=True)

        page.locator("#promote-reason").fill("验证集 AUC 更高")
        page.get_by_test_id("promote-confirm").check()
        with page.expect_navigation():
            page.get_by_test_id("promote-submit").click()
        assert page.locator("[data-testid=champion-badge]").count() == 1
        assert "此模型是当前冠军" in page.locator("[data-testid=promote]").inner_text()
    finally:
        context.close()
