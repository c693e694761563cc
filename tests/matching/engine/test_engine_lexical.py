"""LexicalIndex: BM25 against a hand-written reference (and bm25s if installed), masks, persistence."""

import math
from collections import Counter

import numpy as np
import pytest

from qiao.matching.engine import analyze
from qiao.matching.engine import lexical as lexmod
from qiao.matching.engine.lexical import LexicalIndex, topk

TEXTS = [
    "Deep learning for image classification with convolutional neural networks.",
    "Graph neural networks for molecule property prediction and drug discovery.",
    "A survey of reinforcement learning methods for robot control.",
    "Lithium-ion battery state of health estimation using recurrent neural networks.",
    "Statistical machine translation with phrase-based models and language models.",
    "Neural machine translation by jointly learning to align and translate.",
    "Image segmentation using fully convolutional networks.",
    "基于深度学习的锂电池健康状态估计方法研究",
    "锂离子电池储能系统的热管理设计",
    "面向工业互联网的5G边缘计算架构",
    "Battery management systems for electric vehicles: a review.",
    "Learning to rank for information retrieval with gradient boosted trees.",
]
DOCS = [analyze(t) for t in TEXTS]
QUERIES = ["neural networks for images", "battery health estimation", "machine translation",
           "锂电池 深度学习", "5G 边缘计算", "ranking retrieval"]


def reference_bm25(docs, query, k1=1.2, b=0.75):
    n = len(docs)
    avgdl = sum(len(d) for d in docs) / n
    df = Counter(t for d in docs for t in set(d))
    out = []
    for d in docs:
        tf = Counter(d)
        s = 0.0
        for t in query:
            if tf[t]:
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                s += idf * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(d) / avgdl))
        out.append(s)
    return np.asarray(out)


@pytest.mark.parametrize("q", QUERIES)
def test_scores_match_reference_bm25(q):
    idx = LexicalIndex.build(DOCS)
    qt = analyze(q)
    ref = reference_bm25(DOCS, qt)
    np.testing.assert_allclose(idx.score_all(qt), ref, rtol=1e-5, atol=1e-6)
    ids, scores = idx.search(qt, top_k=5)
    exp = [i for i in np.lexsort((np.arange(len(ref)), -ref)) if ref[i] > 0][:5]
    assert ids.tolist() == exp
    np.testing.assert_allclose(scores, ref[exp], rtol=1e-5)


def test_ranking_agrees_with_bm25s():
    bm25s = pytest.importorskip("bm25s")
    retriever = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    retriever.index(bm25s.tokenization.Tokenized(*_bm25s_tokens(DOCS)), show_progress=False)
    idx = LexicalIndex.build(DOCS)
    vocab = _bm25s_tokens(DOCS)[1]
    for q in QUERIES:
        qt = [t for t in analyze(q) if t in vocab]
        if not qt:
            continue
        ref = retriever.get_scores(qt)
        ours = idx.score_all(qt)
        # bm25s (lucene) omits the constant (k1 + 1) factor: same ranking, scores proportional
        np.testing.assert_allclose(ours, ref * 2.2, rtol=1e-4, atol=1e-5)


def _bm25s_tokens(docs):
    vocab = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in d] for d in docs]
    return ids, vocab


@pytest.mark.parametrize("numba", [True, False])
def test_mask_gives_true_topk_among_allowed(monkeypatch, numba):
    if not numba:
        monkeypatch.setattr(lexmod, "_accumulate_nb", None)
    rng = np.random.default_rng(1)
    vocab = [f"w{i}" for i in range(50)]
    docs = [list(rng.choice(vocab, size=rng.integers(3, 30))) for _ in range(400)]
    idx = LexicalIndex.build(docs)
    for trial in range(20):
        q = list(rng.choice(vocab, size=4))
        mask = rng.random(400) < (0.05 if trial % 2 else 0.5)
        full = idx.score_all(q)
        allowed = np.flatnonzero(mask & (full > 0))
        exp = allowed[np.lexsort((allowed, -full[allowed]))][:10]
        ids, scores = idx.search(q, top_k=10, mask=mask)
        assert ids.tolist() == exp.tolist()
        assert mask[ids].all()


def test_numpy_fallback_equals_numba(monkeypatch):
    idx = LexicalIndex.build(DOCS)
    a = idx.search_many([analyze(q) for q in QUERIES], top_k=4)
    monkeypatch.setattr(lexmod, "_accumulate_nb", None)
    b = idx.search_many([analyze(q) for q in QUERIES], top_k=4, n_jobs=2)
    for (i1, s1), (i2, s2) in zip(a, b, strict=True):
        assert i1.tolist() == i2.tolist()
        np.testing.assert_allclose(s1, s2, rtol=1e-6)


def test_weighted_query_unknown_terms_and_empty():
    idx = LexicalIndex.build(DOCS)
    ids, _ = idx.search({"batteri": 2.0, "nope": 1.0}, top_k=3)  # two documents mention batteries
    assert ids.tolist() == [10, 3]
    assert idx.search(["nope"], top_k=3)[0].shape == (0,)
    assert idx.search([], top_k=3)[0].shape == (0,)
    empty = LexicalIndex.build([])
    assert len(empty) == 0 and empty.search(["x"], 3)[0].shape == (0,)
    with pytest.raises(ValueError):
        idx.search(["batteri"], 3, mask=np.ones(2, bool))


def test_topk_ties_prefer_lower_ids():
    cand = np.asarray([5, 3, 9, 1])
    vals = np.asarray([1.0, 1.0, 2.0, 1.0], np.float32)
    ids, v = topk(cand, vals, 2)
    assert ids.tolist() == [9, 1]


def test_save_load_roundtrip(tmp_path):
    idx = LexicalIndex.build(DOCS, k1=0.9, b=0.4)
    idx.save(tmp_path / "ix")
    back = LexicalIndex.load(tmp_path / "ix")
    for q in QUERIES:
        a, b = idx.search(analyze(q), 5), back.search(analyze(q), 5)
        assert a[0].tolist() == b[0].tolist()
    assert back.k1 == 0.9 and back.self_score(analyze("battery")) > 0
