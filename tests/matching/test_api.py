"""The matching API: matches, for-me, market, search, conflicts CRUD (permissions as on the pages)."""

from qiao.catalog.models import Confidentiality
from qiao.matching.models import ConflictOfInterest


def test_need_matches_api(cat, login):
    need = cat.need()
    data = login(cat.world.users["enterprise"]).get(f"/api/matching/needs/{need.pk}/matches",
                                                    {"top_k": 5}).json()
    assert data["need_id"] == need.pk
    top = data["experts"][0]
    assert top["person_id"] == cat.expert.pk and 0 <= top["score_100"] <= 100
    assert "<mark>" in top["evidence"][0]["snippet_html"]
    assert data["achievements"][0]["id"] == cat.achievement.pk
    assert cat.insider.pk not in [e["person_id"] for e in data["experts"]]


def test_need_matches_api_filters(cat, login):
    need = cat.need()
    client = login(cat.world.users["enterprise"])
    assert client.get(f"/api/matching/needs/{need.pk}/matches", {"org_kind": "enterprise"}).json()["experts"] == []


def test_api_requires_authentication(cat, client):
    need = cat.need()
    for url in (f"/api/matching/needs/{need.pk}/matches", "/api/matching/for-me", "/api/matching/market",
                "/api/matching/search?q=x", "/api/matching/conflicts"):
        assert client.get(url).status_code == 401


def test_for_me_and_market_api(cat, login):
    need = cat.need(Confidentiality.BROKERS)
    assert login(cat.world.users["researcher"]).get("/api/matching/for-me").json() == []
    market = login(cat.world.users["broker"]).get("/api/matching/market").json()
    assert [row["need_id"] for row in market["rows"]] == [need.pk]
    assert market["threshold"] == 40
    assert login(cat.world.users["broker"]).get(f"/api/matching/market?zone={cat.world.zone.pk}").status_code == 200


def test_conflicts_crud(cat, login):
    client = login(cat.world.users["researcher"])
    created = client.post("/api/matching/conflicts", {"person_id": cat.expert.pk,
                                                      "organization_id": cat.world.enterprise.pk,
                                                      "reason": "前雇主"}, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert [c["id"] for c in client.get("/api/matching/conflicts").json()] == [pk]
    assert client.get(f"/api/matching/conflicts/{pk}").json()["reason"] == "前雇主"
    patched = client.patch(f"/api/matching/conflicts/{pk}", {"reason": "former employer"},
                           content_type="application/json")
    assert patched.json()["reason"] == "former employer"
    outsider = login(cat.world.users["outsider_enterprise"])
    assert outsider.get(f"/api/matching/conflicts/{pk}").status_code == 404
    assert outsider.delete(f"/api/matching/conflicts/{pk}").status_code == 404
    forbidden = outsider.post("/api/matching/conflicts", {"person_id": cat.expert.pk,
                                                          "organization_id": cat.world.enterprise.pk},
                              content_type="application/json")
    assert forbidden.status_code == 403
    client = login(cat.world.users["researcher"])
    assert client.delete(f"/api/matching/conflicts/{pk}").status_code == 204
    assert not ConflictOfInterest.objects.exists()
