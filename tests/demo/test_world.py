"""The demo world as plain data: determinism, sizes, identifiers, and that needs have genuine matches."""

from __future__ import annotations

from collections import Counter

from qiao.demo.topics import TOPIC_BY_KEY
from qiao.demo.world import DEMO_USERNAMES, build_world
from qiao.directory.validators import validate_orcid, validate_uscc


def test_same_seed_same_world(demo_world):
    assert build_world(2026) == demo_world


def test_other_seed_other_world(demo_world):
    other = build_world(7)
    assert other != demo_world
    assert other.counts()["needs"] == demo_world.counts()["needs"]


def test_counts_in_range(demo_world):
    c = demo_world.counts()
    assert 78 <= c["enterprises"] <= 90
    assert 280 <= c["researchers"] <= 320
    assert 90 <= c["achievements"] <= 110
    assert 75 <= c["needs"] <= 90
    assert c["symposiums"] == 2
    assert c["publications"] >= 3 * c["researchers"] - 10


def test_every_entity_is_fictional(demo_world):
    assert all(o.is_fictional for o in demo_world.organizations)
    assert all(p.is_fictional for p in demo_world.people)
    assert all("虚构" in o.description and "Fictional" in o.description_en for o in demo_world.organizations)


def test_keys_are_unique(demo_world):
    for items, attr in [(demo_world.organizations, "key"), (demo_world.people, "key"), (demo_world.publications, "id"),
                        (demo_world.achievements, "id"), (demo_world.needs, "id"), (demo_world.majors, "key")]:
        values = [getattr(x, attr) for x in items]
        assert len(values) == len(set(values)), attr
    assert len({o.name for o in demo_world.organizations}) == len(demo_world.organizations)


def test_uscc_valid_and_unique(demo_world):
    codes = [o.credit_code for o in demo_world.organizations if o.credit_code]
    assert len(codes) >= 80
    assert len(set(codes)) == len(codes)
    for o in demo_world.organizations:
        if o.credit_code:
            validate_uscc(o.credit_code)
            assert o.credit_code.startswith("91" + o.region)


def test_every_enterprise_has_full_profile(demo_world):
    for e in demo_world.enterprises:
        assert e.credit_code and e.name_en and e.description and e.description_en
        assert e.size and e.founded and e.employees and e.industries
        assert e.parent in ("org:qinglan", "org:yuheng")
    zone = [e for e in demo_world.enterprises if e.scenario == "zone"]
    assert all(e.is_high_tech for e in zone)
    giant = demo_world.org(demo_world.keys["little_giant"])
    assert giant.specialised_level == "little_giant"
    assert {"35", "77"} & set(giant.industries)


def test_orcids_valid(demo_world):
    orcids = [p.orcid for p in demo_world.people if p.orcid]
    assert len(orcids) > 100
    assert len(set(orcids)) == len(orcids)
    for value in orcids:
        validate_orcid(value)


def test_tree_parents_exist_and_come_first(demo_world):
    seen: set[str] = set()
    for o in demo_world.organizations:
        assert o.parent is None or o.parent in seen, o.key
        seen.add(o.key)
    kinds = {o.key: o.kind for o in demo_world.organizations}
    academy = demo_world.org(demo_world.keys["academy"])
    assert academy.kind == "research_institute" and kinds[academy.parent] == "university"
    centre = demo_world.org(demo_world.keys["innovation_centre"])
    assert centre.kind == "innovation_centre" and centre.parent == demo_world.keys["zone"]
    colleges = [o for o in demo_world.organizations if o.kind == "college"]
    assert all(kinds[c.parent] == "university" for c in colleges)


def test_researchers_are_complete(demo_world):
    titles = Counter(p.title for p in demo_world.researchers)
    assert {"教授", "副教授", "讲师"} <= set(titles)
    for p in demo_world.researchers:
        assert p.name and p.name_en and p.title_en and p.bio and p.bio_en and p.disciplines
        assert len(p.expertise_keywords) >= 3
        assert all(len(code) == 4 for code in p.disciplines)


def test_publications_plausible(demo_world):
    per_author = Counter(pub.authors[0] for pub in demo_world.publications)
    assert all(3 <= n <= 8 for n in per_author.values())
    langs = Counter(pub.language for pub in demo_world.publications)
    assert langs["zh"] > langs["en"] > 200
    for pub in demo_world.publications:
        assert pub.doi.startswith("10.5555/qiao-demo.")
        if pub.language == "zh":
            assert 80 <= len(pub.abstract) <= 220
        else:
            assert 80 <= len(pub.abstract.split()) <= 200
        assert pub.title_en and pub.abstract_en


def test_achievements(demo_world):
    people = {p.key for p in demo_world.researchers}
    kinds = Counter(a.kind for a in demo_world.achievements)
    assert {"invention_patent", "utility_model", "software_copyright", "technology_package"} <= set(kinds)
    for a in demo_world.achievements:
        assert a.owner in people
        assert 1 <= a.trl <= 9 and a.transfer_modes and a.price_min < a.price_max
        assert a.title and a.title_en and a.description and a.description_en
        if a.kind == "invention_patent":
            assert a.number.startswith("CN") and a.number.endswith("A") and len(a.number) == 12


def test_needs_have_at_least_two_matching_researchers(demo_world):
    for need in demo_world.needs:
        topic = TOPIC_BY_KEY[need.topic]
        text = need.title + need.description + need.title_en + need.description_en
        core = [zh for zh, _en in topic.core] + [en for _zh, en in topic.core]
        assert any(word in text for word in core), need.id
        matching = [p for p in demo_world.researchers if set(p.expertise_keywords) & set(need.keywords)]
        assert len(matching) >= 2, need.id
        assert len(need.expected_people) >= 2 and len(need.expected_achievements) >= 2, need.id


def test_needs_confidentiality_mix(demo_world):
    levels = Counter(n.confidentiality for n in demo_world.needs)
    assert set(levels) == {"public", "members", "named", "brokers"}
    org_keys = {o.key for o in demo_world.organizations}
    for n in demo_world.needs:
        assert (n.confidentiality == "named") == bool(n.visible_to)
        assert set(n.visible_to) <= org_keys
        assert n.deadline > demo_world.reference_date
    posted = Counter(n.posted_by for n in demo_world.needs if n.posted_by)
    assert posted["enterprise"] >= 3 and posted["enterprise2"] >= 3


def test_symposiums(demo_world):
    people = {p.key for p in demo_world.people}
    assert {s.scenario for s in demo_world.symposiums} == {"coastal", "zone"}
    for s in demo_world.symposiums:
        assert s.date < demo_world.reference_date
        assert set(s.participants) <= people and s.minutes and s.minutes_en and s.agenda and s.decisions
        assert {a.status for a in s.action_items} >= {"open", "done"} or len(s.action_items) >= 3
        assert all(a.owner in people for a in s.action_items)


def test_logins(demo_world):
    names = {lg.username for lg in demo_world.logins}
    assert names == set(DEMO_USERNAMES)
    assert names >= {"admin", "enterprise", "enterprise2", "researcher", "staff", "dean", "broker", "broker2", "officer"}
    by = {lg.username: lg for lg in demo_world.logins}
    assert by["enterprise"].organization == demo_world.keys["little_giant"] and by["enterprise"].is_manager
    assert demo_world.person(by["researcher"].person).username == "researcher"


def test_qrels_cover_every_need(demo_world):
    qrels = demo_world.qrels()
    assert set(qrels) == {n.id for n in demo_world.needs}
    for need_id, grades in qrels.items():
        assert sum(1 for g in grades.values() if g == 2) >= 2, need_id
