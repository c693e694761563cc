"""Title view of the dense vectors and the dense-model check on load, with a deterministic fake model."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from qiao.matching.engine import engine as engine_mod
from qiao.matching.engine.engine import Document, Engine, EngineConfig, Query


class FakeEmbedder:
    """Bag of words → fixed random vectors, summed and normalised (so similar texts are close)."""

    dim = 32

    def __init__(self, name: str) -> None:
        self.name = name
        self.model_path = f"/models/{name}"

    def _word(self, w: str) -> np.ndarray:
        seed = int(hashlib.sha256(w.encode()).hexdigest()[:8], 16)
        return np.random.default_rng(seed).standard_normal(self.dim)

    def encode(self, texts, *, progress=False, cache=False):
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            v = sum((self._word(w) for w in t.lower().replace(".", " ").split()), np.zeros(self.dim))
            out[i] = v / max(np.linalg.norm(v), 1e-12)
        return out


@pytest.fixture
def dense_on(monkeypatch):
    monkeypatch.setattr(engine_mod, "_dense_enabled", lambda cfg: cfg.dense != "off")


def _engine(name: str, **kw) -> Engine:
    eng = Engine(EngineConfig(dense="auto", model_path=f"/models/{name}", lsa_dim=0, **kw))
    eng._embedder = FakeEmbedder(name)
    return eng


def _unit(v):
    return v / np.linalg.norm(v)


def test_documents_with_title_and_text_store_the_sum_of_both_views(dense_on):
    eng = _engine("fake-a")
    eng.add([Document("d1", "o1", "graphene sensors", "flexible strain gauges for wearables"),
             Document("d2", "o2", "", "only a text about batteries"),
             Document("d3", "o3", "only a title about batteries", "")])
    eng.stats()
    fake = FakeEmbedder("fake-a")
    full, title = fake.encode(["graphene sensors. flexible strain gauges for wearables", "graphene sensors"])
    got = np.asarray(eng._emb[eng._emb_row[eng._row["d1"]]], np.float32)
    np.testing.assert_allclose(got, _unit(full + title), atol=2e-3)  # float16 storage
    got2 = np.asarray(eng._emb[eng._emb_row[eng._row["d2"]]], np.float32)
    np.testing.assert_allclose(got2, fake.encode(["only a text about batteries"])[0], atol=2e-3)


def test_title_view_off_stores_the_full_text_only(dense_on):
    eng = _engine("fake-a", title_view=False)
    eng.add([Document("d1", "o1", "graphene sensors", "flexible strain gauges for wearables")])
    eng.stats()
    full = FakeEmbedder("fake-a").encode(["graphene sensors. flexible strain gauges for wearables"])[0]
    np.testing.assert_allclose(np.asarray(eng._emb[0], np.float32), full, atol=2e-3)


def test_query_with_a_title_is_embedded_with_both_views(dense_on):
    eng = _engine("fake-a")
    eng.add([Document("d1", "o1", "graphene sensors", "flexible strain gauges for wearables")])
    eng.stats()
    q = eng._query(Query(title="strain sensing", text="wearable graphene gauges"))
    assert q.title_text == "strain sensing"
    cos, fcos, alpha, beta = eng._dense_scores(q, None)
    fake = FakeEmbedder("fake-a")
    qv = fake.encode(["strain sensing. wearable graphene gauges", "strain sensing"])
    dv = np.asarray(eng._emb[0], np.float32)
    assert cos[0] == pytest.approx(float(dv @ _unit(qv[0] + qv[1])), abs=1e-5)
    assert fcos is None and beta == 0.0 and alpha > 0
    assert eng._query(Query(title="only a title", text="")).title_text == ""


def test_load_refuses_vectors_of_another_model(dense_on, tmp_path):
    eng = _engine("fake-a")
    eng.add([Document("d1", "o1", "graphene sensors", "flexible strain gauges for wearables")])
    eng.save(tmp_path / "ix")
    same = Engine.load(tmp_path / "ix")
    assert same.dense_enabled and same.stats()["documents"] == 1
    with pytest.raises(ValueError, match="fake-a.*fake-b.*rebuild"):
        Engine.load(tmp_path / "ix", config=EngineConfig(model_path="/models/fake-b", lsa_dim=0))
