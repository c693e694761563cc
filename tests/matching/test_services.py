"""The index follows the database: build, sync on create / update / delete of each record kind, staleness."""

import pytest

from qiao.catalog import services as catalog
from qiao.catalog.models import AchievementKind, CapabilityKind, Confidentiality, NeedStatus
from qiao.directory.models import Major
from qiao.matching import index
from qiao.matching.selectors import get_engine
from qiao.matching.services import index_rebuild, index_sync_record
from tests.matching.conftest import add_publication


def docs(kind_prefix: str) -> set[str]:
    loaded = index.loaded_index()
    return {d for key, ids in loaded.docmap.items() if key.startswith(kind_prefix) for d in ids}


def test_rebuild_indexes_every_kind_and_writes_a_manifest(cat):
    loaded = index.loaded_index()
    assert loaded.manifest["records"] == {"achievement": 1, "capability": 1, "person": 3}
    assert loaded.manifest["fingerprint"] == index.fingerprint(index.db_state())
    engine = get_engine()
    assert f"achievement:{cat.achievement.pk}" in engine
    assert f"capability:{cat.capability.pk}" in engine
    assert f"person:{cat.expert.pk}:profile" in engine


def test_hidden_publications_and_opted_out_people_are_not_indexed(cat):
    hidden = cat.expert.publications.get(hidden_from_matching=True)
    engine = get_engine()
    assert f"publication:{hidden.pk}" not in engine
    assert f"person:{cat.opted_out.pk}" not in index.loaded_index().docmap
    assert not engine.search("quantum chromodynamics")


def test_pinned_publication_says_its_title_twice(cat):
    pinned = cat.expert.publications.get(pinned=True)
    doc = get_engine().get(f"publication:{pinned.pk}")
    assert doc.attrs["pinned"] == "yes"
    assert doc.text.startswith(pinned.title)


