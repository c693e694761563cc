"""The matching engine: documents in, ranked documents / owners (experts) and explanations out.

See ``docs/matching.md`` ("Method and quality") for the method and the measured numbers.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import re
import tempfile
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import scipy.sparse as sp

from .analysis import Analyzer, bigram_codes, bigram_term, cjk_bigrams, latin_share, latin_shares, normalize
from .lexical import CodeVocab, LexicalIndex, TermVocab, _vstack, build_fields, field_counts, topk, topk_dense
from .lsa import LatentIndex

__all__ = ["Document", "Engine", "EngineConfig", "Evidence", "Explanation", "Hit", "OwnerHit", "Query"]

_log = logging.getLogger(__name__)
FORMAT_VERSION = 2
_BI = "\x02"  # prefix of the Chinese-bigram field's terms in the combined index
_warned_dense = False
_warn_lock = threading.Lock()

Filters = Mapping[str, str | Sequence[str]] | None
_SUB = 2048  # documents per analysis sub-chunk in add()
_json_line = json.JSONEncoder(ensure_ascii=False).encode  # one encoder (json.dumps(…, kw) makes one per call)


# ----------------------------------------------------------------------------------------------
# Public value types
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Document:
    """One achievement / publication / need. ``owner`` = the expert (or enterprise) it belongs to."""

    id: str
    owner: str | None
    title: str
    text: str
    year: int | None = None
    attrs: Mapping[str, str | list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Query:
    """A need / query paper. ``focus`` = the part to stress (counted ``focus_weight`` extra times)."""

    text: str
    title: str = ""
    focus: str = ""


@dataclass
class Hit:
    doc_id: str
    owner: str | None
    score: float
    score_100: int
    lexical: float = 0.0
    dense: float | None = None
    title: str = ""


@dataclass
class OwnerHit:
    owner: str
    score: float
    score_100: int
    evidence: list[Hit] = field(default_factory=list)


@dataclass
class Evidence:
    doc_id: str
    title: str
    score: float
    score_100: int
    matched_terms: list[str]
    title_html: str
    snippet_html: str


@dataclass
class Explanation:
    score: float
    score_100: int
    matched_terms: list[str]
    evidence: list[Evidence]
    doc_id: str | None = None
    owner: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class EngineConfig:
    """Engine settings. ``dense``: "auto" (use the ml extra if installed), "on" (required), "off"."""

    dense: Literal["auto", "on", "off"] = "auto"
    model_path: str | None = None
    # lexical (BM25F-style: title terms count ``title_weight`` times in one length-normalised field)
    k1: float = 1.2
    b: float = 0.75
    title_weight: float = 2.0
    bigram_weight: float = 1.0  # Chinese character-bigram field, added to the word field
    focus_weight: float = 1.0  # extra count of the query's focus tokens
    vocabulary: Sequence[str] = ()
    # pseudo-relevance feedback (RM3) on the word field
    rm3: bool = False
    fb_docs: int = 10
    fb_terms: int = 30
    fb_lambda: float = 0.5
    # fusion
    dense_weight: float = 2.0  # weight of the z-scored cosine at a fully Latin-script query
    focus_dense_weight: float = 2.0  # weight of the cosine of the focus text (if any)
    # two views per vector: a document (or query) with a title and a text is embedded as the
    # normalised sum of the title's and the "title. text" embeddings (see docs/matching.md)
    title_view: bool = True
    min_latin_share: float = 0.2  # documents below this Latin share get no embedding
    candidates: int = 1000  # first-stage depth per signal (lexical, dense)
    dense_brute_max: int = 300_000  # exact dense recall over all documents up to this size
    # latent semantic (LSA) signal over words + Chinese bigrams, see lsa.py
    lsa_dim: int = 128  # 0 = off
    lsa_weight: float = 1.0
    lsa_idf_power: float = 1.5
    lsa_max_fit: int = 20000
    # owners (experts)
    owner_pool: int = 5000
    owner_top: int = 5
    owner_decay: float = 0.5
    owner_temperature: float = 1.0
    recency_half_life: float | None = None  # years; None = no recency weighting
    reference_year: int | None = None
    # calibration of the 0-100 score (logistic over query-normalised signals, see docs)
    # fitted once on CSFCube DEV pairs (target: judged "related" or better), see docs/matching.md
    cal_a: float = 7.0  # × lexical self-normalised score, when the cosine applies
    cal_c: float = 5.65  # × (cosine − 0.35)
    cal_a_lex: float = 14.4  # × lexical self-normalised score, lexical only
    cal_bias: float = -2.85
    # storage: document records (texts, for explanations / get()) and, after a build, the
    # term frequencies (for the next rebuild) and, above ``dense_brute_max`` documents, the LSA
    # vectors and embeddings (only candidate rows are read there) go to temporary files
    # (memory-mapped / read on demand) once larger than ``spill_mb`` MB, as they are memory-mapped
    # after load(); None keeps everything in RAM. ``spill_dir``: where (default: the system temp dir).
    spill_mb: float | None = 64.0
    spill_dir: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["vocabulary"] = list(self.vocabulary)
        return d


# ----------------------------------------------------------------------------------------------
# Internal helpers
# ----------------------------------------------------------------------------------------------
@dataclass
class _Q:
    weights: dict[str, float]  # combined-index query (prefixed bigram terms included)
    main: dict[str, float]
    bi: dict[str, float]
    surface: dict[str, str]
    dense_text: str
    focus_text: str
    share: float
    title_text: str = ""  # the title, when the query has a title and a text (title view)


@dataclass
class _Pool:
    rows: np.ndarray
    lex: np.ndarray
    cos: np.ndarray | None
    fcos: np.ndarray | None
    stats: tuple[float, float, float, float, float, float]
    alpha: float
    beta: float
    self_score: float
    lsa: np.ndarray | None = None
    gamma: float = 0.0


def _as_list(v) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    return [str(x) for x in v]


def _doc_text(d: Document) -> str:
    t = (d.title or "").strip()
    x = (d.text or "").strip()
    return f"{t}. {x}" if t and x else (t or x)


_SENT_RE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+|\.(?=\s)|$)|[^。！？!?；;\n]+")


def _sigmoid(x: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def _dense_enabled(cfg: EngineConfig) -> bool:
    global _warned_dense
    if cfg.dense == "off":
        return False
    from .dense import available

    ok = available(cfg.model_path)
    if cfg.dense == "on" and not ok:
        raise RuntimeError("EngineConfig(dense='on') but the ml extra (sentence-transformers + model) is missing")
    if not ok:
        with _warn_lock:
            if not _warned_dense:
                _warned_dense = True
                _log.warning("qiao.matching: dense model not installed (pip install 'qiao[ml]'); "
                             "using lexical ranking only")
    return ok


class _DocStore:
    """Document records outside the Python heap: one JSON line ``[id, owner, title, text, year,
    attrs]`` per document (the ``docs.jsonl`` format of :meth:`Engine.save`), in segments — a
    spooled temporary file (RAM up to ``spill_mb``, then disk) for added documents, or a saved
    ``docs.jsonl`` — addressed by (segment, offset, length) per row, read on demand."""

    def __init__(self, spill_mb: float | None, spill_dir: str | None) -> None:
        self._segs: list = []
        self._spill = None if spill_mb is None else int(spill_mb * 2**20)
        self._dir = spill_dir
        self._lock = threading.Lock()
        self._cur: tempfile.SpooledTemporaryFile | None = None
        self._cur_seg = -1
        self._cur_size = 0

    def append(self, lines: list[bytes]) -> tuple[int, np.ndarray, np.ndarray]:
        """Store encoded lines (each ends with a newline); returns (segment, offsets, lengths)."""
        lens = np.fromiter(map(len, lines), np.int64, len(lines))
        with self._lock:
            if self._cur is None:
                if self._spill == 0:  # straight to disk (SpooledTemporaryFile(max_size=0) never rolls over)
                    self._cur = tempfile.TemporaryFile(dir=self._dir)  # type: ignore[assignment]
                else:
                    max_size = (1 << 62) if self._spill is None else self._spill
                    self._cur = tempfile.SpooledTemporaryFile(max_size=max_size, dir=self._dir)
                self._segs.append(self._cur)
                self._cur_seg = len(self._segs) - 1
                self._cur_size = 0
            f = self._cur
            f.seek(self._cur_size)
            f.write(b"".join(lines))
            offs = np.zeros(len(lines), np.int64)
            if len(lines) > 1:
                np.cumsum(lens[:-1], out=offs[1:])
            offs += self._cur_size
            self._cur_size += int(lens.sum())
        return self._cur_seg, offs, lens

    def add_file(self, path: Path) -> int:
        with self._lock:
            self._segs.append(open(path, "rb"))  # noqa: SIM115 - kept open for reads
            return len(self._segs) - 1

    def read_raw(self, seg: int, off: int, n: int) -> bytes:
        with self._lock:
            f = self._segs[seg]
            f.seek(off)
            return f.read(n)

    def read(self, seg: int, off: int, n: int) -> list:
        return json.loads(self.read_raw(seg, off, n))

    def close(self) -> None:
        with self._lock:
            for f in self._segs:
                with contextlib.suppress(Exception):
                    f.close()
            self._segs = []
            self._cur = None


def _spill(arr: np.ndarray, cfg: EngineConfig) -> np.ndarray:
    """``arr`` itself, or a read-only memory map of a copy in a temporary file once larger than
    ``cfg.spill_mb`` (the file is deleted when the map is released)."""
    if cfg.spill_mb is None or arr.nbytes <= cfg.spill_mb * 2**20 or arr.size == 0:
        return arr
    f = tempfile.TemporaryFile(dir=cfg.spill_dir)
    try:
        np.ascontiguousarray(arr).tofile(f)
        f.flush()
        return np.memmap(f, dtype=arr.dtype, mode="r", shape=arr.shape)
    finally:
        f.close()  # the map keeps its own handle


def _bi_code(term: str) -> int:
    return ord(term) if len(term) == 1 else (ord(term[0]) << 21) | ord(term[1])


@dataclass
class _Batch:
    """Documents added since the last build (rows ``start`` … ``start + n - 1``)."""

    start: int
    main: sp.csr_matrix
    bi: sp.csr_matrix
    share: np.ndarray
    owner: np.ndarray
    year: np.ndarray
    seg: np.ndarray
    off: np.ndarray
    size: np.ndarray
    emb_rows: np.ndarray | None  # rows (in the batch) that have an embedding
    emb: np.ndarray | None  # float16 (len(emb_rows), dim)
    attrs: dict[str, tuple[np.ndarray, np.ndarray]]  # key -> (rows in batch, value codes)


# ----------------------------------------------------------------------------------------------
# Engine
# ----------------------------------------------------------------------------------------------
class Engine:
    """Hybrid (BM25F + dense) bilingual matching engine. Not thread-safe for writes."""

    def __init__(self, config: EngineConfig | None = None, *, analyzer: Analyzer | None = None) -> None:
        self.config = cfg = config or EngineConfig()
        self.analyzer = analyzer or Analyzer(cfg.vocabulary)
        self._dense_on = _dense_enabled(cfg)
        self._embedder = None
        # storage (row = internal document number; rows of deleted documents stay until a build)
        self._ids: list[str | None] = []
        self._row: dict[str, int] = {}
        self._store = _DocStore(cfg.spill_mb, cfg.spill_dir)
        self._vocab_main: dict[str, int] = {}
        self._vocab_bi: dict[str, int] = {}
        self._bi_codes: CodeVocab | None = None
        self._term_ids: TermVocab | None = None
        self._owner_ids: dict[str, int] = {}
        self._owners: list[str] = []
        self._attr_codes: dict[str, dict[str, int]] = {}
        self._pending: list[_Batch] = []
        self._n_dead = 0
        self._dirty = False
        self._lock = threading.RLock()
        # explain(): the normalisation statistics of a query's reference pool, per (query, filters, mode);
        # cleared on every write, so explaining the 10 experts of one result list costs one pool, not ten
        self._ref_stats: OrderedDict[tuple, tuple | None] = OrderedDict()
        # built state (per row of the built documents)
        self._n_built = 0
        self._index: LexicalIndex | None = None
        self._f_main: LexicalIndex | None = None
        self._f_bi: LexicalIndex | None = None
        self._tf: np.ndarray | None = None  # term frequency of every posting of ``_index``
        self._counts_cache: sp.csr_matrix | None = None
        self._emb: np.ndarray | None = None  # rows of the documents that have an embedding
        self._emb_row: np.ndarray = np.zeros(0, np.int32)  # row -> row of _emb, or -1
        self._share: np.ndarray = np.zeros(0, np.float32)
        self._owner_code: np.ndarray = np.zeros(0, np.int32)
        self._years: np.ndarray = np.zeros(0, np.float32)
        self._seg: np.ndarray = np.zeros(0, np.int32)
        self._off: np.ndarray = np.zeros(0, np.int64)
        self._size: np.ndarray = np.zeros(0, np.int64)
        self._attr_pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # key -> (rows, value codes)
        self._attr: dict[str, dict[str, np.ndarray]] = {}
        self._lsa: LatentIndex | None = None
        self._lsa_z: np.ndarray | None = None

    def __del__(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None:
            store.close()

    # -- vocabulary / dense --------------------------------------------------------------------
    def add_vocabulary(self, terms: Iterable[str]) -> int:
        """Add domain terms to the segmenter (affects documents added afterwards and queries)."""
        self._ref_stats.clear()
        return self.analyzer.add_vocabulary(terms)

    @property
    def dense_enabled(self) -> bool:
        return self._dense_on

    def _emb_model(self):
        if self._embedder is None:
            from .dense import Embedder

            self._embedder = Embedder(self.config.model_path)
        return self._embedder

    # -- writing -------------------------------------------------------------------------------
    def add(self, docs: Iterable[Document], *, progress: bool = False) -> int:
        """Add documents, replacing any existing document with the same id. Returns the count."""
        batch: list[Document] = []
        for d in docs:
            if not isinstance(d, Document):
                raise TypeError(f"expected Document, got {type(d).__name__}")
            if not isinstance(d.id, str) or not d.id:
                raise ValueError("Document.id must be a non-empty string")
            batch.append(d)
        if not batch:
            return 0
        # the last occurrence of an id in the batch wins
        last = {d.id: i for i, d in enumerate(batch)}
        if len(last) < len(batch):
            batch = [d for i, d in enumerate(batch) if last[d.id] == i]
        titles = [d.title or "" for d in batch]
        texts = [d.text or "" for d in batch]
        with self._lock:
            # small sub-chunks: the per-token Python strings die young (no heap left fragmented by
            # long-lived objects among millions of freed ones); all titles before all texts, so
            # that new terms get the same ids as with one pass over the batch
            m_main = self._main_counts(titles, texts, progress)
            m_bi = self._bi_counts(titles, texts)
            shares = np.concatenate([latin_shares([f"{t} {x}" for t, x in zip(titles[s:s + _SUB], texts[s:s + _SUB],
                                                                              strict=True)])
                                     for s in range(0, len(batch), _SUB)]).astype(np.float32)
            segs, offs_l, sizes_l = [], [], []
            for s in range(0, len(batch), _SUB):
                records = [(_json_line([d.id, d.owner, d.title, d.text, d.year, dict(d.attrs or {})])
                            + "\n").encode("utf-8") for d in batch[s:s + _SUB]]
                sg, of, sz = self._store.append(records)
                segs.append(np.full(len(records), sg, np.int32))
                offs_l.append(of)
                sizes_l.append(sz)
                del records
            seg, offs, sizes = np.concatenate(segs), np.concatenate(offs_l), np.concatenate(sizes_l)
            emb_rows = emb = None
            if self._dense_on:
                emb_rows, emb = self._embed_docs(batch, shares, progress)
            owner_ids = self._owner_ids
            owners = self._owners
            owner = np.empty(len(batch), np.int32)
            for i, d in enumerate(batch):
                o = d.owner
                if o is None:
                    owner[i] = -1
                else:
                    c = owner_ids.get(o)
                    if c is None:
                        c = owner_ids[o] = len(owners)
                        owners.append(o)
                    owner[i] = c
            years = np.asarray([np.nan if d.year is None else float(d.year) for d in batch], np.float32)
            attrs: dict[str, tuple[list[int], list[int]]] = {}
            for i, d in enumerate(batch):
                if d.attrs:
                    for k, v in d.attrs.items():
                        codes = self._attr_codes.setdefault(k, {})
                        rr, cc = attrs.setdefault(k, ([], []))
                        for x in _as_list(v):
                            rr.append(i)
                            cc.append(codes.setdefault(x, len(codes)))
            row = self._row
            ids = self._ids
            for d in batch:
                old = row.get(d.id)
                if old is not None:
                    ids[old] = None
                    self._n_dead += 1
            start = len(ids)
            for i, d in enumerate(batch):
                row[d.id] = start + i
            ids.extend(d.id for d in batch)
            self._pending.append(_Batch(start, m_main, m_bi, shares, owner, years, seg, offs, sizes, emb_rows, emb,
                                        {k: (np.asarray(r, np.int64), np.asarray(c, np.int32))
                                         for k, (r, c) in attrs.items()}))
            self._dirty = True
            self._ref_stats.clear()
        return len(batch)

    def _main_counts(self, titles: list[str], texts: list[str], progress: bool = False) -> sp.csr_matrix:
        """Weighted term counts of the word field (title tokens count ``title_weight`` times)."""
        ana = self.analyzer.analyze
        if self._term_ids is None or self._term_ids.vocab is not self._vocab_main:
            self._term_ids = TermVocab(self._vocab_main)
        tv = self._term_ids
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=2 * len(titles), desc="analysing", unit="field", file=__import__("sys").stderr)
        parts = []
        for src in (titles, texts):
            lens_l, ids_l = [], []
            for s in range(0, len(src), _SUB):
                toks = [ana(t) for t in src[s:s + _SUB]]
                lens, ids = tv.ids(toks)
                del toks
                lens_l.append(lens)
                ids_l.append(ids)
                if bar is not None:
                    bar.update(min(_SUB, len(src) - s))
            parts.append((np.concatenate(lens_l), np.concatenate(ids_l)))
        if bar is not None:
            bar.close()
        (t_lens, t_ids), (x_lens, x_ids) = parts
        return field_counts(t_lens, t_ids, x_lens, x_ids, len(self._vocab_main), self.config.title_weight)

    def _bi_counts(self, titles: list[str], texts: list[str], chunk: int = _SUB) -> sp.csr_matrix:
        """Weighted counts of the Chinese-bigram field (vectorised over the batch)."""
        if self._bi_codes is None:
            self._bi_codes = CodeVocab(self._vocab_bi, _bi_code, bigram_term)
        cv = self._bi_codes
        parts = []
        for src in (titles, texts):  # all titles first: term ids in first-seen order, as before
            codes, lens = [], []
            for s in range(0, len(src), chunk):
                c, n = bigram_codes(src[s:s + chunk])
                codes.append(cv.ids(c))
                lens.append(n)
            parts.append((np.concatenate(lens), np.concatenate(codes)))
        (t_lens, t_ids), (x_lens, x_ids) = parts
        return field_counts(t_lens, t_ids, x_lens, x_ids, len(self._vocab_bi), self.config.title_weight)

    def _embed_docs(self, batch: list[Document], share: np.ndarray, progress: bool):
        idx = np.flatnonzero(share >= self.config.min_latin_share)
        if idx.shape[0] == 0:
            return None, None  # nothing the (English) model can read: do not even load it
        model = self._emb_model()
        texts = [_doc_text(batch[i]) for i in idx]
        emb = np.asarray(model.encode(texts, progress=progress), np.float32)
        if self.config.title_view:
            # title view: add the title's own embedding where a document has a title and a text
            two = [j for j, i in enumerate(idx.tolist())
                   if (batch[i].title or "").strip() and (batch[i].text or "").strip()]
            if two:
                tv = np.asarray(model.encode([(batch[int(idx[j])].title or "").strip() for j in two]), np.float32)
                emb[two] += tv
                emb[two] /= np.maximum(np.linalg.norm(emb[two], axis=1, keepdims=True), 1e-12)
        return idx.astype(np.int64), emb.astype(np.float16)

    def delete(self, ids: Iterable[str]) -> int:
        """Delete documents by id (unknown ids are ignored). Returns the number deleted."""
        n = 0
        with self._lock:
            for i in [ids] if isinstance(ids, str) else ids:
                r = self._row.pop(i, None)
                if r is not None:
                    self._ids[r] = None
                    self._n_dead += 1
                    n += 1
            if n:
                self._dirty = True
                self._ref_stats.clear()
        return n

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._row

    def _record(self, r: int) -> list:
        """[id, owner, title, text, year, attrs] of row ``r`` (built or pending)."""
        if r < self._n_built:
            return self._store.read(int(self._seg[r]), int(self._off[r]), int(self._size[r]))
        for b in self._pending:
            if b.start <= r < b.start + b.share.shape[0]:
                j = r - b.start
                return self._store.read(int(b.seg[j]), int(b.off[j]), int(b.size[j]))
        raise KeyError(r)  # pragma: no cover

    def _doc(self, r: int) -> Document:
        i, o, t, x, y, a = self._record(r)
        return Document(i, o, t, x, y, a)

    def get(self, doc_id: str) -> Document | None:
        r = self._row.get(doc_id)
        return None if r is None else self._doc(r)

    # -- (re)building --------------------------------------------------------------------------
    def _ensure(self) -> None:
        if not self._dirty and self._index is not None:
            return
        with self._lock:
            if not self._dirty and self._index is not None:
                return
            self._rebuild()

    def _base_fields(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Document-major term frequencies of the built documents (from the postings)."""
        nm, nb = self._field_sizes()
        ix = self._index
        n = self._n_built
        if ix is None or self._tf is None or n == 0:
            return (sp.csr_matrix((n, nm), dtype=np.float32), sp.csr_matrix((n, nb), dtype=np.float32))
        ip = np.asarray(ix.indptr)
        n_main = int(self._f_main.indptr.shape[0]) - 1 if self._f_main is not None else nm
        out = []
        for a, b_, width in ((0, n_main, nm), (n_main, ip.shape[0] - 1, nb)):
            s, e = int(ip[a]), int(ip[b_])
            csc = sp.csc_matrix((np.asarray(self._tf[s:e]), np.asarray(ix.indices[s:e]), ip[a:b_ + 1] - s),
                                shape=(n, b_ - a))
            m = csc.tocsr()
            del csc
            if m.shape[1] < width:
                m.resize((n, width))
            out.append(m)
        return out[0], out[1]

    def _field_sizes(self) -> tuple[int, int]:
        return max(len(self._vocab_main), 1), max(len(self._vocab_bi), 1)

    def _rebuild(self) -> None:
        cfg = self.config
        nm, nb = self._field_sizes()
        pending = self._pending
        n_all = len(self._ids)
        # per-row arrays of built + pending rows, then only the live rows
        keep = np.flatnonzero(np.fromiter((i is not None for i in self._ids), bool, n_all)) if self._n_dead else None

        def cat(base, name, dtype):
            arr = np.concatenate([np.asarray(base, dtype)] + [np.asarray(getattr(b, name), dtype) for b in pending])
            return arr if keep is None else arr[keep]

        share = cat(self._share, "share", np.float32)
        owner = cat(self._owner_code, "owner", np.int32)
        years = cat(self._years, "year", np.float32)
        seg = cat(self._seg, "seg", np.int32)
        off = cat(self._off, "off", np.int64)
        size = cat(self._size, "size", np.int64)
        # embeddings: only of the rows that have one (row -> row of the embedding matrix, or -1)
        emb = None
        full_row = np.full(n_all, -1, np.int64)
        chunks: list[np.ndarray] = []
        n_e = 0
        if self._dense_on:
            if self._emb is not None:
                full_row[: self._n_built] = self._emb_row
                n_e = self._emb.shape[0]
                chunks.append(self._emb)
            for b in pending:
                if b.emb is not None and b.emb_rows is not None:
                    full_row[b.start + b.emb_rows] = n_e + np.arange(b.emb_rows.shape[0])
                    n_e += b.emb_rows.shape[0]
                    chunks.append(b.emb)
        if keep is not None:
            full_row = full_row[keep]
        has = full_row >= 0
        if chunks:
            sel = full_row[has]
            full = np.concatenate([np.asarray(c, np.float16) for c in chunks]) if len(chunks) > 1 else \
                np.asarray(chunks[0], np.float16)
            emb = full if sel.shape[0] == n_e else full[sel]
            del full
        chunks = []
        emb_row = np.full(full_row.shape[0], -1, np.int32)
        emb_row[has] = np.arange(int(has.sum()), dtype=np.int32)
        # attributes: (row, value code) pairs
        remap = None
        if keep is not None:
            remap = np.full(n_all, -1, np.int64)
            remap[keep] = np.arange(keep.shape[0])
        pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for k in set(self._attr_pairs) | {k for b in pending for k in b.attrs}:
            rr = [self._attr_pairs[k][0]] if k in self._attr_pairs else []
            cc = [self._attr_pairs[k][1]] if k in self._attr_pairs else []
            for b in pending:
                if k in b.attrs:
                    rr.append(b.attrs[k][0] + b.start)
                    cc.append(b.attrs[k][1])
            r = np.concatenate(rr).astype(np.int64)
            c = np.concatenate(cc).astype(np.int32)
            if remap is not None:
                r = remap[r]
                ok = r >= 0
                r, c = r[ok], c[ok]
            pairs[k] = (r, c)
        # term frequencies: built rows (from the postings) + pending blocks
        base_main, base_bi = self._base_fields() if self._n_built else (None, None)
        mains = ([base_main] if base_main is not None else []) + [b.main for b in pending]
        bis = ([base_bi] if base_bi is not None else []) + [b.bi for b in pending]
        self._pending = []
        self._index = self._tf = self._counts_cache = self._lsa_z = None
        if keep is None and base_main is None and mains:
            main, bi = mains, bis  # row blocks, not stacked (build_fields takes blocks)
            del mains, bis
        else:
            main = _vstack(mains, nm)
            del mains, base_main
            bi = _vstack(bis, nb)
            del bis, base_bi
            if keep is not None:
                main, bi = main[keep], bi[keep]
        ids = self._ids if keep is None else [self._ids[i] for i in keep.tolist()]
        n = len(ids)
        # compact storage
        self._ids = ids  # type: ignore[assignment]
        if keep is not None:
            self._row = {d: i for i, d in enumerate(ids)}  # type: ignore[misc]
        self._n_dead = 0
        self._n_built = n
        self._share, self._owner_code, self._years = share, owner, years
        self._seg, self._off, self._size = seg, off, size
        self._emb_row = emb_row
        self._emb = self._emb_for_search(emb, n)
        self._attr_pairs = pairs
        self._attr = _inverted(pairs, self._attr_codes)
        # the term-major index first, then LSA over document-major rows rebuilt from the postings
        # (sorted columns, as the LSA path needs; cheaper than sorting the added rows in place)
        self._index, (self._f_main, self._f_bi), tf = build_fields(
            [main, bi], [self._vocab_main, self._vocab_bi], ["", _BI], k1=cfg.k1, b=cfg.b)
        del main, bi
        self._tf = tf
        self._lsa = None
        self._lsa_z = None
        if cfg.lsa_dim > 0 and n:
            main, bi = self._base_fields()
            self._lsa = LatentIndex.fit([main, bi], dim=cfg.lsa_dim, idf_power=cfg.lsa_idf_power,
                                        max_fit=cfg.lsa_max_fit)
            if self._lsa is not None:
                z = self._lsa.transform([main, bi])
                del main, bi
                self._lsa_z = _spill(z, cfg) if n > cfg.dense_brute_max else z
                del z
                if n > cfg.dense_brute_max:  # beyond, a query reads only its own terms' rows
                    self._lsa.comp = _spill(self._lsa.comp, cfg)
        self._tf = _spill(tf, cfg)
        del tf
        self._dirty = False

    def _lsa_scores(self, q: _Q, rows: np.ndarray | None) -> np.ndarray | None:
        if self._lsa is None or self._lsa_z is None or self.config.lsa_weight <= 0:
            return None
        wm = {self._vocab_main[t]: w for t, w in q.main.items() if t in self._vocab_main}
        wb = {self._vocab_bi[t]: w for t, w in q.bi.items() if t in self._vocab_bi}
        if not wm and not wb:
            return None
        v = self._lsa.transform_weights([wm, wb])
        z = self._lsa_z if rows is None else self._lsa_z[rows]
        return z @ v

    # -- querying ------------------------------------------------------------------------------
    def _query(self, query: str | Query) -> _Q:
        if isinstance(query, str):
            query = Query(text=query)
        elif not isinstance(query, Query):
            raise TypeError(f"query must be str or Query, got {type(query).__name__}")
        cfg = self.config
        an = self.analyzer
        body = f"{query.title or ''}\n{query.text or ''}"
        surface: dict[str, str] = {}
        main: Counter = Counter()
        for part, w in ((body, 1.0), (query.focus or "", cfg.focus_weight)):
            if not part or w <= 0:
                continue
            nt = normalize(part)
            for tok in an.spans(nt, normalized=True):
                main[tok.term] += w  # type: ignore[assignment]
                surface.setdefault(tok.term, nt[tok.start:tok.end])
        bi: Counter = Counter()
        if cfg.bigram_weight > 0:
            for part, w in ((body, 1.0), (query.focus or "", cfg.focus_weight)):
                if part and w > 0:
                    for g in cjk_bigrams(part):
                        bi[g] += w  # type: ignore[assignment]
        weights = dict(main)
        for g, w in bi.items():
            weights[_BI + g] = w * cfg.bigram_weight
        share = latin_share(body + " " + (query.focus or ""))
        dense_text = (f"{query.title}. {query.text}" if query.title and query.text else (query.title or query.text or "")).strip()
        title_text = (query.title or "").strip() if cfg.title_view and (query.text or "").strip() else ""
        return _Q(weights, dict(main), dict(bi), surface, dense_text, (query.focus or "").strip(), share,
                  title_text)

    def _mask(self, filters: Filters) -> np.ndarray | None:
        if not filters:
            return None
        n = len(self._ids)
        mask = np.ones(n, dtype=bool)
        for k, allowed in filters.items():
            m = np.zeros(n, dtype=bool)
            vals = self._attr.get(k, {})
            for v in _as_list(allowed):
                r = vals.get(v)
                if r is not None:
                    m[r] = True
            mask &= m
        return mask

    def _rm3(self, q: _Q, lex: np.ndarray, mask: np.ndarray | None) -> dict[str, float] | None:
        cfg = self.config
        cand = np.flatnonzero(lex > 0)
        if mask is not None:
            cand = cand[mask[cand]]
        if cand.shape[0] == 0:
            return None
        top, sc = topk(cand, lex[cand], cfg.fb_docs)
        rows = self._counts()[top]
        dl = np.asarray(rows.sum(axis=1)).ravel()
        dl[dl == 0] = 1
        w = np.exp(sc - sc.max())
        w = w / w.sum()
        rel = np.asarray((sp.diags(w / dl) @ rows).sum(axis=0)).ravel()
        if rel.shape[0] == 0:
            return None
        idf = self._f_main.idf[: rel.shape[0]]
        rel = rel * (idf > 1.0)  # skip near-stopwords
        k = min(cfg.fb_terms, int((rel > 0).sum()))
        if k == 0:
            return None
        best = np.argpartition(-rel, k - 1)[:k]
        inv = self._inv_vocab()
        fb = {inv[i]: float(rel[i]) for i in best.tolist() if i < len(inv)}
        tot = sum(fb.values()) or 1.0
        qtot = sum(q.main.values()) or 1.0
        out: dict[str, float] = {}
        lam = cfg.fb_lambda
        for t, v in q.main.items():
            out[t] = out.get(t, 0.0) + (1 - lam) * v / qtot
        for t, v in fb.items():
            out[t] = out.get(t, 0.0) + lam * v / tot
        scale = qtot  # keep the original magnitude
        weights = {t: v * scale for t, v in out.items()}
        for g, w in q.bi.items():
            weights[_BI + g] = w * cfg.bigram_weight
        return weights

    def _counts(self) -> sp.csr_matrix:
        """Document-major word-field term frequencies (for RM3 only; derived from the postings once)."""
        if self._counts_cache is None:
            self._counts_cache = self._base_fields()[0]
        return self._counts_cache

    def _inv_vocab(self) -> list[str]:
        if getattr(self, "_inv", None) is None or len(self._inv) != len(self._vocab_main):
            inv = [""] * len(self._vocab_main)
            for t, i in self._vocab_main.items():
                inv[i] = t
            self._inv = inv
        return self._inv

    def _lexical(self, q: _Q) -> tuple[np.ndarray, float]:
        """Dense per-document lexical scores and the query's self-match score."""
        idx = self._index
        lex = idx.score_all(q.weights)
        self_score = self._f_main.self_score(q.main) + self.config.bigram_weight * self._f_bi.self_score(q.bi)
        if self.config.rm3 and lex.any():
            w = self._rm3(q, lex, None)
            if w is not None:
                lex = idx.score_all(w)
        return lex, max(self_score, 1e-6)

    def _dense_scores(self, q: _Q, rows: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray | None, float, float]:
        cfg = self.config
        if not self._dense_on or self._emb is None or q.share <= 0 or not q.dense_text:
            return None, None, 0.0, 0.0
        has = self._share >= cfg.min_latin_share if rows is None else self._share[rows] >= cfg.min_latin_share
        if not has.any():
            return None, None, 0.0, 0.0
        alpha = cfg.dense_weight * q.share
        beta = cfg.focus_dense_weight * q.share if q.focus_text else 0.0
        texts = [q.dense_text] + ([q.focus_text] if beta > 0 else []) + ([q.title_text] if q.title_text else [])
        qv = np.asarray(self._emb_model().encode(texts, cache=True), np.float32)
        if q.title_text:  # title view, as for the documents
            v = qv[0] + qv[-1]
            qv = qv[:-1].copy()
            qv[0] = v / max(float(np.linalg.norm(v)), 1e-12)
        er = self._emb_row if rows is None else self._emb_row[rows]
        ok = er >= 0
        sims = np.zeros((er.shape[0], qv.shape[0]), np.float32)
        if rows is None and self._emb.dtype == np.float32:
            sims[ok] = self._emb @ qv.T
        elif rows is None:
            part = np.empty((self._emb.shape[0], qv.shape[0]), np.float32)
            for s in range(0, self._emb.shape[0], 65536):  # float16 storage, float32 products
                part[s:s + 65536] = self._emb[s:s + 65536].astype(np.float32) @ qv.T
            sims[ok] = part
        else:
            sims[ok] = np.asarray(self._emb[er[ok]], np.float32) @ qv.T
        cos = sims[:, 0]
        fcos = sims[:, 1] if beta > 0 else None
        return cos, fcos, alpha, beta

    def _pool(self, q: _Q, *, mask: np.ndarray | None, rows: np.ndarray | None = None,
              depth: int | None = None) -> _Pool:
        """Candidate documents with their signals. ``rows`` given → exactly those rows."""
        self._ensure()
        cfg = self.config
        lex_all, self_score = self._lexical(q)
        if rows is None:
            depth = depth or cfg.candidates
            cand, _ = topk_dense(lex_all, depth, mask)
            cos_all = fcos_all = None
            alpha = beta = 0.0
            if self._dense_on and self._emb is not None and q.share > 0 and len(self._ids) <= cfg.dense_brute_max:
                cos_all, fcos_all, alpha, beta = self._dense_scores(q, None)
                if cos_all is not None:
                    ok = self._share >= cfg.min_latin_share
                    if mask is not None:
                        ok = ok & mask
                    dc = np.flatnonzero(ok)
                    dtop, _ = topk(dc, cos_all[dc].astype(np.float32), depth)
                    cand = np.union1d(cand, dtop)
            lsa_all = self._lsa_scores(q, None) if len(self._ids) <= cfg.dense_brute_max else None
            if lsa_all is not None:
                lc = np.flatnonzero(mask) if mask is not None else np.arange(len(self._ids))
                ltop, _ = topk(lc, lsa_all[lc].astype(np.float32), depth)
                cand = np.union1d(cand, ltop)
            rows = np.sort(cand)
            lsa = lsa_all[rows] if lsa_all is not None else self._lsa_scores(q, rows)
            if cos_all is not None:
                cos, fcos = cos_all[rows], (fcos_all[rows] if fcos_all is not None else None)
            else:
                cos, fcos, alpha, beta = self._dense_scores(q, rows) if rows.shape[0] else (None, None, 0.0, 0.0)
        else:
            rows = np.asarray(rows, np.int64)
            if mask is not None:
                rows = rows[mask[rows]]
            cos, fcos, alpha, beta = self._dense_scores(q, rows) if rows.shape[0] else (None, None, 0.0, 0.0)
            lsa = self._lsa_scores(q, rows) if rows.shape[0] else None
        lex = lex_all[rows]
        stats = self._stats(rows, lex, cos, fcos, lsa)
        gamma = cfg.lsa_weight if lsa is not None else 0.0
        return _Pool(rows, lex, cos, fcos, stats, alpha, beta, self_score, lsa, gamma)

    def _stats(self, rows, lex, cos, fcos, lsa=None):
        def ms(x, sel=None):
            if x is None:
                return 0.0, 1.0
            y = x if sel is None else x[sel]
            if y.shape[0] < 2:
                return (float(y.mean()) if y.shape[0] else 0.0), 1.0
            s = float(y.std())
            return float(y.mean()), (s if s > 1e-6 else 1.0)

        has = self._share[rows] >= self.config.min_latin_share if rows.shape[0] else None
        return (*ms(lex), *ms(cos, has), *ms(fcos, has), *ms(lsa))

    def _fused(self, pool: _Pool) -> np.ndarray:
        ml, sl, mc, sc, mf, sf, mz, sz = pool.stats  # type: ignore[misc]
        f = (pool.lex - ml) / sl
        if pool.lsa is not None and pool.gamma > 0:
            f = f + pool.gamma * (pool.lsa - mz) / sz
        if pool.cos is not None and pool.alpha > 0:
            has = self._share[pool.rows] >= self.config.min_latin_share
            f = f + pool.alpha * np.where(has, (pool.cos - mc) / sc, 0.0)
            if pool.fcos is not None and pool.beta > 0:
                f = f + pool.beta * np.where(has, (pool.fcos - mf) / sf, 0.0)
        return f.astype(np.float64)

    def _prob(self, pool: _Pool) -> np.ndarray:
        """Calibrated relevance probability per pool row (query-normalised, fixed logistic)."""
        cfg = self.config
        r = np.clip(pool.lex / pool.self_score, 0.0, 1.5)
        x = cfg.cal_a_lex * r + cfg.cal_bias
        if pool.cos is not None and pool.alpha > 0:
            has = self._share[pool.rows] >= cfg.min_latin_share
            x = np.where(has, cfg.cal_a * r + cfg.cal_c * (pool.cos - 0.35) + cfg.cal_bias, x)
        return _sigmoid(x)

    def _hits(self, pool: _Pool, order: np.ndarray, fused: np.ndarray, prob: np.ndarray) -> list[Hit]:
        out = []
        probs = np.sort(prob[order])[::-1]  # monotone score_100 along the ranking
        for j, i in enumerate(order.tolist()):
            did, owner, title = self._record(int(pool.rows[i]))[:3]
            out.append(Hit(did, owner, float(fused[i]), int(round(100 * probs[j])), float(pool.lex[i]),
                           None if pool.cos is None else float(pool.cos[i]), title))
        return out

    def search(self, query: str | Query, top_k: int = 10, filters: Filters = None,
               mode: Literal["hybrid", "lexical"] = "hybrid") -> list[Hit]:
        """Top ``top_k`` documents among those passing ``filters`` (exact match on attrs, any-of)."""
        self._ensure()
        if top_k <= 0 or not self._ids:
            return []
        q = self._query(query)
        if mode == "lexical":
            q.share = 0.0
        elif mode != "hybrid":
            raise ValueError(f"mode must be 'hybrid' or 'lexical', not {mode!r}")
        mask = self._mask(filters)
        pool = self._pool(q, mask=mask, depth=max(self.config.candidates, top_k))
        if pool.rows.shape[0] == 0:
            return []
        fused = self._fused(pool)
        if pool.cos is None:  # pure lexical: only documents sharing a term
            keep = np.flatnonzero(pool.lex > 0)
        else:
            keep = np.arange(pool.rows.shape[0])
        sel, _ = topk(keep, fused[keep], top_k) if keep.shape[0] else (keep, None)
        return self._hits(pool, sel, fused, self._prob(pool))

    def score_docs(self, query: str | Query, doc_ids: Sequence[str], mode: str = "hybrid") -> dict[str, float]:
        """Fused scores of exactly ``doc_ids`` (unknown ids are skipped), normalised over that set."""
        self._ensure()
        q = self._query(query)
        if mode == "lexical":
            q.share = 0.0
        rows = np.asarray([self._row[i] for i in doc_ids if i in self._row], np.int64)
        if rows.shape[0] == 0:
            return {}
        pool = self._pool(q, mask=None, rows=rows)
        fused = self._fused(pool)
        ids = self._ids
        return {ids[int(r)]: float(f) for r, f in zip(pool.rows, fused, strict=True)}  # type: ignore[misc]

    # -- owners --------------------------------------------------------------------------------
    def _recency(self, rows: np.ndarray) -> np.ndarray:
        cfg = self.config
        if not cfg.recency_half_life:
            return np.ones(rows.shape[0])
        yrs = self._years[rows].astype(np.float64)
        ref = cfg.reference_year or (np.nanmax(self._years) if np.isfinite(self._years).any() else 0)
        age = np.clip(ref - yrs, 0, None)
        f = np.power(0.5, age / cfg.recency_half_life)
        return np.where(np.isfinite(f), f, 1.0)

    def _aggregate(self, pool: _Pool, fused: np.ndarray, prob: np.ndarray, owners_only: np.ndarray | None = None):
        """Per owner: decayed sum of exp(fused / T) over its top documents; noisy-or of the probabilities."""
        cfg = self.config
        codes = self._owner_code[pool.rows]
        ok = codes >= 0
        if owners_only is not None:
            ok &= np.isin(codes, owners_only)
        idx = np.flatnonzero(ok)
        if idx.shape[0] == 0:
            return None
        rec = self._recency(pool.rows[idx])
        # expCombSUM-style evidence: exp of the per-query z-normalised fused score (softmax pooling)
        val = np.exp(np.clip(fused[idx], -30.0, 30.0) / cfg.owner_temperature) * rec
        pr = prob[idx] * rec
        order = np.lexsort((-val, codes[idx]))  # by owner, best first
        idx, val, pr = idx[order], val[order], pr[order]
        c = codes[idx]
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        ends = np.r_[starts[1:], c.shape[0]]
        group = np.cumsum(np.r_[False, c[1:] != c[:-1]])
        rank = np.arange(c.shape[0]) - starts[group]
        top = rank < cfg.owner_top
        w = np.where(top, np.power(cfg.owner_decay, np.minimum(rank, 60).astype(np.float64)), 0.0)
        g = starts.shape[0]
        score = np.bincount(group, weights=val * w, minlength=g)
        p = 1.0 - np.exp(np.bincount(group, weights=np.log1p(-np.clip(pr * w, 0.0, 1.0 - 1e-12)), minlength=g))
        has_lex = np.bincount(group, weights=(pool.lex[idx] > 0).astype(np.float64), minlength=g) > 0
        slices = _Slices(idx, starts, ends)
        return c[starts], score, p, slices, has_lex

    def rank_owners(self, query: str | Query, top_k: int = 10, filters: Filters = None,
                    mode: Literal["hybrid", "lexical"] = "hybrid", evidence: int = 3) -> list[OwnerHit]:
        """Top ``top_k`` owners (experts), each with its best ``evidence`` documents."""
        self._ensure()
        if top_k <= 0 or not self._ids:
            return []
        q = self._query(query)
        if mode == "lexical":
            q.share = 0.0
        mask = self._mask(filters)
        pool = self._pool(q, mask=mask, depth=max(self.config.owner_pool, 20 * top_k))
        return self._owner_hits(pool, top_k, evidence)

    def _owner_hits(self, pool: _Pool, top_k: int | None, evidence: int, owners_only=None) -> list[OwnerHit]:
        if pool.rows.shape[0] == 0:
            return []
        fused = self._fused(pool)
        prob = self._prob(pool)
        if pool.cos is None:
            sub = pool.lex > 0
            if not sub.all() and owners_only is None:
                prob = np.where(sub, prob, 0.0)
        agg = self._aggregate(pool, fused, prob, owners_only)
        if not agg:
            return []
        codes, score, p, slices, has_lex = agg
        keep = np.ones(codes.shape[0], bool) if (pool.cos is not None or owners_only is not None) else has_lex
        cand = np.flatnonzero(keep)
        if top_k is not None and cand.shape[0] > top_k:
            thr = np.partition(-score[cand], top_k - 1)[top_k - 1]
            cand = cand[-score[cand] <= thr]  # keep ties at the boundary, then sort exactly
        names = [self._owners[int(c)] for c in codes[cand]]
        order = sorted(range(cand.shape[0]), key=lambda j: (-score[cand[j]], names[j]))
        if top_k is not None:
            order = order[:top_k]
        probs = sorted((float(p[cand[j]]) for j in order), reverse=True)
        out = []
        for rank, j in enumerate(order):
            g = int(cand[j])
            ev = self._hits(pool, slices[g][:evidence], fused, prob) if evidence else []
            out.append(OwnerHit(names[j], float(score[g]), int(round(100 * probs[rank])), ev))
        return out

    def score_owners(self, query: str | Query, owners: Sequence[str], mode: str = "hybrid") -> dict[str, float]:
        """Scores of exactly these owners (all their documents), normalised over that set."""
        self._ensure()
        q = self._query(query)
        if mode == "lexical":
            q.share = 0.0
        code = self._owner_ids
        want = np.asarray(sorted({code[o] for o in owners if o in code}), np.int64)
        if want.shape[0] == 0:
            return {}
        rows = np.flatnonzero(np.isin(self._owner_code, want))
        pool = self._pool(q, mask=None, rows=rows)
        hits = self._owner_hits(pool, None, 0, owners_only=want)
        return {h.owner: h.score for h in hits}

    # -- explanations --------------------------------------------------------------------------
    def explain(self, query: str | Query, doc_id: str | None = None, owner: str | None = None,
                filters: Filters = None, max_evidence: int = 3, mode: Literal["hybrid", "lexical"] = "hybrid") -> Explanation:
        """Why ``doc_id`` (or ``owner``) matches: matched terms, evidence snippets, 0-100 score."""
        self._ensure()
        if (doc_id is None) == (owner is None):
            raise ValueError("give exactly one of doc_id= or owner=")
        q = self._query(query)
        if mode == "lexical":
            q.share = 0.0
        mask = self._mask(filters)
        if doc_id is not None:
            r = self._row.get(doc_id)
            if r is None or (mask is not None and not mask[r]):
                raise KeyError(doc_id)
            rows = np.asarray([r], np.int64)
        else:
            code = self._owner_ids.get(owner, -1) if owner is not None else -1
            rows = np.flatnonzero(self._owner_code == code) if code >= 0 else np.zeros(0, np.int64)
            if mask is not None:
                rows = rows[mask[rows]]
            if rows.shape[0] == 0:
                raise KeyError(owner)
        pool = self._pool(q, mask=None, rows=rows)
        ref_stats = self._reference_stats(query, q, mask, filters, mode)
        pool.stats = ref_stats if ref_stats is not None else pool.stats
        fused = self._fused(pool)
        prob = self._prob(pool)
        if owner is not None:
            _codes, sc, pp, slices, _h = self._aggregate(pool, fused, prob)
            score, p, idxs = float(sc[0]), float(pp[0]), slices[0]
        else:
            score, p, idxs = float(fused[0]), float(prob[0]), np.asarray([0])
        ev = []
        all_terms: list[str] = []
        for i in idxs[:max_evidence].tolist():
            d = self._doc(int(pool.rows[i]))
            terms, th, sh = self._highlight(q, d)
            for t in terms:
                if t not in all_terms:
                    all_terms.append(t)
            ev.append(Evidence(d.id, d.title, float(fused[i]), int(round(100 * prob[i])), terms, th, sh))
        return Explanation(float(score), int(round(100 * p)), all_terms, ev, doc_id, owner)

    def _reference_stats(self, query: str | Query, q: _Q, mask: np.ndarray | None, filters: Filters,
                         mode: str) -> tuple | None:
        """The pool statistics ``search()`` would normalise with for this query (None if its pool is empty)."""
        qk = (query,) if isinstance(query, str) else (query.text, query.title, query.focus)
        fk = tuple(sorted((k, tuple(_as_list(v))) for k, v in filters.items())) if filters else None
        key = (qk, fk, mode)
        with self._lock:
            if key in self._ref_stats:
                self._ref_stats.move_to_end(key)
                return self._ref_stats[key]
        ref = self._pool(q, mask=mask)  # the query's normal pool: same normalisation as search()
        stats = ref.stats if ref.rows.shape[0] else None
        with self._lock:
            self._ref_stats[key] = stats
            while len(self._ref_stats) > 256:
                self._ref_stats.popitem(last=False)
        return stats

    def _highlight(self, q: _Q, d: Document, width: int = 240) -> tuple[list[str], str, str]:
        an = self.analyzer
        qterms = q.main
        idf = self._f_main.idf
        vocab = self._vocab_main

        def weight(t):
            i = vocab.get(t)
            return float(idf[i]) if i is not None and i < idf.shape[0] else 0.0

        title = normalize(d.title or "")
        text = normalize(d.text or "")
        t_sp = [t for t in an.spans(title, normalized=True) if t.term in qterms]
        x_sp = [t for t in an.spans(text, normalized=True) if t.term in qterms]
        matched = sorted({t.term for t in t_sp + x_sp}, key=lambda t: (-weight(t) * qterms[t], t))
        surface = [q.surface.get(t, t) for t in matched]
        # best window of sentences
        sents = [(m.start(), m.end()) for m in _SENT_RE.finditer(text)] or [(0, len(text))]
        best, best_s = (0, min(len(text), width)), -1.0
        for s, e in sents:
            seen = {t.term for t in x_sp if t.start >= s and t.end <= e}
            sc = sum(weight(t) for t in seen)
            if sc > best_s:
                best_s, best = sc, (s, e)
        s, e = best
        if e - s > width:
            first = next((t.start for t in x_sp if t.start >= s), s)
            s = max(s, first - width // 4)
            e = min(e, s + width)
        else:  # extend with following sentences up to width
            while e < len(text) and e - s < width:
                nxt = next(((a, b) for a, b in sents if a >= e), None)
                if nxt is None or nxt[1] - s > width:
                    break
                e = nxt[1]
        snippet = _mark(text, [t for t in x_sp if t.start >= s and t.end <= e], s, e)
        if s > 0:
            snippet = "…" + snippet
        if e < len(text):
            snippet += "…"
        return surface, _mark(title, t_sp, 0, len(title)), snippet.strip()

    # -- info / persistence --------------------------------------------------------------------
    def stats(self) -> dict:
        self._ensure()
        n = len(self._ids)
        oc = self._owner_code
        return {
            "documents": n,
            "owners": int(np.unique(oc[oc >= 0]).shape[0]) if oc.shape[0] else 0,
            "terms": len(self._vocab_main),
            "bigram_terms": len(self._vocab_bi),
            "postings": int(self._index.indices.shape[0]) if self._index is not None else 0,
            "dense": bool(self._dense_on and self._emb is not None),
            "dense_dim": int(self._emb.shape[1]) if self._emb is not None and self._emb.ndim == 2 else 0,
            "format_version": FORMAT_VERSION,
        }

    def save(self, path: str | Path) -> None:
        """Save to a directory (.npy arrays + JSON); :meth:`load` memory-maps the big arrays."""
        self._ensure()
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        n = len(self._ids)
        # documents: docs.jsonl (one JSON line per row) + byte offsets
        offs = np.zeros(n + 1, np.int64)
        with open(p / "docs.jsonl", "wb") as f:
            pos = 0
            for r in range(n):
                raw = self._store.read_raw(int(self._seg[r]), int(self._off[r]), int(self._size[r]))
                f.write(raw)
                pos += len(raw)
                offs[r + 1] = pos
        np.save(p / "docs_offsets.npy", offs)
        (p / "ids.json").write_text(json.dumps(self._ids, ensure_ascii=False), encoding="utf-8")
        (p / "owners.json").write_text(json.dumps(self._owners, ensure_ascii=False), encoding="utf-8")
        np.save(p / "owner_code.npy", self._owner_code)
        np.save(p / "years.npy", self._years)
        np.save(p / "share.npy", self._share)
        attrs = {}
        for i, (k, (rows, codes)) in enumerate(self._attr_pairs.items()):
            attrs[k] = {"file": i, "values": list(self._attr_codes.get(k, {}))}
            np.save(p / f"attr{i}_rows.npy", rows.astype(np.int64))
            np.save(p / f"attr{i}_codes.npy", codes.astype(np.int32))
        (p / "attrs.json").write_text(json.dumps(attrs, ensure_ascii=False), encoding="utf-8")
        if self._emb is not None:
            np.save(p / "emb.npy", np.asarray(self._emb, np.float16))
            np.save(p / "emb_row.npy", self._emb_row)
        self._index.save(p / "index")  # type: ignore[union-attr]
        np.save(p / "tf.npy", np.asarray(self._tf if self._tf is not None else np.zeros(0, np.float32)))
        self._f_main.save(p / "f_main")  # type: ignore[union-attr]
        self._f_bi.save(p / "f_bi")  # type: ignore[union-attr]
        if self._lsa is not None:
            self._lsa.save(p)
            np.save(p / "lsa_z.npy", np.asarray(self._lsa_z))
        meta = {"format": "qiao-engine", "version": FORMAT_VERSION, "config": self.config.to_dict(),
                "documents": n,
                "dense_model": getattr(self._embedder, "model_path", None) if self._emb is not None else None,
                "dense_model_name": self._dense_model_name() if self._emb is not None else None}
        (p / "engine.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path, *, config: EngineConfig | None = None) -> Engine:
        p = Path(path)
        try:
            meta = json.loads((p / "engine.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"{p}: not a saved qiao engine (engine.json missing)")
        if meta.get("format") != "qiao-engine" or meta.get("version") != FORMAT_VERSION:
            raise ValueError(f"{p}: unsupported engine format {meta.get('format')} v{meta.get('version')} "
                             f"(this version reads v{FORMAT_VERSION}; rebuild the index)")
        if config is None:
            c = dict(meta["config"])
            known = {f for f in EngineConfig.__dataclass_fields__}
            config = EngineConfig(**{k: v for k, v in c.items() if k in known})
        has_emb = (p / "emb.npy").exists()
        if not has_emb and config.dense == "on":
            raise ValueError(f"{p}: saved without embeddings but dense='on'")
        eng = cls(config if has_emb else _replace(config, dense="off") if config.dense == "auto" else config)
        eng._dense_on = eng._dense_on and has_emb
        saved_model = meta.get("dense_model_name")
        if eng._dense_on and saved_model and saved_model != eng._dense_model_name():
            raise ValueError(f"{p}: the stored vectors come from {saved_model}, the configured dense model is "
                             f"{eng._dense_model_name()}: rebuild the index")
        ids = json.loads((p / "ids.json").read_text(encoding="utf-8"))
        n = len(ids)
        offs = np.load(p / "docs_offsets.npy")
        seg = eng._store.add_file(p / "docs.jsonl")
        eng._seg = np.full(n, seg, np.int32)
        eng._off = offs[:-1].copy()
        eng._size = np.diff(offs)
        eng._ids = ids
        eng._row = {d: i for i, d in enumerate(ids)}
        eng._owners = json.loads((p / "owners.json").read_text(encoding="utf-8"))
        eng._owner_ids = {o: i for i, o in enumerate(eng._owners)}
        eng._owner_code = np.load(p / "owner_code.npy").astype(np.int32)
        eng._years = np.load(p / "years.npy")
        eng._share = np.load(p / "share.npy")
        attrs = json.loads((p / "attrs.json").read_text(encoding="utf-8"))
        for k, info in attrs.items():
            eng._attr_codes[k] = {v: i for i, v in enumerate(info["values"])}
            eng._attr_pairs[k] = (np.load(p / f"attr{info['file']}_rows.npy"),
                                  np.load(p / f"attr{info['file']}_codes.npy"))
        eng._attr = _inverted(eng._attr_pairs, eng._attr_codes)
        if has_emb and eng._dense_on:
            eng._emb = eng._emb_for_search(np.load(p / "emb.npy", mmap_mode="r"), n)
            eng._emb_row = np.load(p / "emb_row.npy").astype(np.int32)
        else:
            eng._emb_row = np.full(n, -1, np.int32)
        eng._f_main = LexicalIndex.load(p / "f_main")
        eng._f_bi = LexicalIndex.load(p / "f_bi")
        eng._vocab_main = eng._f_main.vocab
        eng._vocab_bi = eng._f_bi.vocab
        eng._index = LexicalIndex.load(p / "index")
        eng._tf = np.load(p / "tf.npy", mmap_mode="r")
        eng._lsa = LatentIndex.load(p, 2, config.lsa_idf_power)
        eng._lsa_z = np.load(p / "lsa_z.npy", mmap_mode="r") if eng._lsa is not None else None
        eng._n_built = n
        eng._dirty = False
        return eng

    def _dense_model_name(self) -> str | None:
        """Name of the configured dense model (its folder name; packaged models by their own name)."""
        if self._embedder is not None:
            return self._embedder.name
        from .dense import _model_name, resolve

        path = resolve(self.config.model_path)
        return None if path is None else _model_name(path)

    def _emb_for_search(self, emb: np.ndarray | None, n_docs: int) -> np.ndarray | None:
        """float32 in memory while exact dense recall runs over every document (float16 → float32
        conversion per query would dominate), float16 beyond (only candidate rows are converted)."""
        if emb is None:
            return None
        if n_docs <= self.config.dense_brute_max:
            return np.ascontiguousarray(emb, dtype=np.float32)
        # beyond, only candidate rows are read: like the LSA vectors, memory-mapped (as after load())
        return emb if isinstance(emb, np.memmap) else _spill(np.asarray(emb, np.float16), self.config)


def _inverted(pairs: dict[str, tuple[np.ndarray, np.ndarray]], codes: dict[str, dict[str, int]]):
    """key -> value -> rows having that value (sorted), from (row, value code) pairs."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for k, (rows, cc) in pairs.items():
        names = list(codes.get(k, {}))
        order = np.lexsort((rows, cc))
        rows, cc = rows[order], cc[order]
        bounds = np.flatnonzero(np.r_[True, cc[1:] != cc[:-1], True]) if cc.shape[0] else np.zeros(1, np.int64)
        vals: dict[str, np.ndarray] = {}
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            vals[names[int(cc[a])]] = rows[a:b]
        out[k] = vals
    return out


class _Slices:
    """Per-group views of ``idx`` (documents of one owner, best first), built on demand."""

    def __init__(self, idx: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
        self.idx, self.starts, self.ends = idx, starts, ends

    def __getitem__(self, g: int) -> np.ndarray:
        return self.idx[self.starts[g]:self.ends[g]]


def _replace(cfg: EngineConfig, **kw) -> EngineConfig:
    from dataclasses import replace

    return replace(cfg, **kw)


def _mark(text: str, spans, s: int, e: int) -> str:
    """HTML-escape ``text[s:e]`` and wrap the token spans in <mark>…</mark>."""
    out = []
    pos = s
    for t in sorted(spans, key=lambda t: (t.start, -t.end)):
        if t.start < pos:
            continue  # overlapping (compound + part)
        out.append(html.escape(text[pos:t.start]))
        out.append("<mark>" + html.escape(text[t.start:t.end]) + "</mark>")
        pos = t.end
    out.append(html.escape(text[pos:e]))
    return "".join(out)

