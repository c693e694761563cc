"""Engine: add / update / delete, filters (true top-k inside the filter), owners, explanations, persistence."""

import numpy as np
import pytest

from qiao.matching.engine import Document, Engine, EngineConfig, Explanation, Hit, OwnerHit, Query

TEXTS = [
    ("Deep learning for image classification", "Convolutional neural networks classify images."),
    ("Graph neural networks for molecules", "Message passing networks predict molecule properties."),
    ("Reinforcement learning for robots", "Policy gradient methods for robot arm control."),
    ("Lithium-ion battery health", "State of health estimation of Li-ion batteries with recurrent networks."),
    ("Machine translation", "Phrase-based statistical machine translation with language models."),
    ("Neural machine translation", "Attention-based encoder-decoder networks translate sentences."),
    ("锂电池健康状态估计", "基于深度学习的锂离子电池健康状态估计方法，适用于电动汽车电池管理系统。"),
    ("储能系统热管理", "锂离子电池储能系统的热管理设计与仿真，GB/T 36276-2018。"),
    ("工业互联网边缘计算", "面向工业互联网的5G边缘计算架构与资源调度。"),
    ("Battery management systems", "A review of battery management systems for electric vehicles."),
    ("Learning to rank", "Gradient boosted trees for ranking in information retrieval."),
    ("Image segmentation", "Fully convolutional networks for semantic segmentation of images."),
]
OWNERS = ["ana", "ben", "ben", "chen", "dai", "dai", "chen", "chen", "eva", "chen", "ana", "ana"]


def make_docs(vis=None):
    vis = vis or ["public" if i % 3 else "private" for i in range(len(TEXTS))]
    return [Document(f"d{i}", OWNERS[i], t, x, 2010 + i, {"visibility": vis[i], "tags": ["x", f"t{i % 2}"]})
            for i, (t, x) in enumerate(TEXTS)]


@pytest.fixture(scope="module")
def eng():
    e = Engine(EngineConfig(dense="off"))
    e.add(make_docs())
    return e


def test_search_bilingual(eng):
    hits = eng.search("battery health estimation", top_k=3)
    assert hits and isinstance(hits[0], Hit)
    assert hits[0].doc_id == "d3"
    assert all(0 <= h.score_100 <= 100 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert [h.score_100 for h in hits] == sorted((h.score_100 for h in hits), reverse=True)
    zh = eng.search("锂电池 健康状态", top_k=3)
    assert zh[0].doc_id == "d6"
    mixed = eng.search(Query(text="锂离子电池 储能 thermal management", title="储能"), top_k=2)
    assert mixed[0].doc_id == "d7"
    assert eng.search("GB/T 36276-2018", top_k=1)[0].doc_id == "d7"


def test_no_match_and_bad_args(eng):
    assert eng.search("zzzz qqqq", top_k=5, mode="lexical") == []
    assert eng.search("battery", top_k=0) == []
    with pytest.raises(ValueError):
        eng.search("battery", mode="fancy")
    with pytest.raises(TypeError):
        eng.search(42)


def test_filters_are_applied_inside_the_search():
    # many strong public matches, one weak private match: a post-filter after truncation would miss it
    docs = [Document(f"p{i}", f"o{i}", "battery battery health", "battery state of health", None,
                     {"visibility": "public"}) for i in range(50)]
    docs.append(Document("secret", "o-x", "robots", "a robot with a battery", None, {"visibility": ["private", "team"]}))
    e = Engine(EngineConfig(dense="off", candidates=10))
    e.add(docs)
    assert "secret" not in [h.doc_id for h in e.search("battery health", top_k=10)]
    hits = e.search("battery health", top_k=10, filters={"visibility": "private"})
    assert [h.doc_id for h in hits] == ["secret"]
    hits = e.search("battery health", top_k=10, filters={"visibility": ["team", "nope"]})
    assert [h.doc_id for h in hits] == ["secret"]
    assert e.search("battery health", filters={"visibility": "nope"}) == []
    assert e.search("battery health", filters={"unknown-key": "x"}) == []
    owners = e.rank_owners("battery health", top_k=5, filters={"visibility": "private"})
    assert [o.owner for o in owners] == ["o-x"]


@pytest.mark.parametrize("seed", range(5))
def test_filtered_search_is_true_topk_among_allowed(seed):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(40)]
    docs = []
    for i in range(300):
        docs.append(Document(f"d{i}", f"o{i % 37}", " ".join(rng.choice(words, 3)), " ".join(rng.choice(words, 20)),
                             None, {"vis": str(rng.choice(["a", "b", "c"]))}))
    e = Engine(EngineConfig(dense="off", lsa_dim=0, candidates=5))
    e.add(docs)
    q = " ".join(rng.choice(words, 4))
    allowed = ["b", "c"] if seed % 2 else "a"
    got = e.search(q, top_k=10, filters={"vis": allowed}, mode="lexical")
    # brute force: lexical score of every allowed document
    full = e._index.score_all(e._query(q).weights)
    ok = {d.id for d in docs if d.attrs["vis"] in (allowed if isinstance(allowed, list) else [allowed])}
    rows = [r for r in range(len(docs)) if e._ids[r] in ok and full[r] > 0]
    rows.sort(key=lambda r: (-full[r], r))
    assert [h.doc_id for h in got] == [e._ids[r] for r in rows[:10]]


