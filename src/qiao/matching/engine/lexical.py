"""A fast BM25 index on scipy.sparse / numpy, usable on pre-tokenized data.

The index precomputes the BM25 contribution of every (term, document) pair into a term-major
(CSC-like) float32 matrix, so scoring a query is the sum of a few posting lists, and the top-k
is taken with ``np.argpartition`` over the documents the query touched::

    from qiao.matching.engine.lexical import LexicalIndex

    idx = LexicalIndex.build(token_lists, k1=1.2, b=0.75)        # list[list[str]], one per document
    ids, scores = idx.search(["deep", "learn"], top_k=10)          # int64 doc numbers, float32 scores
    ids, scores = idx.search(tokens, top_k=10, mask=allowed)       # bool mask over documents:
                                                                   # true top-k among allowed docs
    results = idx.search_many([q1, q2, ...], top_k=10)             # list of (ids, scores)
    full = idx.score_all(tokens)                                   # dense float32 score per doc
    idx.save("dir"); idx = LexicalIndex.load("dir")                # .npy files, memory-mapped

Documents are numbered 0..n-1 in the order given. Only documents sharing at least one term with
the query are returned (score > 0), best first; ties are broken by the lower document number.
Query tokens count per occurrence (a token repeated twice weighs twice); ``search`` also accepts a
``{token: weight}`` dict for weighted queries (pseudo-relevance feedback, focus weighting).

Scoring: Okapi BM25 with Lucene's idf ``log(1 + (N - df + 0.5) / (df + 0.5))`` and the
``(k1 + 1)`` numerator. ``numba`` (optional) compiles the posting-list accumulation; without it
the same code runs on numpy fancy indexing (``QIAO_NO_NUMBA=1`` forces the fallback).
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, islice
from pathlib import Path

import numpy as np
import scipy.sparse as sp

__all__ = ["CodeVocab", "LexicalIndex", "TermVocab", "build_counts", "build_fields", "combine", "field_counts", "topk", "topk_dense"]

FORMAT_VERSION = 1

_nb = None
if not os.environ.get("QIAO_NO_NUMBA"):
    try:  # optional accelerator
        import numba as _nb  # type: ignore[no-redef,assignment]
    except Exception:  # pragma: no cover - numba missing
        _nb = None

if _nb is not None:

    @_nb.njit(cache=True, nogil=True)
    def _accumulate_nb(indptr, indices, data, tids, qw, scores):  # pragma: no cover
        for j in range(tids.shape[0]):
            t = tids[j]
            w = qw[j]
            for p in range(indptr[t], indptr[t + 1]):
                scores[indices[p]] += w * data[p]

    @_nb.njit(cache=True, nogil=True)
    def _search_nb(indptr, indices, data, tids, qw, scores, mask, use_mask, k):  # pragma: no cover
        # one compiled call per query: accumulate, select the top k, clear the buffer, sort the k
        _accumulate_nb(indptr, indices, data, tids, qw, scores)
        total = 0
        for j in range(tids.shape[0]):
            total += indptr[tids[j] + 1] - indptr[tids[j]]
        ids, vals = _topk_scan_nb(scores, mask, use_mask, k, False)
        if total < scores.shape[0] // 8:  # few postings: clear exactly what was touched
            for j in range(tids.shape[0]):
                t = tids[j]
                for p in range(indptr[t], indptr[t + 1]):
                    scores[indices[p]] = 0.0
        else:
            scores[:] = 0.0
        # insertion sort of the k results: higher score first, ties → lower document number first
        for i in range(1, ids.shape[0]):
            v = vals[i]
            d = ids[i]
            j = i - 1
            while j >= 0 and (vals[j] < v or (vals[j] == v and ids[j] > d)):
                vals[j + 1] = vals[j]
                ids[j + 1] = ids[j]
                j -= 1
            vals[j + 1] = v
            ids[j + 1] = d
        return ids, vals

    @_nb.njit(cache=True, nogil=True)
    def _topk_scan_nb(scores, mask, use_mask, k, reset):  # pragma: no cover
        # min-heap of the k best (score > 0) documents; ascending scan + strict ">" keeps lower ids on ties
        hv = np.empty(k, np.float32)
        hi = np.empty(k, np.int64)
        size = 0
        thr = np.float32(0.0)  # to enter, beat 0 until the heap is full, then its root (ties lose)
        for d in range(scores.shape[0]):
            v = scores[d]
            if v <= thr:  # the common case: one compare, no store
                continue
            if use_mask and not mask[d]:
                continue
            if size < k:
                # sift up
                i = size
                size += 1
                while i > 0:
                    par = (i - 1) >> 1
                    if hv[par] < v or (hv[par] == v and hi[par] > d):
                        break
                    hv[i] = hv[par]
                    hi[i] = hi[par]
                    i = par
                hv[i] = v
                hi[i] = d
                if size == k:
                    thr = hv[0]
            else:
                # replace the root and sift down (root = worst: lowest score, then highest id)
                i = 0
                while True:
                    c = 2 * i + 1
                    if c >= size:
                        break
                    if c + 1 < size and (hv[c + 1] < hv[c] or (hv[c + 1] == hv[c] and hi[c + 1] > hi[c])):
                        c += 1
                    if v < hv[c] or (v == hv[c] and d > hi[c]):
                        break
                    hv[i] = hv[c]
                    hi[i] = hi[c]
                    i = c
                hv[i] = v
                hi[i] = d
                thr = hv[0]
        if reset:
            scores[:] = 0.0  # one memset instead of a store per touched document inside the scan
        return hi[:size].copy(), hv[:size].copy()

    @_nb.njit(cache=True, nogil=True)
    def _field_counts_nb(t_off, t_ids, x_off, x_ids, n_terms, tw):  # pragma: no cover
        # per document: tw * (title count) + (text count) of every term, in first-occurrence order
        n = t_off.shape[0] - 1
        pos = np.full(n_terms, -1, np.int64)
        indptr = np.zeros(n + 1, np.int64)
        cap = t_ids.shape[0] + x_ids.shape[0]
        indices = np.empty(cap, np.int32)
        tc = np.zeros(cap, np.float32)
        xc = np.zeros(cap, np.float32)
        k = 0
        for d in range(n):
            start = k
            for p in range(t_off[d], t_off[d + 1]):
                t = t_ids[p]
                j = pos[t]
                if j < 0:
                    j = k
                    pos[t] = k
                    indices[k] = t
                    k += 1
                tc[j] += 1.0
            for p in range(x_off[d], x_off[d + 1]):
                t = x_ids[p]
                j = pos[t]
                if j < 0:
                    j = k
                    pos[t] = k
                    indices[k] = t
                    k += 1
                xc[j] += 1.0
            for j in range(start, k):
                pos[indices[j]] = -1
            indptr[d + 1] = k
        data = np.empty(k, np.float32)
        for j in range(k):
            data[j] = tc[j] * tw + xc[j]
        return indptr, indices[:k].copy(), data

    @_nb.njit(cache=True, nogil=True)
    def _hash_ids_nb(codes, keys, vals, n_next):  # pragma: no cover
        # open addressing (linear probing) int64 code -> id; new codes get n_next, n_next + 1, ...
        mask = keys.shape[0] - 1
        out = np.empty(codes.shape[0], np.int64)
        for i in range(codes.shape[0]):
            c = codes[i]
            h = (np.uint64(c) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
            j = np.int64(h) & mask
            while True:
                kj = keys[j]
                if kj == c:
                    out[i] = vals[j]
                    break
                if kj == -1:
                    keys[j] = c
                    vals[j] = n_next
                    out[i] = n_next
                    n_next += 1
                    break
                j = (j + 1) & mask
        return out, n_next

    @_nb.njit(cache=True, nogil=True)
    def _bm25_csc_nb(indptr, indices, data, norm, idf, k1p1, nxt, out_indices, out_data, out_tf, row0):  # pragma: no cover
        # documents x terms CSR -> term-major postings (documents ascending within a term) with the
        # BM25 weight of each posting, written at nxt[term] (the next free slot of each term)
        for r in range(indptr.shape[0] - 1):
            nr = norm[r]
            for p in range(indptr[r], indptr[r + 1]):
                t = indices[p]
                q = nxt[t]
                nxt[t] = q + 1
                tf = data[p]
                w = tf * k1p1 / (tf + nr)
                out_indices[q] = r + row0
                out_data[q] = w * idf[t]
                out_tf[q] = tf

    @_nb.njit(cache=True, nogil=True)
    def _str_hashes_nb(cp, lens):  # pragma: no cover
        # 64-bit FNV-1a over the code points of each string (strings = consecutive runs of cp);
        # the top bit is cleared so that -1 never occurs (the hash table's empty marker)
        out = np.empty(lens.shape[0], np.int64)
        p = 0
        for i in range(lens.shape[0]):
            h = np.uint64(0xCBF29CE484222325)
            for j in range(p, p + lens[i]):
                h = (h ^ np.uint64(cp[j])) * np.uint64(0x100000001B3)
            h = (h ^ np.uint64(lens[i])) * np.uint64(0x100000001B3)
            out[i] = np.int64(h & np.uint64(0x7FFFFFFFFFFFFFFF))
            p += lens[i]
        return out

else:  # pragma: no cover
    _accumulate_nb = None
    _search_nb = None
    _topk_scan_nb = None
    _field_counts_nb = None
    _hash_ids_nb = None
    _bm25_csc_nb = None
    _str_hashes_nb = None

_buffers = threading.local()
_NO_MASK = np.ones(1, np.bool_)


def _buffer(n: int) -> np.ndarray:
    """A zeroed per-thread float32 score buffer of ``n`` entries (callers must leave it zeroed)."""
    b = getattr(_buffers, "scores", None)
    if b is None or b.shape[0] != n:
        b = np.zeros(n, np.float32)
        _buffers.scores = b
    return b


def topk(cand: np.ndarray, vals: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top ``k`` of ``vals`` (higher first; ties → lower ``cand`` first). Returns (cand, vals)."""
    n = vals.shape[0]
    if k <= 0 or n == 0:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    if n > k:
        part = np.argpartition(-vals, k - 1)[:k]
        thr = vals[part].min()
        above = np.flatnonzero(vals > thr)
        eq = np.flatnonzero(vals == thr)
        need = k - above.shape[0]
        if eq.shape[0] > need:
            eq = eq[np.argsort(cand[eq], kind="stable")[:need]]
        sel = np.concatenate([above, eq])
        cand, vals = cand[sel], vals[sel]
    order = np.lexsort((cand, -vals))
    return cand[order].astype(np.int64, copy=False), vals[order]


