"""Writes of the matching domain: (re)building and syncing the search index, declaring conflicts of interest."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from qiao.core.permissions import DELETE, can
from qiao.directory.models import Discipline, IndustryCategory, Organization, Person
from qiao.directory.selectors import managed_organization_ids
from qiao.matching.engine import Engine, EngineConfig

from . import index
from .documents import (
    RECORD_KINDS,
    SCHEMA_VERSION,
    OrgTree,
    all_records,
    documents_hash,
    record_documents,
    record_key,
    record_total,
)
from .models import ConflictOfInterest

log = logging.getLogger("qiao.matching")
Progress = Callable[[str, int, int], None]


def domain_vocabulary() -> list[str]:
    """Industry (GB/T 4754) and discipline names, Chinese and English, so the segmenter keeps them whole."""
    terms: set[str] = set()
    for model in (IndustryCategory, Discipline):
        for name, name_en in model.objects.values_list("name", "name_en"):
            terms.update(t.strip() for t in (name, name_en) if t and t.strip())
    return sorted(terms)


def engine_config() -> EngineConfig:
    """``settings.QIAO_MATCHING_ENGINE`` (a dict of EngineConfig fields, e.g. ``{"dense": "off"}``) + vocabulary."""
    options = dict(getattr(settings, "QIAO_MATCHING_ENGINE", {}) or {})
    return EngineConfig(vocabulary=domain_vocabulary(), **options)


def _manifest(docmap: dict[str, list[str]], state: dict[str, list[Any]], engine: Engine,
              tree: OrgTree) -> dict[str, Any]:
    records = Counter(key.partition(":")[0] for key in docmap)
    documents: Counter[str] = Counter()
    for key, ids in docmap.items():
        documents[key.partition(":")[0]] += len(ids)
    return {
        "schema": SCHEMA_VERSION,
        "engine_settings": index.engine_settings(),
        "written": timezone.now().isoformat(),
        "records": dict(records),
        "documents": dict(documents),
        "max_updated": {name: entry[2] for name, entry in state.items() if entry[2]},
        "db": state,
        "fingerprint": index.fingerprint(state),
        "vocabulary": len(engine.config.vocabulary),
        "orgs": tree.snapshot(),
    }


def index_rebuild(*, progress: Progress | None = None) -> index.LoadedIndex:
    """Build the whole index from the database and make it live (atomically). Returns the loaded index."""
    with index.write_lock():
        return _rebuild_locked(progress)


def _rebuild_locked(progress: Progress | None) -> index.LoadedIndex:
    state = index.db_state()  # read first: a change during the build shows up as stale afterwards
    tree = OrgTree.load()
    engine = Engine(engine_config())
    total = record_total()
    docmap: dict[str, list[str]] = {}
    hashes: dict[str, str] = {}
    batch = []
    for done, (key, docs) in enumerate(all_records(tree), start=1):
        if docs:
            docmap[key] = [d.id for d in docs]
            hashes[key] = documents_hash(docs)
            batch.extend(docs)
        if progress and done % 100 == 0:
            progress("index: reading records", done, max(total, done))
    if progress:
        progress("index: reading records", total, total)
    engine.add(batch, progress=progress is not None)  # the engine shows its own bar (analysis, embeddings)
    loaded = index.write_generation(engine, _manifest(docmap, state, engine, tree), docmap, hashes)
    index.set_cached(loaded)
    log.info("search index rebuilt: %s documents from %s records", len(batch), len(docmap))
    return loaded


#: A batch that touches more records than this share of the index, and at least ``SYNC_REBUILD_MIN`` of them, is
#: cheaper to rebuild from scratch (bulk reads) than to apply record by record (a few queries per record).
SYNC_REBUILD_SHARE = 0.25
SYNC_REBUILD_MIN = 200


def index_sync_record(*, kind: str, pk: int) -> str:
    """Bring one record's documents in the index up to date: :func:`index_sync_records` with one record."""
    return index_sync_records(records=[(kind, pk)])