def test_add_update_delete():
    e = Engine(EngineConfig(dense="off"))
    assert len(e) == 0 and e.search("x") == []
    e.add(make_docs())
    assert len(e) == len(TEXTS)
    e.add([Document("d3", "zoe", "Quantum computing", "Qubits and quantum error correction.")])  # update
    assert len(e) == len(TEXTS)
    assert e.get("d3").owner == "zoe"
    assert e.search("quantum qubits", top_k=1)[0].doc_id == "d3"
    assert "d3" not in [h.doc_id for h in e.search("lithium-ion battery health", top_k=5)]
    assert e.delete(["d3", "nope"]) == 1 and "d3" not in e
    assert e.search("quantum qubits", top_k=5, mode="lexical") == []
    e.add([Document("n1", "new", "Quantum sensing", "Quantum sensors.")])
    assert e.search("quantum", top_k=1)[0].doc_id == "n1"
    assert e.stats()["documents"] == len(TEXTS)
    e.add([Document("dup", "a", "one", "first"), Document("dup", "b", "two", "second")])
    assert e.get("dup").owner == "b"
    with pytest.raises(TypeError):
        e.add(["not a document"])
    with pytest.raises(ValueError):
        e.add([Document("", None, "t", "x")])


def test_rank_owners_aggregates_evidence(eng):
    owners = eng.rank_owners("battery lithium-ion health electric vehicles 锂电池", top_k=3)
    assert owners and isinstance(owners[0], OwnerHit)
    assert owners[0].owner == "chen"  # four battery documents
    assert 1 <= len(owners[0].evidence) <= 3
    assert all(ev.owner == "chen" for ev in owners[0].evidence)
    assert owners[0].score >= owners[-1].score
    assert 0 <= owners[0].score_100 <= 100


def test_owner_aggregation_beats_single_document():
    # "many" has three documents as good as the single one of "one": plain max would tie
    docs = [Document("a1", "one", "battery health", "battery health estimation")]
    docs += [Document(f"m{i}", "many", "battery health", "battery health estimation") for i in range(3)]
    docs += [Document(f"x{i}", f"z{i}", "cooking", "recipes and food") for i in range(20)]
    e = Engine(EngineConfig(dense="off", lsa_dim=0))
    e.add(docs)
    assert e.rank_owners("battery health estimation", top_k=2)[0].owner == "many"


def test_explain_document_and_owner(eng):
    ex = eng.explain("lithium-ion battery & <health>", doc_id="d3")
    assert isinstance(ex, Explanation)
    assert "battery" in ex.matched_terms or "batteries" in ex.matched_terms or "Battery" in ex.matched_terms
    ev = ex.evidence[0]
    assert "<mark>" in ev.snippet_html and "<mark>" in ev.title_html
    assert "&lt;" not in ev.snippet_html or "<mark>" in ev.snippet_html
    assert 0 <= ex.score_100 <= 100
    ex2 = eng.explain("锂电池 健康状态", owner="chen")
    assert ex2.owner == "chen" and ex2.evidence[0].doc_id == "d6"
    assert "<mark>锂电池</mark>" in ex2.evidence[0].title_html
    with pytest.raises(KeyError):
        eng.explain("x", doc_id="nope")
    with pytest.raises(ValueError):
        eng.explain("x")


def test_explain_escapes_html():
    e = Engine(EngineConfig(dense="off"))
    e.add([Document("h", "o", "<script>alert(1)</script> battery", "a <b>battery</b> & more")])
    ev = e.explain("battery", doc_id="h").evidence[0]
    assert "<script>" not in ev.title_html and "&lt;script&gt;" in ev.title_html
    assert "<b>" not in ev.snippet_html and "&amp;" in ev.snippet_html
    assert "<mark>battery</mark>" in ev.snippet_html


def test_score_100_is_comparable_across_queries(eng):
    strong = eng.search(Query(title="Lithium-ion battery health",
                              text="State of health estimation of Li-ion batteries with recurrent networks."), top_k=1)
    weak = eng.search("networks quantum qubits photonics superconducting cryogenic", top_k=1)  # 1 of 6 terms
    assert strong[0].score_100 > weak[0].score_100


