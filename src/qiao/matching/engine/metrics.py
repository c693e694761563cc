"""Ranking-quality metrics for the matching engine (pure Python + numpy, no Django).

Two layers:

* **Per-ranking primitives** take one query's ranking already turned into gains (``ranked`` = the
  grades / 0-1 relevance of the returned items, best first) plus, where needed, the number of
  relevant items or the ideal gains of the whole judged set:
  :func:`average_precision`, :func:`dcg`, :func:`ndcg`, :func:`ndcg_pct` (CSFCube's NDCG%20),
  :func:`reciprocal_rank`, :func:`recall_at_k`, :func:`precision_at_k`.
* **Run-level helpers** work on ``run`` = ``{query_id: [(candidate_id, score), ...]}`` and
  ``qrels`` = ``{query_id: {candidate_id: grade}}``: :func:`rank_run` orders a run exactly as the
  benchmark scorers do (score descending, ties keep input order, a repeated pair keeps its first
  score), :func:`evaluate` averages any of the metrics above over the queries.
* **Reviewer-assignment metrics** of Stelmakh, Wieting, Neubig & Shah (2023), *A Gold Standard Dataset
  for the Reviewer Assignment Problem* (arXiv:2303.16750; reference code
  ``scripts/scoring.py`` of niharshah/goldstandard-reviewer-paper-match):
  :func:`weighted_kendall_tau_loss` and :func:`pair_accuracy` (easy / hard pairs).

All metrics return plain floats in [0, 1]; the benchmark READMEs report them ×100.

Conventions (chosen to match the scorers in ``shared/benchmarks/*/score.py``):

* ``dcg(..., method=1)`` is the usual ``Σ_{i=1..k} g_i / log2(i + 1)``; ``method=0`` is the
  "method 0" of the rank_metrics gist used by CSFCube: ``g_1 + Σ_{i=2..k} g_i / log2(i)`` (ranks 1
  and 2 both undiscounted). Gains are linear in the grade (``gain="linear"``) unless
  ``gain="exp"`` (``2**g - 1``).
* ``average_precision`` divides by ``n_relevant`` when given (relevant items that were never
  ranked count 0, as in the CSL scorer), otherwise by the number of relevant items found in the
  ranking (the CSFCube scorer, whose rankings cover the whole judged pool).
* A grade counts as relevant when ``grade >= threshold`` (``threshold=1`` by default; CSFCube's MAP
  uses 2). Negative grades (CSL's "the query's own paper", −1) are removed from the ranking by
  :func:`evaluate` before scoring when ``drop_negative=True``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations

import numpy as np

__all__ = [
    "average_precision",
    "dcg",
    "ndcg",
    "ndcg_pct",
    "reciprocal_rank",
    "recall_at_k",
    "precision_at_k",
    "rank_run",
    "read_run",
    "read_qrels",
    "evaluate",
    "metric",
    "weighted_kendall_tau_loss",
    "pair_accuracy",
]

Gains = Sequence[float]


def _arr(gains: Iterable[float]) -> np.ndarray:
    return np.asarray(list(gains) if not isinstance(gains, np.ndarray) else gains, dtype=np.float64)


# --------------------------------------------------------------------------------------------------
# Per-ranking primitives
# --------------------------------------------------------------------------------------------------


def average_precision(ranked: Gains, n_relevant: int | None = None, threshold: float = 1) -> float:
    """Average precision of one ranking.

    ``ranked``: grades (or 0/1) of the ranked items, best first; an item is relevant if its grade is
    ``>= threshold``. ``n_relevant``: the number of relevant items of the query (unranked ones count
    0); ``None`` = the number of relevant items present in ``ranked``. Returns 0 when there is none.
    """
    rel = _arr(ranked) >= threshold
    denom = int(rel.sum()) if n_relevant is None else int(n_relevant)
    if denom <= 0 or not rel.any():
        return 0.0
    ranks = np.flatnonzero(rel) + 1.0  # 1-based ranks of the hits
    hits = np.arange(1, len(ranks) + 1)  # relevant items in ranks 1..i
    return float((hits / ranks).sum() / denom)


def dcg(gains: Gains, k: int | None = None, method: int = 1, gain: str = "linear") -> float:
    """Discounted cumulative gain of the first ``k`` items (all if ``k`` is None).

    ``method=1``: Σ g_i / log2(i + 1). ``method=0`` (CSFCube): g_1 + Σ_{i>=2} g_i / log2(i).
    ``gain``: "linear" (g) or "exp" (2**g - 1).
    """
    g = _arr(gains)
    if k is not None:
        g = g[: max(int(k), 0)]
    if g.size == 0:
        return 0.0
    if gain == "exp":
        g = np.power(2.0, g) - 1.0
    elif gain != "linear":
        raise ValueError(f"unknown gain {gain!r}")
    i = np.arange(1, g.size + 1, dtype=np.float64)
    if method == 1:
        disc = np.log2(i + 1.0)
    elif method == 0:
        disc = np.log2(np.maximum(i, 2.0))  # ranks 1 and 2 -> log2(2) = 1
    else:
        raise ValueError(f"unknown DCG method {method!r}")
    return float((g / disc).sum())


def ndcg(
    ranked: Gains,
    k: int | None = None,
    ideal: Gains | None = None,
    method: int = 1,
    gain: str = "linear",
) -> float:
    """Normalised DCG@k: DCG of ``ranked`` / DCG of the ideal order.

    ``ideal``: the gains of *all* judged items of the query (sorted here); ``None`` = the gains in
    ``ranked`` (correct when the ranking covers the whole judged set, e.g. a re-ranked pool). For
    binary relevance pass 0/1 gains and ``ideal=[1] * n_relevant``. Returns 0 if the ideal DCG is 0.
    """
    ideal_gains = sorted(_arr(ranked if ideal is None else ideal).tolist(), reverse=True)
    best = dcg(ideal_gains, k, method=method, gain=gain)
    return dcg(ranked, k, method=method, gain=gain) / best if best > 0 else 0.0


def ndcg_pct(ranked: Gains, pct: float = 0.20, ideal: Gains | None = None) -> float:
    """CSFCube's NDCG%20: ``ndcg(method=0)`` at k = int(pct · pool size), linear gains.

    The pool size is ``len(ranked)`` (the whole judged pool is ranked in CSFCube's re-rank mode).
    """
    k = int(pct * len(ranked))
    return ndcg(ranked, k, ideal=ideal, method=0, gain="linear")


def reciprocal_rank(ranked: Gains, k: int | None = None, threshold: float = 1) -> float:
    """1 / rank of the first relevant item within the top ``k`` (0 if none)."""
    g = _arr(ranked)
    if k is not None:
        g = g[:k]
    hits = np.flatnonzero(g >= threshold)
    return 1.0 / (hits[0] + 1) if hits.size else 0.0


def recall_at_k(ranked: Gains, n_relevant: int, k: int, threshold: float = 1) -> float:
    """Relevant items in the top ``k`` / ``n_relevant`` (0 if ``n_relevant`` is 0)."""
    if n_relevant <= 0:
        return 0.0
    return float((_arr(ranked)[:k] >= threshold).sum()) / n_relevant


def precision_at_k(ranked: Gains, k: int, threshold: float = 1) -> float:
    """Relevant items in the top ``k`` / ``k`` (a short ranking is padded with non-relevant)."""
    return float((_arr(ranked)[:k] >= threshold).sum()) / k


# --------------------------------------------------------------------------------------------------
# Runs and qrels
# --------------------------------------------------------------------------------------------------

Run = Mapping[str, Sequence[tuple[str, float]]]
Qrels = Mapping[str, Mapping[str, float]]


def rank_run(run: Run) -> dict[str, list[str]]:
    """Order each query's (candidate, score) list: score descending, ties in input order; a repeated
    candidate keeps its first score (the rule of the benchmark scorers)."""
    out: dict[str, list[str]] = {}
    for q, rows in run.items():
        seen: set[str] = set()
        keyed = []
        for i, (c, s) in enumerate(rows):
            if c in seen:
                continue
            seen.add(c)
            keyed.append((-float(s), i, c))
        keyed.sort()
        out[q] = [c for _, _, c in keyed]
    return out


def _read_tsv(path: str, ncol: int) -> list[list[str]]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.rstrip("\r\n").split("\t")
            if not line.strip():
                continue
            if len(parts) != ncol:
                raise ValueError(f"{path}:{n}: expected {ncol} tab-separated columns")
            try:
                float(parts[-1])
            except ValueError:
                if n == 1:
                    continue  # header
                raise
            rows.append(parts)
    return rows


def read_run(path: str) -> dict[str, list[tuple[str, float]]]:
    """Read RUN.tsv (query_id, candidate_id, score) into ``{query: [(candidate, score), ...]}``."""
    run: dict[str, list[tuple[str, float]]] = {}
    for q, c, s in _read_tsv(path, 3):
        run.setdefault(q, []).append((c, float(s)))
    return run


def read_qrels(path: str) -> dict[str, dict[str, int]]:
    """Read qrels.tsv (query_id, candidate_id, grade) into ``{query: {candidate: grade}}``."""
    qrels: dict[str, dict[str, int]] = {}
    for q, c, g in _read_tsv(path, 3):
        qrels.setdefault(q, {})[c] = int(float(g))
    return qrels


# A run-level metric: f(ranked_gains, judged_grades_of_the_query) -> float.
QueryMetric = Callable[[list[float], list[float]], float]


def metric(name: str) -> QueryMetric:
    """A run-level metric by name. Names (``K`` an integer):

    ``MAP`` / ``MAP>=T`` (relevant = grade >= T, divided by all relevant judged), ``MAP@pool>=T``
    (divided by the relevant found in the ranking, CSFCube), ``nDCG@K`` (linear gains, standard
    discount, ideal from all judged grades), ``nDCGexp@K`` (2**g - 1 gains), ``NDCG%20`` (CSFCube),
    ``NDCG0@K`` (CSFCube discount at fixed K), ``MRR@K``, ``Recall@K``, ``P@K``; binary relevance is
    grade >= 1 unless a ``>=T`` suffix says otherwise.
    """
    base, _, thr = name.partition(">=")
    t = float(thr) if thr else 1.0
    kind, _, karg = base.partition("@")
    k = int(karg) if karg.isdigit() else None

    def n_rel(judged: list[float]) -> int:
        return sum(1 for g in judged if g >= t)

    if kind == "MAP" and karg == "pool":
        return lambda r, j: average_precision(r, None, t)
    if kind == "MAP" and not karg:
        return lambda r, j: average_precision(r, n_rel(j), t)
    if kind == "nDCG" and k:
        return lambda r, j: ndcg(r, k, ideal=j)
    if kind == "nDCGexp" and k:
        return lambda r, j: ndcg(r, k, ideal=j, gain="exp")
    if kind == "NDCG0" and k:
        return lambda r, j: ndcg(r, k, ideal=j, method=0)
    if base.startswith("NDCG%"):
        pct = float(base[5:]) / 100.0
        return lambda r, j: ndcg_pct(r, pct, ideal=j)
    if kind == "MRR":
        return lambda r, j: reciprocal_rank(r, k, t)
    if kind == "Recall" and k:
        return lambda r, j: recall_at_k(r, n_rel(j), k, t)
    if kind == "P" and k:
        return lambda r, j: precision_at_k(r, k, t)
    raise ValueError(f"unknown metric {name!r}")


def evaluate(
    run: Run | Mapping[str, Sequence[str]],
    qrels: Qrels,
    metrics: Sequence[str],
    *,
    judged_only: bool = False,
    drop_negative: bool = True,
    per_query: bool = False,
) -> dict[str, float] | tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Mean of ``metrics`` (names as in :func:`metric`) over every query of ``qrels``.

    ``run``: ``{query: [(candidate, score), ...]}`` (ranked with :func:`rank_run`) or already ranked
    ``{query: [candidate, ...]}``. A query missing from the run scores 0. Unjudged candidates have
    gain 0, or are dropped when ``judged_only`` (re-rank of a judged pool, CSFCube). Candidates with
    a negative grade are dropped when ``drop_negative`` (CSL: the query's own paper).
    Returns ``{metric: mean}`` (and ``{query: {metric: value}}`` if ``per_query``).
    """
    fns = {m: metric(m) for m in metrics}
    ranked_run: dict[str, list[str]] = {}
    for q, rows in run.items():
        rows = list(rows)  # type: ignore[assignment]
        if rows and isinstance(rows[0], tuple | list):
            ranked_run[q] = rank_run({q: rows})[q]  # type: ignore[dict-item]
        else:
            ranked_run[q] = [str(c) for c in rows]
    per: dict[str, dict[str, float]] = {}
    for q, judged in qrels.items():
        ranking = ranked_run.get(q, [])
        if drop_negative:
            ranking = [c for c in ranking if judged.get(c, 0) >= 0]
        if judged_only:
            ranking = [c for c in ranking if c in judged]
        gains = [float(judged.get(c, 0)) for c in ranking]
        grades = [float(g) for g in judged.values() if g > 0]
        per[q] = {m: (f(gains, grades) if q in ranked_run else 0.0) for m, f in fns.items()}
    n = len(per)
    means = {m: (sum(p[m] for p in per.values()) / n if n else 0.0) for m in metrics}
    return (means, per) if per_query else means


# --------------------------------------------------------------------------------------------------
# Reviewer-assignment metrics (Stelmakh et al., 2023)
# --------------------------------------------------------------------------------------------------

Nested = Mapping[str, Mapping[str, float]]


def _pairs(preds: Nested, refs: Nested, papers: Iterable[str] | None, reviewers: Iterable[str] | None):
    vp = None if papers is None else set(papers)
    for r in refs if reviewers is None else reviewers:
        ps = [p for p in refs[r] if vp is None or p in vp]
        for p1, p2 in combinations(ps, 2):
            yield preds[r][p1] - preds[r][p2], refs[r][p1], refs[r][p2]


def weighted_kendall_tau_loss(
    preds: Nested, refs: Nested, papers: Iterable[str] | None = None, reviewers: Iterable[str] | None = None
) -> float:
    """Weighted Kendall-tau loss of Stelmakh et al. (2023), in [0, 1], lower is better.

    ``preds[r][p]``: predicted similarity of reviewer (expert) ``r`` and paper ``p``; ``refs[r][p]``:
    the expertise ``r`` reported for ``p`` (1-5). Over every reviewer and every unordered pair of
    their rated papers, with weight w = |e(p1) − e(p2)|:

        loss = Σ w · [1 if the prediction orders the pair the other way, ½ if it ties it, else 0] / Σ w

    (micro-averaged: pooled over all reviewers, not averaged per reviewer). Pairs with equal
    expertise have weight 0. Only the order of the predictions matters. 0 = every pair ordered as
    the expertise, 0.5 = a constant predictor, 1 = every pair reversed. Returns 0 if Σ w = 0.
    """
    loss = total = 0.0
    for d_pred, e1, e2 in _pairs(preds, refs, papers, reviewers):
        d_true = e1 - e2
        w = abs(d_true)
        total += w
        if d_pred * d_true == 0:
            loss += w / 2
        elif d_pred * d_true < 0:
            loss += w
    return loss / total if total else 0.0


def pair_accuracy(
    preds: Nested,
    refs: Nested,
    regime: str = "easy",
    papers: Iterable[str] | None = None,
    reviewers: Iterable[str] | None = None,
    high: float = 4,
    low: float = 2,
) -> dict[str, float]:
    """Fraction of expertise-ordered pairs the predictions order the same way (Stelmakh et al. 2023).

    Only pairs of one reviewer's papers with different expertise count. ``regime="easy"``: one paper
    rated ``>= high`` (4) and the other ``<= low`` (2); ``regime="hard"``: both rated ``>= high``
    (i.e. 4 vs 5). A pair is correct only if strictly ordered as the expertise (a predicted tie is
    wrong); each pair weighs 1. Returns ``{"score", "correct", "total"}`` (score 0 if no pair).
    """
    if regime not in ("easy", "hard"):
        raise ValueError("regime must be 'easy' or 'hard'")
    correct = total = 0
    for d_pred, e1, e2 in _pairs(preds, refs, papers, reviewers):
        if e1 == e2:
            continue
        if regime == "hard" and min(e1, e2) < high:
            continue
        if regime == "easy" and (max(e1, e2) < high or min(e1, e2) > low):
            continue
        total += 1
        if d_pred * (e1 - e2) > 0:
            correct += 1
    return {"score": correct / total if total else 0.0, "correct": correct, "total": total}
