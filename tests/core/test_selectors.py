"""The home dashboard: what needs each role's attention, across domains."""

from qiao.catalog import services as catalog_services
from qiao.core.selectors import dashboard
from qiao.introductions.services import introduction_request


def test_researcher_sees_an_introduction_request_awaiting_an_answer(world):
    # given an enterprise asking for an introduction to the researcher
    introduction_request(by=world.users["enterprise"], target_person=world.researcher_person, message="请教膜污染问题")
    # when the researcher opens the home page
    board = dashboard(user=world.users["researcher"])
    # then the request is among the things that need attention
    assert any("introduction" in str(item["text"]) for item in board["attention"])


def test_enterprise_sees_its_drafts_but_not_other_enterprises(world):
    catalog_services.need_create(by=world.users["enterprise"], owner=world.enterprise, title="机密膜污染需求",
                                 description="高盐废水膜污染", confidentiality="named",
                                 named_organizations=[world.university])
    mine = dashboard(user=world.users["enterprise"])
    assert any("draft" in str(item["text"]) for item in mine["attention"])
    assert any(panel["rows"] and panel["rows"][0][0] == "机密膜污染需求" for panel in mine["panels"])
    other = dashboard(user=world.users["outsider_enterprise"])
    assert "机密膜污染需求" not in repr(other)
