"""Browser journeys: every role logs in, the language switches, and the Chinese home page renders."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ROLES = ["admin", "enterprise", "researcher", "staff", "broker", "officer"]


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/accounts/login/'] [type=submit]")
    page.wait_for_url(f"{base_url}/")


def switch_language(page, code):
    form = page.locator("form[action$='/i18n/setlang/']").first
    form.locator("select[name=language]").select_option(code)
    submit = form.locator("[type=submit]")
    if submit.count() and submit.first.is_visible():
        submit.first.click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_logs_in_switches_language_and_sees_home(transactional_db, world, live_server, page, artifacts, role):
    # given a user of this role
    # when they log in
    log_in(page, live_server.url, role)
    # then they see their home page in Chinese (the default language)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # when they switch to English, the page is in English
    switch_language(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    # and back to Chinese
    switch_language(page, "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.screenshot(path=str(artifacts / f"home-{role}-zh.png"), full_page=True)
    # and they can log out
    page.locator("summary[aria-label]").filter(has=page.locator(".avatar")).first.click()
    page.locator("form[action$='/accounts/logout/'] [type=submit]").first.click()
    page.wait_for_url("**/accounts/login/**")


def test_directory_search_works_without_javascript(transactional_db, world, live_server, browser, artifacts):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server.url, "broker")
    page.goto(f"{live_server.url}/directory/organizations/?q=环保")
    assert page.locator("#results").inner_text().count("环保装备公司") >= 1
    page.screenshot(path=str(artifacts / "organizations-nojs.png"), full_page=True)
    context.close()
