"""Fit the 0-100 score's logistic (EngineConfig.cal_*) on CSFCube DEV pairs; print the constants.

    .venv/bin/python bench/calibrate.py [--benchmarks DIR] [--config JSON]

For every judged (query, candidate) pair it takes the two query-normalised signals the engine's
``_prob`` uses — ``r = clip(BM25F(q, d) / BM25F(q, q), 0, 1.5)`` and the dense cosine (title view
included, as configured) — and fits, pooled over all queries, ``P(grade >= 1) = σ(a·r + c·(cos − 0.35) + b)``
(hybrid) and ``σ(a_lex·r + b_lex)`` (lexical) by Newton's method. It prints the fitted constants,
the mean calibrated score by grade, and the Brier score before/after against the current constants.
The data are read from ``../shared/benchmarks`` at run time; nothing of them is copied.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qiao.matching.engine.engine import Document, Engine, EngineConfig, Query  # noqa: E402


def fit_logistic(X: np.ndarray, y: np.ndarray, iters: int = 50) -> np.ndarray:
    """Unregularised logistic regression (last column of X is the intercept), Newton–Raphson."""
    w = np.zeros(X.shape[1])
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        g = X.T @ (y - p)
        H = (X * (p * (1 - p))[:, None]).T @ X + 1e-9 * np.eye(X.shape[1])
        step = np.linalg.solve(H, g)
        w += step
        if np.abs(step).max() < 1e-10:
            break
    return w


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--benchmarks", default=os.environ.get("QIAO_BENCHMARKS") or str(ROOT.parent / "shared" / "benchmarks"))
    ap.add_argument("--config", default="{}", help="EngineConfig overrides (JSON)")
    a = ap.parse_args(argv)
    d = Path(a.benchmarks) / "csfcube-dev"
    cfg = EngineConfig(**json.loads(a.config))
    eng = Engine(cfg)
    cands = [json.loads(line) for line in open(d / "candidates.jsonl", encoding="utf-8")]
    eng.add(Document(c["id"], c["id"], x["title"], x["text"], x.get("year")) for c in cands for x in c["documents"][:1])
    eng.stats()
    queries = {q["id"]: q for q in map(json.loads, open(d / "queries.jsonl", encoding="utf-8"))}
    grades = {}
    for line in open(d / "qrels.tsv", encoding="utf-8"):
        q, c, g = line.split()
        grades[(q, c)] = int(g)
    by_q: dict[str, list[str]] = {}
    for line in open(d / "pairs.tsv", encoding="utf-8"):
        q, c = line.split()
        by_q.setdefault(q, []).append(c)
    R, C, Y, G, P0 = [], [], [], [], []
    for qid, cids in by_q.items():
        q = queries[qid]
        qq = eng._query(Query(text=q["text"], title=q["title"], focus=q.get("focus") or ""))
        rows = np.asarray([eng._row[c] for c in cids])
        pool = eng._pool(qq, mask=None, rows=rows)
        r = np.clip(pool.lex / pool.self_score, 0.0, 1.5)
        cos = pool.cos if pool.cos is not None else np.full(r.shape, np.nan)
        p0 = eng._prob(pool)
        for i, row in enumerate(pool.rows.tolist()):
            g = grades.get((qid, eng._ids[row]), 0)
            R.append(r[i])
            C.append(cos[i])
            Y.append(1.0 if g >= 1 else 0.0)
            G.append(g)
            P0.append(p0[i])
    r, cos, y, g, p0 = map(np.asarray, (R, C, Y, G, P0))
    ones = np.ones_like(r)
    out = {}
    wl = fit_logistic(np.column_stack([r, ones]), y)
    out["cal_a_lex"], out["cal_bias_lex"] = wl
    if not np.isnan(cos).any():
        wh = fit_logistic(np.column_stack([r, cos - 0.35, ones]), y)
        out["cal_a"], out["cal_c"], out["cal_bias"] = wh
        p1 = 1 / (1 + np.exp(-(np.column_stack([r, cos - 0.35, ones]) @ wh)))
    else:
        p1 = 1 / (1 + np.exp(-(np.column_stack([r, ones]) @ wl)))
    print(f"{len(y)} pairs, {int(y.sum())} with grade >= 1; dense={'on' if eng.dense_enabled else 'off'}")
    print("fitted:", json.dumps({k: round(float(v), 2) for k, v in out.items()}))
    print(f"Brier: current constants {np.mean((p0 - y) ** 2):.4f}, fitted {np.mean((p1 - y) ** 2):.4f}")
    print("mean score_100 by grade (fitted):",
          {int(k): round(100 * float(p1[g == k].mean())) for k in sorted(set(g.tolist()))})
    return 0


if __name__ == "__main__":
    sys.exit(main())
