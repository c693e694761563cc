"""Latent semantic vectors (LSA) of the corpus: a language-agnostic, corpus-aware "dense" signal.

Documents are TF-IDF vectors over the word field and the Chinese-bigram field (sublinear tf,
``idf ** idf_power``, each field L2-normalised, then the concatenation), reduced with a truncated
randomized SVD (Halko et al., seeded, 3 power iterations, Cholesky-QR) fitted on at most ``max_fit``
documents and at most ``max_terms`` terms (the most frequent with df >= 2). A document's vector
is its projection on the components, L2-normalised; similarity is the cosine. It captures topical
/ disciplinary similarity beyond exact term overlap, and works for Chinese where the English
sentence model does not.
"""

from __future__ import annotations

import os

import numpy as np
import scipy.sparse as sp

from .lexical import _nb  # the optional numba accelerator (None if missing or QIAO_NO_NUMBA is set)

__all__ = ["LatentIndex"]

if _nb is not None:

    @_nb.njit(cache=True, nogil=True)
    def _project_nb(indptr, cols, vals, comp, out):  # pragma: no cover
        # out[r] += sum of vals[p] * comp[cols[p]] over the row, columns descending: the order in
        # which scipy's csr_matvecs meets them in the scipy path (its last product, a csr_matmat,
        # lists a row's columns in reverse), so that the float32 sums are the same
        dim = comp.shape[1]
        for r in range(indptr.shape[0] - 1):
            for p in range(indptr[r + 1] - 1, indptr[r] - 1, -1):
                v = vals[p]
                c = cols[p]
                for d in range(dim):
                    out[r, d] += v * comp[c, d]

else:  # pragma: no cover
    _project_nb = None


def _l2rows(m: sp.csr_matrix) -> sp.csr_matrix:
    nrm = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    nrm[nrm == 0] = 1.0
    return (sp.diags(1.0 / nrm) @ m).tocsr()


def _inv_norms(row: np.ndarray, v: np.ndarray, n: int) -> np.ndarray:
    """1 / L2 norm of each row (1 for empty rows) as scipy's ``_l2rows`` computes it (float32)."""
    sq = v * v
    nrm = np.zeros(n, np.float32)
    if row.shape[0]:
        starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
        nrm[row[starts]] = np.add.reduceat(sq, starts)
    nrm = np.sqrt(nrm)
    nrm[nrm == 0] = 1.0
    return 1.0 / nrm


