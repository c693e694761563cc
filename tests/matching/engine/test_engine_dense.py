"""Dense (MiniLM) fusion: only when the ml extra is installed."""

import pytest

pytest.importorskip("sentence_transformers")

from qiao.matching.engine import Document, Engine, EngineConfig, Query  # noqa: E402
from qiao.matching.engine.dense import available  # noqa: E402

if not available():
    pytest.skip("packaged dense model not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def eng():
    e = Engine(EngineConfig(dense="on"))
    e.add([
        Document("car", "a", "Automobile engines", "Combustion engines for passenger automobiles and their efficiency."),
        Document("dog", "b", "Canine behaviour", "How pet dogs respond to training and rewards."),
        Document("bank", "c", "Interest rates", "Central bank policy and inflation."),
        Document("zh", "d", "锂电池健康状态估计", "基于深度学习的锂离子电池健康状态估计方法。"),
    ])
    return e


def test_dense_finds_synonyms_without_term_overlap(eng):
    assert eng.dense_enabled and eng.stats()["dense"]
    hits = eng.search("vehicle motor", top_k=2)
    assert hits[0].doc_id == "car" and hits[0].dense is not None
    assert eng.search("puppy obedience", top_k=1)[0].doc_id == "dog"
    assert eng.search("puppy obedience", top_k=3, mode="lexical") == []


def test_chinese_query_is_lexical_only(eng):
    hits = eng.search(Query(text="锂电池 健康状态"), top_k=1)
    assert hits[0].doc_id == "zh"


def test_focus_and_save_load(eng, tmp_path):
    q = Query(title="Engines", text="A study of engines and dogs.", focus="dog training")
    assert eng.search(q, top_k=1)[0].doc_id == "dog"
    eng.save(tmp_path / "d")
    back = Engine.load(tmp_path / "d")
    assert back.dense_enabled
    assert [h.doc_id for h in back.search("vehicle motor", top_k=2)] == [h.doc_id for h in eng.search("vehicle motor", top_k=2)]
