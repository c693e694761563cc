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

import numpy as np
import scipy.sparse as sp

__all__ = ["LatentIndex"]


def _l2rows(m: sp.csr_matrix) -> sp.csr_matrix:
    nrm = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    nrm[nrm == 0] = 1.0
    return (sp.diags(1.0 / nrm) @ m).tocsr()


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

    def transform(self, fields: list[sp.csr_matrix], chunk: int = 50000) -> np.ndarray:
        n = fields[0].shape[0]
        out = np.zeros((n, self.dim), np.float32)
        for s in range(0, n, chunk):
            x = self._tfidf([m[s:s + chunk] for m in fields])
            z = np.asarray(x @ self.comp, dtype=np.float32)
            nrm = np.linalg.norm(z, axis=1, keepdims=True)
            nrm[nrm == 0] = 1.0
            out[s:s + chunk] = z / nrm
        return out

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
