from qiao.notifications.services import notify
from tests.accounts.factories import UserFactory


def test_list_count_read(db, login):
    user = UserFactory()
    first, _second = (notify(recipients=[user], kind="action_item.due", title=t)[0] for t in ("a", "b"))
    notify(recipients=[UserFactory()], kind="action_item.due", title="not mine")
    client = login(user)
    assert client.get("/api/notifications/").json()["count"] == 2
    assert client.get("/api/notifications/unread-count").json() == {"unread": 2}
    assert client.post(f"/api/notifications/{first.pk}/read").json()["read_at"]
    assert client.get("/api/notifications/?unread=true").json()["count"] == 1
    assert client.post("/api/notifications/read-all").json() == {"marked": 1}
    assert client.get("/api/notifications/unread-count").json() == {"unread": 0}


def test_cannot_read_someone_elses(db, login):
    other = notify(recipients=[UserFactory()], kind="action_item.due", title="x")[0]
    assert login(UserFactory()).post(f"/api/notifications/{other.pk}/read").status_code == 404


def test_settings(db, login):
    client = login(UserFactory())
    assert client.get("/api/notifications/settings").json()["digest"] == "none"
    response = client.put("/api/notifications/settings", {
        "digest": "daily", "kinds": [{"kind": "action_item.due", "email": False}]}, content_type="application/json")
    data = response.json()
    assert data["digest"] == "daily"
    assert next(k for k in data["kinds"] if k["kind"] == "action_item.due")["email"] is False
    bad = client.put("/api/notifications/settings", {"digest": "hourly"}, content_type="application/json")
    assert bad.status_code == 422
    assert client.put("/api/notifications/settings", {"kinds": [{"kind": "no.such"}]},
                      content_type="application/json").status_code == 400


def test_anonymous_refused(client, db):
    assert client.get("/api/notifications/").status_code == 401
