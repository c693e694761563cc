"""Where the search index lives on disk, how it is swapped atomically, and how we know it is stale.

Layout of ``settings.QIAO_INDEX_DIR``::

    CURRENT              name of the live generation (replaced atomically with os.replace)
    gen-<time>-<rand>/   engine/ (Engine.save), manifest.json, docmap.json (record → document ids),
                         hashes.json (record → hash of its documents: lets a sync skip unchanged records cheaply)
    .lock                held while a generation is written (one writer at a time, across processes)

A writer builds a whole new generation in a temporary directory, renames it into place and then points
``CURRENT`` at it, so a reader never sees a half-written index. The previous generation is kept (a reader may be
loading it); older ones are removed.

The manifest records the document schema version, the engine's format, counts, and the database *state* at build
time: per model, ``[row count, max pk, max updated]``. On load, and every ``QIAO_INDEX_CHECK_SECONDS`` after,
the state is compared with the database; any difference means the index may be stale, and it is rebuilt before
it is used (never serve wrong results). An incremental sync only refreshes the state entries of the models it
re-read, so a change nobody synced (an edit outside the services, a lost job) is still detected.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from qiao.matching.engine import Engine

from .documents import SCHEMA_VERSION

log = logging.getLogger("qiao.matching.index")

#: Which models' state entries belong to a record kind (refreshed by an incremental sync of that kind).
STATE_BY_KIND: dict[str, tuple[str, ...]] = {
    "need": ("need", "need_grant", "need_named"),
    "achievement": ("achievement",),
    "capability": ("capability",),
    "person": ("person", "publication", "achievement"),
    "major": ("major",),
    "organization": ("organization", "region"),
}


def _state_models() -> dict[str, Any]:
    from qiao.catalog.models import Achievement, Capability, Need, NeedGrant, Publication
    from qiao.directory.models import Discipline, IndustryCategory, Major, Organization, Person, Region

    return {
        "need": Need, "need_grant": NeedGrant, "need_named": Need.named_organizations.through,
        "achievement": Achievement, "capability": Capability, "person": Person, "publication": Publication,
        "major": Major, "organization": Organization, "region": Region, "industry": IndustryCategory,
        "discipline": Discipline,
    }


def db_state(only: tuple[str, ...] | None = None) -> dict[str, list[Any]]:
    """Per model: [count, max pk, max updated (ISO) or None]. One aggregate query per model."""
    out: dict[str, list[Any]] = {}
    for name, model in _state_models().items():
        if only is not None and name not in only:
            continue
        has_updated = any(f.name == "updated" for f in model._meta.get_fields())
        agg = {"n": Count("pk"), "top": Max("pk")}
        if has_updated:
            agg["updated"] = Max("updated")
        row = model._default_manager.aggregate(**agg)
        updated = row.get("updated")
        out[name] = [row["n"], row["top"], updated.isoformat() if updated else None]
    return out


def fingerprint(state: dict[str, list[Any]]) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def engine_settings() -> str:
    """Fingerprint of the engine settings an index was built with (``QIAO_MATCHING_ENGINE``): switching dense
    matching on or off or changing a ranking setting makes the index stale. (A different dense *model* is caught
    by ``Engine.load``, which refuses vectors of another model.)"""
    options = getattr(settings, "QIAO_MATCHING_ENGINE", {}) or {}
    return hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()[:16]


def staleness(manifest: dict[str, Any]) -> str | None:
    """Why the index described by ``manifest`` may not match the database, or None if it matches."""
    if manifest.get("schema") != SCHEMA_VERSION:
        return f"document schema {manifest.get('schema')} != {SCHEMA_VERSION}"
    if manifest.get("engine_settings") != engine_settings():
        return "engine settings (QIAO_MATCHING_ENGINE) changed since the index was written"
    state = db_state()
    saved = manifest.get("db") or {}
    changed = sorted(k for k in state if saved.get(k) != state[k])
    if changed:
        return "database changed since the index was written: " + ", ".join(changed)
    return None


# --- generations on disk ---

def root() -> Path:
    return Path(settings.QIAO_INDEX_DIR)


def current_generation() -> str | None:
    try:
        name = (root() / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if name and (root() / name / "manifest.json").exists() else None


@contextlib.contextmanager
def write_lock() -> Iterator[None]:
    """One writer at a time across processes (fcntl where available; a thread lock always)."""
    root().mkdir(parents=True, exist_ok=True)
    with _thread_lock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        with open(root() / ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


_thread_lock = threading.RLock()


@dataclass
class LoadedIndex:
    engine: Engine
    manifest: dict[str, Any]
    docmap: dict[str, list[str]]  # record key -> its document ids
    generation: str
    checked: float = field(default_factory=time.monotonic)
    hashes: dict[str, str] = field(default_factory=dict)  # record key -> hash of its documents


def write_generation(engine: Engine, manifest: dict[str, Any], docmap: dict[str, list[str]],
                     hashes: dict[str, str]) -> LoadedIndex:
    """Write a new generation next to the live one and make it live atomically. Call under :func:`write_lock`."""
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=base))
    try:
        engine.save(tmp / "engine")
        manifest = {**manifest, "engine": {k: v for k, v in engine.stats().items()}}
        (tmp / "docmap.json").write_text(json.dumps(docmap, ensure_ascii=False), encoding="utf-8")
        (tmp / "hashes.json").write_text(json.dumps(hashes), encoding="utf-8")
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        name = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        os.rename(tmp, base / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    pointer = base / f".CURRENT-{uuid.uuid4().hex[:8]}"
    pointer.write_text(name, encoding="utf-8")
    previous = current_generation()
    os.replace(pointer, base / "CURRENT")
    for old in base.glob("gen-*"):
        if old.name not in (name, previous):
            shutil.rmtree(old, ignore_errors=True)
    for old in base.glob(".tmp-*"):
        if time.time() - old.stat().st_mtime > 3600:
            shutil.rmtree(old, ignore_errors=True)
    return LoadedIndex(engine, manifest, docmap, name, hashes=hashes)


def read_meta(name: str) -> tuple[dict[str, Any], dict[str, list[str]], dict[str, str]]:
    """A generation's manifest, document map and record hashes (cheap: the engine is not loaded)."""
    path = root() / name
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    docmap = json.loads((path / "docmap.json").read_text(encoding="utf-8"))
    try:
        hashes = json.loads((path / "hashes.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        hashes = {}
    return manifest, docmap, hashes


def read_generation(name: str) -> LoadedIndex:
    manifest, docmap, hashes = read_meta(name)
    engine = Engine.load(root() / name / "engine")
    return LoadedIndex(engine, manifest, docmap, name, hashes=hashes)


# --- the process-wide cached index ---

_cache: LoadedIndex | None = None
_cache_lock = threading.RLock()


def set_cached(loaded: LoadedIndex | None) -> None:
    global _cache
    with _cache_lock:
        _cache = loaded


def cached() -> LoadedIndex | None:
    return _cache


def check_seconds() -> float:
    return float(getattr(settings, "QIAO_INDEX_CHECK_SECONDS", 60))


def loaded_index() -> LoadedIndex:
    """The live index, loaded once per process and reloaded when another process writes a new generation.

    Missing, unreadable or stale (see :func:`staleness`) → rebuilt from the database first, and logged.
    """
    from .services import index_rebuild

    with _cache_lock:
        current = _cache
        generation = current_generation()
        if current is not None and current.generation == generation:
            if time.monotonic() - current.checked < check_seconds():
                return current
            reason = staleness(current.manifest)
            if reason is None:
                current.checked = time.monotonic()
                return current
            log.warning("search index is stale (%s); rebuilding", reason)
            index_rebuild()
            return _cache  # type: ignore[return-value]
        if generation is None:
            log.warning("no search index at %s; building it", root())
            index_rebuild()
            return _cache  # type: ignore[return-value]
        try:
            loaded = read_generation(generation)
        except Exception as exc:  # noqa: BLE001 - any unreadable index is rebuilt, never served
            log.warning("search index %s unreadable (%s); rebuilding", generation, exc)
            index_rebuild()
            return _cache  # type: ignore[return-value]
        reason = staleness(loaded.manifest)
        if reason is not None:
            log.warning("search index is stale (%s); rebuilding", reason)
            index_rebuild()
            return _cache  # type: ignore[return-value]
        set_cached(loaded)
        return loaded
