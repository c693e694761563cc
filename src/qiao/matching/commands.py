"""``qiao index rebuild|status``: the command-line face of the search index (wired in ``qiao.cli``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

from django.db import DatabaseError

from . import index


def index_status() -> dict[str, Any]:
    """Where the index is, what it holds, and whether it matches the database (without rebuilding it)."""
    generation = index.current_generation()
    status: dict[str, Any] = {"location": str(index.root()), "generation": generation}
    if generation is None:
        return {**status, "state": "missing"}
    try:
        loaded = index.read_generation(generation)
    except Exception as exc:  # noqa: BLE001
        return {**status, "state": "unreadable", "error": str(exc)}
    manifest = loaded.manifest
    try:
        reason = index.staleness(manifest)
    except DatabaseError as exc:  # e.g. not migrated yet
        reason = f"cannot read the database: {exc}"
    return {**status, "state": "stale" if reason else "fresh", "reason": reason, "written": manifest.get("written"),
            "records": manifest.get("records"), "documents": manifest.get("documents"),
            "fingerprint": manifest.get("fingerprint"), "engine": manifest.get("engine")}


def index_main(action: str, *, progress: Callable[[str, int, int], None] | None = None,
               out: TextIO = sys.stdout) -> int:
    from .services import index_rebuild

    if action == "rebuild":
        loaded = index_rebuild(progress=progress)
        docs = sum((loaded.manifest.get("documents") or {}).values())
        print(f"Search index rebuilt: {docs} documents ({loaded.generation}) in {index.root()}", file=out)
        return 0
    status = index_status()
    print(json.dumps(status, ensure_ascii=False, indent=2), file=out)
    return 0 if status["state"] == "fresh" else 1
