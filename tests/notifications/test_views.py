import pytest

from qiao.notifications.models import Notification
from qiao.notifications.services import notify
from tests.accounts.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory(preferred_language="en")


def _two(user):
    notify(recipients=[user], kind="action_item.due", title="Report due", url="/x/")
    notify(recipients=[user], kind="action_item.overdue", title="Report overdue")
    return list(Notification.objects.filter(recipient=user))


def test_list_shows_own_notifications_and_bell(user, login, django_assert_max_num_queries):
    _two(user)
    notify(recipients=[UserFactory()], kind="action_item.due", title="Somebody else's")
    client = login(user)
    with django_assert_max_num_queries(15):
        page = client.get("/notifications/")
    html = page.content.decode()
    assert "Report due" in html and "Report overdue" in html and "Somebody else" not in html
    assert 'data-unread="2"' in html


def test_mark_read_htmx_and_plain(user, login):
    first, second = _two(user)
    client = login(user)
    fragment = client.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "Mark as read" not in fragment.content.decode()
    assert client.post(f"/notifications/{second.pk}/read/").status_code == 302
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_cannot_mark_someone_elses(user, login):
    other = notify(recipients=[UserFactory()], kind="action_item.due", title="x")[0]
    assert login(user).post(f"/notifications/{other.pk}/read/").status_code == 404


def test_mark_all_read(user, login):
    _two(user)
    login(user).post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert list(login(user).get("/notifications/?unread=1").context["page"].object_list) == []


def test_settings_page(user, login):
    client = login(user)
    assert client.get("/notifications/settings/").status_code == 200
    data = {"digest": "daily", "action_item.due__in_app": "on"}  # everything else unticked
    assert client.post("/notifications/settings/", data).status_code == 302
    from qiao.notifications.selectors import notification_settings

    current = notification_settings(user=user)
    assert current["digest"] == "daily"
    due = next(k for k in current["kinds"] if k["kind"] == "action_item.due")
    assert due == {"kind": "action_item.due", "label": due["label"], "in_app": True, "email": False}


def test_login_required(client):
    assert client.get("/notifications/").status_code == 302


def test_open_marks_read_and_follows_the_link(user, login):
    _two(user)
    first = Notification.objects.get(recipient=user, title="Report due")
    response = login(user).get(f"/notifications/{first.pk}/open/")
    assert response.status_code == 302 and response.url == "/x/"
    first.refresh_from_db()
    assert first.read_at is not None


def test_open_refuses_foreign_links_and_other_peoples_notifications(user, login):
    evil = notify(recipients=[user], kind="action_item.due", title="x", url="https://evil.example/")[0]
    assert login(user).get(f"/notifications/{evil.pk}/open/").url == "/notifications/"
    other = notify(recipients=[UserFactory()], kind="action_item.due", title="x")[0]
    assert login(user).get(f"/notifications/{other.pk}/open/").status_code == 404