def _with_achievements(records: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The records plus the achievements of every person among them (an opt-out changes whether they have an owner),
    deduplicated, order kept; organizations are left out (they have no documents of their own)."""
    from qiao.catalog.models import Achievement

    out = dict.fromkeys((kind, pk) for kind, pk in records if kind != "organization")
    people = [pk for kind, pk in records if kind == "person"]
    for start in range(0, len(people), 500):
        owned = Achievement.objects.filter(owner_id__in=people[start:start + 500]).order_by("owner_id", "pk")
        out.update(dict.fromkeys(("achievement", pk) for pk in owned.values_list("pk", flat=True)))
    return list(out)


def index_sync_records(*, records: Iterable[tuple[str, int] | list[Any]]) -> str:
    """Bring many records' documents in the index up to date (added, replaced or deleted) in ONE new generation.

    Records are ``(kind, pk)`` pairs, kinds as in ``RECORD_KINDS`` plus "organization". An organization whose
    parent, kind or region changed moves whole subtrees (attrs "org", "region", "org_kind"), so that rebuilds
    everything; other organization edits (names, a new organization) only refresh the manifest. A person brings
    their achievements along. A batch touching a large share of the index is rebuilt instead (see
    ``SYNC_REBUILD_SHARE``). Returns what happened: "rebuilt", "updated" or "unchanged".
    """
    wanted = list(dict.fromkeys((str(kind), int(pk)) for kind, pk in records))
    unknown = sorted({kind for kind, _ in wanted if kind not in RECORD_KINDS and kind != "organization"})
    if unknown:
        raise ValueError(f"unknown record kind {', '.join(map(repr, unknown))}")
    if not wanted:
        return "unchanged"
    with index.write_lock():
        generation = index.current_generation()
        if generation is None:
            _rebuild_locked(None)
            return "rebuilt"
        try:
            manifest, docmap, hashes = index.read_meta(generation)
        except Exception as exc:  # noqa: BLE001
            log.warning("search index %s unreadable (%s); rebuilding", generation, exc)
            _rebuild_locked(None)
            return "rebuilt"
        kinds = {kind for kind, _ in wanted}
        state = index.db_state(tuple(sorted({name for kind in kinds for name in index.STATE_BY_KIND[kind]})))
        tree = OrgTree.load()
        saved_orgs = manifest.get("orgs") or {}
        now_orgs = tree.snapshot()
        moved = [pk for kind, pk in wanted if kind == "organization"
                 and saved_orgs.get(str(pk)) is not None and saved_orgs.get(str(pk)) != now_orgs.get(str(pk))]
        if moved:
            log.info("organization(s) %s moved; rebuilding the search index", moved[:10])
            _rebuild_locked(None)
            return "rebuilt"
        touched = _with_achievements(wanted)
        if len(touched) >= SYNC_REBUILD_MIN and len(touched) > SYNC_REBUILD_SHARE * len(docmap):
            log.info("index sync of %s records (index has %s); rebuilding instead", len(touched), len(docmap))
            _rebuild_locked(None)
            return "rebuilt"
        changes = {}
        for record_kind, record_pk in touched:
            key = record_key(record_kind, record_pk)
            docs = record_documents(record_kind, record_pk, tree) or []
            digest = documents_hash(docs) if docs else None
            if digest != hashes.get(key):
                changes[key] = (docs, digest)
        saved_state = dict(manifest.get("db") or {})
        if not changes and all(saved_state.get(k) == v for k, v in state.items()):
            return "unchanged"  # decided without loading the engine
        try:
            loaded = index.read_generation(generation)  # a private copy: the cached engine is read concurrently
        except Exception as exc:  # noqa: BLE001
            log.warning("search index %s unreadable (%s); rebuilding", generation, exc)
            _rebuild_locked(None)
            return "rebuilt"
        engine, docmap, hashes = loaded.engine, dict(docmap), dict(hashes)
        for key, (docs, digest) in changes.items():
            new_ids = [d.id for d in docs]
            engine.delete([i for i in docmap.get(key, []) if i not in new_ids])
            engine.add(docs)
            if digest is None:
                docmap.pop(key, None)
                hashes.pop(key, None)
            else:
                docmap[key], hashes[key] = new_ids, digest
        saved_state.update(state)
        new = index.write_generation(engine, _manifest(docmap, saved_state, engine, tree), docmap, hashes)
        index.set_cached(new)
        log.info("search index updated: %s of %s records changed", len(changes), len(touched))
        return "updated"


# --- conflicts of interest ---

def _may_declare_for(by: Any, person: Person) -> bool:
    return bool(by.is_superuser or (person.user_id and person.user_id == by.pk)
                or person.organization_id in managed_organization_ids(by))


@transaction.atomic
def conflict_declare(*, by: Any, person: Person, organization: Organization, reason: str = "") -> ConflictOfInterest:
    """Declare that ``person`` must not be suggested for ``organization``'s needs (and its sub-organizations')."""
    if not _may_declare_for(by, person):
        raise PermissionDenied
    conflict = ConflictOfInterest.objects.filter(person=person, organization=organization).first()
    if conflict is None:
        conflict = ConflictOfInterest(person=person, organization=organization, declared_by=by)
    conflict.reason = reason
    conflict.full_clean()
    conflict.save()
    return conflict


@transaction.atomic
def conflict_withdraw(*, by: Any, conflict: ConflictOfInterest) -> None:
    if not can(by, DELETE, conflict):
        raise PermissionDenied
    conflict.delete()
