import pytest
from django.urls import reverse

from tests.directory.factories import OrganizationFactory, PersonFactory, make_uscc

PAGES = ["directory:organization_list", "directory:person_list", "directory:major_list", "directory:taxonomies",
         "core:home"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_need_login(client, world, name):
    response = client.get(reverse(name))
    if name == "core:home":
        assert response.status_code == 200 and not response.context["user"].is_authenticated
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["admin", "enterprise", "researcher", "staff", "dean", "broker", "officer", "nobody"])
@pytest.mark.parametrize("name", PAGES)
def test_every_role_sees_every_page(login, world, role, name):
    assert login(world.users[role]).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_detail_pages_render(login, world, lang):
    client = login(world.users["broker"])
    client.cookies["django_language"] = lang
    assert client.get(world.enterprise.get_absolute_url()).status_code == 200
    assert client.get(world.researcher_person.get_absolute_url()).status_code == 200


def test_organization_search_and_filter(login, world):
    client = login(world.users["broker"])
    response = client.get(reverse("directory:organization_list"), {"q": "环保", "kind": "enterprise"})
    assert [o.pk for o in response.context["page"]] == [world.enterprise.pk]


def test_htmx_request_gets_only_the_results(login, world):
    client = login(world.users["broker"])
    response = client.get(reverse("directory:organization_list"), {"q": "环保"},
                          headers={"HX-Request": "true", "HX-Target": "results"})
    assert response.status_code == 200
    assert b"<html" not in response.content


def test_organization_list_query_count_does_not_grow(login, world, django_assert_max_num_queries):
    for i in range(30):
        OrganizationFactory(parent=world.zone, credit_code=make_uscc(i))
    client = login(world.users["broker"])
    with django_assert_max_num_queries(12):
        client.get(reverse("directory:organization_list"))


def test_person_list_query_count_does_not_grow(login, world, django_assert_max_num_queries):
    for _ in range(30):
        PersonFactory(organization=world.college, expertise_keywords=["膜分离"])
    client = login(world.users["broker"])
    with django_assert_max_num_queries(12):
        client.get(reverse("directory:person_list"))


def test_manager_edits_own_enterprise_with_credit_code(login, world):
    client = login(world.users["enterprise"])
    url = reverse("directory:organization_edit", args=[world.enterprise.pk])
    data = {"kind": "enterprise", "name": "环保装备公司", "credit_code": "91350100M000100Y44"}
    response = client.post(url, data)
    assert response.status_code == 200 and "credit_code" in response.context["form"].errors
    data["credit_code"] = "91350100M000100Y43"
    assert client.post(url, data).status_code == 302
    world.enterprise.refresh_from_db()
    assert world.enterprise.credit_code == "91350100M000100Y43"


def test_outsider_cannot_edit_an_enterprise(login, world):
    client = login(world.users["outsider_enterprise"])
    assert client.get(reverse("directory:organization_edit", args=[world.enterprise.pk])).status_code == 404


def test_researcher_edits_own_profile_keywords(login, world):
    client = login(world.users["researcher"])
    url = reverse("directory:person_edit", args=[world.researcher_person.pk])
    response = client.post(url, {"name": "张研究", "kind": "researcher", "expertise_keywords": "膜分离，membrane, 水处理",
                                 "orcid": "0000-0002-1825-0097"})
    assert response.status_code == 302
    world.researcher_person.refresh_from_db()
    assert world.researcher_person.expertise_keywords == ["膜分离", "membrane", "水处理"]


def test_language_switch(login, world):
    client = login(world.users["broker"])
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.get("/").context["LANGUAGE_CODE"] == "en"


def test_people_are_found_by_chinese_expertise_keywords(login, world):
    world.researcher_person.expertise_keywords = ["计算机视觉", "膜分离"]
    world.researcher_person.save()
    client = login(world.users["broker"])
    response = client.get(reverse("directory:person_list"), {"q": "膜分离"})
    assert [p.pk for p in response.context["page"]] == [world.researcher_person.pk]


def test_people_of_one_organization(login, world):
    client = login(world.users["broker"])
    response = client.get(reverse("directory:person_list"), {"organization": world.college.pk})
    assert {p.pk for p in response.context["page"]} == {world.researcher_person.pk}
