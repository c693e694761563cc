"""Pages: the need match page (with a query-count guard), for-me, market, search, conflicts."""

import pytest
from django.urls import reverse

from qiao.catalog.models import Confidentiality
from qiao.matching.models import ConflictOfInterest
from tests.matching.conftest import visible_text


def test_need_match_page_shows_ranked_experts_and_evidence(cat, login):
    need = cat.need()
    response = login(cat.world.users["enterprise"]).get(reverse("matching:need_matches", args=[need.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert cat.expert.display_name in body
    assert "<meter" in body and "<details>" in body and "<mark>" in body
    assert cat.insider.display_name not in body
    assert cat.opted_out.display_name not in body


def test_need_match_page_filters_and_htmx_fragment(cat, login):
    need = cat.need()
    client = login(cat.world.users["enterprise"])
    url = reverse("matching:need_matches", args=[need.pk])
    response = client.get(url, {"org_kind": "enterprise"})
    assert cat.expert.display_name not in response.content.decode()
    fragment = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results").content.decode()
    assert "<html" not in fragment and cat.expert.display_name in fragment


def test_need_match_page_query_count(cat, login, django_assert_max_num_queries, settings):
    settings.QIAO_INDEX_CHECK_SECONDS = 3600
    need = cat.need()
    client = login(cat.world.users["enterprise"])
    url = reverse("matching:need_matches", args=[need.pk])
    client.get(url)  # warm: the index is loaded once per process
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_need_match_page_is_404_for_a_need_the_user_may_not_see(cat, login):
    need = cat.need(Confidentiality.BROKERS)
    response = login(cat.world.users["researcher"]).get(reverse("matching:need_matches", args=[need.pk]))
    assert response.status_code == 404


def test_pages_require_login(cat, client):
    need = cat.need()
    for url in (reverse("matching:need_matches", args=[need.pk]), reverse("matching:for_me"),
                reverse("matching:market"), reverse("matching:search") + "?q=x", reverse("matching:conflicts")):
        assert client.get(url).status_code == 302


def test_for_me_page(cat, login):
    need = cat.need(Confidentiality.MEMBERS)
    body = visible_text(login(cat.world.users["researcher"]).get(reverse("matching:for_me")).content)
    assert need.title in body
    body = login(cat.world.users["enterprise"]).get(reverse("matching:for_me")).content.decode()
    assert "not linked to a researcher profile" in body


@pytest.mark.parametrize(("role", "status"), [("broker", 200), ("admin", 200), ("researcher", 403)])
def test_market_page(cat, login, role, status):
    need = cat.need(Confidentiality.BROKERS)
    response = login(cat.world.users[role]).get(reverse("matching:market"))
    assert response.status_code == status
    if status == 200:
        assert need.title in response.content.decode()


def test_search_page(cat, login):
    need = cat.need(Confidentiality.MEMBERS)
    client = login(cat.world.users["researcher"])
    body = visible_text(client.get(reverse("matching:search"), {"q": "膜生物反应器"}).content)
    assert need.title in body and cat.expert.display_name in body
    fragment = client.get(reverse("matching:search"), {"q": "膜生物反应器"}, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="results").content.decode()
    assert "<html" not in fragment


def test_conflict_page_declare_and_withdraw(cat, login):
    client = login(cat.world.users["researcher"])
    response = client.post(reverse("matching:conflicts"), {"person": cat.expert.pk,
                                                           "organization": cat.world.enterprise.pk,
                                                           "reason": "家属在该公司 / family"})
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get()
    assert "family" in client.get(reverse("matching:conflicts")).content.decode()
    other = login(cat.world.users["outsider_enterprise"])
    assert other.post(reverse("matching:conflict_withdraw", args=[conflict.pk])).status_code == 404
    client = login(cat.world.users["researcher"])
    assert client.post(reverse("matching:conflict_withdraw", args=[conflict.pk])).status_code == 302
    assert not ConflictOfInterest.objects.exists()


def test_conflict_page_refuses_people_the_user_may_not_declare_for(cat, login):
    client = login(cat.world.users["researcher"])
    response = client.post(reverse("matching:conflicts"), {"person": cat.chemist.pk,
                                                           "organization": cat.world.enterprise.pk})
    assert response.status_code == 200
    assert not ConflictOfInterest.objects.exists()