class _GrowingVocab(dict):
    def __missing__(self, key):
        v = self[key] = len(self)
        return v


def topk_dense(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Top ``k`` positive entries of a dense score array (restricted to ``mask``); ties → lower index."""
    if k <= 0 or scores.shape[0] == 0:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    if _topk_scan_nb is not None and scores.dtype == np.float32:
        ids, vals = _topk_scan_nb(scores, mask if mask is not None else np.ones(1, np.bool_), mask is not None,
                                  int(k), False)
        order = np.lexsort((ids, -vals))
        return ids[order], vals[order]
    cand = np.flatnonzero(scores > 0)
    if mask is not None:
        cand = cand[mask[cand]]
    return topk(cand, scores[cand], k)


class CodeVocab:
    """A growing map int64 code -> id (0, 1, … in first-seen order), vectorised (numba hash table,
    or ``np.unique`` without numba). ``decode(code)`` gives the term of a code for ``vocab``."""

    def __init__(self, vocab: dict[str, int], encode, decode) -> None:
        self.vocab = vocab
        self.decode = decode
        n = len(vocab)
        self._keys = np.full(1 << max(10, int(2 * n + 1).bit_length()), -1, np.int64)
        self._vals = np.zeros(self._keys.shape[0], np.int64)
        self._py: dict[int, int] = {}
        if n:
            codes = np.fromiter((encode(t) for t in vocab), np.int64, n)
            ids = np.fromiter(vocab.values(), np.int64, n)
            if _hash_ids_nb is not None:
                self._insert(codes, ids)
            else:
                self._py = dict(zip(codes.tolist(), ids.tolist(), strict=True))

    def _insert(self, codes: np.ndarray, ids: np.ndarray) -> None:
        order = np.argsort(ids, kind="stable")
        got, _ = _hash_ids_nb(codes[order], self._keys, self._vals, 0)  # fills ids 0..n-1 in order
        if not np.array_equal(got, ids[order]):  # pragma: no cover - vocab ids not 0..n-1
            raise ValueError("vocabulary ids must be 0..n-1")

    def _grow(self, extra: int) -> None:
        need = 2 * (len(self.vocab) + extra) + 1
        if need <= self._keys.shape[0]:
            return
        size = 1 << need.bit_length()
        keys, vals = self._keys, self._vals
        live = keys != -1
        self._keys = np.full(size, -1, np.int64)
        self._vals = np.zeros(size, np.int64)
        order = np.argsort(vals[live], kind="stable")
        _hash_ids_nb(keys[live][order], self._keys, self._vals, 0)

    def ids(self, codes: np.ndarray) -> np.ndarray:
        """Ids of ``codes`` (new codes are added to the vocabulary in first-seen order)."""
        n0 = len(self.vocab)
        if _hash_ids_nb is not None:
            self._grow(codes.shape[0])
            out, n1 = _hash_ids_nb(codes, self._keys, self._vals, n0)
            if n1 > n0:
                new = np.empty(n1 - n0, np.int64)
                sel = out >= n0
                new[out[sel] - n0] = codes[sel]
                dec = self.decode
                self.vocab.update(zip(map(dec, new.tolist()), range(n0, n1), strict=True))
            return out
        uniq, first, inv = np.unique(codes, return_index=True, return_inverse=True)
        py = self._py
        ids = np.empty(uniq.shape[0], np.int64)
        for j in np.argsort(first, kind="stable").tolist():
            c = int(uniq[j])
            i = py.get(c)
            if i is None:
                i = py[c] = len(self.vocab)
                self.vocab[self.decode(c)] = i
            ids[j] = i
        return ids[inv.ravel()]


class TermVocab:
    """Term -> id for lists of tokens, vectorised: the tokens of a chunk are joined into one UTF-32
    array, hashed (64-bit FNV-1a, numba) and looked up in a numba hash table; only new terms touch
    the Python ``vocab`` dict (ids 0, 1, … in first-seen order, as a ``dict.__missing__`` map).
    Two terms with the same 64-bit hash would share an id (probability ~1e-9 at 10^6 terms).
    Without numba: one dict lookup per token."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = vocab
        self._codes: CodeVocab | None = None
        if _str_hashes_nb is not None and _hash_ids_nb is not None:
            self._codes = CodeVocab({}, lambda t: 0, lambda c: "")  # ids mirrored from vocab below
            self._codes.vocab = vocab  # table sized by the real vocabulary
            if vocab:
                terms = list(vocab)
                h = _hashes(terms)
                ids = np.fromiter(vocab.values(), np.int64, len(vocab))
                order = np.argsort(ids, kind="stable")
                self._codes._grow(len(terms))
                got, _ = _hash_ids_nb(h[order], self._codes._keys, self._codes._vals, 0)
                if not np.array_equal(got, ids[order]):  # pragma: no cover - hash collision or odd ids
                    self._codes = None

    def ids(self, token_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(tokens per list, term id of every token) — new terms are added to ``vocab``."""
        from itertools import chain

        lens = np.fromiter(map(len, token_lists), np.int64, len(token_lists))
        n_tok = int(lens.sum())
        if self._codes is None:
            gv = _GrowingVocab(self.vocab)
            ids = np.fromiter(map(gv.__getitem__, chain.from_iterable(token_lists)), np.int64, n_tok)
            if len(gv) > len(self.vocab):
                self.vocab.update(gv)
            return lens, ids
        toks = list(chain.from_iterable(token_lists))
        h = _hashes(toks)
        cv = self._codes
        n0 = len(self.vocab)
        cv._grow(h.shape[0])
        out, n1 = _hash_ids_nb(h, cv._keys, cv._vals, n0)
        if n1 > n0:
            sel = np.flatnonzero(out >= n0)
            first = np.full(n1 - n0, -1, np.int64)
            first[out[sel][::-1] - n0] = sel[::-1]  # first occurrence of each new id
            self.vocab.update((toks[int(i)], n0 + j) for j, i in enumerate(first.tolist()))
            if len(self.vocab) != n1:  # pragma: no cover - two new hashes for one term?!
                raise RuntimeError("term hash table out of sync with the vocabulary")
        return lens, out


def _hashes(terms: list[str]) -> np.ndarray:
    tl = np.fromiter(map(len, terms), np.int64, len(terms))
    cp = np.frombuffer("".join(terms).encode("utf-32-le", "surrogatepass"), np.uint32)
    return _str_hashes_nb(cp, tl)


def field_counts(t_lens: np.ndarray, t_ids: np.ndarray, x_lens: np.ndarray, x_ids: np.ndarray,
                 n_terms: int, title_weight: float) -> sp.csr_matrix:
    """Documents × terms float32 CSR of ``title_weight`` × (title count) + (text count), from the
    term ids of every document's title and text (concatenated) and their lengths."""
    n = t_lens.shape[0]
    n_terms = max(int(n_terms), 1)
    t_off = np.zeros(n + 1, np.int64)
    np.cumsum(t_lens, out=t_off[1:])
    x_off = np.zeros(n + 1, np.int64)
    np.cumsum(x_lens, out=x_off[1:])
    if _field_counts_nb is not None:
        indptr, indices, data = _field_counts_nb(t_off, t_ids.astype(np.int64, copy=False), x_off,
                                                 x_ids.astype(np.int64, copy=False), n_terms, np.float32(title_weight))
        return sp.csr_matrix((data, indices, indptr), shape=(n, n_terms))
    mats = []
    for lens, ids in ((t_lens, t_ids), (x_lens, x_ids)):
        rows = np.repeat(np.arange(n), lens)
        m = sp.csr_matrix((np.ones(ids.shape[0], np.float32), (rows, ids)), shape=(n, n_terms))
        m.sum_duplicates()
        mats.append(m)
    return (mats[0] * np.float32(title_weight) + mats[1]).tocsr()


def build_counts(token_lists: Iterable[Sequence[str]], vocab: dict[str, int] | None = None,
                 *, grow: bool = True, chunk: int = 20000) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Documents × terms term-frequency CSR matrix (float32) and the vocabulary (term → column).

    Unknown tokens are added to ``vocab`` when ``grow`` (else dropped).
    """
    vocab = {} if vocab is None else vocab
    gv = _GrowingVocab(vocab) if grow else None
    blocks: list[sp.csr_matrix] = []
    it = iter(token_lists)
    while True:
        docs = list(islice(it, chunk))
        if not docs:
            break
        lens = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        flat = chain.from_iterable(docs)
        if grow:
            ids = np.fromiter(map(gv.__getitem__, flat), dtype=np.int64, count=int(lens.sum()))  # type: ignore[index]
        else:
            got = np.fromiter((vocab.get(t, -1) for t in flat), dtype=np.int64, count=int(lens.sum()))
            rows = np.repeat(np.arange(len(docs)), lens)
            keep = got >= 0
            ids, rows = got[keep], rows[keep]
        if grow:
            rows = np.repeat(np.arange(len(docs)), lens)
        blocks.append((rows, ids, len(docs)))
        if len(docs) < chunk:
            break
    if grow:
        vocab.clear()
        vocab.update(gv)  # type: ignore[arg-type]
    n_terms = max(len(vocab), 1)
    mats = []
    for rows, ids, n in blocks:
        m = sp.csr_matrix((np.ones(ids.shape[0], np.float32), (rows, ids)), shape=(n, n_terms))
        m.sum_duplicates()
        mats.append(m)
    if not mats:
        return sp.csr_matrix((0, n_terms), dtype=np.float32), vocab
    out = sp.vstack(mats, format="csr") if len(mats) > 1 else mats[0]
    return out.astype(np.float32), vocab


class LexicalIndex:
    """BM25 over precomputed term-major posting lists (see the module docstring)."""

    def __init__(self, vocab: dict[str, int], indptr: np.ndarray, indices: np.ndarray,
                 data: np.ndarray, doc_len: np.ndarray, df: np.ndarray, *, k1: float, b: float) -> None:
        self.vocab = vocab
        self.indptr = indptr
        self.indices = indices
        self.data = data
        self.doc_len = doc_len
        self.df = df
        self.k1 = float(k1)
        self.b = float(b)
        self.n_docs = int(doc_len.shape[0])
        self.avgdl = float(doc_len.mean()) if self.n_docs else 1.0
        if self.avgdl <= 0:
            self.avgdl = 1.0
        self.idf = np.log1p((self.n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)

    # -- building ------------------------------------------------------------------------------
    @classmethod
    def build(cls, token_lists: Iterable[Sequence[str]], k1: float = 1.2, b: float = 0.75,
              *, vocab: dict[str, int] | None = None) -> LexicalIndex:
        """Index pre-tokenized documents (one token list per document)."""
        counts, vocab = build_counts(token_lists, vocab)
        return cls.from_counts(counts, vocab, k1=k1, b=b)

    @classmethod
    def from_counts(cls, counts: sp.csr_matrix, vocab: dict[str, int], *, k1: float = 1.2,
                    b: float = 0.75, doc_len: np.ndarray | None = None) -> LexicalIndex:
        """Index a documents × terms matrix of (possibly weighted) term frequencies."""
        counts = sp.csr_matrix(counts, dtype=np.float32)
        n_docs, n_terms = counts.shape
        if n_terms < len(vocab):
            counts.resize((n_docs, len(vocab)))
            n_terms = len(vocab)
        if doc_len is None:
            doc_len = np.asarray(counts.sum(axis=1)).ravel().astype(np.float32)
        avgdl = float(doc_len.mean()) if n_docs and doc_len.mean() > 0 else 1.0
        csc = counts.tocsc()
        csc.sort_indices()
        w, df = _bm25(csc, doc_len, avgdl, k1, b)
        return cls(vocab, csc.indptr.astype(np.int64), csc.indices.astype(np.int32),
                   w, doc_len.astype(np.float32), df, k1=k1, b=b)

    def __len__(self) -> int:
        return self.n_docs

    def stats_only(self) -> LexicalIndex:
        """A copy with the same vocabulary and statistics (idf, lengths) but no postings."""
        n_terms = int(np.asarray(self.indptr).shape[0]) - 1
        return LexicalIndex(self.vocab, np.zeros(n_terms + 1, np.int64), np.zeros(0, np.int32),
                            np.zeros(0, np.float32), self.doc_len, self.df, k1=self.k1, b=self.b)

    # -- querying ------------------------------------------------------------------------------
    def query_weights(self, query: Sequence[str] | Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """Term ids and weights of a query (unknown terms dropped)."""
        items = query.items() if isinstance(query, Mapping) else Counter(query).items()
        tids, qw = [], []
        get = self.vocab.get
        for t, w in items:
            i = get(t)
            if i is not None and w > 0:
                tids.append(i)
                qw.append(w)
        return np.asarray(tids, np.int64), np.asarray(qw, np.float32)

    def score_all(self, query: Sequence[str] | Mapping[str, float], out: np.ndarray | None = None,
                  weight: float = 1.0) -> np.ndarray:
        """Dense float32 array of BM25 scores for every document (added into ``out`` if given)."""
        tids, qw = self.query_weights(query)
        if out is None:
            out = np.zeros(self.n_docs, np.float32)
        if _accumulate_nb is not None and out.dtype == np.float32:
            _accumulate_nb(self.indptr, self.indices, self.data, tids, (qw * weight).astype(np.float32), out)
            return out
        indptr, indices, data = self.indptr, self.indices, self.data
        for t, w in zip(tids.tolist(), (qw * weight).tolist(), strict=True):
            s, e = indptr[t], indptr[t + 1]
            out[indices[s:e]] += np.float32(w) * data[s:e]
        return out

    def search(self, query: Sequence[str] | Mapping[str, float], top_k: int = 10,
               mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top ``top_k`` documents (ids, scores) among those allowed by ``mask`` (bool per doc)."""
        tids, qw = self.query_weights(query)
        if tids.shape[0] == 0 or self.n_docs == 0 or top_k <= 0:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
            if mask.shape[0] != self.n_docs:
                raise ValueError(f"mask has {mask.shape[0]} entries, index has {self.n_docs} documents")
        if _search_nb is not None:
            return _search_nb(self.indptr, self.indices, self.data, tids, qw, _buffer(self.n_docs),
                              mask if mask is not None else _NO_MASK, mask is not None, int(top_k))
        scores = np.zeros(self.n_docs, np.float32)
        indptr, indices, data = self.indptr, self.indices, self.data
        for t, w in zip(tids.tolist(), qw.tolist(), strict=True):
            s, e = indptr[t], indptr[t + 1]
            scores[indices[s:e]] += np.float32(w) * data[s:e]
        cand = np.flatnonzero(scores)
        if mask is not None:
            cand = cand[mask[cand]]
        return topk(cand, scores[cand], top_k)

    def search_many(self, queries: Iterable[Sequence[str] | Mapping[str, float]], top_k: int = 10,
                    mask: np.ndarray | None = None, n_jobs: int = 1) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`search` for each query (``n_jobs`` > 1 uses threads; numba releases the GIL)."""
        qs = list(queries)
        if n_jobs <= 1 or len(qs) < 2:
            return [self.search(q, top_k, mask) for q in qs]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(n_jobs) as ex:
            return list(ex.map(lambda q: self.search(q, top_k, mask), qs))

    def self_score(self, query: Sequence[str] | Mapping[str, float]) -> float:
        """BM25 score the query would get against a document identical to itself.

        Terms unknown to the index count with the idf of a term of document frequency 0, so a query
        whose terms are mostly absent from the corpus gets a large self-score (low relative scores).
        """
        items = query.items() if isinstance(query, Mapping) else Counter(query).items()
        tf = np.asarray([w for _, w in items if w > 0], np.float64)
        if tf.shape[0] == 0:
            return 0.0
        unk = float(np.log1p((self.n_docs + 0.5) / 0.5))
        get = self.vocab.get
        idf = np.asarray([self.idf[i] if (i := get(t)) is not None and i < self.idf.shape[0] else unk
                          for t, w in items if w > 0], np.float64)
        ql = float(tf.sum())
        norm = self.k1 * (1.0 - self.b + self.b * ql / self.avgdl)
        w = idf * tf * (self.k1 + 1.0) / (tf + norm)
        return float((tf * w).sum())

    # -- persistence ---------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        terms = [""] * len(self.vocab)
        for t, i in self.vocab.items():
            terms[i] = t
        if any("\n" in t for t in terms):
            (p / "vocab.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
        else:
            (p / "vocab.txt").write_text("\n".join(terms), encoding="utf-8")
        for name in ("indptr", "indices", "data", "doc_len", "df"):
            np.save(p / f"{name}.npy", getattr(self, name))
        meta = {"format": "qiao-lexical", "version": FORMAT_VERSION, "k1": self.k1, "b": self.b,
                "n_docs": self.n_docs, "n_terms": len(self.vocab)}
        (p / "lexical.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path, *, mmap: bool = True) -> LexicalIndex:
        p = Path(path)
        meta = json.loads((p / "lexical.json").read_text(encoding="utf-8"))
        if meta.get("format") != "qiao-lexical" or meta.get("version") != FORMAT_VERSION:
            raise ValueError(f"{p}: unsupported lexical index format {meta.get('format')} v{meta.get('version')}")
        if (p / "vocab.json").exists():
            terms = json.loads((p / "vocab.json").read_text(encoding="utf-8"))
        else:
            txt = (p / "vocab.txt").read_text(encoding="utf-8")
            terms = txt.split("\n") if meta["n_terms"] else []
        vocab = {t: i for i, t in enumerate(terms)}
        mm = "r" if mmap else None
        arr = {n: np.load(p / f"{n}.npy", mmap_mode=mm) for n in ("indptr", "indices", "data", "doc_len", "df")}  # type: ignore[arg-type]
        return cls(vocab, arr["indptr"], arr["indices"], arr["data"], np.asarray(arr["doc_len"]),
                   np.asarray(arr["df"]), k1=meta["k1"], b=meta["b"])


def _bm25(csc: sp.csc_matrix, doc_len: np.ndarray, avgdl: float, k1: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """BM25 weight of every posting of a documents × terms CSC matrix of term frequencies, and df."""
    n_docs, n_terms = csc.shape
    tf = csc.data
    df = np.diff(csc.indptr).astype(np.float32)
    idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = (k1 * (1.0 - b + b * doc_len / avgdl)).astype(np.float32)
    w = tf * np.float32(k1 + 1.0) / (tf + norm[csc.indices])
    w *= np.repeat(idf, np.diff(csc.indptr))
    return w.astype(np.float32, copy=False), df


def _vstack(mats: list[sp.csr_matrix], width: int) -> sp.csr_matrix:
    """Stack row blocks of term counts, padding the narrower ones (added before later terms) to ``width``."""
    if not mats:
        return sp.csr_matrix((0, width), dtype=np.float32)
    out = []
    for m in mats:
        if m.shape[1] < width:
            m = sp.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], width))
        out.append(m)
    return out[0] if len(out) == 1 else sp.vstack(out, format="csr")


def build_fields(fields: Sequence[sp.csr_matrix | Sequence[sp.csr_matrix]], vocabs: Sequence[dict[str, int]], prefixes: Sequence[str],
                 *, k1: float = 1.2, b: float = 0.75) -> tuple[LexicalIndex, list[LexicalIndex], np.ndarray]:
    """The combined index of several fields of the same documents (as :func:`combine` of
    :meth:`LexicalIndex.from_counts` of each field), the per-field statistics-only indexes, and the
    term frequency of every posting of the combined index (float32, aligned with its ``data``).

    Builds each field's term-major copy once, straight into the combined arrays (no per-field
    postings kept). A field may be given as a list of row blocks (not stacked: less memory)."""
    if _bm25_csc_nb is None:  # row blocks added at different vocabulary sizes: pad to the field's width
        fields = [f if isinstance(f, sp.csr_matrix) else _vstack(list(f), max(len(v), 1))
                  for f, v in zip(fields, vocabs, strict=True)]
    blocks = [[f] if isinstance(f, sp.spmatrix) else list(f) for f in fields]
    n_docs = sum(m.shape[0] for m in blocks[0])
    nnz = [sum(int(m.nnz) for m in bl) for bl in blocks]
    total = sum(nnz)
    indices = np.empty(total, np.int32)
    data = np.empty(total, np.float32)
    tf = np.empty(total, np.float32)
    indptrs, stats, vocab = [], [], {}
    off_p = off_t = 0
    for bl, voc, pre, nz in zip(blocks, vocabs, prefixes, nnz, strict=True):
        n_terms = max(len(voc), 1)
        if _bm25_csc_nb is not None:  # one pass, straight into the combined arrays (same values as below)
            bl = [sp.csr_matrix(m, dtype=np.float32) for m in bl]
            doc_len = np.concatenate([np.asarray(m.sum(axis=1)).ravel().astype(np.float32) for m in bl])
            avgdl = float(doc_len.mean()) if n_docs and doc_len.mean() > 0 else 1.0
            cnt = np.zeros(n_terms, np.int64)
            for m in bl:
                c = np.bincount(m.indices, minlength=n_terms)[:n_terms]
                cnt[:c.shape[0]] += c
            ip = np.zeros(n_terms + 1, np.int64)
            np.cumsum(cnt, out=ip[1:])
            df = cnt.astype(np.float32)
            idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
            norm = (k1 * (1.0 - b + b * doc_len / avgdl)).astype(np.float32)
            nxt = ip[:-1] + off_p
            row0 = 0
            for m in bl:
                _bm25_csc_nb(m.indptr.astype(np.int64, copy=False), m.indices, m.data, norm[row0:], idf,
                             np.float32(k1 + 1.0), nxt, indices, data, tf, row0)
                row0 += m.shape[0]
            indptrs.append(ip[:-1] + off_p)
            del bl, nxt
        else:
            m = sp.csr_matrix(bl[0], dtype=np.float32)
            if m.shape[1] < n_terms:
                m.resize((n_docs, n_terms))
            doc_len = np.asarray(m.sum(axis=1)).ravel().astype(np.float32)
            avgdl = float(doc_len.mean()) if n_docs and doc_len.mean() > 0 else 1.0
            csc = m.tocsc()
            del m
            csc.sort_indices()
            w, df = _bm25(csc, doc_len, avgdl, k1, b)
            indices[off_p:off_p + nz] = csc.indices
            data[off_p:off_p + nz] = w
            tf[off_p:off_p + nz] = csc.data
            indptrs.append(csc.indptr[:-1].astype(np.int64) + off_p)
            del csc, w
        stats.append(LexicalIndex(voc, np.zeros(n_terms + 1, np.int64), np.zeros(0, np.int32),
                                  np.zeros(0, np.float32), doc_len, df, k1=k1, b=b))
        if pre == "" and off_t == 0:
            vocab.update(voc)
        else:
            vocab.update((pre + t, i + off_t) for t, i in voc.items())
        off_p += nz
        off_t += n_terms
    indptrs.append(np.asarray([total], np.int64))
    dfs = np.concatenate([np.asarray(s.df) for s in stats])
    idx = LexicalIndex(vocab, np.concatenate(indptrs), indices, data, stats[0].doc_len, dfs, k1=k1, b=b)
    return idx, stats, tf


def combine(indexes: Sequence[LexicalIndex], prefixes: Sequence[str]) -> LexicalIndex:
    """One searchable index over several fields of the same documents (BM25 computed per field).

    Terms of field ``i`` are keyed ``prefixes[i] + term``; a query is then a weighted dict over the
    prefixed terms, and one pass over the posting lists sums the per-field BM25 scores.
    """
    if len(indexes) == 1 and prefixes[0] == "":
        return indexes[0]
    vocab: dict[str, int] = {}
    indices, data, dfs = [], [], []
    off_t = 0
    off_p = 0
    for ix, pre in zip(indexes, prefixes, strict=True):
        for t, i in ix.vocab.items():
            vocab[pre + t] = i + off_t
        ip = np.asarray(ix.indptr)
        indices.append(np.asarray(ix.indices))
        data.append(np.asarray(ix.data))
        dfs.append(np.asarray(ix.df))
        n_t = ip.shape[0] - 1
        off_t += n_t
        off_p += int(ip[-1])
    indptr = _fix_indptr(indexes, off_p)
    out = LexicalIndex(vocab, indptr, np.concatenate(indices), np.concatenate(data),
                       np.asarray(indexes[0].doc_len), np.concatenate(dfs), k1=indexes[0].k1, b=indexes[0].b)
    return out


def _fix_indptr(indexes: Sequence[LexicalIndex], total: int) -> np.ndarray:
    parts = []
    off = 0
    for ix in indexes:
        ip = np.asarray(ix.indptr, dtype=np.int64)
        parts.append(ip[:-1] + off)
        off += int(ip[-1])
    parts.append(np.asarray([total], np.int64))
    return np.concatenate(parts)
