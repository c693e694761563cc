"""Qiao matching engine: a Django-free library for bilingual expert / achievement / need matching.

Public API::

    from qiao.matching.engine import Engine, EngineConfig, Document, Query, Hit, OwnerHit, Explanation, analyze

Heavy modules (numpy, scipy, jieba, sentence-transformers) are imported lazily, so importing this
package (e.g. for the ``qiao rank`` command line) is cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__all__ = ["Document", "Engine", "EngineConfig", "Evidence", "Explanation", "Hit", "OwnerHit", "Query", "analyze"]

_WHERE = {
    "analyze": "analysis",
    "Document": "engine",
    "Engine": "engine",
    "EngineConfig": "engine",
    "Evidence": "engine",
    "Explanation": "engine",
    "Hit": "engine",
    "OwnerHit": "engine",
    "Query": "engine",
}

if TYPE_CHECKING:  # pragma: no cover
    from .analysis import analyze
    from .engine import Document, Engine, EngineConfig, Evidence, Explanation, Hit, OwnerHit, Query


def __getattr__(name: str):
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
