import pytest

from qiao.introductions.models import Introduction, IntroductionStatus
from qiao.introductions.services import introduction_request

from .conftest import SECRET_TITLE


@pytest.fixture
def pending(intro):
    w = intro.world
    return introduction_request(by=w.users["enterprise"], target_person=w.researcher_person, need=intro.secret_need,
                                message="想请您看看脱硝问题")


def test_request_form_from_a_match_link(intro, login):
    w = intro.world
    client = login(w.users["enterprise"])
    url = f"/introductions/new/?person={w.researcher_person.pk}&need={intro.secret_need.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert SECRET_TITLE in page.content.decode()
    response = client.post("/introductions/new/", {"person": w.researcher_person.pk, "need": intro.secret_need.pk,
                                                   "message": "您好"})
    introduction = Introduction.objects.get()
    assert response.status_code == 302 and response.url == introduction.get_absolute_url()
    assert introduction.need == intro.secret_need


def test_request_form_refuses_a_need_the_user_may_not_see(intro, login):
    w = intro.world
    client = login(w.users["outsider_enterprise"])
    assert client.get(f"/introductions/new/?person={w.researcher_person.pk}&need={intro.secret_need.pk}"
                      ).status_code == 404


def test_request_form_for_an_achievement_owner(intro, login):
    from qiao.catalog.models import Achievement

    w = intro.world
    achievement = Achievement.objects.create(kind="invention_patent", title="低温脱硝催化剂", description="x",
                                             owner=w.researcher_person, organization=w.college)
    client = login(w.users["enterprise"])
    page = client.get(f"/introductions/new/?achievement={achievement.pk}")
    assert page.status_code == 200 and "低温脱硝催化剂" in page.content.decode()
    client.post("/introductions/new/", {"achievement": achievement.pk, "message": "想了解许可"})
    assert Introduction.objects.get().target_person == w.researcher_person


def test_request_form_shows_opt_out(intro, login):
    w = intro.world
    w.researcher_person.opted_out_of_matching = True
    w.researcher_person.save()
    client = login(w.users["enterprise"])
    response = client.post("/introductions/new/", {"person": w.researcher_person.pk, "message": "您好"})
    assert response.status_code == 200
    assert "not to be contacted" in response.content.decode()
    assert not Introduction.objects.exists()


@pytest.mark.parametrize("role", ["researcher", "officer"])
def test_request_form_forbidden_for_non_requesters(intro, login, role):
    w = intro.world
    assert login(w.users[role]).get(f"/introductions/new/?person={w.researcher_person.pk}").status_code == 403


@pytest.mark.parametrize(("role", "status", "sees_need"), [
    ("enterprise", 200, True), ("researcher", 200, True), ("dean", 200, False), ("admin", 200, True),
    ("outsider_enterprise", 404, False), ("broker", 404, False), ("officer", 404, False),
])
def test_detail_per_role(pending, login, role, status, sees_need):
    response = login(_user(pending, role)).get(pending.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert (SECRET_TITLE in response.content.decode()) is sees_need


def _user(introduction, role):
    from qiao.accounts.models import User

    return User.objects.get(username=role)


def test_expert_sees_answer_buttons_and_requester_sees_withdraw(pending, login):
    expert_page = login(_user(pending, "researcher")).get(pending.get_absolute_url()).content.decode()
    assert f"/introductions/{pending.pk}/decline/" in expert_page
    assert f"/introductions/{pending.pk}/withdraw/" not in expert_page
    asker_page = login(_user(pending, "enterprise")).get(pending.get_absolute_url()).content.decode()
    assert f"/introductions/{pending.pk}/withdraw/" in asker_page
    assert f"/introductions/{pending.pk}/decline/" not in asker_page


def test_decline_without_reason_shows_the_form_again(pending, login):
    client = login(_user(pending, "researcher"))
    response = client.post(f"/introductions/{pending.pk}/decline/", {"reason": ""})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == IntroductionStatus.PENDING
    response = client.post(f"/introductions/{pending.pk}/decline/", {"reason": "方向不符"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == IntroductionStatus.DECLINED
    asker_view = login(_user(pending, "enterprise")).get(pending.get_absolute_url()).content.decode()
    assert "方向不符" in asker_view


def test_requester_cannot_answer(pending, login):
    assert login(_user(pending, "enterprise")).post(f"/introductions/{pending.pk}/accept/").status_code == 403


def test_withdraw(pending, login):
    login(_user(pending, "enterprise")).post(f"/introductions/{pending.pk}/withdraw/")
    pending.refresh_from_db()
    assert pending.status == IntroductionStatus.WITHDRAWN


def test_list_tabs(pending, login, django_assert_max_num_queries):
    client = login(_user(pending, "researcher"))
    with django_assert_max_num_queries(20):
        received = client.get("/introductions/?box=received")
    assert received.status_code == 200 and pending.requester_org.display_name in received.content.decode()
    assert client.get("/introductions/").context["box"] == "received"
    sent = login(_user(pending, "enterprise")).get("/introductions/?box=sent")
    assert pending.target_person.display_name in sent.content.decode()
    assert "Researcher" not in login(_user(pending, "officer")).get("/introductions/?box=sent").content.decode()


def test_pages_need_login(client, pending):
    assert client.get("/introductions/").status_code == 302
    assert client.get(pending.get_absolute_url()).status_code == 302
