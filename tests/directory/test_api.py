import pytest


def test_api_requires_authentication(client, world):
    assert client.get("/api/directory/organizations").status_code == 401


def test_openapi_docs_are_served(login, world):
    client = login(world.users["broker"])
    assert client.get("/api/docs").status_code == 200
    assert "/api/directory/organizations" in client.get("/api/openapi.json").json()["paths"]


def test_list_and_filter_organizations(login, world):
    client = login(world.users["broker"])
    body = client.get("/api/directory/organizations", {"kind": "enterprise", "q": "环保"}).json()
    assert [item["id"] for item in body["items"]] == [world.enterprise.pk]


def test_create_organization_validates_credit_code(login, world):
    client = login(world.users["broker"])
    payload = {"kind": "enterprise", "name": "新企业", "credit_code": "91350100M000100Y44", "industry_codes": ["35"]}
    response = client.post("/api/directory/organizations", payload, content_type="application/json")
    assert response.status_code == 422
    assert "credit_code" in response.json()["errors"]
    payload["credit_code"] = "91350100M000100Y43"
    response = client.post("/api/directory/organizations", payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["industry_codes"] == ["35"]


def test_unknown_industry_code_is_refused_and_nothing_is_written(login, world):
    from qiao.directory.models import Organization

    client = login(world.users["broker"])
    before = Organization.objects.count()
    response = client.post("/api/directory/organizations", {"kind": "enterprise", "name": "X", "industry_codes": ["ZZ"]},
                           content_type="application/json")
    assert response.status_code == 422
    assert Organization.objects.count() == before


@pytest.mark.parametrize(("role", "status"), [("enterprise", 200), ("outsider_enterprise", 403), ("admin", 200)])
def test_update_organization_permissions(login, world, role, status):
    client = login(world.users[role])
    payload = {"kind": "enterprise", "name": "环保装备公司（新）", "parent_id": world.zone.pk}
    response = client.put(f"/api/directory/organizations/{world.enterprise.pk}", payload, content_type="application/json")
    assert response.status_code == status


def test_people_endpoint_and_orcid_validation(login, world):
    client = login(world.users["dean"])
    payload = {"name": "王老师", "organization_id": world.college.pk, "orcid": "0000-0002-1825-0098"}
    response = client.post("/api/directory/people", payload, content_type="application/json")
    assert response.status_code == 422 and "orcid" in response.json()["errors"]
    payload["orcid"] = "0000-0002-1825-0097"
    assert client.post("/api/directory/people", payload, content_type="application/json").status_code == 201


def test_staff_cannot_add_people_to_another_university(login, world):
    client = login(world.users["dean"])
    payload = {"name": "外人", "organization_id": world.other_college.pk}
    assert client.post("/api/directory/people", payload, content_type="application/json").status_code == 403


def test_taxonomy_endpoints(login, world):
    client = login(world.users["nobody"])
    sections = client.get("/api/directory/industries", {"level": "section"}).json()
    assert len(sections) == 20
    categories = client.get("/api/directory/disciplines", {"level": "category"}).json()
    assert len(categories) == 14
