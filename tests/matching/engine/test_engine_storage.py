"""Engine storage and build path: spilled vs in-memory storage give the same results, save/load
round trips (with deletes and updates), and the vectorised / numba build helpers equal their
reference versions."""

import json

import numpy as np
import pytest
import scipy.sparse as sp

from qiao.matching.engine import Document, Engine, EngineConfig, Query
from qiao.matching.engine import lexical as lexmod
from qiao.matching.engine import lsa as lsamod
from qiao.matching.engine.analysis import bigram_codes, bigram_term, cjk_bigrams, latin_share, latin_shares
from qiao.matching.engine.lexical import CodeVocab, field_counts

WORDS_EN = "battery lithium health estimation neural network graph molecule robot control translation ranking".split()
WORDS_ZH = "锂电池 健康 状态 估计 储能 系统 热管理 工业 互联网 边缘 计算 深度 学习 神经 网络".split()


def corpus(n=300, seed=0):
    rng = np.random.default_rng(seed)
    docs = []
    for i in range(n):
        words = WORDS_ZH if i % 3 else WORDS_EN
        sep = "" if i % 3 else " "
        title = sep.join(rng.choice(words, 3))
        text = sep.join(rng.choice(words, int(rng.integers(5, 30))))
        if i % 5 == 0:
            text += " GB/T 36276-2018 Ｌｉ-ion"
        docs.append(Document(f"d{i}", f"o{i % 37}", title, text, 2000 + i % 20,
                             {"visibility": ["public", "private"][i % 2], "tags": ["x", f"t{i % 3}"]}))
    return docs


class FakeEmbedder:
    """Deterministic unit vectors per text (no model)."""

    model_path = "fake"
    name = "fake"
    dim = 16

    def encode(self, texts, *, progress=False, cache=False):
        out = np.stack([np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(self.dim) for t in texts])
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def make_engine(**kw):
    e = Engine(EngineConfig(dense="off", lsa_max_fit=200, **kw))
    e._dense_on = True
    e._embedder = FakeEmbedder()
    return e


def results(e):
    out = {}
    for q in ("battery health estimation", "锂电池 健康状态", Query(text="储能 系统 thermal", title="储能")):
        key = q if isinstance(q, str) else q.text
        out[key] = (
            [(h.doc_id, round(h.score, 5), h.score_100, h.title) for h in e.search(q, 10)],
            [(h.doc_id, round(h.score, 5)) for h in e.search(q, 10, mode="lexical", filters={"visibility": "public"})],
            [(o.owner, round(o.score, 4), [x.doc_id for x in o.evidence]) for o in e.rank_owners(q, 5)],
            e.explain(q, doc_id="d4").to_dict(),
        )
    return out


@pytest.mark.parametrize("brute", [100_000, 50])
def test_spilled_storage_gives_the_same_results(tmp_path, brute):
    docs = corpus()
    mem = make_engine(spill_mb=None, dense_brute_max=brute)
    disk = make_engine(spill_mb=0, spill_dir=str(tmp_path), dense_brute_max=brute)
    for e in (mem, disk):
        e.add(docs[:200])
        e.search("battery", 3)  # build, then update: rebuild from the stored postings
        e.add(docs[200:])
        e.delete(["d7", "d8"])
        e.add([Document("d9", "o1", "replaced title", "battery health 锂电池", 2021, {"visibility": "public"})])
    assert results(mem) == results(disk)
    assert isinstance(disk._tf, np.memmap)
    if brute == 50:
        assert isinstance(disk._lsa_z, np.memmap) and isinstance(disk._emb, np.memmap)
    assert disk.get("d9").title == "replaced title" and disk.get("d7") is None
    assert disk.get("d10") == docs[10]


def test_save_load_round_trip_and_update_after_load(tmp_path):
    docs = corpus()
    e = make_engine(spill_mb=0)
    e.add(docs)
    e.delete(["d3"])
    e.add([Document("d5", "o9", "new five", "lithium battery", None, {"visibility": ["public", "team"]})])
    before = results(e)
    e.save(tmp_path / "eng")
    meta = json.loads((tmp_path / "eng" / "engine.json").read_text())
    assert meta["version"] == 2
    f = Engine.load(tmp_path / "eng", config=EngineConfig(dense="off", lsa_max_fit=200))
    f._embedder = FakeEmbedder()
    f._dense_on = True
    f._emb = e._emb_for_search(np.load(tmp_path / "eng" / "emb.npy"), len(f))
    f._emb_row = np.load(tmp_path / "eng" / "emb_row.npy")
    assert results(f) == before
    assert f.get("d5").attrs == {"visibility": ["public", "team"]} and f.get("d3") is None
    assert f.stats()["documents"] == len(docs) - 1
    # an update after load rebuilds from the loaded postings: same as building from scratch
    more = [Document("z1", "o1", "graph neural network", "molecule graph network 深度学习", 2020, {})]
    f.add(more)
    g = make_engine(spill_mb=None)
    g.add([d for d in docs if d.id not in ("d3", "d5")])
    g.add([Document("d5", "o9", "new five", "lithium battery", None, {"visibility": ["public", "team"]})])
    g.add(more)
    # row order differs (d5 re-added last in g), so compare the rankings by id and score
    for q in ("graph neural network", "深度 学习 网络"):
        assert ([(h.doc_id, round(h.score, 4)) for h in f.search(q, 5, mode="lexical")]
                == [(h.doc_id, round(h.score, 4)) for h in g.search(q, 5, mode="lexical")])


