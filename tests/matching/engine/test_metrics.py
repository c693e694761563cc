"""Hand-computed checks of qiao.matching.engine.metrics (no Django needed).

Every expected value is worked out in the comment above its assertion.
"""

import math

import pytest

from qiao.matching.engine import metrics as M

L3 = math.log2(3)  # 1.5849625
L5 = math.log2(5)  # 2.3219281


def test_average_precision_found_only_and_with_n_relevant():
    # hits at ranks 1 and 3: precisions 1/1 and 2/3
    # divided by the 2 hits found -> (1 + 2/3) / 2 = 0.833333
    assert M.average_precision([1, 0, 1, 0, 0]) == pytest.approx(5 / 6)
    # 3 relevant in total (one never ranked) -> (1 + 2/3) / 3 = 0.555556
    assert M.average_precision([1, 0, 1, 0, 0], n_relevant=3) == pytest.approx(5 / 9)
    # CSFCube: graded pool, relevant = grade >= 2 -> ranks 1 and 3 again
    assert M.average_precision([3, 0, 2, 1, 0], threshold=2) == pytest.approx(5 / 6)
    assert M.average_precision([0, 0, 1], threshold=2) == 0.0
    assert M.average_precision([]) == 0.0


def test_dcg_standard_and_method0():
    # method 1: 3/log2(2) + 2/log2(3) + 0/log2(4) + 1/log2(5) = 3 + 1.261860 + 0 + 0.430677 = 4.692536
    assert M.dcg([3, 2, 0, 1]) == pytest.approx(3 + 2 / L3 + 1 / L5)
    # method 0 (ranks 1 and 2 undiscounted): 3 + 2/1 + 0/log2(3) + 1/log2(4) = 5.5
    assert M.dcg([3, 2, 0, 1], method=0) == pytest.approx(5.5)
    # exp gains: (2^3-1) + (2^2-1)/log2(3) = 7 + 3/1.5849625 = 8.892789 (k = 2 cuts the rest)
    assert M.dcg([3, 2, 0, 1], k=2, gain="exp") == pytest.approx(7 + 3 / L3)
    assert M.dcg([3, 2], k=0) == 0.0


def test_ndcg_graded_and_binary():
    # method 0, k=4: DCG 5.5 (above); ideal [3,2,1,0]: 3 + 2 + 1/log2(3) = 5.630930 -> 0.976749
    assert M.ndcg([3, 2, 0, 1], 4, method=0) == pytest.approx(5.5 / (5 + 1 / L3))
    # binary, CSL style: ranked [0,1,0,1], 3 relevant in all:
    # DCG = 1/log2(3) + 1/log2(5) = 1.061606; IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.130930 -> 0.498189
    got = M.ndcg([0, 1, 0, 1], 10, ideal=[1, 1, 1])
    assert got == pytest.approx((1 / L3 + 1 / L5) / (1 + 1 / L3 + 0.5))
    assert got == pytest.approx(0.498189, abs=1e-6)
    assert M.ndcg([0, 0], 10, ideal=[]) == 0.0


def test_ndcg_pct_csfcube():
    # pool of 10 -> k = int(0.2 * 10) = 2; ranked gains start 0, 3:
    # DCG@2 (method 0) = 0 + 3 = 3; ideal [3, 2, ...] -> 3 + 2 = 5 -> 0.6
    assert M.ndcg_pct([0, 3, 1, 0, 0, 0, 0, 0, 0, 2]) == pytest.approx(0.6)
    # pool of 9 -> k = int(1.8) = 1: first item has gain 0 -> 0
    assert M.ndcg_pct([0, 3, 1, 0, 0, 0, 0, 0, 2]) == 0.0
    # pool of 15 -> k = 3: ranked [2, 0, 3]: 2 + 0 + 3/log2(3) = 3.892789; ideal [3,2,1]: 3+2+1/log2(3) = 5.630930
    pool = [2, 0, 3, 1] + [0] * 11
    assert M.ndcg_pct(pool) == pytest.approx((2 + 3 / L3) / (5 + 1 / L3))


