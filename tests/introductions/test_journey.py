"""Browser journey: an enterprise asks for an introduction about a confidential need; the expert is notified
(bell), reads the need, and declines with a reason; the enterprise sees the reason."""

import pytest

from tests.browser.test_journeys import log_in

from .conftest import SECRET_TITLE

pytestmark = pytest.mark.browser


def test_request_notify_decline_with_reason(transactional_db, intro, live_server, browser, artifacts):
    w = intro.world
    base = live_server.url
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    # the enterprise follows a match link and sends the request
    log_in(page, base, "enterprise")
    page.goto(f"{base}/introductions/new/?person={w.researcher_person.pk}&need={intro.secret_need.pk}")
    assert SECRET_TITLE in page.content()
    page.fill("textarea[name=message]", "想请您看看我们的脱硝催化剂问题")
    with page.expect_navigation(timeout=180000):  # sharing the need re-indexes it (run in-process in tests)
        page.click("form.card [type=submit]")
    assert "/introductions/" in page.url
    page.screenshot(path=str(artifacts / "introduction-sent-zh.png"), full_page=True)
    context.clear_cookies()
    # the expert sees the bell, opens the notification and the request, and declines with a reason
    log_in(page, base, "researcher")
    assert page.locator(".notification-bell [data-unread]").inner_text().startswith("1")
    page.click(".notification-bell")
    page.click(".notification h2 a")
    assert SECRET_TITLE in page.content()
    assert page.locator(".notification-bell [data-unread]").count() == 0  # opening it marked it read
    page.fill("textarea[name=reason]", "目前课题已排满，建议联系催化方向的李老师")
    with page.expect_navigation(timeout=60000):
        page.click("form[action$='/decline/'] [type=submit]")
    assert "已拒绝" in page.content()
    page.screenshot(path=str(artifacts / "introduction-declined-zh.png"), full_page=True)
    context.clear_cookies()
    # the enterprise reads the reason
    log_in(page, base, "enterprise")
    page.goto(f"{base}/introductions/?box=sent")
    assert "目前课题已排满" in page.content()
    context.close()
