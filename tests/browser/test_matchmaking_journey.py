"""Issue "Matchmaking", done-when journey: a confidential need, ranked experts with explanations, an introduction
requested and accepted, and no trace of the need for a user of another enterprise."""

import re

import pytest

from qiao.catalog import services as catalog_services
from qiao.catalog.models import Need
from qiao.introductions.models import Introduction
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

SECRET = "钛合金微弧氧化膜层剥落"


def test_confidential_need_to_accepted_introduction(transactional_db, world, live_server, browser, artifacts):
    # given a researcher whose publications are about the problem
    for title, abstract in [
        ("钛合金微弧氧化膜层结合力研究", "针对钛合金微弧氧化膜层剥落问题，提出了电解液调控与后处理方法，显著提高了膜层结合力。"),
        ("Micro-arc oxidation coatings on titanium alloys", "Adhesion and spalling of micro-arc oxidation coatings."),
    ]:
        catalog_services.publication_create(by=world.users["admin"], person=world.researcher_person, title=title,
                                            abstract=abstract)
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    page.set_default_timeout(20000)

    # when an enterprise member posts a need visible to brokers only, and publishes it
    log_in(page, base, "enterprise")
    page.goto(f"{base}/catalog/needs/new/")
    page.fill("input[name=title]", SECRET)
    page.fill("textarea[name=description]", f"我公司{SECRET}，寻求高校专家合作攻关微弧氧化工艺。")
    page.check("input[name=confidentiality][value=brokers]")
    page.click("button[name=publish]")
    page.wait_for_url(re.compile(r".*/catalog/needs/\d+/$"))
    need = Need.objects.get(title=SECRET)
    assert need.status == "published"

    # then the match page ranks the researcher with matched terms and evidence
    page.goto(f"{base}/matching/needs/{need.pk}/")
    experts = page.locator("#experts-title + * , section[aria-labelledby=experts-title]").first
    assert world.researcher_person.name in experts.inner_text()
    assert page.locator("section[aria-labelledby=experts-title] .evidence mark").count() >= 1
    page.screenshot(path=str(artifacts / "matchmaking-1-matches.png"), full_page=True)

    # when the enterprise requests an introduction from the match
    page.locator(f"a[href*='person={world.researcher_person.pk}']").first.click()
    page.fill("textarea[name=message]", "您好，想请教微弧氧化膜层剥落的问题。")
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/introductions/\d+/$"))
    introduction = Introduction.objects.get(need=need)
    page.locator("summary[aria-label]").filter(has=page.locator(".avatar")).first.click()
    page.locator("form[action$='/accounts/logout/'] [type=submit]").first.click()

    # then the researcher sees the request (and the need it is about) and accepts it
    log_in(page, base, "researcher")
    page.goto(f"{base}/introductions/{introduction.pk}/")
    assert SECRET in page.content()
    page.locator(f"form[action$='/introductions/{introduction.pk}/accept/'] [type=submit]").click()
    page.wait_for_load_state("networkidle")
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    page.screenshot(path=str(artifacts / "matchmaking-2-accepted.png"), full_page=True)
    page.locator("summary[aria-label]").filter(has=page.locator(".avatar")).first.click()
    page.locator("form[action$='/accounts/logout/'] [type=submit]").first.click()

    # and a user of another enterprise who searches the same words finds no trace of the need
    log_in(page, base, "outsider_enterprise")
    for url in [f"/matching/search/?q={SECRET}", f"/catalog/needs/?q={SECRET}", "/catalog/needs/",
                f"/api/catalog/needs?q={SECRET}", "/", "/notifications/", "/introductions/"]:
        page.goto(base + url)
        shown = page.locator("body").inner_text()  # what the user reads (a search box echoing the query aside)
        assert SECRET not in shown, url
        assert "寻求高校专家合作攻关" not in page.content(), url
    assert page.goto(f"{base}/catalog/needs/{need.pk}/").status == 404
    assert page.goto(f"{base}/matching/needs/{need.pk}/").status == 404
    page.goto(f"{base}/matching/search/?q={SECRET}")
    page.screenshot(path=str(artifacts / "matchmaking-3-outsider-search.png"), full_page=True)
    page.context.close()
