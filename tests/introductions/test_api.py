import pytest

from qiao.introductions.models import Introduction, IntroductionStatus

from .conftest import SECRET_TITLE


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def asked(intro, login):
    w = intro.world
    client = login(w.users["enterprise"])
    response = _post(client, "/api/introductions/", {"person_id": w.researcher_person.pk,
                                                     "need_id": intro.secret_need.pk, "message": "您好"})
    assert response.status_code == 201, response.content
    return Introduction.objects.get(pk=response.json()["id"])


def test_request_and_detail(asked, intro, login):
    w = intro.world
    data = login(w.users["enterprise"]).get(f"/api/introductions/{asked.pk}").json()
    assert data["status"] == "pending" and data["need_title"] == SECRET_TITLE


def test_need_hidden_from_those_who_may_not_see_it(asked, intro, login):
    data = login(intro.world.users["dean"]).get(f"/api/introductions/{asked.pk}").json()
    assert data["need_id"] is None and data["need_title"] is None


def test_outsider_gets_404(asked, intro, login):
    assert login(intro.world.users["outsider_enterprise"]).get(f"/api/introductions/{asked.pk}").status_code == 404


def test_request_errors(intro, login):
    w = intro.world
    client = login(w.users["outsider_enterprise"])
    assert _post(client, "/api/introductions/", {"person_id": w.researcher_person.pk,
                                                 "need_id": intro.secret_need.pk, "message": "x"}).status_code == 404
    assert _post(login(w.users["researcher"]), "/api/introductions/",
                 {"person_id": w.other_person.pk, "message": "x"}).status_code == 403


def test_duplicate_is_422(asked, intro, login):
    w = intro.world
    response = _post(login(w.users["enterprise"]), "/api/introductions/",
                     {"person_id": w.researcher_person.pk, "need_id": intro.secret_need.pk, "message": "again"})
    assert response.status_code == 422


def test_decline_needs_reason(asked, intro, login):
    client = login(intro.world.users["researcher"])
    assert _post(client, f"/api/introductions/{asked.pk}/decline", {"reason": " "}).status_code == 422
    response = _post(client, f"/api/introductions/{asked.pk}/decline", {"reason": "不合适"})
    assert response.status_code == 200 and response.json()["status"] == IntroductionStatus.DECLINED


def test_accept_and_withdraw_permissions(asked, intro, login):
    w = intro.world
    assert _post(login(w.users["enterprise"]), f"/api/introductions/{asked.pk}/accept", {}).status_code == 403
    assert _post(login(w.users["researcher"]), f"/api/introductions/{asked.pk}/withdraw").status_code == 403
    response = _post(login(w.users["enterprise"]), f"/api/introductions/{asked.pk}/withdraw")
    assert response.json()["status"] == IntroductionStatus.WITHDRAWN


def test_accept(asked, intro, login):
    response = _post(login(intro.world.users["researcher"]), f"/api/introductions/{asked.pk}/accept",
                     {"message": "欢迎"})
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_list_boxes(asked, intro, login):
    w = intro.world
    received = login(w.users["researcher"]).get("/api/introductions/?box=received").json()
    assert [i["id"] for i in received["items"]] == [asked.pk]
    assert login(w.users["researcher"]).get("/api/introductions/?box=sent").json()["count"] == 0
    assert login(w.users["officer"]).get("/api/introductions/").json()["count"] == 0


def test_list_query_count(intro, login, django_assert_max_num_queries):
    from qiao.introductions.services import introduction_request
    from tests.directory.factories import PersonFactory

    w = intro.world
    for _ in range(6):
        introduction_request(by=w.users["enterprise"], target_person=PersonFactory(organization=w.college),
                             need=intro.open_need, message="hi")
    client = login(w.users["enterprise"])
    with django_assert_max_num_queries(12):
        data = client.get("/api/introductions/?box=sent").json()
    assert data["count"] == 6 and all(i["need_title"] == "公开需求" for i in data["items"])
