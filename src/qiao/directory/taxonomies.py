"""Load the official taxonomies shipped in ``data/`` (see docs/taxonomies.md for their sources).

Used by the data migration and by ``manage.py load_taxonomies``; idempotent (rows are matched by code).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = {
    "IndustryCategory": "gbt4754_2017.json",
    "Discipline": "moe_disciplines.json",
    "Region": "regions.json",
}


def read_entries(filename: str) -> list[dict[str, Any]]:
    path = DATA_DIR / filename
    entries = json.loads(path.read_text(encoding="utf-8"))
    for i, entry in enumerate(entries, start=1):
        for key in ("code", "level", "name_zh"):
            if not entry.get(key):
                raise ValueError(f"{path.name}: entry {i} has no {key!r}")
    return entries


def load_model(model: Any, filename: str) -> int:
    """Insert or update every entry of ``filename`` into ``model`` (parents first). Returns the row count."""
    entries = read_entries(filename)
    by_code: dict[str, Any] = {obj.code: obj for obj in model.objects.all()}
    pending = list(entries)
    for _pass in range(6):
        later = []
        for entry in pending:
            parent_code = entry.get("parent")
            if parent_code and parent_code not in by_code:
                later.append(entry)
                continue
            obj = by_code.get(entry["code"]) or model(code=entry["code"])
            obj.level = entry["level"]
            obj.name = entry["name_zh"]
            obj.name_en = entry.get("name_en", "")
            obj.parent = by_code.get(parent_code) if parent_code else None
            obj.save()
            by_code[obj.code] = obj
        pending = later
        if not pending:
            break
    if pending:
        raise ValueError(f"{filename}: unknown parent codes {sorted({e['parent'] for e in pending})}")
    return len(entries)


def load_all(apps: Any = None) -> dict[str, int]:
    """Load every taxonomy. ``apps`` is the migration state registry, or None for the live models."""
    counts = {}
    for model_name, filename in FILES.items():
        if not (DATA_DIR / filename).exists():
            continue
        model = apps.get_model("directory", model_name) if apps is not None else _live_model(model_name)
        counts[model_name] = load_model(model, filename)
    return counts


def _live_model(name: str) -> Any:
    from django.apps import apps as django_apps

    return django_apps.get_model("directory", name)
