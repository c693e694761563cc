"""The catalog's part of the demo world."""

from __future__ import annotations

import pytest

from qiao.catalog.demo import capability_specs, load_catalog
from qiao.catalog.models import Achievement, Capability, Need, NeedEvent, NeedStatus, Publication
from qiao.demo.services import EXTRA_LOADERS, demo_index, demo_load
from qiao.demo.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_world() -> World:
    return build_world(2026)


@pytest.fixture
def taxonomies(db) -> None:
    from qiao.directory.models import IndustryCategory

    if not IndustryCategory.objects.exists():
        from qiao.directory.taxonomies import load_all

        load_all()


def _counts() -> dict[str, int]:
    return {
        "needs": Need.objects.count(), "achievements": Achievement.objects.count(),
        "publications": Publication.objects.count(), "capabilities": Capability.objects.count(),
        "events": NeedEvent.objects.count(),
        "need_industries": Need.industries.through.objects.count(),
        "named": Need.named_organizations.through.objects.count(),
        "co_owners": Achievement.co_owners.through.objects.count(),
        "capability_industries": Capability.industries.through.objects.count(),
    }


def _snapshot() -> list[tuple]:
    return sorted(Need.objects.values_list("external_id", "title", "status", "confidentiality", "budget_min",
                                           "updated"))


def test_loader_is_registered():
    assert load_catalog in EXTRA_LOADERS


def test_loading_twice_changes_nothing_and_counts_match_the_world(taxonomies, demo_world):
    demo_load(world=demo_world)
    first, snapshot = _counts(), _snapshot()
    demo_load(world=demo_world)
    assert _counts() == first
    assert _snapshot() == snapshot

    assert first["needs"] == len(demo_world.needs)
    assert first["achievements"] == len(demo_world.achievements)
    assert first["publications"] == sum(len(p.authors) for p in demo_world.publications)
    assert first["capabilities"] == len(capability_specs(demo_world)) > 10
    assert first["named"] == sum(len(n.visible_to) for n in demo_world.needs)


def test_loaded_rows_follow_the_world(taxonomies, demo_world):
    demo_load(world=demo_world)
    idx = demo_index(demo_world)
    giant = idx.organizations[demo_world.keys["little_giant"]]
    giant_needs = Need.objects.filter(owner=giant)
    assert giant_needs.count() == sum(1 for n in demo_world.needs if n.organization == demo_world.keys["little_giant"])
    assert set(giant_needs.values_list("status", flat=True)) == {NeedStatus.PUBLISHED}
    assert {n.created_by.username for n in giant_needs} == {"enterprise"}
    statuses = set(Need.objects.values_list("status", flat=True))
    assert {NeedStatus.DRAFT, NeedStatus.PUBLISHED, NeedStatus.IN_TALKS, NeedStatus.CLOSED} <= statuses
    for need in Need.objects.filter(status=NeedStatus.IN_TALKS)[:3]:
        assert [e.to_status for e in need.events.all()] == ["draft", "published", "in_talks"]
    spec = demo_world.needs[0]
    need = Need.objects.get(external_id=spec.id)
    assert need.budget_min * 10_000 == spec.budget_min
    assert need.confidentiality == spec.confidentiality
    named = [n for n in demo_world.needs if n.confidentiality == "named"][0]
    assert {o.pk for o in Need.objects.get(external_id=named.id).named_organizations.all()} == {
        idx.organizations[k].pk for k in named.visible_to}
    for row in [need, Achievement.objects.first(), Publication.objects.first(), Capability.objects.first()]:
        row.full_clean()


def test_loading_keeps_what_users_changed(taxonomies, demo_world):
    demo_load(world=demo_world)
    pub = Publication.objects.first()
    pub.pinned = True
    pub.save()
    need = Need.objects.filter(status=NeedStatus.PUBLISHED).first()
    Need.objects.filter(pk=need.pk).update(status=NeedStatus.IN_TALKS)
    demo_load(world=demo_world)
    pub.refresh_from_db()
    need.refresh_from_db()
    assert pub.pinned and need.status == NeedStatus.IN_TALKS