def test_mrr_recall_precision():
    # first relevant at rank 3 -> 1/3; not within the top 2 -> 0
    assert M.reciprocal_rank([0, 0, 1, 1], 10) == pytest.approx(1 / 3)
    assert M.reciprocal_rank([0, 0, 1, 1], 2) == 0.0
    # 2 relevant in the top 3, 4 relevant in all -> 0.5
    assert M.recall_at_k([1, 0, 1, 0], 4, 3) == pytest.approx(0.5)
    assert M.recall_at_k([1], 0, 3) == 0.0
    # P@3 = 2/3; P@10 of a 4-item list with 2 hits = 2/10 (short list padded)
    assert M.precision_at_k([1, 0, 1, 0], 3) == pytest.approx(2 / 3)
    assert M.precision_at_k([1, 0, 1, 0], 10) == pytest.approx(0.2)


def test_rank_run_ties_and_duplicates():
    # "a" keeps its first score 1.0 (the later 5.0 is ignored); the tie a/c keeps input order
    run = {"q": [("a", 1.0), ("b", 2.0), ("c", 1.0), ("a", 5.0)]}
    assert M.rank_run(run) == {"q": ["b", "a", "c"]}


def test_evaluate_run_level():
    run = {"q1": [("a", 1.0), ("b", 2.0), ("c", 1.0)], "q3": [("own", 9.0), ("x", 1.0)]}
    qrels = {"q1": {"a": 2, "b": 0, "c": 1, "d": 1}, "q2": {"z": 1}, "q3": {"own": -1, "x": 1}}
    means, per = M.evaluate(run, qrels, ["MAP", "MAP@pool", "MRR@10", "P@1", "Recall@2"], per_query=True)
    # q1 ranking b, a, c -> gains [0, 2, 1]; relevant (>=1) = a, c, d -> n_rel 3
    #   MAP = (1/2 + 2/3) / 3 = 0.388889; MAP@pool = (1/2 + 2/3) / 2 = 0.583333
    #   MRR@10 = 1/2; P@1 = 0; Recall@2 = 1/3
    assert per["q1"]["MAP"] == pytest.approx(7 / 18)
    assert per["q1"]["MAP@pool"] == pytest.approx(7 / 12)
    assert per["q1"]["MRR@10"] == pytest.approx(0.5)
    assert per["q1"]["Recall@2"] == pytest.approx(1 / 3)
    # q2 is missing from the run -> 0 everywhere
    assert per["q2"] == {"MAP": 0.0, "MAP@pool": 0.0, "MRR@10": 0.0, "P@1": 0.0, "Recall@2": 0.0}
    # q3: the query's own paper (grade -1) is dropped -> x at rank 1 -> everything 1
    assert per["q3"]["MAP"] == 1.0 and per["q3"]["P@1"] == 1.0
    # means over the 3 queries of qrels
    assert means["MAP"] == pytest.approx((7 / 18 + 0 + 1) / 3)
    assert means["MRR@10"] == pytest.approx((0.5 + 0 + 1) / 3)


def test_evaluate_csfcube_style_graded_pool():
    # judged pool of 5, threshold 2 for MAP; NDCG%20 uses k = int(0.2 * 5) = 1
    qrels = {"q": {"a": 3, "b": 0, "c": 2, "d": 1, "e": 0, "u": 0}}
    run = {"q": [("b", 5), ("a", 4), ("c", 3), ("d", 2), ("e", 1), ("zz", 0.5)]}
    m = M.evaluate(
        run,
        {"q": {k: v for k, v in qrels["q"].items() if k != "u"}},
        ["MAP>=2", "NDCG%20", "nDCG@3"],
        judged_only=True,
    )
    # gains [0, 3, 2, 1, 0] ("zz" not judged, dropped); relevant (>=2) at ranks 2, 3:
    #   AP = (1/2 + 2/3) / 2 = 0.583333
    assert m["MAP>=2"] == pytest.approx(7 / 12)
    # k = 1: DCG = 0, ideal 3 -> 0
    assert m["NDCG%20"] == 0.0
    # nDCG@3 (linear, standard): (3/log2(3) + 2/log2(4)) / (3 + 2/log2(3) + 1/2)
    assert m["nDCG@3"] == pytest.approx((3 / L3 + 1) / (3 + 2 / L3 + 0.5))


