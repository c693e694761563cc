"""The API: same permissions as the pages, confidential fields null for brokers and officers."""

import pytest

from qiao.cooperation import services
from qiao.cooperation.models import Cooperation


@pytest.fixture
def api(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.mark.parametrize(("role", "sees_terms"), [("enterprise", True), ("researcher", True), ("admin", True),
                                                  ("broker", False)])
def test_api_hides_confidential_fields(world, chain, api, role, sees_terms):
    services.agreement_update(agreement=chain.agreement, by=world.users["enterprise"], value="1250000")
    client = api(world.users[role])
    agreement = client.get(f"/api/cooperation/agreements/{chain.agreement.pk}").json()
    assert (agreement["value"] is not None) == sees_terms and agreement["terms_visible"] == sees_terms
    assert (agreement["terms"] is not None) == sees_terms
    deal = client.get(f"/api/cooperation/deals/{chain.deal.pk}").json()
    assert (deal["royalty_rate"] is not None) == sees_terms and (deal["total_value"] is not None) == sees_terms
    assert all((p["expected_amount"] is not None) == sees_terms for p in deal["payments"]) and deal["payments"]
    project = client.get(f"/api/cooperation/projects/{chain.project.pk}").json()
    assert bool(project["funding"]) == sees_terms and project["milestones"]
    audit = client.get(f"/api/cooperation/cooperations/{chain.coop.pk}/audit").json()
    assert ("1250000" in str(audit)) == sees_terms and "value" in str(audit)


def test_officer_sees_shared_agreement_without_amounts(world, chain, api):
    world.agency.parent = world.zone
    world.agency.save()
    services.cooperation_update(cooperation=chain.coop, by=world.users["broker"], shared_with_government=True)
    client = api(world.users["officer"])
    agreement = client.get(f"/api/cooperation/agreements/{chain.agreement.pk}").json()
    assert agreement["value"] is None
    assert client.patch(f"/api/cooperation/cooperations/{chain.coop.pk}", {"title": "x"},
                        content_type="application/json").status_code == 403


@pytest.mark.parametrize("path", ["cooperations/{coop}", "meetings/{meeting}", "agreements/{agreement}",
                                  "projects/{project}", "deals/{deal}", "cooperations/{coop}/timeline"])
def test_outsider_gets_404(world, chain, api, path):
    client = api(world.users["outsider_enterprise"])
    url = "/api/cooperation/" + path.format(coop=chain.coop.pk, meeting=chain.meeting.pk,
                                            agreement=chain.agreement.pk, project=chain.project.pk,
                                            deal=chain.deal.pk)
    assert client.get(url).status_code == 404


def test_outsider_lists_are_empty(world, chain, api):
    client = api(world.users["outsider_enterprise"])
    assert client.get("/api/cooperation/cooperations").json()["count"] == 0
    assert client.get("/api/cooperation/meetings").json()["count"] == 0
    assert client.get("/api/cooperation/action-items?scope=all").json()["count"] == 0
    assert client.get("/api/cooperation/agreements").json()["count"] == 0
    assert client.get("/api/cooperation/deals").json() == []


def test_api_lifecycle(world, api):
    broker = api(world.users["broker"])
    response = broker.post("/api/cooperation/cooperations", {
        "title": "API 合作", "party_ids": [world.enterprise.pk, world.university.pk]}, content_type="application/json")
    assert response.status_code == 201, response.content
    coop_id = response.json()["id"]
    assert broker.post(f"/api/cooperation/cooperations/{coop_id}/stage", {"stage": "negotiating"},
                       content_type="application/json").json()["stage"] == "negotiating"
    meeting = broker.post("/api/cooperation/meetings", {
        "title": "对接会", "starts_at": "2026-11-20T09:00:00+08:00", "cooperation_ids": [coop_id]},
        content_type="application/json").json()
    item = broker.post("/api/cooperation/action-items", {
        "meeting_id": meeting["id"], "title": "准备材料", "owner_user_id": world.users["enterprise"].pk,
        "due": "2026-12-01"}, content_type="application/json")
    assert item.status_code == 201
    # the broker may not set confidential terms
    assert broker.post("/api/cooperation/agreements", {
        "cooperation_id": coop_id, "kind": "joint_rnd", "title": "合同", "value": "100"},
        content_type="application/json").status_code == 403
    agreement = broker.post("/api/cooperation/agreements", {
        "cooperation_id": coop_id, "kind": "joint_rnd", "title": "合同"}, content_type="application/json")
    assert agreement.status_code == 201
    enterprise = api(world.users["enterprise"])
    patched = enterprise.patch(f"/api/cooperation/agreements/{agreement.json()['id']}", {"value": "880000"},
                               content_type="application/json").json()
    assert patched["value"] == "880000.00" or float(patched["value"]) == 880000
    assert enterprise.get("/api/cooperation/action-items").json()["items"][0]["title"] == "准备材料"
    assert Cooperation.objects.get(pk=coop_id).owner == world.users["broker"]


def test_api_outsider_cannot_change(world, chain, api):
    client = api(world.users["outsider_enterprise"])
    assert client.post(f"/api/cooperation/cooperations/{chain.coop.pk}/stage", {"stage": "closed"},
                       content_type="application/json").status_code == 404
    assert client.post("/api/cooperation/agreements", {"cooperation_id": chain.coop.pk, "kind": "framework",
                                                       "title": "x"}, content_type="application/json").status_code == 404
