"""Confidentiality of needs across every channel this app owns.

Role × confidentiality level × channel → may the need's title (or any of its text) appear? For every combination
the response body is checked: the title appears only where allowed, and counts only count what may be seen.
A second test checks that the index filter (audience tokens) and ``restrict`` always agree.
"""

import json
import random

import pytest
from django.urls import reverse

from qiao.catalog import services as catalog
from qiao.catalog.models import Confidentiality, Need, NeedStatus
from qiao.catalog.selectors import need_audience_tokens, user_audience_tokens
from qiao.core.permissions import restrict
from qiao.matching import selectors
from qiao.matching.services import index_rebuild
from tests.conftest import ROLES
from tests.matching.conftest import visible_text

LEVELS = ["public", "members", "named", "brokers", "draft"]
ALL = set(ROLES)
# Who may see a need of each level (the need belongs to the "enterprise" login's company; "named" names the
# university, so its college's researcher and dean and its staff may see it).
VISIBLE = {
    "public": ALL,
    "members": ALL,
    "named": {"admin", "enterprise", "researcher", "staff", "dean"},
    "brokers": {"admin", "enterprise", "broker"},
    "draft": {"admin", "enterprise"},
}
QUERY = "高盐废水膜生物反应器"


def secret(level: str) -> str:
    return f"机密{level.upper()}暗号QX{len(level)}"


@pytest.fixture
def needs(cat):
    out = {}
    for level in LEVELS:
        confidentiality = Confidentiality.PUBLIC if level == "draft" else level
        out[level] = cat.need(
            confidentiality, publish=level != "draft",
            named=[cat.world.university] if level == "named" else None,
            title=f"{secret(level)} 课题：{QUERY}",
            description=f"{QUERY} 脱氮处理。描述{secret(level)}。We need membrane bioreactor nitrogen removal.")
    index_rebuild()
    return out


def allowed(level: str, role: str, *, listed_only: bool = False) -> bool:
    if listed_only and level == "draft":
        return False  # for-me and the market list open (published) needs only
    return role in VISIBLE[level]


def assert_body(body: bytes, role: str, channel: str, *, listed_only: bool = False) -> None:
    raw = body.decode()
    if raw.startswith(("{", "[")):  # JSON escapes non-ASCII text
        raw = json.dumps(json.loads(raw), ensure_ascii=False)
    text = visible_text(raw)
    for level in LEVELS:
        shown = secret(level) in text or secret(level) in raw
        assert shown == allowed(level, role, listed_only=listed_only), (channel, role, level)


@pytest.mark.parametrize("role", ROLES)
def test_search_page_and_api(needs, login, role):
    client = login_as(login, needs, role)
    assert_body(client.get(reverse("matching:search"), {"q": QUERY}).content, role, "search page")
    response = client.get("/api/matching/search", {"q": QUERY})
    assert response.status_code == 200
    assert_body(response.content, role, "search api")
    expected = sum(allowed(level, role) for level in LEVELS)
    assert len(response.json()["needs"]) == expected  # counts
    fragment = client.get(reverse("matching:search"), {"q": QUERY}, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="results")
    assert_body(fragment.content, role, "autocomplete fragment")


@pytest.mark.parametrize("role", ROLES)
def test_search_by_a_secret_word_counts_nothing_unseen(needs, login, role):
    client = login_as(login, needs, role)
    for level in LEVELS:
        data = client.get("/api/matching/search", {"q": f"描述{secret(level)}"}).json()
        data.pop("q")  # the query itself is echoed back
        hits = [n for n in data["needs"] if n["id"] == needs[level].pk]
        assert bool(hits) == allowed(level, role), (role, level)
        if not allowed(level, role):
            assert secret(level) not in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("role", ROLES)