def test_load_rejects_the_old_format(tmp_path):
    p = tmp_path / "old"
    p.mkdir()
    (p / "engine.json").write_text(json.dumps({"format": "qiao-engine", "version": 1, "config": {}}))
    with pytest.raises(ValueError, match="v1"):
        Engine.load(p)


def test_vectorised_bigrams_and_shares_equal_the_regex_versions():
    rng = np.random.default_rng(1)
    alphabet = list("深度学习储能ab Z\n．Ａ-é") + ["𠀀", "\ud800"]
    texts = ["", "a", "深", "深度学习 abc 学", "⼀二"] + ["".join(rng.choice(alphabet, int(rng.integers(0, 15))))
                                                    for _ in range(500)]
    codes, counts = bigram_codes(texts)
    off = 0
    for t, k in zip(texts, counts.tolist(), strict=True):
        assert [bigram_term(int(c)) for c in codes[off:off + k]] == cjk_bigrams(t)
        off += k
    assert latin_shares(texts).tolist() == [latin_share(t) for t in texts]


@pytest.mark.parametrize("numba", [True, False])
def test_code_vocab_and_field_counts(monkeypatch, numba):
    if not numba:
        monkeypatch.setattr(lexmod, "_hash_ids_nb", None)
        monkeypatch.setattr(lexmod, "_field_counts_nb", None)
    vocab = {"a": 0, "b": 1}
    cv = CodeVocab(vocab, lambda t: ord(t), chr)
    ids = cv.ids(np.asarray([ord(c) for c in "abzcaz"], np.int64))
    assert ids.tolist() == [0, 1, 2, 3, 0, 2] and vocab == {"a": 0, "b": 1, "z": 2, "c": 3}
    big = np.arange(5000, dtype=np.int64) + 1000  # grows the table
    assert cv.ids(big).tolist() == list(range(4, 5004))
    m = field_counts(np.asarray([2, 0]), np.asarray([0, 0]), np.asarray([1, 3]), np.asarray([0, 1, 2, 1]), 3, 2.0)
    assert np.array_equal(m.toarray(), np.asarray([[5.0, 0, 0], [0, 2, 1]], np.float32))


def test_lsa_transform_numba_equals_scipy_bit_for_bit(monkeypatch):
    rng = np.random.default_rng(0)

    def mk(n, nt):
        nnz = rng.integers(0, 40, n)
        ip = np.r_[0, np.cumsum(nnz)]
        m = sp.csr_matrix((rng.integers(1, 5, ip[-1]).astype(np.float32), rng.zipf(1.3, ip[-1]) % nt, ip), shape=(n, nt))
        m.sum_duplicates()
        return m

    f = [mk(3000, 800), mk(3000, 500)]
    li = lsamod.LatentIndex.fit(f, dim=16, max_fit=1000)
    fast = li.transform(f, chunk=1000)
    monkeypatch.setattr(lsamod, "_project_nb", None)
    slow = li.transform(f, chunk=1000)
    assert np.array_equal(fast, slow)


def test_build_fields_numba_equals_scipy(monkeypatch):
    rng = np.random.default_rng(3)
    fields = []
    for nt in (300, 200):
        nnz = rng.integers(0, 30, 500)
        ip = np.r_[0, np.cumsum(nnz)]
        m = sp.csr_matrix((rng.integers(1, 4, ip[-1]).astype(np.float32) * 2, rng.integers(0, nt, ip[-1]), ip),
                          shape=(500, nt))
        m.sum_duplicates()
        fields.append(m)
    vocabs = [{f"w{i}": i for i in range(300)}, {f"b{i}": i for i in range(200)}]
    fast = lexmod.build_fields(fields, vocabs, ["", "\x02"])
    monkeypatch.setattr(lexmod, "_bm25_csc_nb", None)
    slow = lexmod.build_fields(fields, vocabs, ["", "\x02"])
    for a, b in ((fast[0], slow[0]), *zip(fast[1], slow[1], strict=True)):
        for name in ("indptr", "indices", "data", "doc_len", "df"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert np.array_equal(fast[2], slow[2])


@pytest.mark.parametrize("numba", [True, False])
def test_term_vocab_assigns_ids_in_first_seen_order(monkeypatch, numba):
    from itertools import chain

    if not numba:
        monkeypatch.setattr(lexmod, "_str_hashes_nb", None)
    rng = np.random.default_rng(2)
    words = [f"w{i}" for i in range(500)] + ["深度", "学习", "a\x00b", "\ud800x", "𠀀", ""]
    lists = [[words[j] for j in rng.integers(0, len(words), int(rng.integers(0, 30)))] for _ in range(400)]
    vocab = {"pre": 0}
    tv = lexmod.TermVocab(vocab)
    ref: dict[str, int] = {"pre": 0}
    for k in range(0, 400, 70):
        lens, ids = tv.ids(lists[k:k + 70])
        want = [ref.setdefault(t, len(ref)) for t in chain.from_iterable(lists[k:k + 70])]
        assert ids.tolist() == want and lens.tolist() == [len(x) for x in lists[k:k + 70]]
    assert list(vocab.items()) == list(ref.items())
    again = lexmod.TermVocab(dict(vocab))  # rebuilt from an existing vocabulary (after load)
    assert again.ids(lists[:50])[1].tolist() == [ref[t] for t in chain.from_iterable(lists[:50])]
