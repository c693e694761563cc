import re

from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


def test_login_logout_round_trip(client, world):
    # given a researcher with a password
    # when they log in with the right password
    response = client.post(reverse("accounts:login"), {"username": "researcher", "password": PASSWORD})
    # then they land on the home page, signed in
    assert response.status_code == 302
    assert client.get(reverse("core:home")).context["user"].username == "researcher"
    # when they log out (POST)
    client.post(reverse("accounts:logout"))
    assert not client.get(reverse("core:home")).context["user"].is_authenticated


def test_login_with_a_wrong_password_is_refused(client, world):
    response = client.post(reverse("accounts:login"), {"username": "researcher", "password": "wrong"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert response.context["form"].errors


def test_password_reset_sends_a_working_link(client, world):
    # given a user with an email address
    user = world.users["enterprise"]
    # when they ask for a reset
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    # then one mail with a reset link arrives
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    # and following it lets them set a new password
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"new_password1": "N3w-passphrase-ok", "new_password2": "N3w-passphrase-ok"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("N3w-passphrase-ok")


def test_password_change(login, world):
    client = login(world.users["broker"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "An0ther-passphrase", "new_password2": "An0ther-passphrase"})
    assert response.status_code == 302
    world.users["broker"].refresh_from_db()
    assert world.users["broker"].check_password("An0ther-passphrase")


def test_profile_update_and_language(login, world):
    client = login(world.users["researcher"])
    response = client.post(reverse("accounts:profile"), {
        "display_name": "张研究", "email": "z@example.org", "phone": "", "preferred_language": "en"})
    assert response.status_code == 302
    world.users["researcher"].refresh_from_db()
    assert world.users["researcher"].preferred_language == "en"


def test_api_token_is_shown_once_and_authenticates(login, world, client):
    client = login(world.users["researcher"])
    client.post(reverse("accounts:token_create"), {"name": "script"})
    page = client.get(reverse("accounts:profile"))
    raw = page.context["new_token"]
    assert raw.startswith("qiao_")
    assert client.get(reverse("accounts:profile")).context["new_token"] is None
    client.logout()
    response = client.get("/api/accounts/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["username"] == "researcher"


def test_revoked_or_bogus_token_is_refused(client, world):
    from qiao.accounts.services import api_token_create

    token, raw = api_token_create(user=world.users["researcher"], name="x")
    token.delete()
    assert client.get("/api/accounts/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert client.get("/api/accounts/me", headers={"Authorization": "Bearer qiao_nope"}).status_code == 401


def test_another_users_token_cannot_be_revoked(login, world):
    from qiao.accounts.services import api_token_create

    token, _raw = api_token_create(user=world.users["researcher"], name="x")
    client = login(world.users["broker"])
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
