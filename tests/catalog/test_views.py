"""Catalog pages: every page for every role, the forms end to end, htmx fragments and query-count guards."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qiao.catalog import services
from qiao.catalog.models import Achievement, Capability, Confidentiality, Need, NeedStatus, Publication
from tests.catalog.conftest import make_need

pytestmark = pytest.mark.django_db

ROLES = ["admin", "enterprise", "outsider_enterprise", "researcher", "staff", "dean", "broker", "officer", "nobody"]
LISTS = ["catalog:need_list", "catalog:achievement_list", "catalog:capability_list"]
#: Create pages: who may open them (the rest get 403).
CREATE = {
    "catalog:need_create": {"admin", "enterprise", "outsider_enterprise", "broker"},
    "catalog:achievement_create": {"admin", "researcher", "staff", "dean"},
    "catalog:capability_create": {"admin", "staff", "dean"},  # enterprise managers manage no lab
}


@pytest.fixture
def catalog(world, needs):
    achievement = services.achievement_create(by=world.users["researcher"], owner=world.researcher_person,
                                              kind="invention_patent", title="一种耐污染膜", title_en="A fouling-"
                                              "resistant membrane", description="描述", transfer_modes=["licence"])
    capability = services.capability_create(by=world.users["staff"], kind="instrument", name="扫描电镜",
                                            name_en="SEM", organization=world.college,
                                            contact=world.researcher_person)
    publication = services.publication_create(by=world.users["researcher"], person=world.researcher_person,
                                              title="高盐废水膜蒸馏", year=2024, keywords=["膜蒸馏"])
    return {"achievement": achievement, "capability": capability, "publication": publication, "needs": needs}


@pytest.mark.parametrize("name", LISTS[1:] + list(CREATE) + ["catalog:my_publications"])
def test_pages_need_login(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_need_list_is_open_to_visitors(client, world, needs):
    response = client.get(reverse("catalog:need_list"))
    assert response.status_code == 200
    assert [n.pk for n in response.context["page"]] == [needs["public"].pk]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_lists_and_details(login, world, catalog, role, lang):
    client = login(world.users[role])
    client.cookies["django_language"] = lang
    for name in LISTS:
        assert client.get(reverse(name)).status_code == 200, name
    for obj in (catalog["achievement"], catalog["capability"], catalog["needs"]["public"]):
        assert client.get(obj.get_absolute_url()).status_code == 200, obj
    response = client.get(reverse("catalog:person_publications", args=[world.researcher_person.pk]))
    assert response.status_code == 200
    assert "高盐废水膜蒸馏" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(CREATE))
def test_create_pages_per_role(login, world, role, name):
    status = login(world.users[role]).get(reverse(name)).status_code
    assert status == (200 if role in CREATE[name] else 403)


@pytest.mark.parametrize("role", ROLES)
def test_need_edit_page_and_buttons_per_role(login, world, needs, role):
    client = login(world.users[role])
    need = needs["public"]
    edit = client.get(reverse("catalog:need_edit", args=[need.pk]))
    detail = client.get(need.get_absolute_url()).content.decode()
    may_change = role in ("admin", "enterprise")
    assert edit.status_code == (200 if may_change else 403)
    assert (reverse("catalog:need_transition", args=[need.pk]) in detail) == may_change
    assert (reverse("catalog:need_attachment_upload", args=[need.pk]) in detail) == may_change
    assert (f"/matching/needs/{need.pk}/" in detail) == (may_change or role == "broker")


def test_post_a_named_need_through_the_form(login, world):
    client = login(world.users["enterprise"])
    form = client.get(reverse("catalog:need_create")).context["form"]
    assert list(form.fields["owner"].queryset) == [world.enterprise]
    response = client.post(reverse("catalog:need_create"), {
        "owner": world.enterprise.pk, "kind": "technical_problem", "title": "高盐废水零排放",
        "title_en": "Zero liquid discharge", "description": "描述", "cooperation_modes": ["joint_rnd", "licence"],
        "budget_min": "20", "budget_max": "50", "deadline": "2027-03-01", "confidentiality": "named",
        "named_organizations": [world.university.pk], "publish": "1",
    })
    need = Need.objects.get(title="高盐废水零排放")
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    assert need.status == NeedStatus.PUBLISHED and need.created_by == world.users["enterprise"]
    assert list(need.named_organizations.all()) == [world.university]
    assert need.cooperation_modes == ["joint_rnd", "licence"]
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Zero liquid discharge" in page and world.university.display_name in page


def test_need_form_errors_are_shown(login, world):
    client = login(world.users["enterprise"])
    response = client.post(reverse("catalog:need_create"), {
        "owner": world.enterprise.pk, "kind": "technical_problem", "title": "预算错", "description": "d",
        "budget_min": "50", "budget_max": "10", "confidentiality": "named",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "budget_max" in errors and "named_organizations" in errors
    assert not Need.objects.filter(title="预算错").exists()


def test_enterprise_cannot_post_for_another_enterprise(login, world):
    client = login(world.users["enterprise"])
    response = client.post(reverse("catalog:need_create"), {
        "owner": world.other_enterprise.pk, "kind": "testing", "title": "冒名", "description": "d",
        "confidentiality": "public",
    })
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    assert not Need.objects.filter(title="冒名").exists()


def test_broker_picks_the_enterprise(login, world):
    client = login(world.users["broker"])
    owners = client.get(reverse("catalog:need_create")).context["form"].fields["owner"].queryset
    assert {world.enterprise, world.other_enterprise} <= set(owners)
    client.post(reverse("catalog:need_create"), {
        "owner": world.other_enterprise.pk, "kind": "consulting", "title": "代发需求", "description": "d",
        "confidentiality": "brokers",
    })
    need = Need.objects.get(title="代发需求")
    assert need.owner == world.other_enterprise and need.status == NeedStatus.DRAFT
    assert client.get(need.get_absolute_url()).status_code == 200


def test_edit_need(login, world, needs):
    client = login(world.users["enterprise"])
    need = needs["members"]
    response = client.post(reverse("catalog:need_edit", args=[need.pk]), {
        "kind": "consulting", "title": "改过的标题", "description": "新描述", "confidentiality": "brokers",
    })
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.title, need.kind, need.confidentiality, need.owner) == (
        "改过的标题", "consulting", Confidentiality.BROKERS, world.enterprise)


def test_lifecycle_buttons_show_only_allowed_transitions(login, world, needs):
    client = login(world.users["enterprise"])
    draft = needs["draft"]
    transitions = [to for to, _label, _style in client.get(draft.get_absolute_url()).context["transitions"]]
    assert transitions == [NeedStatus.PUBLISHED, NeedStatus.WITHDRAWN]
    client.post(reverse("catalog:need_transition", args=[draft.pk]), {"to": "published", "note": "上线"})
    draft.refresh_from_db()
    assert draft.status == NeedStatus.PUBLISHED
    transitions = [to for to, _l, _s in client.get(draft.get_absolute_url()).context["transitions"]]
    assert transitions == [NeedStatus.IN_TALKS, NeedStatus.IN_COOPERATION, NeedStatus.CLOSED, NeedStatus.WITHDRAWN]
    # a refused transition is a message, not an error page
    response = client.post(reverse("catalog:need_transition", args=[draft.pk]), {"to": "draft"}, follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == NeedStatus.PUBLISHED
    history = client.get(draft.get_absolute_url()).content.decode()
    assert "上线" in history


def test_transition_is_post_only_and_for_the_owner(login, world, needs):
    need = needs["public"]
    assert login(world.users["enterprise"]).get(reverse("catalog:need_transition", args=[need.pk])).status_code == 405
    response = login(world.users["broker"]).post(reverse("catalog:need_transition", args=[need.pk]), {"to": "closed"})
    assert response.status_code == 403
    assert login(world.users["outsider_enterprise"]).post(
        reverse("catalog:need_transition", args=[needs["draft"].pk]), {"to": "published"}).status_code == 404


def test_upload_and_download_attachment(login, world, needs, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client = login(world.users["enterprise"])
    need = needs["members"]
    upload = SimpleUploadedFile("规格书.pdf", b"%PDF-1.4 spec", content_type="application/pdf")
    response = client.post(reverse("catalog:need_attachment_upload", args=[need.pk]), {"file": upload, "name": "规格书"})
    assert response.status_code == 302
    attachment = need.attachments.get()
    assert str(tmp_path) in attachment.file.path
    download = login(world.users["researcher"]).get(reverse("catalog:need_attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 spec"
    assert download["Content-Type"] == "application/pdf"
    # a file type not on the list is refused
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    client.post(reverse("catalog:need_attachment_upload", args=[need.pk]), {"file": bad})
    assert need.attachments.count() == 1
    # others may not upload
    other = login(world.users["researcher"]).post(reverse("catalog:need_attachment_upload", args=[need.pk]), {
        "file": SimpleUploadedFile("a.txt", b"x")})
    assert other.status_code == 403


def test_delete_draft(login, world, needs):
    client = login(world.users["enterprise"])
    assert client.post(reverse("catalog:need_delete", args=[needs["public"].pk])).status_code == 403
    assert client.post(reverse("catalog:need_delete", args=[needs["draft"].pk])).status_code == 302
    assert not Need.objects.filter(pk=needs["draft"].pk).exists()


def test_need_filters_and_htmx_fragment(login, world, needs):
    client = login(world.users["admin"])
    response = client.get(reverse("catalog:need_list"), {"q": "BROKERSNEED"})
    assert [n.pk for n in response.context["page"]] == [needs["brokers"].pk]
    response = client.get(reverse("catalog:need_list"), {"status": "draft"})
    assert [n.pk for n in response.context["page"]] == [needs["draft"].pk]
    fragment = client.get(reverse("catalog:need_list"), {"q": "NEED"}, headers={"HX-Request": "true",
                                                                               "HX-Target": "results"})
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    mine = login(world.users["outsider_enterprise"]).get(reverse("catalog:need_list"), {"mine": "on"})
    assert mine.context["page"].paginator.count == 0


def test_achievement_form_end_to_end(login, world):
    client = login(world.users["researcher"])
    form = client.get(reverse("catalog:achievement_create")).context["form"]
    assert list(form.fields["owner"].queryset) == [world.researcher_person]
    response = client.post(reverse("catalog:achievement_create"), {
        "kind": "invention_patent", "title": "一种抗污染复合膜", "description": "描述", "owner": world.researcher_person.pk,
        "transfer_modes": ["licence", "assignment"], "trl": "5", "visibility": "public", "price_min": "30",
        "price_max": "80",
    })
    achievement = Achievement.objects.get(title="一种抗污染复合膜")
    assert response.status_code == 302 and achievement.organization == world.college
    response = client.post(reverse("catalog:achievement_edit", args=[achievement.pk]), {
        "kind": "invention_patent", "title": "一种抗污染复合膜", "description": "描述", "owner": world.researcher_person.pk,
        "trl": "12", "visibility": "public",
    })
    assert response.status_code == 200 and "trl" in response.context["form"].errors
    assert login(world.users["broker"]).get(reverse("catalog:achievement_edit", args=[achievement.pk])).status_code \
        == 404


def test_capability_form_end_to_end(login, world):
    client = login(world.users["dean"])
    response = client.post(reverse("catalog:capability_create"), {
        "kind": "lab", "name": "智能装备实验室", "organization": world.college.pk, "open_to_enterprises": "on",
    })
    capability = Capability.objects.get(name="智能装备实验室")
    assert response.status_code == 302 and capability.organization == world.college
    response = client.post(reverse("catalog:capability_create"), {
        "kind": "lab", "name": "别处的实验室", "organization": world.other_college.pk,
    })
    assert response.status_code == 200 and "organization" in response.context["form"].errors


def test_my_publications_controls(login, world, catalog):
    client = login(world.users["researcher"])
    pub = catalog["publication"]
    page = client.get(reverse("catalog:my_publications"))
    assert page.status_code == 200 and page.context["can_change"] and page.context["is_self"]
    html = page.content.decode()
    assert reverse("catalog:publication_toggle", args=[pub.pk, "pinned"]) in html
    assert reverse("directory:person_edit", args=[world.researcher_person.pk]) in html
    # without JavaScript: a POST and a redirect back
    response = client.post(reverse("catalog:publication_toggle", args=[pub.pk, "pinned"]), {"value": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("catalog:my_publications")
    pub.refresh_from_db()
    assert pub.pinned
    # with htmx: only the row comes back
    response = client.post(reverse("catalog:publication_toggle", args=[pub.pk, "hidden_from_matching"]),
                           {"value": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and b"<html" not in response.content
    assert f'id="pub-{pub.pk}"'.encode() in response.content
    pub.refresh_from_db()
    assert pub.hidden_from_matching
    assert client.post(reverse("catalog:publication_toggle", args=[pub.pk, "title"])).status_code == 404
    # expertise keywords, separated the way people type them
    client.post(reverse("catalog:my_publications"), {"expertise_keywords": "膜蒸馏，高盐废水、 zero liquid discharge"})
    world.researcher_person.refresh_from_db()
    assert world.researcher_person.expertise_keywords == ["膜蒸馏", "高盐废水", "zero liquid discharge"]


def test_add_edit_remove_publication(login, world, catalog):
    client = login(world.users["researcher"])
    person = world.researcher_person
    response = client.post(reverse("catalog:publication_create", args=[person.pk]), {
        "title": "Membrane distillation of brines", "year": "2023", "doi": "10.1000/md.1", "keywords": "MD, brine",
        "pinned": "on",
    })
    assert response.status_code == 302
    pub = Publication.objects.get(doi="10.1000/md.1")
    assert pub.pinned and pub.keywords == ["MD", "brine"]
    response = client.post(reverse("catalog:publication_edit", args=[pub.pk]), {"title": "Membrane distillation",
                                                                                "doi": "not-a-doi"})
    assert response.status_code == 200 and "doi" in response.context["form"].errors
    assert client.post(reverse("catalog:publication_delete", args=[pub.pk])).status_code == 302
    assert not Publication.objects.filter(pk=pub.pk).exists()


@pytest.mark.parametrize("role", ["enterprise", "broker", "outsider_enterprise", "officer"])
def test_others_cannot_curate_a_researchers_publications(login, world, catalog, role):
    client = login(world.users[role])
    pub = catalog["publication"]
    page = client.get(reverse("catalog:person_publications", args=[world.researcher_person.pk]))
    assert not page.context["can_change"]
    assert reverse("catalog:publication_toggle", args=[pub.pk, "pinned"]) not in page.content.decode()
    assert client.post(reverse("catalog:publication_toggle", args=[pub.pk, "pinned"])).status_code == 404
    assert client.get(reverse("catalog:publication_create", args=[world.researcher_person.pk])).status_code == 403
    assert client.post(reverse("catalog:person_publications", args=[world.researcher_person.pk]),
                       {"expertise_keywords": "x"}).status_code == 403


def test_staff_curates_their_researchers(login, world, catalog):
    client = login(world.users["staff"])
    page = client.get(reverse("catalog:person_publications", args=[world.researcher_person.pk]))
    assert page.context["can_change"]
    assert client.post(reverse("catalog:publication_toggle", args=[catalog["publication"].pk, "pinned"])).status_code \
        == 302


def test_my_publications_without_a_profile(login, world):
    response = login(world.users["broker"]).get(reverse("catalog:my_publications"))
    assert response.status_code == 404 and "catalog/no_profile.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("name", LISTS)
def test_list_query_count_does_not_grow(login, world, django_assert_max_num_queries, name):
    client = login(world.users["broker"])
    for i in range(30):
        make_need(world, title=f"需求{i}", confidentiality=Confidentiality.BROKERS)
        services.achievement_create(by=world.users["researcher"], owner=world.researcher_person,
                                    kind="paper", title=f"成果{i}", description="d")
        services.capability_create(by=world.users["staff"], kind="lab", name=f"实验室{i}", organization=world.college)
    with django_assert_max_num_queries(20):
        response = client.get(reverse(name))
    assert response.status_code == 200 and response.context["page"].paginator.count >= 25


def test_publications_page_query_count(login, world, django_assert_max_num_queries):
    for i in range(30):
        services.publication_create(by=world.users["researcher"], person=world.researcher_person, title=f"论文{i}")
    client = login(world.users["researcher"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("catalog:my_publications")).status_code == 200


def test_pages_speak_chinese(login, world, needs):
    client = login(world.users["enterprise"])
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("catalog:need_list")).content.decode()
    assert "发布需求" in html and "<html lang=\"zh-hans\"" in html
    html = client.get(needs["draft"].get_absolute_url()).content.decode()
    assert "需求进度" in html and "发布" in html