def test_need_create_update_delete_sync_through_the_task(cat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need = cat.need(Confidentiality.MEMBERS, publish=False)
    doc = get_engine().get(f"need:{need.pk}")
    assert doc is not None and f"member:{cat.world.enterprise.pk}" in doc.attrs["vis"]
    assert "members" not in doc.attrs["vis"]
    assert doc.attrs["open"] == "no"
    with django_capture_on_commit_callbacks(execute=True):
        catalog.need_transition(need=need, to=NeedStatus.PUBLISHED, by=cat.world.users["enterprise"])
    doc = get_engine().get(f"need:{need.pk}")
    assert "members" in doc.attrs["vis"] and doc.attrs["open"] == "yes"
    with django_capture_on_commit_callbacks(execute=True):
        catalog.need_update(need=need, by=cat.world.users["enterprise"], title="全新的标题 Brand new title")
    assert get_engine().get(f"need:{need.pk}").title.startswith("全新的标题")
    assert get_engine().search("brand new title", filters={"type": "need"})
    with django_capture_on_commit_callbacks(execute=True):
        catalog.need_transition(need=need, to=NeedStatus.WITHDRAWN, by=cat.world.users["enterprise"])
        catalog.need_transition(need=need, to=NeedStatus.DRAFT, by=cat.world.users["enterprise"])
    pk = need.pk
    with django_capture_on_commit_callbacks(execute=True):
        catalog.need_delete(need=need, by=cat.world.users["enterprise"])
    assert f"need:{pk}" not in get_engine()
    assert f"need:{pk}" not in index.loaded_index().docmap


def test_achievement_and_capability_sync(cat, django_capture_on_commit_callbacks):
    admin = cat.world.users["admin"]
    with django_capture_on_commit_callbacks(execute=True):
        achievement = catalog.achievement_create(
            by=admin, kind=AchievementKind.SOFTWARE_COPYRIGHT, owner=cat.chemist, title="电池管理软件",
            description="Battery management software.", visibility="public")
        capability = catalog.capability_create(by=admin, kind=CapabilityKind.LAB, organization=cat.world.college,
                                               name="电化学实验室", description="Electrochemistry lab.")
    engine = get_engine()
    assert engine.get(f"achievement:{achievement.pk}").attrs["vis"] == ["public"]
    assert engine.get(f"achievement:{achievement.pk}").owner == f"person:{cat.chemist.pk}"
    assert f"capability:{capability.pk}" in engine
    with django_capture_on_commit_callbacks(execute=True):
        catalog.achievement_update(achievement=achievement, by=admin, visibility="members")
    assert get_engine().get(f"achievement:{achievement.pk}").attrs["vis"] == ["members"]


def test_publication_changes_resync_the_person(cat, django_capture_on_commit_callbacks):
    admin = cat.world.users["admin"]
    with django_capture_on_commit_callbacks(execute=True):
        pub = catalog.publication_create(by=admin, person=cat.chemist, title="固态电解质界面研究")
    assert f"publication:{pub.pk}" in get_engine()
    with django_capture_on_commit_callbacks(execute=True):
        catalog.publication_update(publication=pub, by=admin, hidden_from_matching=True)
    assert f"publication:{pub.pk}" not in get_engine()
    with django_capture_on_commit_callbacks(execute=True):
        catalog.publication_update(publication=pub, by=admin, hidden_from_matching=False)
        catalog.publication_delete(publication=pub, by=admin)
    assert f"publication:{pub.pk}" not in get_engine()


def test_person_opt_out_through_the_directory_signal_removes_them(cat, django_capture_on_commit_callbacks):
    assert f"person:{cat.expert.pk}" in index.loaded_index().docmap
    with django_capture_on_commit_callbacks(execute=True):
        cat.expert.opted_out_of_matching = True
        cat.expert.save()
    loaded = index.loaded_index()
    assert f"person:{cat.expert.pk}" not in loaded.docmap
    assert loaded.engine.get(f"achievement:{cat.achievement.pk}").owner is None  # kept, but nobody to suggest
    with django_capture_on_commit_callbacks(execute=True):
        cat.expert.opted_out_of_matching = False
        cat.expert.expertise_keywords = ["超临界水氧化"]
        cat.expert.save()
    engine = get_engine()
    assert engine.get(f"person:{cat.expert.pk}:profile").title == "超临界水氧化"
    assert engine.get(f"achievement:{cat.achievement.pk}").owner == f"person:{cat.expert.pk}"


def test_major_sync_and_delete(cat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        major = Major.objects.create(name="环境工程", college=cat.world.college, description="水污染控制")
    assert get_engine().get(f"major:{major.pk}").attrs["type"] == "major"
    pk = major.pk
    with django_capture_on_commit_callbacks(execute=True):
        major.delete()
    assert f"major:{pk}" not in get_engine()


def test_moving_an_organization_rebuilds_its_subtree_attrs(cat, django_capture_on_commit_callbacks):
    college = cat.world.college
    with django_capture_on_commit_callbacks(execute=True):
        college.parent = cat.world.other_college.parent
        college.save()
    doc = get_engine().get(f"person:{cat.expert.pk}:profile")
    assert str(cat.world.other_college.parent_id) in doc.attrs["org"]
    assert str(cat.world.university.pk) not in doc.attrs["org"]


def test_sync_without_changes_writes_nothing(cat):
    generation = index.current_generation()
    assert index_sync_record(kind="capability", pk=cat.capability.pk) == "unchanged"
    assert index.current_generation() == generation


def test_sync_unknown_kind_is_an_error(cat):
    with pytest.raises(ValueError):
        index_sync_record(kind="spaceship", pk=1)


def test_changed_engine_settings_make_the_index_stale_and_it_is_rebuilt(cat, settings):
    generation = index.current_generation()
    manifest = index.read_meta(generation)[0]
    assert index.staleness(manifest) is None
    settings.QIAO_MATCHING_ENGINE = {"dense": "off", "k1": 1.0}
    assert "QIAO_MATCHING_ENGINE" in index.staleness(manifest)
    engine = get_engine()
    assert index.current_generation() != generation
    assert engine.config.k1 == 1.0
    assert index.staleness(index.read_meta(index.current_generation())[0]) is None


def test_staleness_is_detected_and_the_index_rebuilt(cat, caplog):
    # given an index, when the database changes behind its back (no service, no job)
    add_publication(cat.chemist, "钠离子电池正极材料", "Sodium-ion battery cathodes.")
    generation = index.current_generation()
    assert "publication" in index.staleness(index.loaded_index.__globals__["_cache"].manifest)
    # then the next reader notices, logs it and serves a rebuilt index that has the change
    with caplog.at_level("WARNING", logger="qiao.matching.index"):
        engine = get_engine()
    assert "stale" in caplog.text
    assert index.current_generation() != generation
    assert engine.search("钠离子电池正极材料")


def test_staleness_is_checked_on_load_by_a_new_process(cat, settings):
    settings.QIAO_INDEX_CHECK_SECONDS = 3600
    add_publication(cat.chemist, "钠离子电池正极材料", "Sodium-ion battery cathodes.")
    index.set_cached(None)  # a fresh process: loads from disk, compares with the database
    assert get_engine().search("钠离子电池正极材料")


def test_missing_or_broken_index_is_rebuilt(cat):
    import shutil

    shutil.rmtree(index.root())
    index.set_cached(None)
    assert f"capability:{cat.capability.pk}" in get_engine()
    generation = index.current_generation()
    (index.root() / generation / "engine" / "engine.json").write_text("garbage")
    index.set_cached(None)
    assert f"capability:{cat.capability.pk}" in get_engine()
    assert index.current_generation() != generation


def test_only_two_generations_are_kept(cat):
    for _ in range(3):
        index_rebuild()
    assert len(list(index.root().glob("gen-*"))) == 2


def test_domain_vocabulary_reaches_the_engine_config(cat):
    from qiao.directory.models import IndustryCategory
    from qiao.matching.services import engine_config

    IndustryCategory.objects.create(code="Z99", level="division", name="超导磁体制造", name_en="Superconducting magnets")
    config = engine_config()
    assert "超导磁体制造" in config.vocabulary and "Superconducting magnets" in config.vocabulary


def test_unchanged_sync_does_not_even_load_the_engine(cat, monkeypatch):
    def boom(name):
        raise AssertionError("the engine was loaded")

    monkeypatch.setattr(index, "read_generation", boom)
    assert index_sync_record(kind="person", pk=cat.expert.pk) == "unchanged"
    assert index_sync_record(kind="organization", pk=cat.world.enterprise.pk) == "unchanged"


def test_deleting_a_person_removes_their_documents(cat, django_capture_on_commit_callbacks):
    pk = cat.chemist.pk
    assert f"person:{pk}" in index.loaded_index().docmap
    with django_capture_on_commit_callbacks(execute=True):
        cat.chemist.delete()
    loaded = index.loaded_index()
    assert f"person:{pk}" not in loaded.docmap
    assert not [d for d in loaded.docmap.values() for i in d if i.startswith(f"person:{pk}:")]


# --- batches: one generation for all the records one transaction changed ---

def _changes_without_sync(cat) -> list[tuple[str, int]]:
    """Change records of several kinds without running their jobs; return the records a transaction would queue."""
    admin = cat.world.users["admin"]
    need = cat.need(title="寻求钠离子电池储能方案 / Seeking sodium-ion storage")
    catalog.achievement_update(achievement=cat.achievement, by=admin, title="一种改进的膜生物反应器")
    pub = add_publication(cat.chemist, "固态电解质界面研究", "Solid electrolyte interphase.")
    capability = cat.capability.pk
    cat.capability.delete()
    cat.insider.opted_out_of_matching = True
    cat.insider.save()
    major = Major.objects.create(name="环境工程", college=cat.world.college, description="水污染控制")
    assert pub.pk
    return [("need", need.pk), ("achievement", cat.achievement.pk), ("person", cat.chemist.pk),
            ("capability", capability), ("person", cat.insider.pk), ("major", major.pk),
            ("organization", cat.world.enterprise.pk), ("need", need.pk)]


def _snapshot() -> tuple[dict, dict, dict]:
    loaded = index.read_generation(index.current_generation())
    queries = ["钠离子电池", "膜生物反应器", "固态电解质", "wastewater", "水污染控制", "水质检测"]
    results = {q: [(h.doc_id, round(h.score, 6)) for h in loaded.engine.search(q, top_k=20)] for q in queries}
    return loaded.docmap, loaded.hashes, results


def test_a_batch_gives_the_same_index_as_its_records_one_by_one_in_one_generation(cat, monkeypatch, tmp_path):
    import shutil

    from qiao.matching.services import index_sync_records

    # given changes of every kind, and a copy of the index before them
    records = _changes_without_sync(cat)
    before = tmp_path / "before"
    shutil.copytree(index.root(), before)
    writes = []
    write_generation = index.write_generation
    monkeypatch.setattr(index, "write_generation", lambda *a, **k: writes.append(1) or write_generation(*a, **k))

    # when they are synced as one batch
    assert index_sync_records(records=records) == "updated"
    batched = _snapshot()
    assert len(writes) == 1

    # and, from the same starting index, one by one
    shutil.rmtree(index.root())
    shutil.copytree(before, index.root())
    index.set_cached(None)
    for kind, pk in records:
        index_sync_record(kind=kind, pk=pk)
    one_by_one = _snapshot()

    # then the index is the same
    assert len(writes) > 2
    assert batched == one_by_one
    docmap, _, results = batched
    assert f"capability:{cat.capability.pk}" not in docmap and f"person:{cat.insider.pk}" not in docmap
    assert any(doc.startswith("need:") for doc, _ in results["钠离子电池"])


def test_a_batch_with_a_moved_organization_rebuilds(cat):
    from qiao.matching.services import index_sync_records

    need = cat.need(title="寻求钠离子电池储能方案")
    college = cat.world.college
    college.parent = cat.world.other_college.parent
    college.save()

    assert index_sync_records(records=[["need", need.pk], ["organization", college.pk]]) == "rebuilt"

    loaded = index.read_generation(index.current_generation())
    assert str(cat.world.other_college.parent_id) in loaded.engine.get(f"person:{cat.expert.pk}:profile").attrs["org"]
    assert f"need:{need.pk}" in loaded.docmap


def test_a_batch_touching_much_of_the_index_rebuilds_instead(cat, monkeypatch):
    from qiao.matching import services
    from qiao.matching.services import index_sync_records

    monkeypatch.setattr(services, "SYNC_REBUILD_MIN", 2)
    records = _changes_without_sync(cat)  # 6 distinct records against an index of 5
    assert index_sync_records(records=records[:1]) == "updated"  # one record: still applied incrementally

    assert index_sync_records(records=records) == "rebuilt"

    assert index.staleness(index.read_meta(index.current_generation())[0]) is None


def test_an_empty_batch_changes_nothing_and_an_unknown_kind_fails_it_whole(cat):
    from qiao.matching.services import index_sync_records

    generation = index.current_generation()
    assert index_sync_records(records=[]) == "unchanged"
    with pytest.raises(ValueError, match="spaceship"):
        index_sync_records(records=[("capability", cat.capability.pk), ("spaceship", 1)])
    assert index.current_generation() == generation
