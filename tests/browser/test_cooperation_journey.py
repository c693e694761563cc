"""Browser journey of the cooperation lifecycle: a broker opens a cooperation between the enterprise and the
researcher's university, records a symposium with an action item; the enterprise records the agreement with the
signed PDF; the researcher starts a project with a milestone; both sides rate it and the broker closes it. The
outsider enterprise sees none of it."""

import re

import pytest

from qiao.cooperation.models import Cooperation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def as_user(browser, base_url, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/accounts/login/'] [type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def submit(page):
    page.click("main form.card [type=submit]")
    page.wait_for_load_state("networkidle")


def test_cooperation_journey(transactional_db, world, live_server, browser, artifacts, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url

    # the broker opens a cooperation between the enterprise and the researcher's university
    broker = as_user(browser, base, "broker")
    broker.goto(f"{base}/cooperation/new/")
    broker.fill("input[name=title]", "高盐废水零排放联合攻关")
    broker.select_option("select[name=parties]", [str(world.enterprise.pk), str(world.university.pk)])
    broker.select_option("select[name=people]", [str(world.researcher_person.pk)])
    submit(broker)
    assert re.search(r"/cooperation/\d+/$", broker.url)
    coop = Cooperation.objects.get(title="高盐废水零排放联合攻关")
    coop_url = f"{base}/cooperation/{coop.pk}/"

    # … records the symposium and an action item for the researcher
    broker.click(f"a[href='/cooperation/{coop.pk}/meetings/new/']")
    broker.select_option("select[name=kind]", "symposium")
    broker.fill("input[name=title]", "环保装备校企合作座谈会")
    broker.fill("input[name=starts_at]", "2026-11-20T09:00")
    broker.fill("input[name=place]", "研究院三楼会议室")
    broker.fill("textarea[name=agenda]", "企业发布需求\n专家介绍成果")
    broker.fill("textarea[name=minutes]", "双方同意围绕高盐废水零排放组建联合攻关团队。")
    submit(broker)
    assert "/cooperation/meetings/" in broker.url
    broker.click("a[href$='/action-items/new/']")
    broker.fill("input[name=title]", "提交联合攻关方案")
    broker.select_option("select[name=owner_user]", str(world.users["researcher"].pk))
    broker.fill("input[name=due]", "2026-12-15")
    submit(broker)
    assert "提交联合攻关方案" in broker.inner_text("main")
    broker.screenshot(path=str(artifacts / "cooperation-meeting.png"), full_page=True)

    # the researcher finds the action item in "my action items"
    researcher = as_user(browser, base, "researcher")
    researcher.goto(f"{base}/cooperation/action-items/")
    assert "提交联合攻关方案" in researcher.inner_text("main")

    # the enterprise (a party) records the signed agreement with its value, and uploads the signed PDF
    enterprise = as_user(browser, base, "enterprise")
    enterprise.goto(coop_url)
    enterprise.click(f"a[href='/cooperation/{coop.pk}/agreements/new/']")
    enterprise.select_option("select[name=kind]", "joint_rnd")
    enterprise.fill("input[name=title]", "联合研发合同")
    enterprise.select_option("select[name=status]", "signed")
    enterprise.fill("input[name=value]", "1200000")
    enterprise.fill("input[name=signed_on]", "2026-11-25")
    enterprise.fill("input[name=starts_on]", "2026-12-01")
    enterprise.fill("input[name=ends_on]", "2027-11-30")
    submit(enterprise)
    assert "/cooperation/agreements/" in enterprise.url
    enterprise.set_input_files("input[name=file]", files=[{
        "name": "联合研发合同.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% signed contract\n"}])
    enterprise.click("form[action$='/documents/'] [type=submit]")
    enterprise.wait_for_load_state("networkidle")
    assert enterprise.locator("a[href^='/cooperation/documents/']").count() == 1
    assert "1200000" in enterprise.inner_text("main")
    agreement_url = enterprise.url
    enterprise.screenshot(path=str(artifacts / "cooperation-agreement.png"), full_page=True)

    # the broker sees the agreement without its value
    broker.goto(agreement_url)
    assert "1200000" not in broker.inner_text("main")

    # the researcher starts the project under the agreement, with a milestone
    researcher.goto(agreement_url)
    researcher.click("a[href$='/projects/new/']")
    researcher.fill("input[name=title]", "零排放中试")
    researcher.select_option("select[name=status]", "active")
    submit(researcher)
    project_url = researcher.url
    assert "/cooperation/projects/" in project_url
    researcher.click("a[href$='/milestones/new/']")
    researcher.fill("input[name=title]", "中试装置调试")
    researcher.fill("input[name=due]", "2027-03-31")
    submit(researcher)
    assert "中试装置调试" in researcher.inner_text("main")

    # the broker moves the cooperation along the pipeline on the board
    broker.goto(f"{base}/cooperation/")
    card = broker.locator(f"article[data-cooperation='{coop.pk}']")
    card.locator("select[name=stage]").select_option("delivered")
    card.locator("[type=submit]").click()
    broker.wait_for_load_state("networkidle")
    broker.wait_for_selector(f"#col-delivered ~ article[data-cooperation='{coop.pk}']")
    broker.screenshot(path=str(artifacts / "cooperation-board.png"), full_page=True)

    # both sides rate the cooperation
    for page, side, rating in ((enterprise, world.enterprise, "5"), (researcher, world.university, "4")):
        page.goto(project_url)
        form = page.locator("#evaluation-form")
        form.locator("select[name=organization]").select_option(str(side.pk))
        form.locator("select[name=rating]").select_option(rating)
        form.locator("textarea[name=comment]").fill("合作顺利")
        form.locator("[type=submit]").click()
        page.wait_for_load_state("networkidle")
    assert researcher.locator("[data-rating]").count() == 2
    researcher.screenshot(path=str(artifacts / "cooperation-project.png"), full_page=True)

    # and the broker closes it
    broker.goto(coop_url)
    broker.select_option("aside select[name=stage]", "closed")
    broker.click("aside form[action$='/stage/'] [type=submit]")
    broker.wait_for_load_state("networkidle")
    assert broker.locator("[data-stage=closed]").count() == 1
    broker.screenshot(path=str(artifacts / "cooperation-closed.png"), full_page=True)

    # the outsider enterprise sees none of it
    outsider = as_user(browser, base, "outsider_enterprise")
    for url in (coop_url, agreement_url, project_url):
        response = outsider.goto(url)
        assert response.status == 404, url
    outsider.goto(f"{base}/cooperation/")
    assert "高盐废水零排放联合攻关" not in outsider.inner_text("main")
    outsider.goto(f"{base}/cooperation/meetings/")
    assert "环保装备校企合作座谈会" not in outsider.inner_text("main")
    outsider.goto(f"{base}/cooperation/action-items/?scope=all")
    assert "提交联合攻关方案" not in outsider.inner_text("main")
    outsider.screenshot(path=str(artifacts / "cooperation-outsider.png"), full_page=True)
    for page in (broker, researcher, enterprise, outsider):
        page.context.close()