def _orthonormal(y: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the columns of a tall ``y`` by Cholesky-QR, twice (CholQR2): only small
    m × m factorisations and matrix products (much cheaper than Householder QR of a tall matrix)."""
    y = y.astype(np.float64)
    for _ in range(2):
        g = y.T @ y
        g += np.eye(g.shape[0]) * (1e-10 * max(float(np.trace(g)), 1e-30))
        r = np.linalg.cholesky(g).T  # g = r^T r
        y = np.linalg.solve(r.T, y.T).T  # y r^-1
    return y


def _randomized_svd_vt(x: sp.csr_matrix, k: int, *, n_iter: int = 3, oversample: int = 16,
                       seed: int = 0) -> np.ndarray:
    """Top-``k`` right singular vectors (k × n_cols) by randomized SVD (Halko et al. 2011)."""
    x = x.astype(np.float32)
    xt = x.T.tocsr()
    if x.shape[0] <= 2500:  # small corpus: exact, from the n × n Gram matrix (top-k eigenpairs only)
        import scipy.linalg

        gram = np.asarray((x @ xt).toarray(), dtype=np.float64)
        n = gram.shape[0]
        evals, u = scipy.linalg.eigh(gram, subset_by_index=[max(n - k, 0), n - 1], driver="evr")
        order = np.argsort(-evals)[:k]
        s = np.sqrt(np.maximum(evals[order], 1e-20))
        return np.asarray(xt @ u[:, order].astype(np.float32), dtype=np.float64).T / s[:, None]
    rng = np.random.default_rng(seed)
    m = min(k + oversample, min(x.shape))
    y = np.asarray(x @ rng.standard_normal((x.shape[1], m)).astype(np.float32), dtype=np.float64)
    for _ in range(n_iter):
        y = _orthonormal(y)
        y = np.asarray(x @ np.asarray(xt @ y.astype(np.float32)), dtype=np.float64)
    q = _orthonormal(y).astype(np.float32)
    b = np.asarray(xt @ q, dtype=np.float64).T  # (m, n_cols) = q^T x
    evals, ub = np.linalg.eigh(b @ b.T)  # b b^T = u s^2 u^T (small m × m)
    order = np.argsort(-evals)[:k]
    s = np.sqrt(np.maximum(evals[order], 1e-20))
    return (ub[:, order].T @ b) / s[:, None]


class LatentIndex:
    def __init__(self, cols: list[np.ndarray], idf: list[np.ndarray], comp: np.ndarray, idf_power: float) -> None:
        self.cols = cols  # per field: selected term ids (column order in the reduced space)
        self.idf = idf  # per field: idf of the selected terms
        self.comp = comp  # (n_selected_terms, dim) float32
        self.idf_power = idf_power
        self._colmap = []
        for c in cols:
            mp = np.full(int(c.max()) + 1 if c.shape[0] else 0, -1, np.int64)
            mp[c] = np.arange(c.shape[0])
            self._colmap.append(mp)

    @property
    def dim(self) -> int:
        return int(self.comp.shape[1])

    @classmethod
    def fit(cls, fields: list[sp.csr_matrix], *, dim: int = 128, idf_power: float = 1.5,
            max_fit: int = 20000, max_terms: int = 200_000, seed: int = 0) -> LatentIndex | None:
        n = fields[0].shape[0]
        if n < 8:
            return None
        rng = np.random.default_rng(seed)
        fit_rows = np.sort(rng.choice(n, max_fit, replace=False)) if n > max_fit else np.arange(n)
        cols, idfs = [], []
        per_field = max_terms // len(fields)
        for m in fields:
            df = np.bincount(m.indices, minlength=m.shape[1]).astype(np.float64)
            cand = np.flatnonzero(df >= 2)
            if cand.shape[0] > per_field:
                cand = np.sort(cand[np.argsort(-df[cand], kind="stable")[:per_field]])
            cols.append(cand.astype(np.int64))
            idfs.append(((np.log((n + 1.0) / (df[cand] + 1.0)) + 1.0) ** idf_power).astype(np.float32))
        li = cls(cols, idfs, np.zeros((sum(c.shape[0] for c in cols), 1), np.float32), idf_power)
        x = li._tfidf([m[fit_rows] for m in fields])
        k = min(dim, min(x.shape) - 1)
        if k < 2:
            return None
        vt = _randomized_svd_vt(x, k, seed=seed)
        li.comp = np.ascontiguousarray(vt.T.astype(np.float32))
        return li

    def _tfidf(self, fields: list[sp.csr_matrix]) -> sp.csr_matrix:
        parts = []
        for m, c, idf in zip(fields, self.cols, self.idf, strict=True):
            m = m.tocsc()[:, c].tocsr() if c.shape[0] else sp.csr_matrix((m.shape[0], 0), dtype=np.float32)
            m = m.astype(np.float32)
            m.data = 1.0 + np.log(np.maximum(m.data, 1e-6))
            m.data[m.data < 0] = 0
            parts.append(_l2rows((m @ sp.diags(idf)).tocsr()))
        return _l2rows(sp.hstack(parts).tocsr())

    def transform(self, fields: list[sp.csr_matrix], chunk: int = 50000, *, threads: int | None = None,
                  out: np.ndarray | None = None) -> np.ndarray:
        """L2-normalised latent vectors (float32, n × dim) of the documents (rows of the fields)."""
        n = fields[0].shape[0]
        if out is None:
            out = np.zeros((n, self.dim), np.float32)
        if _project_nb is not None and n:
            fs = [sp.csr_matrix(m) for m in fields]
            for m in fs:
                if not m.has_sorted_indices:
                    m.sort_indices()
            comp = np.ascontiguousarray(self.comp, dtype=np.float32)
            step = 8192
            threads = threads or min(os.cpu_count() or 1, 4)
            pool = None
            if threads > 1 and n > step:
                from concurrent.futures import ThreadPoolExecutor

                pool = ThreadPoolExecutor(threads)
            try:
                for s0 in range(0, n, chunk):  # normalised per chunk, as the scipy path (same rounding)
                    s1 = min(n, s0 + chunk)
                    z = np.zeros((s1 - s0, self.dim), np.float32)

                    def block(lo: int, s0=s0, s1=s1, z=z) -> None:
                        hi = min(s1, lo + step)
                        x = self._tfidf_rows([(m.indptr[lo:hi + 1], m.indices, m.data) for m in fs], hi - lo)
                        _project_nb(x[0], x[1], x[2], comp, z[lo - s0:hi - s0])  # the kernel releases the GIL

                    starts = list(range(s0, s1, step))
                    if pool is None:
                        for lo in starts:
                            block(lo)
                    else:
                        list(pool.map(block, starts))
                    nrm = np.linalg.norm(z, axis=1, keepdims=True)
                    nrm[nrm == 0] = 1.0
                    out[s0:s1] = z / nrm
            finally:
                if pool is not None:
                    pool.shutdown()
            return out
        for s in range(0, n, chunk):
            x = self._tfidf([m[s:s + chunk] for m in fields])
            z = np.asarray(x @ self.comp, dtype=np.float32)
            nrm = np.linalg.norm(z, axis=1, keepdims=True)
            nrm[nrm == 0] = 1.0
            out[s:s + chunk] = z / nrm
        return out

    def _tfidf_rows(self, fields: list[tuple[np.ndarray, np.ndarray, np.ndarray]], n: int):
        """:meth:`_tfidf` of ``n`` rows given per field as (indptr slice, indices, data) with sorted
        columns, as CSR arrays (indptr, columns, float32 values); numpy only, the same float32
        operations in the same order as the scipy path (row sums as ``np.add.reduceat``)."""
        rows_l, cols_l, vals_l = [], [], []
        off = 0
        for (ip, ix, dt), mp, idf, sel in zip(fields, self._colmap, self.idf, self.cols, strict=True):
            a, b = int(ip[0]), int(ip[-1])
            t = np.asarray(ix[a:b], np.int64)
            row = np.repeat(np.arange(n), np.diff(ip))
            c = np.full(t.shape[0], -1, np.int64)
            ok = t < mp.shape[0]
            c[ok] = mp[t[ok]]
            ok = c >= 0
            d = np.asarray(dt[a:b], np.float32)[ok]
            v = 1.0 + np.log(np.maximum(d, 1e-6))
            v[v < 0] = 0
            v = v * idf[c[ok]]
            nz = v != 0
            row, c, v = row[ok][nz], c[ok][nz], v[nz]
            v = v * _inv_norms(row, v, n)[row]
            rows_l.append(row)
            cols_l.append(c + off)
            vals_l.append(v)
            off += sel.shape[0]
        row = np.concatenate(rows_l)
        order = np.argsort(row, kind="stable")  # per row: field 0 then field 1 (columns ascending)
        row, col, val = row[order], np.concatenate(cols_l)[order], np.concatenate(vals_l)[order]
        val = val * _inv_norms(row, val, n)[row]
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(row, minlength=n), out=indptr[1:])
        return indptr, col, val.astype(np.float32, copy=False)

    def transform_weights(self, weights: list[dict[int, float]]) -> np.ndarray:
        """Vector of a query given per-field {term id: count} (same TF-IDF as documents, no scipy)."""
        parts = []
        off = 0
        for w, mp, idf, sel in zip(weights, self._colmap, self.idf, self.cols, strict=True):
            ids = np.fromiter(w.keys(), np.int64, len(w)) if w else np.zeros(0, np.int64)
            tf = np.fromiter(w.values(), np.float64, len(w)) if w else np.zeros(0)
            ok = ids < mp.shape[0]
            ids, tf = ids[ok], tf[ok]
            cols = mp[ids] if ids.shape[0] else ids
            ok = cols >= 0
            cols, tf = cols[ok], tf[ok]
            val = np.maximum(1.0 + np.log(np.maximum(tf, 1e-6)), 0.0) * idf[cols]
            nrm = float(np.sqrt((val * val).sum()))
            if nrm > 0:
                parts.append((cols + off, val / nrm))
            off += sel.shape[0]
        if not parts:
            return np.zeros(self.dim, np.float32)
        cols = np.concatenate([c for c, _ in parts])
        val = np.concatenate([v for _, v in parts])
        z = (val[:, None] * self.comp[cols]).sum(axis=0)
        n = float(np.linalg.norm(z))
        return (z / n if n > 0 else z).astype(np.float32)

    def save(self, p, prefix: str = "lsa") -> None:
        np.save(p / f"{prefix}_comp.npy", self.comp)
        for i, (c, idf) in enumerate(zip(self.cols, self.idf, strict=True)):
            np.save(p / f"{prefix}_cols{i}.npy", c)
            np.save(p / f"{prefix}_idf{i}.npy", idf)

    @classmethod
    def load(cls, p, n_fields: int, idf_power: float, prefix: str = "lsa") -> LatentIndex | None:
        if not (p / f"{prefix}_comp.npy").exists():
            return None
        cols = [np.load(p / f"{prefix}_cols{i}.npy") for i in range(n_fields)]
        idf = [np.load(p / f"{prefix}_idf{i}.npy") for i in range(n_fields)]
        return cls(cols, idf, np.load(p / f"{prefix}_comp.npy"), idf_power)
