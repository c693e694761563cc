"""The catalog API: the same rules as the pages; 404 for what one may not see, 403 for what one may not change,
422 with field errors for invalid input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qiao.catalog import services
from qiao.catalog.models import Need, NeedStatus, Publication

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _need_payload(world, **extra):
    return {"owner_id": world.enterprise.pk, "kind": "technical_problem", "title": "烟气超低排放改造",
            "title_en": "Ultra-low flue-gas emission", "description": "需要高校团队", "industry_codes": ["35"],
            "discipline_codes": [], "cooperation_modes": ["joint_rnd"], "budget_min": "20", "budget_max": "60",
            "deadline": "2027-01-31", "confidentiality": "members", **extra}


def test_catalog_api_requires_authentication(client, world):
    for path in ("/api/catalog/needs", "/api/catalog/achievements", "/api/catalog/capabilities"):
        assert client.get(path).status_code == 401


def test_openapi_lists_the_catalog(login, world):
    paths = login(world.users["broker"]).get("/api/openapi.json").json()["paths"]
    assert {"/api/catalog/needs", "/api/catalog/needs/{need_id}/transitions",
            "/api/catalog/people/{person_id}/publications"} <= set(paths)


def test_create_publish_update_and_transition_a_need(login, world):
    client = login(world.users["enterprise"])
    response = client.post("/api/catalog/needs", _need_payload(world, publish=True), content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "published" and body["industry_codes"] == ["35"] and Decimal(body["budget_min"]) == 20
    assert [e["to_status"] for e in body["events"]] == ["draft", "published"]
    need_id = body["id"]

    payload = _need_payload(world, title="烟气超低排放改造（二期）", confidentiality="named",
                            named_organization_ids=[world.university.pk])
    response = client.put(f"/api/catalog/needs/{need_id}", payload, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["named_organization_ids"] == [world.university.pk]

    response = client.post(f"/api/catalog/needs/{need_id}/transitions", {"to": "in_talks", "note": "与东岚大学洽谈"},
                           content_type=JSON)
    assert response.status_code == 200 and response.json()["status"] == "in_talks"
    response = client.post(f"/api/catalog/needs/{need_id}/transitions", {"to": "draft"}, content_type=JSON)
    assert response.status_code == 422 and "status" in response.json()["errors"]

    # a researcher of the named university sees it but may neither change it nor see whom it is shared with
    researcher = login(world.users["researcher"])
    seen = researcher.get(f"/api/catalog/needs/{need_id}").json()
    assert seen["named_organization_ids"] == []
    assert researcher.put(f"/api/catalog/needs/{need_id}", payload, content_type=JSON).status_code == 403
    assert researcher.post(f"/api/catalog/needs/{need_id}/transitions", {"to": "closed"},
                           content_type=JSON).status_code == 403


def test_invalid_needs_are_422_with_field_errors(login, world):
    client = login(world.users["enterprise"])
    cases = {
        "budget_max": _need_payload(world, budget_min="80", budget_max="10"),
        "named_organizations": _need_payload(world, confidentiality="named"),
        "industry_codes": _need_payload(world, industry_codes=["ZZ"]),
        "cooperation_modes": _need_payload(world, cooperation_modes=["bribery"]),
        "owner_id": _need_payload(world, owner_id=None),
    }
    for field, payload in cases.items():
        response = client.post("/api/catalog/needs", payload, content_type=JSON)
        assert response.status_code == 422, (field, response.content)
        assert field in response.json()["errors"], (field, response.json())
    assert not Need.objects.exists()


def test_posting_for_another_enterprise_is_403(login, world):
    response = login(world.users["enterprise"]).post(
        "/api/catalog/needs", _need_payload(world, owner_id=world.other_enterprise.pk), content_type=JSON)
    assert response.status_code == 403
    response = login(world.users["researcher"]).post("/api/catalog/needs", _need_payload(world), content_type=JSON)
    assert response.status_code == 403


def test_hidden_need_is_404_for_every_verb(login, world, needs):
    client = login(world.users["outsider_enterprise"])
    for level in ("named", "brokers", "draft"):
        pk = needs[level].pk
        assert client.get(f"/api/catalog/needs/{pk}").status_code == 404
        assert client.put(f"/api/catalog/needs/{pk}", _need_payload(world), content_type=JSON).status_code == 404
        assert client.post(f"/api/catalog/needs/{pk}/transitions", {"to": "closed"},
                           content_type=JSON).status_code == 404
        assert client.delete(f"/api/catalog/needs/{pk}").status_code == 404


def test_delete_draft(login, world, needs):
    client = login(world.users["enterprise"])
    assert client.delete(f"/api/catalog/needs/{needs['public'].pk}").status_code == 403
    assert client.delete(f"/api/catalog/needs/{needs['draft'].pk}").status_code == 204


def test_need_list_filters_and_pagination(login, world, needs, django_assert_max_num_queries):
    for i in range(60):
        services.need_create(by=world.users["enterprise"], owner=world.enterprise, title=f"批量需求{i}",
                             description="d", kind="testing", publish=True)
    client = login(world.users["enterprise"])
    with django_assert_max_num_queries(12):
        body = client.get("/api/catalog/needs").json()
    assert body["count"] == 65 and len(body["items"]) == 50
    assert client.get("/api/catalog/needs", {"page": 2}).json()["items"]
    assert client.get("/api/catalog/needs", {"kind": "testing"}).json()["count"] == 60
    assert client.get("/api/catalog/needs", {"status": "draft"}).json()["count"] == 1
    assert client.get("/api/catalog/needs", {"q": "NAMEDNEED"}).json()["items"][0]["id"] == needs["named"].pk
    assert client.get("/api/catalog/needs", {"mine": True}).json()["count"] == 65
    assert login(world.users["broker"]).get("/api/catalog/needs", {"mine": True}).json()["count"] == 0


def test_achievements_crud(login, world):
    client = login(world.users["researcher"])
    payload = {"kind": "invention_patent", "title": "一种抗污染膜", "title_en": "A fouling-resistant membrane",
               "description": "描述", "owner_id": world.researcher_person.pk, "transfer_modes": ["licence"],
               "trl": 5, "industry_codes": ["77"], "price_min": "10", "price_max": "30"}
    response = client.post("/api/catalog/achievements", payload, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organization_id"] == world.college.pk and body["industry_codes"] == ["77"]
    pk = body["id"]
    assert client.put(f"/api/catalog/achievements/{pk}", {**payload, "trl": 11}, content_type=JSON).status_code == 422
    assert client.put(f"/api/catalog/achievements/{pk}", {**payload, "trl": 6},
                      content_type=JSON).json()["trl"] == 6
    broker = login(world.users["broker"])
    assert broker.get(f"/api/catalog/achievements/{pk}").status_code == 200
    assert broker.put(f"/api/catalog/achievements/{pk}", payload, content_type=JSON).status_code == 403
    assert broker.post("/api/catalog/achievements", payload, content_type=JSON).status_code == 403
    assert broker.get("/api/catalog/achievements", {"q": "fouling"}).json()["count"] == 1


def test_capabilities(login, world):
    client = login(world.users["staff"])
    payload = {"kind": "instrument", "name": "扫描电镜", "name_en": "SEM", "organization_id": world.college.pk,
               "contact_id": world.researcher_person.pk, "industry_codes": ["35"]}
    response = client.post("/api/catalog/capabilities", payload, content_type=JSON)
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.put(f"/api/catalog/capabilities/{pk}", {**payload, "fee_note": "按机时"},
                      content_type=JSON).json()["fee_note"] == "按机时"
    other = login(world.users["outsider_enterprise"])
    assert other.get("/api/catalog/capabilities").json()["count"] == 1
    assert other.put(f"/api/catalog/capabilities/{pk}", payload, content_type=JSON).status_code == 403
    assert other.post("/api/catalog/capabilities", payload, content_type=JSON).status_code == 403


def test_publications_of_a_person(login, world):
    client = login(world.users["researcher"])
    person = world.researcher_person.pk
    response = client.post(f"/api/catalog/people/{person}/publications",
                           {"title": "Brine membrane distillation", "doi": "10.1000/B1", "year": 2024,
                            "keywords": ["MD"]}, content_type=JSON)
    assert response.status_code == 201
    pub = response.json()
    assert pub["doi"] == "10.1000/b1"
    response = client.patch(f"/api/catalog/publications/{pub['id']}", {"hidden_from_matching": True},
                            content_type=JSON)
    assert response.status_code == 200
    assert response.json()["hidden_from_matching"] and response.json()["title"] == "Brine membrane distillation"
    assert client.patch(f"/api/catalog/publications/{pub['id']}", {"doi": "nope"},
                        content_type=JSON).status_code == 422
    listed = login(world.users["enterprise"]).get(f"/api/catalog/people/{person}/publications").json()
    assert [p["id"] for p in listed] == [pub["id"]]
    enterprise = login(world.users["enterprise"])
    assert enterprise.patch(f"/api/catalog/publications/{pub['id']}", {"pinned": True},
                            content_type=JSON).status_code == 403
    assert enterprise.delete(f"/api/catalog/publications/{pub['id']}").status_code == 403
    assert enterprise.post(f"/api/catalog/people/{person}/publications", {"title": "x"},
                           content_type=JSON).status_code == 403
    assert login(world.users["researcher"]).delete(f"/api/catalog/publications/{pub['id']}").status_code == 204
    assert not Publication.objects.exists()


def test_token_auth_sees_the_same_needs(client, world, needs):
    from qiao.accounts.services import api_token_create

    _token, raw = api_token_create(user=world.users["broker"], name="script")
    body = client.get("/api/catalog/needs", headers={"Authorization": f"Bearer {raw}"}).json()
    assert {item["id"] for item in body["items"]} == {needs[lv].pk for lv in ("public", "members", "brokers")}


def test_need_status_is_not_writable_through_update(login, world, needs):
    client = login(world.users["enterprise"])
    payload = _need_payload(world, status="closed")
    response = client.put(f"/api/catalog/needs/{needs['draft'].pk}", payload, content_type=JSON)
    assert response.status_code == 200 and response.json()["status"] == NeedStatus.DRAFT
