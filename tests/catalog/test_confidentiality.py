"""Who sees which need, on every channel the catalog owns: role × confidentiality level × channel.

A need someone may not see must be absent everywhere — its title never appears in a response body — and asking
for it directly is a 404 (never a 403), so its existence does not leak.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qiao.catalog import services
from qiao.catalog.models import Need
from qiao.catalog.selectors import need_audience_tokens, user_audience_tokens
from qiao.core.permissions import restrict
from tests.catalog.conftest import LEVELS

ALL = set(LEVELS)
LISTED_TO_MEMBERS = {"public", "members"}
#: The levels each role may see. "named" is shared with the world's university (so its staff and the members of
#: its colleges see it); "draft" is a draft of any level, seen only by its own enterprise.
VISIBLE = {
    "admin": ALL,
    "enterprise": ALL,
    "outsider_enterprise": LISTED_TO_MEMBERS,
    "researcher": LISTED_TO_MEMBERS | {"named"},
    "staff": LISTED_TO_MEMBERS | {"named"},
    "dean": LISTED_TO_MEMBERS | {"named"},
    "broker": LISTED_TO_MEMBERS | {"brokers"},
    "officer": LISTED_TO_MEMBERS,
    "nobody": LISTED_TO_MEMBERS,
    "anonymous": {"public"},
}
ROLES = list(VISIBLE)
CHANNELS = ["detail_page", "list_page", "list_count", "api_detail", "api_list", "attachment_download"]


@pytest.fixture
def client_for(client, world):
    def _client(role: str):
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return _client


@pytest.fixture
def attachments(world, needs, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return {level: services.need_attachment_add(
        need=needs[level], by=world.users["enterprise"], name=f"{level}-spec",
        file=SimpleUploadedFile(f"{level}.txt", f"secret spec of {level}".encode(), content_type="text/plain"),
    ) for level in LEVELS}


def _assert_absent(body: bytes, needs, hidden: set[str]) -> None:
    text = body.decode()
    for level in hidden:
        assert needs[level].title not in text, f"{level} need leaked"


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("role", ROLES)
def test_need_visibility_matrix(client_for, world, needs, attachments, role, channel):
    client = client_for(role)
    visible = VISIBLE[role]
    hidden = ALL - visible

    if channel == "detail_page":
        for level in LEVELS:
            response = client.get(needs[level].get_absolute_url())
            if level in visible:
                assert response.status_code == 200, level
                assert needs[level].title in response.content.decode()
            else:
                assert response.status_code == 404, level
            _assert_absent(response.content, needs, hidden)

    elif channel in ("list_page", "list_count"):
        response = client.get(reverse("catalog:need_list"))
        assert response.status_code == 200
        if channel == "list_count":
            assert response.context["page"].paginator.count == len(visible)
            assert {n.pk for n in response.context["page"]} == {needs[lv].pk for lv in visible}
        for level in visible:
            assert needs[level].title in response.content.decode()
        _assert_absent(response.content, needs, hidden)
        mine = client.get(reverse("catalog:need_list"), {"mine": "on"})
        _assert_absent(mine.content, needs, hidden)

    elif channel == "api_detail":
        for level in LEVELS:
            response = client.get(f"/api/catalog/needs/{needs[level].pk}")
            if role == "anonymous":
                assert response.status_code == 401
            elif level in visible:
                assert response.status_code == 200 and response.json()["title"] == needs[level].title
            else:
                assert response.status_code == 404, level
            _assert_absent(response.content, needs, hidden)

    elif channel == "api_list":
        response = client.get("/api/catalog/needs")
        if role == "anonymous":
            assert response.status_code == 401
        else:
            assert response.status_code == 200
            data = response.json()
            assert data["count"] == len(visible)
            assert {item["id"] for item in data["items"]} == {needs[lv].pk for lv in visible}
        _assert_absent(response.content, needs, hidden)
        for level in hidden:  # searching for the exact title finds nothing either
            found = client.get("/api/catalog/needs", {"q": needs[level].title})
            _assert_absent(found.content, needs, hidden)

    elif channel == "attachment_download":
        for level in LEVELS:
            response = client.get(reverse("catalog:need_attachment_download", args=[attachments[level].pk]))
            if role == "anonymous":
                assert response.status_code == 302  # to the login page; the same for every attachment
            elif level in visible:
                assert response.status_code == 200
                assert b"".join(response.streaming_content) == f"secret spec of {level}".encode()
                assert "attachment" in response["Content-Disposition"]
            else:
                assert response.status_code == 404, level


@pytest.mark.parametrize("role", ROLES)
def test_audience_tokens_agree_with_the_policy(world, needs, role):
    """The search index filters on audience tokens; they must admit exactly the needs ``restrict`` admits."""
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else world.users[role]
    allowed = set(restrict(Need.objects.all(), user).values_list("pk", flat=True))
    tokens = user_audience_tokens(user)
    for level in LEVELS:
        need = needs[level]
        by_tokens = tokens is None or bool(set(need_audience_tokens(need)) & set(tokens))
        assert by_tokens == (need.pk in allowed) == (level in VISIBLE[role]), level


def test_attachments_have_no_public_url(world, needs, attachments):
    with pytest.raises(ValueError):
        attachments["public"].file.url  # noqa: B018
    assert "media" not in attachments["public"].file.path.split("/")[-4:]


# --- export channel: the needs Excel export applies the same rule ---

@pytest.mark.parametrize(("role", "visible"), [
    ("enterprise", True), ("admin", True), ("broker", True),
    ("outsider_enterprise", False), ("researcher", False), ("officer", False), ("nobody", False)])
def test_needs_export_shows_a_brokers_only_need_only_to_those_allowed(client, world, role, visible):
    from io import BytesIO

    from openpyxl import load_workbook

    from qiao.catalog import services as catalog_services

    need = catalog_services.need_create(by=world.users["enterprise"], owner=world.enterprise, title="导出保密需求",
                                        description="仅技术经理人可见", confidentiality="brokers", publish=True)
    client.force_login(world.users[role])
    response = client.get("/catalog/needs/export.xlsx")
    assert response.status_code == 200
    cells = [c.value for row in load_workbook(BytesIO(response.content)).active.iter_rows() for c in row]
    assert (need.title in cells) == visible