def test_match_page_and_api_explanations(needs, login, role):
    client = login_as(login, needs, role)
    for level in LEVELS:
        need = needs[level]
        page = client.get(reverse("matching:need_matches", args=[need.pk]))
        api = client.get(f"/api/matching/needs/{need.pk}/matches")
        if allowed(level, role):
            assert page.status_code == 200 and api.status_code == 200
            assert secret(level) in visible_text(page.content)
        else:
            assert page.status_code == 404 and api.status_code == 404, (role, level)
            assert secret(level) not in page.content.decode() + json.dumps(api.json(), ensure_ascii=False)


@pytest.mark.parametrize("role", ROLES)
def test_needs_for_a_researcher(needs, cat, login, role):
    user = cat.world.users[role]
    found = {m.obj.pk for m in selectors.needs_for_researcher(person=cat.expert, user=user)}
    for level in LEVELS:
        assert (needs[level].pk in found) == allowed(level, role, listed_only=True), (role, level)
    client = login_as(login, needs, role)
    page = client.get(reverse("matching:for_me"))
    api = client.get("/api/matching/for-me")
    if role == "researcher":  # the only login with a researcher profile
        assert_body(page.content, role, "for-me page", listed_only=True)
        assert_body(api.content, role, "for-me api", listed_only=True)
    else:
        for level in LEVELS:
            assert secret(level) not in page.content.decode() + json.dumps(api.json(), ensure_ascii=False)


@pytest.mark.parametrize("role", ROLES)
def test_market(needs, login, role):
    client = login_as(login, needs, role)
    page = client.get(reverse("matching:market"))
    api = client.get("/api/matching/market")
    if role in {"broker", "admin"}:
        assert page.status_code == 200 and api.status_code == 200
        assert_body(page.content, role, "market page", listed_only=True)
        assert_body(api.content, role, "market api", listed_only=True)
        rows = api.json()["rows"]
        assert len(rows) == sum(allowed(level, role, listed_only=True) for level in LEVELS)
    else:
        assert page.status_code == 403 and api.status_code == 403
        body = page.content.decode() + json.dumps(api.json(), ensure_ascii=False)
        assert not any(secret(level) in body for level in LEVELS)


def login_as(login, needs, role):
    from qiao.accounts.models import User

    return login(User.objects.get(username=role))


def test_index_filter_and_restrict_agree_for_random_needs(cat):
    """For random needs × all users: ``need in restrict(Need, user)`` == audience tokens intersect, and the
    engine's filtered search returns exactly the needs ``restrict`` allows."""
    rng = random.Random(7)
    world = cat.world
    orgs = [world.university, world.college, world.other_college, world.zone, world.centre, world.other_enterprise]
    needs = []
    for i in range(24):
        level = rng.choice(list(Confidentiality.values))
        named = rng.sample(orgs, rng.randint(1, 2)) if level == Confidentiality.NAMED else None
        need = cat.need(level, publish=rng.random() < 0.7, named=named, title=f"随机需求{i} {QUERY}")
        if need.status == NeedStatus.PUBLISHED:
            path = rng.choice([[], [NeedStatus.IN_TALKS], [NeedStatus.CLOSED], [NeedStatus.WITHDRAWN]])
            for to in path:
                catalog.need_transition(need=need, to=to, by=world.users["enterprise"])
        if rng.random() < 0.3:
            catalog.need_grant(need=need, user=world.users[rng.choice(ROLES)], reason="test")
        needs.append(Need.objects.get(pk=need.pk))
    loaded = index_rebuild()
    for role in ROLES:
        user = type(world.users[role]).objects.get(pk=world.users[role].pk)
        tokens = user_audience_tokens(user)
        visible = set(restrict(Need.objects.all(), user).values_list("pk", flat=True))
        for need in needs:
            by_tokens = tokens is None or bool(set(need_audience_tokens(need)) & set(tokens))
            assert (need.pk in visible) == by_tokens, (role, need.confidentiality, need.status)
        filters = {"type": "need"} if tokens is None else {"type": "need", "vis": tokens}
        hits = loaded.engine.search(QUERY, top_k=100, filters=filters)
        assert {int(h.doc_id.split(":")[1]) for h in hits} == visible & {n.pk for n in needs}, role
