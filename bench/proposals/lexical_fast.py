"""Proposed faster top-k for ``qiao.matching.engine.lexical.LexicalIndex.search`` (bench-only prototype).

Not product code: ``bench/bench_engine.py`` times it next to the real ``LexicalIndex.search`` on the
same index to show what the change would buy. The change, in one numba function per query:

* accumulate the posting lists into a **reused, zeroed** score buffer (no ``np.zeros(n_docs)`` and no
  ``touched`` array per query, and no data-dependent branch in the inner loop);
* select the top k with a k-sized **heap in the same compiled loop** (one linear pass over the
  buffer instead of ``flatnonzero`` → gather → ``argpartition`` → ``lexsort`` over every touched
  document);
* zero the buffer again (walk the postings when they are few, else ``fill(0)``).

Same scores (same float32 accumulation order) and the same tie rule (equal scores → lower document
number first) as ``LexicalIndex.search``.
"""

from __future__ import annotations

import threading

import numba as nb
import numpy as np


@nb.njit(cache=True, nogil=True, inline="always")
def _worse(s1, d1, s2, d2):  # pragma: no cover - jitted
    return s1 < s2 or (s1 == s2 and d1 > d2)


@nb.njit(cache=True, nogil=True)
def _sift_down(hs, hd, m, i):  # pragma: no cover - jitted
    while True:
        lft = 2 * i + 1
        if lft >= m:
            return
        c = lft
        r = lft + 1
        if r < m and _worse(hs[r], hd[r], hs[lft], hd[lft]):
            c = r
        if _worse(hs[c], hd[c], hs[i], hd[i]):
            hs[i], hs[c] = hs[c], hs[i]
            hd[i], hd[c] = hd[c], hd[i]
            i = c
        else:
            return


@nb.njit(cache=True, nogil=True)
def search_nb(indptr, indices, data, tids, qw, scores, k, mask, use_mask):  # pragma: no cover - jitted
    n_docs = scores.shape[0]
    total = 0
    for j in range(tids.shape[0]):
        t = tids[j]
        total += indptr[t + 1] - indptr[t]
        w = qw[j]
        for p in range(indptr[t], indptr[t + 1]):
            scores[indices[p]] += w * data[p]
    hs = np.empty(k, np.float32)
    hd = np.empty(k, np.int64)
    m = 0
    thr = np.float32(0.0)  # a document must beat this to enter: 0 until the heap is full, then its root
    for d in range(n_docs):
        s = scores[d]
        if s <= thr:  # documents come in increasing order: an equal score never wins the tie
            continue
        if use_mask and not mask[d]:
            continue
        if m < k:
            # push and sift up (heap root = worst)
            i = m
            hs[i] = s
            hd[i] = d
            m += 1
            while i > 0:
                par = (i - 1) // 2
                if _worse(hs[i], hd[i], hs[par], hd[par]):
                    hs[i], hs[par] = hs[par], hs[i]
                    hd[i], hd[par] = hd[par], hd[i]
                    i = par
                else:
                    break
            if m == k:
                thr = hs[0]
        else:
            hs[0] = s
            hd[0] = d
            _sift_down(hs, hd, m, 0)
            thr = hs[0]
    if total * 8 < n_docs:
        for j in range(tids.shape[0]):
            t = tids[j]
            for p in range(indptr[t], indptr[t + 1]):
                scores[indices[p]] = 0.0
    else:
        scores[:] = 0.0
    # heap -> sorted best first (score desc, doc asc)
    out_s = np.empty(m, np.float32)
    out_d = np.empty(m, np.int64)
    for r in range(m - 1, -1, -1):
        out_s[r] = hs[0]
        out_d[r] = hd[0]
        hs[0] = hs[m - 1]
        hd[0] = hd[m - 1]
        m -= 1
        _sift_down(hs, hd, m, 0)
    return out_d, out_s


_local = threading.local()


def fast_search(idx, query, top_k: int = 10, mask: np.ndarray | None = None):
    """Drop-in for ``LexicalIndex.search`` (same arguments and results)."""
    tids, qw = idx.query_weights(query)
    if tids.shape[0] == 0 or idx.n_docs == 0 or top_k <= 0:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    buf = getattr(_local, "buf", None)
    if buf is None or buf.shape[0] != idx.n_docs:
        buf = _local.buf = np.zeros(idx.n_docs, np.float32)
    use_mask = mask is not None
    m = np.asarray(mask, dtype=np.bool_) if use_mask else np.ones(1, np.bool_)
    return search_nb(idx.indptr, idx.indices, idx.data, tids, qw, buf, top_k, m, use_mask)