def test_metric_names():
    with pytest.raises(ValueError):
        M.metric("bogus@3")
    assert M.metric("NDCG0@2")([0, 3, 2], [3, 2]) == pytest.approx(3 / 5)


def _wkt_example():
    # reviewer A rated p=5, q=3, r=1; reviewer B rated s=4, t=4, u=2; reviewer C rated v=5, w=4, x=4
    refs = {"A": {"p": 5, "q": 3, "r": 1}, "B": {"s": 4, "t": 4, "u": 2}, "C": {"v": 5, "w": 4, "x": 4}}
    preds = {
        "A": {"p": 0.9, "q": 0.1, "r": 0.5},
        "B": {"s": 0.3, "t": 0.3, "u": 0.3},
        "C": {"v": 0.2, "w": 0.5, "x": 0.1},
    }
    return preds, refs


def test_weighted_kendall_tau_loss():
    preds, refs = _wkt_example()
    # A: (p,q) w=2 ordered right -> 0; (p,r) w=4 right -> 0; (q,r) w=2 reversed (0.1 < 0.5) -> 2
    # B: (s,t) w=0; (s,u) w=2 predicted tie -> 1; (t,u) w=2 tie -> 1
    # A+B: loss 4 / total weight 12 = 1/3
    assert M.weighted_kendall_tau_loss(preds, refs, reviewers=["A", "B"]) == pytest.approx(1 / 3)
    # C: (v,w) w=1 reversed -> 1; (v,x) w=1 right; (w,x) w=0 -> adds loss 1, weight 2: 5/14
    assert M.weighted_kendall_tau_loss(preds, refs) == pytest.approx(5 / 14)
    # restricting papers: A with p, r only -> one pair, right -> 0
    assert M.weighted_kendall_tau_loss(preds, refs, papers=["p", "r"], reviewers=["A"]) == 0.0
    # perfect / constant / reversed predictors: 0, 0.5, 1
    assert M.weighted_kendall_tau_loss(refs, refs) == 0.0
    const = {r: dict.fromkeys(ps, 1.0) for r, ps in refs.items()}
    assert M.weighted_kendall_tau_loss(const, refs) == pytest.approx(0.5)
    neg = {r: {p: -e for p, e in ps.items()} for r, ps in refs.items()}
    assert M.weighted_kendall_tau_loss(neg, refs) == pytest.approx(1.0)


def test_pair_accuracy_easy_hard():
    preds, refs = _wkt_example()
    # easy pairs (one >= 4, other <= 2): A (p5, r1) right; B (s4, u2) tie -> wrong; (t4, u2) tie -> wrong
    # (A's (p5, q3) is neither: 3 is not <= 2; C has no rating <= 2)
    assert M.pair_accuracy(preds, refs, "easy") == {"score": pytest.approx(1 / 3), "correct": 1, "total": 3}
    # hard pairs (both >= 4, different): C (v5, w4) reversed -> wrong; (v5, x4) right. B's s/t tie in
    # expertise -> skipped
    assert M.pair_accuracy(preds, refs, "hard") == {"score": 0.5, "correct": 1, "total": 2}
    assert M.pair_accuracy(preds, refs, "hard", reviewers=["A"])["total"] == 0
    with pytest.raises(ValueError):
        M.pair_accuracy(preds, refs, "medium")
