"""Browser journeys for the catalog: posting a confidential need, and a researcher curating their publications."""

import pytest

from qiao.catalog import services
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser


def test_enterprise_posts_a_need_for_named_organizations(transactional_db, world, live_server, page, artifacts):
    log_in(page, live_server.url, "enterprise")
    page.goto(f"{live_server.url}/catalog/needs/new/")
    picker = page.locator(".named-picker")
    assert picker.is_hidden()  # shown only for "named organizations only"
    page.fill("input[name=title]", "高盐废水零排放工艺攻关")
    page.fill("textarea[name=description]", "希望与高校合作开发膜蒸馏与分盐结晶工艺。")
    page.check("input[name=cooperation_modes][value=joint_rnd]")
    page.fill("input[name=budget_min]", "30")
    page.fill("input[name=budget_max]", "80")
    page.check("input[name=confidentiality][value=named]")
    assert picker.is_visible()
    page.select_option("select[name=named_organizations]", str(world.university.pk))
    page.screenshot(path=str(artifacts / "catalog-need-form-zh.png"), full_page=True)
    page.click("button[name=publish]", timeout=90_000)  # saving also updates the matching index
    page.wait_for_selector("h1:has-text('高盐废水零排放工艺攻关')", timeout=90_000)
    assert page.locator(".badge", has_text="已发布").count() == 1
    page.screenshot(path=str(artifacts / "catalog-need-detail-zh.png"), full_page=True)
    page.click("button[name=to][value=in_talks]", timeout=90_000)
    page.wait_for_selector(".badge:has-text('洽谈中')", timeout=90_000)


def test_researcher_pins_and_hides_publications_with_htmx(transactional_db, world, live_server, page, artifacts):
    for i, title in enumerate(["高盐废水膜蒸馏的污染控制", "Zero liquid discharge of coal-chemical brines", "一种旧的综述"]):
        services.publication_create(by=world.users["researcher"], person=world.researcher_person, title=title,
                                    year=2020 + i, venue="环境科学学报", keywords=["膜蒸馏", "高盐废水"])
    log_in(page, live_server.url, "researcher")
    page.goto(f"{live_server.url}/catalog/my-publications/")
    row = page.locator("li.publication", has_text="一种旧的综述")
    row.locator("button", has_text="不参与匹配").click()
    page.locator("li.publication", has_text="一种旧的综述").locator(".badge", has_text="不参与匹配").wait_for()
    row = page.locator("li.publication", has_text="高盐废水膜蒸馏的污染控制")
    row.locator("button", has_text="置顶为代表作").click()
    page.locator("li.publication", has_text="高盐废水膜蒸馏的污染控制").locator(".badge", has_text="代表作").wait_for()
    assert page.url.endswith("/catalog/my-publications/")  # htmx swapped the rows; no reload
    page.screenshot(path=str(artifacts / "catalog-my-publications-zh.png"), full_page=True)
    page.reload()
    assert "高盐废水膜蒸馏的污染控制" in page.locator("li.publication").first.inner_text()  # key work first
