"""End to end in Debian's chromium: a collector checks a prohibited sentence on a case; the supervisor's open
alert queue shows it within 5 seconds, without a reload. Screenshots go to $QINGZHAI_TEST_OUTPUT/screenshots."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connection

from qingzhai.compliance.models import Alert
from tests.compliance.web.conftest import PROHIBITED
from tests.factories import UserFactory, case_with_debt
from tests.web.test_browser import ARGS, CHROMIUM, browser, shots_dir, sign_in  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Debian chromium is not installed at {CHROMIUM}"),
]


@pytest.fixture
def two_tabs(browser, live_server):  # noqa: F811
    """Two separate browser contexts (two people on two machines)."""
    contexts = [
        browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN") for _ in range(2)
    ]
    tabs = []
    for context in contexts:
        context.set_default_timeout(15_000)
        tabs.append(context.new_page())
    yield tabs
    for context in contexts:
        context.close()


@pytest.fixture
def one_request_at_a_time(live_server):
    """With SQLite in memory the live server's request threads share the test's one connection, so two
    browsers at once would use it concurrently ("database table is locked"). Requests are served one after
    the other then; PostgreSQL needs nothing of the kind."""
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if connection.vendor != "sqlite":
        yield
        return
    lock = threading.Lock()

    def serial(environ, start_response):
        with lock:
            return app(environ, start_response)

    httpd.set_app(serial)
    yield
    httpd.set_app(app)


@pytest.mark.django_db(transaction=True)
def test_a_prohibited_sentence_reaches_the_supervisor_live(two_tabs, live_server, one_request_at_a_time):
    collector_tab, supervisor_tab = two_tabs
    collector = UserFactory(username="zhou", role="collector", display_name="周催收")
    UserFactory(username="boss", role="supervisor")
    case = case_with_debt(assigned_to=collector)
    shots = shots_dir()

    sign_in(supervisor_tab, live_server, "boss")
    supervisor_tab.goto(f"{live_server.url}/compliance/alerts/")
    supervisor_tab.get_by_test_id("empty-state").wait_for()
    supervisor_tab.evaluate("window.__sameDocument = true")

    sign_in(collector_tab, live_server, "zhou")
    collector_tab.get_by_role("link", name=case.debtor.name).click()
    collector_tab.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    collector_tab.get_by_label("我要说的话").fill(PROHIBITED)
    collector_tab.get_by_role("button", name="检查这句话").click()
    result = collector_tab.get_by_test_id("utterance-result")
    result.wait_for()
    assert result.get_attribute("data-violations") == "1"
    mark = collector_tab.locator("#utterance-box mark.viol")
    assert (mark.inner_text(), mark.get_attribute("data-label")) == ("去你孩子学校", "骚扰第三方")
    collector_tab.screenshot(path=str(shots / "c1-collector-sentence-flagged.png"), full_page=True)

    alert = supervisor_tab.get_by_test_id("alert-text").filter(has_text=PROHIBITED)
    alert.wait_for(timeout=5000)
    assert supervisor_tab.evaluate("window.__sameDocument") is True  # no reload
    item = supervisor_tab.locator("li.alert-item").filter(has_text=PROHIBITED)
    assert item.count() == 1
    assert "周催收" in item.inner_text()
    assert item.locator("mark.viol").inner_text() == "去你孩子学校"
    assert supervisor_tab.get_by_test_id("empty-state").is_hidden()
    supervisor_tab.screenshot(path=str(shots / "c2-supervisor-alert-arrived.png"), full_page=True)

    # The supervisor acknowledges it from the queue.
    item.get_by_role("link", name="处理 →").click()
    supervisor_tab.get_by_role("button", name="确认").click()
    supervisor_tab.get_by_test_id("alert-status").filter(has_text="已确认").wait_for()
    assert Alert.objects.get().status == "acknowledged"