def test_save_load_roundtrip(eng, tmp_path):
    eng.save(tmp_path / "e")
    back = Engine.load(tmp_path / "e")
    assert len(back) == len(eng)
    for q in ("battery health", "锂电池", "machine translation networks"):
        a = [(h.doc_id, round(h.score, 4)) for h in eng.search(q, top_k=5)]
        b = [(h.doc_id, round(h.score, 4)) for h in back.search(q, top_k=5)]
        assert a == b
    assert [h.doc_id for h in back.search("battery", filters={"visibility": "private"})] == \
        [h.doc_id for h in eng.search("battery", filters={"visibility": "private"})]
    back.add([Document("z", "o", "quantum", "qubits")])
    back.delete(["d0"])
    assert back.search("qubits", top_k=1)[0].doc_id == "z" and "d0" not in back
    with pytest.raises(FileNotFoundError):
        Engine.load(tmp_path / "missing")


def test_recency_weighting():
    docs = [Document("old", "o1", "battery health", "battery", 2000), Document("new", "o2", "battery health", "battery", 2024)]
    e = Engine(EngineConfig(dense="off", lsa_dim=0, recency_half_life=5.0))
    e.add(docs)
    assert e.rank_owners("battery health", top_k=2)[0].owner == "o2"


def test_stats_and_vocabulary(eng):
    s = eng.stats()
    assert s["documents"] == len(TEXTS) and s["owners"] == 5 and s["terms"] > 0
    e = Engine(EngineConfig(dense="off", vocabulary=["热管理设计"]))
    assert e.add_vocabulary(["电池管理系统"]) == 1
    e.add(make_docs())
    assert e.search("热管理设计", top_k=1)[0].doc_id == "d7"


def test_dense_auto_without_model_warns_once(monkeypatch, caplog):
    import qiao.matching.engine.dense as dense
    import qiao.matching.engine.engine as engmod

    monkeypatch.setattr(dense, "available", lambda *_a, **_k: False)
    monkeypatch.setattr(engmod, "_warned_dense", False)
    with caplog.at_level("WARNING"):
        assert not Engine(EngineConfig(dense="auto")).dense_enabled
        assert not Engine(EngineConfig(dense="auto")).dense_enabled
    assert sum("dense model not installed" in r.message for r in caplog.records) == 1
    with pytest.raises(RuntimeError):
        Engine(EngineConfig(dense="on"))


def test_lsa_query_vector_equals_document_vector():
    import scipy.sparse as sp

    from qiao.matching.engine.lsa import LatentIndex

    m1 = sp.random(300, 500, density=0.05, format="csr", random_state=1, dtype=np.float32)
    m1.data = np.ceil(m1.data * 3)
    m2 = sp.random(300, 200, density=0.05, format="csr", random_state=2, dtype=np.float32)
    m2.data = np.ceil(m2.data * 3)
    li = LatentIndex.fit([m1, m2], dim=16)
    z = li.transform([m1, m2])
    for r in (0, 5, 17):
        w1 = {int(i): float(v) for i, v in zip(m1[r].indices, m1[r].data, strict=True)}
        w2 = {int(i): float(v) for i, v in zip(m2[r].indices, m2[r].data, strict=True)}
        np.testing.assert_allclose(li.transform_weights([w1, w2]), z[r], atol=1e-5)
    assert np.allclose(li.transform_weights([{}, {}]), 0)


def test_explain_reuses_the_reference_pool_and_forgets_it_on_writes():
    eng = Engine(EngineConfig(dense="off", lsa_dim=0))
    eng.add([Document("a1", "alice", "graphene strain sensors", "flexible graphene strain gauges"),
             Document("a2", "alice", "graphene inks", "printable conductive graphene inks"),
             Document("b1", "bob", "battery cathodes", "sodium-ion battery cathode materials"),
             Document("c1", "carol", "strain gauges", "metal foil strain gauges for bridges")])
    q = Query(text="graphene strain sensor ink", title="wearables")
    first = eng.explain(q, owner="alice")
    assert len(eng._ref_stats) == 1
    again = eng.explain(q, owner="alice")
    assert again == first and len(eng._ref_stats) == 1
    # a different filter set or mode is another reference pool
    eng.explain(q, owner="alice", mode="lexical")
    assert len(eng._ref_stats) == 2
    # writes change the pool: the cache is dropped and the explanation follows the new corpus
    eng.add([Document("d1", "dave", "graphene strain", "graphene strain graphene strain sensor ink")])
    assert len(eng._ref_stats) == 0
    after = eng.explain(q, owner="alice")
    fresh = Engine(EngineConfig(dense="off", lsa_dim=0))
    fresh.add([eng.get(i) for i in ("a1", "a2", "b1", "c1", "d1")])
    assert after == fresh.explain(q, owner="alice")
    eng.delete(["d1"])
    assert len(eng._ref_stats) == 0
