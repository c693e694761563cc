"""Matching reads: ranked experts with explanations, exclusions, conflicts, needs for a researcher, market."""

import pytest
from django.core.exceptions import PermissionDenied

from qiao.catalog.models import Confidentiality, NeedKind
from qiao.directory.models import Major
from qiao.matching import selectors
from qiao.matching.services import conflict_declare, index_rebuild


def expert_ids(matches):
    return [m.person.pk for m in matches.experts]


def test_match_need_ranks_the_expert_first_with_evidence(cat):
    need = cat.need()
    matches = selectors.match_need(need=need, user=cat.world.users["enterprise"])
    top = matches.experts[0]
    assert top.person == cat.expert
    assert 0 <= top.score_100 <= 100 and top.score_100 >= 50
    assert "wastewater" in top.matched_terms
    assert any("<mark>" in ev.snippet_html for ev in top.evidence)
    assert {ev.kind for ev in top.evidence} <= {"publication", "achievement", "profile"}
    assert matches.achievements[0].obj == cat.achievement
    assert matches.capabilities[0].obj == cat.capability
    assert matches.majors == []  # not a talent need


def test_match_need_never_suggests_own_enterprise_opted_out_or_conflicted_people(cat):
    need = cat.need()
    ids = expert_ids(selectors.match_need(need=need, user=cat.world.users["admin"], top_k=20))
    assert cat.insider.pk not in ids
    assert cat.opted_out.pk not in ids
    conflict_declare(by=cat.world.users["researcher"], person=cat.expert, organization=cat.world.zone,
                     reason="顾问 / adviser")  # the enterprise's parent: covers the enterprise too
    matches = selectors.match_need(need=need, user=cat.world.users["admin"], top_k=20)
    assert cat.expert.pk not in expert_ids(matches)
    assert cat.achievement not in [m.obj for m in matches.achievements]


def test_hidden_publication_is_never_evidence(cat):
    need = cat.need(title="quantum chromodynamics 量子色动力学", description="quantum chromodynamics")
    assert cat.expert.pk not in expert_ids(selectors.match_need(need=need, user=cat.world.users["admin"]))


def test_match_need_filters_by_organization_kind_and_organization(cat):
    need = cat.need()
    user = cat.world.users["enterprise"]
    assert selectors.match_need(need=need, user=user, filters={"org_kind": "enterprise"}).experts == []
    by_college = selectors.match_need(need=need, user=user, filters={"organization": cat.world.college.pk})
    assert expert_ids(by_college) == [cat.expert.pk]
    by_university = selectors.match_need(need=need, user=user, filters={"organization": cat.world.university})
    assert expert_ids(by_university) == [cat.expert.pk]  # ancestors count


def test_talent_needs_get_majors(cat):
    Major.objects.create(name="环境工程（高盐废水方向）", college=cat.world.college, description="膜生物反应器 wastewater")
    index_rebuild()
    need = cat.need(kind=NeedKind.TALENT)
    matches = selectors.match_need(need=need, user=cat.world.users["enterprise"])
    assert [m.obj.name for m in matches.majors] == ["环境工程（高盐废水方向）"]


def test_match_need_refuses_a_need_the_user_may_not_see(cat):
    need = cat.need(Confidentiality.BROKERS)
    with pytest.raises(PermissionDenied):
        selectors.match_need(need=need, user=cat.world.users["researcher"])


def test_needs_for_researcher_uses_publications_and_respects_confidentiality(cat):
    visible = cat.need(Confidentiality.MEMBERS)
    secret = cat.need(Confidentiality.BROKERS, title="经纪人专属：高盐废水膜生物反应器")
    draft = cat.need(Confidentiality.PUBLIC, title="草稿：高盐废水膜生物反应器", publish=False)
    found = [m.obj for m in selectors.needs_for_researcher(person=cat.expert, user=cat.world.users["researcher"])]
    assert found == [visible]
    assert secret not in found and draft not in found
    as_broker = [m.obj for m in selectors.needs_for_researcher(person=cat.expert, user=cat.world.users["broker"])]
    assert set(as_broker) == {visible, secret}


def test_needs_for_researcher_skips_conflicted_enterprises(cat):
    cat.need(Confidentiality.MEMBERS)
    conflict_declare(by=cat.world.users["researcher"], person=cat.expert, organization=cat.world.enterprise)
    assert selectors.needs_for_researcher(person=cat.expert, user=cat.world.users["researcher"]) == []


def test_needs_for_researcher_without_publications_is_empty(cat):
    cat.need()
    cat.chemist.publications.all().delete()
    assert selectors.needs_for_researcher(person=cat.chemist, user=cat.world.users["admin"]) == []


def test_broker_market_lists_open_needs_best_matches_and_gaps(cat):
    good = cat.need(Confidentiality.BROKERS)
    gap = cat.need(Confidentiality.MEMBERS, title="深海采矿机器人 deep-sea mining robots",
                   description="深海采矿机器人 deep-sea mining robots")
    cat.need(Confidentiality.PUBLIC, publish=False)  # draft: not on the market
    market = selectors.broker_market(user=cat.world.users["broker"])
    rows = {row.need: row for row in market.rows}
    assert set(rows) == {good, gap}
    assert rows[good].experts[0].person == cat.expert and len(rows[good].experts) <= 3
    assert [row.need for row in market.gaps] == [gap]
    in_zone = selectors.broker_market(user=cat.world.users["broker"], zone=cat.world.zone)
    assert {row.need for row in in_zone.rows} == {good, gap}
    elsewhere = selectors.broker_market(user=cat.world.users["broker"], zone=cat.world.agency)
    assert elsewhere.rows == []


@pytest.mark.parametrize("role", ["enterprise", "researcher", "staff", "officer", "nobody"])
def test_broker_market_is_for_brokers(cat, role):
    with pytest.raises(PermissionDenied):
        selectors.broker_market(user=cat.world.users[role])


def test_search_finds_needs_achievements_and_experts(cat):
    need = cat.need(Confidentiality.MEMBERS)
    results = selectors.search(user=cat.world.users["researcher"], q="膜生物反应器")
    assert [m.obj for m in results.needs] == [need]
    assert [m.obj for m in results.achievements] == [cat.achievement]
    assert results.experts[0].person == cat.expert
    assert cat.opted_out.pk not in [m.person.pk for m in results.experts]
    assert selectors.search(user=cat.world.users["researcher"], q="   ").total == 0


def test_conflict_declare_permissions(cat):
    with pytest.raises(PermissionDenied):
        conflict_declare(by=cat.world.users["enterprise"], person=cat.expert, organization=cat.world.enterprise)
    conflict = conflict_declare(by=cat.world.users["dean"], person=cat.expert, organization=cat.world.enterprise)
    assert list(selectors.conflict_list(user=cat.world.users["researcher"])) == [conflict]
    assert list(selectors.conflict_list(user=cat.world.users["enterprise"])) == []


def test_lexical_mode_setting(cat, settings):
    settings.QIAO_MATCHING_MODE = "lexical"
    assert selectors.ranking_mode() == "lexical"
    need = cat.need()
    assert selectors.match_need(need=need, user=cat.world.users["enterprise"]).experts[0].person == cat.expert
