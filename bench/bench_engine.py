"""Speed benchmark of the matching engine against bm25s and tantivy (`make bench`).

    .venv/bin/python bench/bench_engine.py [--docs 1000000] [--experts 100000] [--queries 500]
        [--systems qiao,bm25s,tantivy,engine,embed] [--seed 13] [--out bench/out/bench.md]

Small smoke run: ``--docs 20000 --experts 2000 --queries 100``.

What it does
------------
1. Synthesises a corpus once (fixed seed, cached in ``bench/out/cache``): ``--docs`` documents of
   ~150 tokens (normal(150, 35), clipped to 40..400) owned by ``--experts`` experts, each expert with a
   language (65 % Chinese, 35 % English) and one of ``experts / 50`` topics. Tokens are drawn from a
   real vocabulary with Zipf frequencies: the Chinese words of jieba's dictionary (ranked by jieba's
   counts; one-character words and the analyzer's Chinese stop words dropped) and English stems
   (Snowball) of the benchmark candidate texts read at run time (ranked by their counts), so the
   tokens look like analyzer output. 70 % of a document's tokens follow the global Zipf law of its
   language, 30 % come from its topic's 400 mid-frequency words; 12 % of a Chinese document's
   tokens are English (and 3 % the other way round). Queries are need-length (20–32 tokens, half
   topical, de-duplicated) and topical for a random expert.
2. Runs every system in its own subprocess (clean RSS; ``NUMBA_NUM_THREADS=1`` etc. so that queries
   run on one thread) on the *same token lists*:
   * ``bm25s``: bm25s 0.3 (k1 1.2, b 0.75, ``method="lucene"``) built from token ids
     (``Tokenized(ids, vocab)``), queried with token ids one query at a time, with the numba backend
     and with the numpy backend (one build, two query runs);
   * ``tantivy``: tantivy-py, in-RAM index, one text field with the ``whitespace`` tokenizer over the
     tokens joined by spaces (index option ``freq``), a writer with 1 thread; each query a boolean
     SHOULD of term queries (tantivy's BM25 is k1 1.2, b 0.75 too);
   * ``qiao``: ``LexicalIndex.build(token_lists)`` / ``.search(tokens, top_k=10)``;
   * ``engine``: the full ``Engine`` over the same documents (hybrid search on stored synthetic unit
     vectors of dimension 384, expert ranking over all experts);
   * ``embed``: embedding throughput of the real model on a small real sample (skipped without the
     ``ml`` extra).
3. Measures build throughput (docs/s; the time to turn token ids into each system's input format is
   not counted), RSS (``/proc/self/status``: the resident set after the build with the input freed,
   minus the resident set before the input was made; and the peak), top-10 p50/p95 latency and QPS
   (one query at a time, one thread, after a warm-up), and the overlap of each system's top 10 with
   bm25s's (a check that all do the same BM25 work). Writes a markdown table to ``--out``.

Tests never assert timings; this script is the only place they are measured.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import gc
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "bench" / "out"

DIM = 384

# --------------------------------------------------------------------------------------------------
# Measurement helpers
# --------------------------------------------------------------------------------------------------


def proc_status() -> dict[str, float]:
    """VmRSS / VmHWM / RssAnon of this process in MB."""
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                out[k] = int(v.split()[0]) / 1024.0
    return out


def release_memory() -> None:
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:  # pragma: no cover - not glibc
        pass


def reset_peak() -> None:
    """Reset VmHWM (Linux >= 4.0: write 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def latency_stats(times: list[float]) -> dict[str, float]:
    a = np.asarray(times) * 1000.0
    return {
        "p50_ms": float(np.percentile(a, 50)),
        "p95_ms": float(np.percentile(a, 95)),
        "mean_ms": float(a.mean()),
        "qps": float(len(a) / (a.sum() / 1000.0)) if a.sum() > 0 else float("inf"),
        "n": len(a),
    }


def time_queries(fn, queries, warmup: int = 20) -> tuple[dict[str, float], list[list[int]]]:
    for q in queries[:warmup]:
        fn(q)
    times, tops = [], []
    pc = time.perf_counter
    for q in queries:
        t0 = pc()
        r = fn(q)
        times.append(pc() - t0)
        tops.append(r)
    return latency_stats(times), tops


# --------------------------------------------------------------------------------------------------
# Corpus synthesis
# --------------------------------------------------------------------------------------------------

ZH_SHARE = 0.65
TOPICAL = 0.30
ZH_EN_MIX = 0.12
EN_ZH_MIX = 0.03
TOPIC_WORDS = 400


def _chinese_vocab(limit: int = 150_000) -> list[str]:
    import jieba

    try:
        from qiao.matching.engine.analysis import CHINESE_STOP
    except Exception:  # pragma: no cover
        CHINESE_STOP = frozenset()
    han = re.compile(r"^[\u4e00-\u9fff]{2,}$")
    words = []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and han.match(parts[0]) and parts[0] not in CHINESE_STOP:
                words.append((int(parts[1]), parts[0]))
    words.sort(key=lambda x: (-x[0], x[1]))
    return [w for _, w in words[:limit]]


def _english_vocab(bench_dir: Path, limit: int = 40_000) -> list[str]:
    import Stemmer

    try:
        from qiao.matching.engine.analysis import ENGLISH_STOP
    except Exception:  # pragma: no cover
        ENGLISH_STOP = frozenset()
    stem = Stemmer.Stemmer("english")
    counts: Counter[str] = Counter()
    for path in sorted(bench_dir.glob("*/candidates.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                for d in json.loads(line)["documents"]:
                    text = f"{d.get('title') or ''} {d.get('text') or ''}".lower()
                    words = [w for w in re.findall(r"[a-z][a-z0-9]+", text) if w not in ENGLISH_STOP]
                    counts.update(stem.stemWords(words))
    if len(counts) < 1000:  # no benchmarks: fall back to Faker's English word list
        from faker.providers.lorem.en_US import Provider

        counts.update({w: 1 for w in Provider.word_list})
        print("warning: benchmark texts not found; English vocabulary = Faker's word list", file=sys.stderr)
    return [w for w, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:limit]]


def _zipf_cdf(n: int, s: float = 1.0, q: float = 2.7) -> np.ndarray:
    p = 1.0 / np.power(np.arange(1, n + 1) + q, s)
    c = np.cumsum(p)
    return c / c[-1]


def synthesize(n_docs: int, n_experts: int, n_queries: int, seed: int, bench_dir: Path) -> dict:
    rng = np.random.default_rng(seed)
    zh = _chinese_vocab()
    en = _english_vocab(bench_dir)
    vocab = zh + en
    n_zh, n_en = len(zh), len(en)
    cdf = {0: _zipf_cdf(n_zh), 1: _zipf_cdf(n_en)}
    off = {0: 0, 1: n_zh}
    n_topics = max(10, n_experts // 50)
    # topic words: mid-frequency ranks of each language
    topic_words = {
        0: rng.integers(200, min(60_000, n_zh), size=(n_topics, TOPIC_WORDS)),
        1: off[1] + rng.integers(100, min(20_000, n_en), size=(n_topics, TOPIC_WORDS)),
    }
    expert_lang = (rng.random(n_experts) >= ZH_SHARE).astype(np.int8)  # 0 zh, 1 en
    expert_topic = rng.integers(0, n_topics, n_experts)
    w = rng.lognormal(0.0, 1.0, n_experts)
    owners = np.sort(rng.choice(n_experts, size=n_docs, p=w / w.sum()))
    lengths = np.clip(rng.normal(150, 35, n_docs), 40, 400).astype(np.int64)
    offsets = np.zeros(n_docs + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    tokens = np.empty(int(offsets[-1]), np.int32)

    def draw(lang_of_tok: np.ndarray, topic_of_tok: np.ndarray, topical_share: float) -> np.ndarray:
        n = lang_of_tok.shape[0]
        out = np.empty(n, np.int32)
        topical = rng.random(n) < topical_share
        for lang in (0, 1):
            sel = (lang_of_tok == lang) & ~topical
            out[sel] = off[lang] + np.searchsorted(cdf[lang], rng.random(int(sel.sum())))
            sel = (lang_of_tok == lang) & topical
            k = (TOPIC_WORDS * rng.random(int(sel.sum())) ** 2).astype(np.int64)
            out[sel] = topic_words[lang][topic_of_tok[sel], k]
        return out

    chunk = 50_000
    for s in range(0, n_docs, chunk):
        e = min(n_docs, s + chunk)
        lens = lengths[s:e]
        own = np.repeat(owners[s:e], lens)
        lang = expert_lang[own]
        mix = rng.random(lang.shape[0]) < np.where(lang == 0, ZH_EN_MIX, EN_ZH_MIX)
        lang = np.where(mix, 1 - lang, lang)
        tokens[offsets[s] : offsets[e]] = draw(lang, expert_topic[own], TOPICAL)

    q_expert = rng.integers(0, n_experts, n_queries)
    q_len = rng.integers(20, 33, n_queries)
    q_tokens: list[list[int]] = []
    for qe, ql in zip(q_expert, q_len, strict=True):
        lang = np.full(ql * 2, expert_lang[qe])
        ids = draw(lang, np.full(ql * 2, expert_topic[qe]), 0.5)
        seen: dict[int, None] = {}
        for t in ids.tolist():
            seen.setdefault(t, None)
            if len(seen) == ql:
                break
        q_tokens.append(list(seen))
    q_off = np.zeros(n_queries + 1, np.int64)
    np.cumsum([len(q) for q in q_tokens], out=q_off[1:])
    return {
        "vocab": np.array(vocab, dtype=object),
        "tokens": tokens,
        "offsets": offsets,
        "owners": owners.astype(np.int32),
        "expert_topic": expert_topic.astype(np.int32),
        "expert_lang": expert_lang,
        "q_tokens": np.concatenate([np.asarray(q, np.int32) for q in q_tokens]),
        "q_offsets": q_off,
        "q_expert": q_expert.astype(np.int32),
        "n_topics": n_topics,
    }


def corpus_path(a) -> Path:
    return OUT / "cache" / f"corpus-d{a.docs}-e{a.experts}-q{a.queries}-s{a.seed}.npz"


def load_corpus(a) -> dict:
    path = corpus_path(a)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        c = synthesize(a.docs, a.experts, a.queries, a.seed, Path(a.benchmarks))
        vocab = c.pop("vocab")
        (path.with_suffix(".vocab.txt")).write_text("\n".join(vocab.tolist()), encoding="utf-8")
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, **c)
        tmp.rename(path)
        print(f"synthesised corpus in {time.perf_counter() - t0:.1f}s -> {path}", file=sys.stderr)
    with np.load(path) as z:
        c = {k: z[k] for k in z.files}
    c["vocab"] = np.array(
        path.with_suffix(".vocab.txt").read_text(encoding="utf-8").split("\n"), dtype=object
    )
    c["n_topics"] = int(c["n_topics"])
    return c


def doc_vectors(c: dict, seed: int, chunk: int = 100_000):
    """Synthetic unit vectors (float32, 384-d): topic centre + noise, normalised; yields chunks."""
    rng = np.random.default_rng(seed + 1)
    centres = rng.standard_normal((c["n_topics"], DIM)).astype(np.float32)
    topic = c["expert_topic"][c["owners"]]
    n = topic.shape[0]
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        v = centres[topic[s:e]] + 1.5 * rng.standard_normal((e - s, DIM)).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        yield v


def query_vectors(c: dict, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed + 2)
    centres = np.random.default_rng(seed + 1).standard_normal((c["n_topics"], DIM)).astype(np.float32)
    v = centres[c["expert_topic"][c["q_expert"]]] + 1.5 * rng.standard_normal(
        (len(c["q_expert"]), DIM)
    ).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def queries_of(c: dict) -> list[list[int]]:
    qt, qo = c["q_tokens"], c["q_offsets"]
    return [qt[qo[i] : qo[i + 1]].tolist() for i in range(len(qo) - 1)]


class LazyIdLists:
    """A sequence of per-document token-id lists made on the fly (bm25s iterates it several times)."""

    def __init__(self, tokens: np.ndarray, offsets: np.ndarray) -> None:
        self.tokens, self.offsets = tokens, offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> list[int]:
        return self.tokens[self.offsets[i] : self.offsets[i + 1]].tolist()

    def __iter__(self):
        t, o = self.tokens, self.offsets
        for i in range(len(o) - 1):
            yield t[o[i] : o[i + 1]].tolist()


# --------------------------------------------------------------------------------------------------
# Workers (one system per process)
# --------------------------------------------------------------------------------------------------


def worker_bm25s(a, res: dict) -> None:
    import bm25s
    from bm25s.tokenization import Tokenized

    base = proc_status()["VmRSS"]
    c = load_corpus(a)
    queries = queries_of(c)
    reset_peak()
    vocab = {t: i for i, t in enumerate(c["vocab"].tolist())}
    docs = LazyIdLists(c["tokens"], c["offsets"])
    ret = bm25s.BM25(k1=1.2, b=0.75, method="lucene", backend="numba")
    t0 = time.perf_counter()
    ret.index(Tokenized(ids=docs, vocab=vocab), show_progress=False)
    build = time.perf_counter() - t0
    del docs, c
    release_memory()
    st = proc_status()
    res["build_s"] = build
    res["rss_mb"] = st["VmRSS"] - base
    res["peak_mb"] = st["VmHWM"] - base
    res["note"] = "build includes making per-doc id lists (ndarray.tolist) on the fly"
    systems = {}
    for backend in ("numba", "numpy"):
        ret.backend = backend

        def run(q, _r=ret):
            return _r.retrieve([q], k=10, n_threads=1, show_progress=False)[0][0]

        stats, tops = time_queries(run, queries)
        systems[backend] = {"stats": stats, "tops": [t.tolist() for t in tops]}
    res["runs"] = systems


def worker_tantivy(a, res: dict) -> None:
    import tantivy

    base = proc_status()["VmRSS"]
    c = load_corpus(a)
    queries = queries_of(c)
    vocab = c["vocab"]
    tokens, offsets = c["tokens"], c["offsets"]
    n = len(offsets) - 1
    reset_peak()
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    sb.add_unsigned_field("i", stored=True)
    schema = sb.build()
    index = tantivy.Index(schema)  # in RAM
    writer = index.writer(heap_size=1_000_000_000, num_threads=1)
    build = 0.0
    chunk = 20_000
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        texts = [" ".join(vocab[tokens[offsets[i] : offsets[i + 1]]].tolist()) for i in range(s, e)]
        t0 = time.perf_counter()
        for i, text in enumerate(texts, s):
            d = tantivy.Document()
            d.add_text("body", text)
            d.add_unsigned("i", i)
            writer.add_document(d)
        build += time.perf_counter() - t0
    t0 = time.perf_counter()
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    build += time.perf_counter() - t0
    del texts, tokens, offsets, c
    release_memory()
    st = proc_status()
    res["build_s"] = build
    res["rss_mb"] = st["VmRSS"] - base
    res["peak_mb"] = st["VmHWM"] - base
    searcher = index.searcher()
    res["segments"] = searcher.num_segments
    res["note"] = "writer with 1 thread; build excludes joining tokens into strings"
    vl = vocab.tolist()
    qstr = [[vl[t] for t in q] for q in queries]
    Q, Occur = tantivy.Query, tantivy.Occur

    def run(q):
        query = Q.boolean_query([(Occur.Should, Q.term_query(schema, "body", t)) for t in q])
        return searcher.search(query, 10, count=False).hits

    stats, hits = time_queries(run, qstr)
    tops = [[searcher.doc(addr)["i"][0] for _, addr in h] for h in hits[:200]]
    res["runs"] = {"tantivy": {"stats": stats, "tops": tops}}


def worker_qiao(a, res: dict) -> None:
    from qiao.matching.engine.lexical import LexicalIndex

    base = proc_status()["VmRSS"]
    c = load_corpus(a)
    queries = queries_of(c)
    vocab = c["vocab"]
    tokens, offsets = c["tokens"], c["offsets"]
    token_lists = [vocab[tokens[offsets[i] : offsets[i + 1]]].tolist() for i in range(len(offsets) - 1)]
    mid = proc_status()["VmRSS"]
    reset_peak()
    t0 = time.perf_counter()
    idx = LexicalIndex.build(token_lists, k1=1.2, b=0.75)
    build = time.perf_counter() - t0
    del token_lists, tokens, offsets, c
    release_memory()
    st = proc_status()
    res["build_s"] = build
    res["rss_mb"] = st["VmRSS"] - base
    res["peak_mb"] = st["VmHWM"] - base
    res["input_mb"] = mid - base
    vl = vocab.tolist()
    qstr = [[vl[t] for t in q] for q in queries]

    def run(q):
        return idx.search(q, top_k=10)[0]

    stats, tops = time_queries(run, qstr)
    res["runs"] = {"qiao": {"stats": stats, "tops": [t.tolist() for t in tops]}}
    if a.proposals:  # the same index with the proposed numba top-k (bench/proposals/lexical_fast.py)
        sys.path.insert(0, str(ROOT / "bench"))
        from proposals.lexical_fast import fast_search

        def run_fast(q):
            return fast_search(idx, q, top_k=10)[0]

        stats_f, tops_f = time_queries(run_fast, qstr)
        same = all(np.array_equal(x, y) for x, y in zip(tops, tops_f, strict=True))
        res["runs"]["qiao-proposed"] = {
            "stats": stats_f,
            "tops": [t.tolist() for t in tops_f],
            "what": "lexical top-10, proposed patch" + ("" if same else " (results DIFFER)"),
        }


def worker_ab(a, res: dict) -> None:
    """All lexical systems in ONE process, queries interleaved (q1: A, B, C, D; q2: A, B, …).

    The robust ratio on a noisy machine: every system sees the same load at the same moment.
    No RSS here (the separate per-system workers measure that).
    """
    import bm25s
    import tantivy
    from bm25s.tokenization import Tokenized

    from qiao.matching.engine.lexical import LexicalIndex

    sys.path.insert(0, str(ROOT / "bench"))
    from proposals.lexical_fast import fast_search

    c = load_corpus(a)
    vl = c["vocab"].tolist()
    tokens, offsets = c["tokens"], c["offsets"]
    n = len(offsets) - 1
    qids = queries_of(c)
    qstr = [[vl[t] for t in q] for q in qids]
    builds: dict[str, float] = {}
    token_lists = [vl_take(vl, tokens[offsets[i] : offsets[i + 1]]) for i in range(n)]
    t0 = time.perf_counter()
    idx = LexicalIndex.build(token_lists)
    builds["qiao"] = time.perf_counter() - t0
    del token_lists
    release_memory()
    ret = bm25s.BM25(k1=1.2, b=0.75, method="lucene", backend="numba")
    t0 = time.perf_counter()
    ret.index(
        Tokenized(ids=LazyIdLists(tokens, offsets), vocab={t: i for i, t in enumerate(vl)}),
        show_progress=False,
    )
    builds["numba"] = time.perf_counter() - t0
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    schema = sb.build()
    tix = tantivy.Index(schema)
    w = tix.writer(heap_size=1_000_000_000, num_threads=1)
    tb = 0.0
    for s in range(0, n, 20_000):
        texts = [
            " ".join(vl_take(vl, tokens[offsets[i] : offsets[i + 1]])) for i in range(s, min(n, s + 20_000))
        ]
        t0 = time.perf_counter()
        for text in texts:
            d = tantivy.Document()
            d.add_text("body", text)
            w.add_document(d)
        tb += time.perf_counter() - t0
    t0 = time.perf_counter()
    w.commit()
    w.wait_merging_threads()
    tix.reload()
    builds["tantivy"] = tb + time.perf_counter() - t0
    searcher = tix.searcher()
    del tokens, offsets, c
    release_memory()
    Q, Occur = tantivy.Query, tantivy.Occur
    fns = {
        "qiao": lambda i: idx.search(qstr[i], top_k=10),
        "qiao-proposed": lambda i: fast_search(idx, qstr[i], top_k=10),
        "numba": lambda i: ret.retrieve([qids[i]], k=10, n_threads=1, show_progress=False),
        "tantivy": lambda i: searcher.search(
            Q.boolean_query([(Occur.Should, Q.term_query(schema, "body", t)) for t in qstr[i]]),
            10,
            count=False,
        ),
    }
    for f in fns.values():
        for i in range(min(20, len(qstr))):
            f(i)
    times: dict[str, list[float]] = {k: [] for k in fns}
    pc = time.perf_counter
    for i in range(len(qstr)):
        for k, f in fns.items():
            t0 = pc()
            f(i)
            times[k].append(pc() - t0)
    res["runs"] = {
        f"{k} (interleaved)": {"stats": latency_stats(v), "tops": [], "what": "lexical top-10, same process"}
        for k, v in times.items()
    }
    res["builds_docs_per_s"] = {k: n / v for k, v in builds.items()}
    res["note"] = (
        "all four lexical systems in one process, queries interleaved: ratios robust to machine load"
    )


class WhitespaceAnalyzer:
    """Analyzer stand-in for the bench: the synthetic text is already analyzer output joined by spaces."""

    vocabulary: list[str] = []

    def add_vocabulary(self, terms) -> int:
        return 0

    def analyze(self, text: str) -> list[str]:
        return text.split()

    def spans(self, text: str, *, normalized: bool = False) -> list:
        from qiao.matching.engine.analysis import Token

        return [Token(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


class StubEmbedder:
    """Stored synthetic vectors instead of a model: documents get the next rows, queries a lookup."""

    model_path = "synthetic"
    name = "synthetic"
    dim = DIM

    def __init__(self, doc_vecs, query_vecs: dict[str, np.ndarray]) -> None:
        self._docs = doc_vecs  # iterator of (n, DIM) chunks
        self._buf = np.zeros((0, DIM), np.float32)
        self._q = query_vecs
        self.gen_s = 0.0  # time spent making the synthetic vectors (not engine work: excluded from add())

    def release(self) -> None:
        """Drop the document-vector generator and its buffered chunk (bench data, not the engine's)."""
        self._docs = iter(())
        self._buf = np.zeros((0, DIM), np.float32)

    def encode(self, texts: list[str], *, progress: bool = False, cache: bool = False) -> np.ndarray:
        if cache:  # queries
            return np.stack([self._q.get(t, self._q["__default__"]) for t in texts])
        t0 = time.perf_counter()
        while self._buf.shape[0] < len(texts):
            self._buf = np.concatenate([self._buf, next(self._docs)])
        self.gen_s += time.perf_counter() - t0
        out, self._buf = self._buf[: len(texts)], self._buf[len(texts) :]
        return out


def worker_engine(a, res: dict) -> None:
    from qiao.matching.engine import Document, Engine, EngineConfig

    st0 = proc_status()
    base, base_anon = st0["VmRSS"], st0["RssAnon"]
    c = load_corpus(a)
    vl = c["vocab"].tolist()
    queries = [" ".join(vl[t] for t in q) for q in queries_of(c)][: a.engine_queries]
    qv = query_vectors(c, a.seed)
    qmap = {q: qv[i] for i, q in enumerate(queries)}
    qmap["__default__"] = qv[0]
    tokens, offsets, owners = c["tokens"], c["offsets"], c["owners"]
    n = len(offsets) - 1
    eng = Engine(EngineConfig(dense="off"), analyzer=WhitespaceAnalyzer())
    # stored synthetic vectors (no model): switch the dense path on with a stub embedder
    eng._dense_on = True
    eng._embedder = StubEmbedder(doc_vectors(c, a.seed), qmap)
    reset_peak()
    add_s = 0.0
    chunk = 50_000
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        docs = []
        for i in range(s, e):
            toks = vl_take(vl, tokens[offsets[i] : offsets[i + 1]])
            docs.append(Document(str(i), f"e{owners[i]}", " ".join(toks[:12]), " ".join(toks[12:])))
        t0 = time.perf_counter()
        eng.add(docs)
        add_s += time.perf_counter() - t0
        del docs
    add_s -= eng._embedder.gen_s  # making the synthetic vectors is not engine work
    t0 = time.perf_counter()
    st_eng = eng.stats()  # builds the index
    rebuild_s = time.perf_counter() - t0
    eng._embedder.release()  # the stub's synthetic vectors are bench data, not engine memory
    del tokens, offsets, owners, c
    release_memory()
    st = proc_status()
    res["build_s"] = add_s + rebuild_s
    res["add_s"] = add_s
    res["rebuild_s"] = rebuild_s
    res["rss_mb"] = st["VmRSS"] - base
    res["peak_mb"] = st["VmHWM"] - base
    res["engine_stats"] = st_eng
    runs = {}
    for name, fn, what in (
        (
            "engine-lexical",
            lambda q: [int(h.doc_id) for h in eng.search(q, 10, mode="lexical")],
            "Engine.search lexical",
        ),
        (
            "engine-hybrid",
            lambda q: [int(h.doc_id) for h in eng.search(q, 10, mode="hybrid")],
            "Engine.search hybrid",
        ),
        ("engine-experts", lambda q: [0 for h in eng.rank_owners(q, 10)], "Engine.rank_owners hybrid"),
    ):
        stats, tops = time_queries(fn, queries, warmup=5)
        runs[name] = {"stats": stats, "tops": tops if name != "engine-experts" else [], "what": what}
    res["runs"] = runs
    after = proc_status()
    res["note"] = (
        "full Engine incl. stored Document texts (spooled to a temporary file), word + Chinese-bigram fields, LSA vectors, owner map and "
        f"{int((eng._share >= eng.config.min_latin_share).sum()):,} stored 384-d vectors (docs with Latin share >= "
        f"{eng.config.min_latin_share}); analyzer = whitespace split of the synthetic tokens; "
        f"build = add() {add_s:.0f}s (without the {eng._embedder.gen_s:.0f}s the stub spent making vectors) + "
        f"index {rebuild_s:.0f}s; RSS after the queries {after['VmRSS'] - base:,.0f} MB "
        f"(anonymous {after['RssAnon'] - base_anon:,.0f} MB; the rest is memory-mapped files: term frequencies and, above "
        "dense_brute_max documents, LSA vectors and embeddings, spilled to temporary files and read "
        "on demand)"
    )


def vl_take(vl: list[str], ids: np.ndarray) -> list[str]:
    return [vl[t] for t in ids.tolist()]


def worker_embed(a, res: dict) -> None:
    from qiao.matching.engine import dense

    if not dense.available():
        res["skipped"] = (
            "ml extra not installed (sentence-transformers + packaged model): no embedding throughput"
        )
        res["runs"] = {}
        return
    texts = []
    for path in sorted(Path(a.benchmarks).glob("*/candidates.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                for d in json.loads(line)["documents"]:
                    texts.append(f"{d.get('title') or ''}. {d.get('text') or ''}")
                if len(texts) >= 512:
                    break
    import torch

    torch.set_num_threads(os.cpu_count() or 1)  # a batch job: all cores (queries are timed on one)
    emb = dense.Embedder()
    emb.encode(texts[:8])
    sample = texts[8:136]
    t0 = time.perf_counter()
    emb.encode(sample)
    secs = time.perf_counter() - t0
    res["extra"] = {
        "embed_docs_per_s": round(len(sample) / secs, 1),
        "sample": f"{len(sample)} benchmark abstracts (title + abstract, max 256 word pieces)",
        "model": emb.name,
        "threads": torch.get_num_threads(),
    }
    res["runs"] = {}


WORKERS = {
    "bm25s": worker_bm25s,
    "tantivy": worker_tantivy,
    "qiao": worker_qiao,
    "engine": worker_engine,
    "embed": worker_embed,
    "ab": worker_ab,
}


# --------------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------------


def params_of(a) -> dict:
    return {"docs": a.docs, "experts": a.experts, "queries": a.queries, "seed": a.seed}


def machine() -> str:
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in open("/proc/meminfo") if x.startswith("MemTotal")) / 1024**2
    except OSError:
        mem = 0
    return f"{os.cpu_count()} CPUs ({model}), {mem:.0f} GiB RAM, Linux {platform.release()}, Python {platform.python_version()}"


def overlap(a_tops: list[list[int]], b_tops: list[list[int]]) -> float | None:
    n = min(len(a_tops), len(b_tops))
    if not n:
        return None
    return float(np.mean([len(set(a_tops[i]) & set(b_tops[i])) / max(1, len(b_tops[i])) for i in range(n)]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--experts", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument(
        "--engine-queries", type=int, default=200, help="queries for the (slower) full-Engine runs"
    )
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--no-proposals",
        dest="proposals",
        action="store_false",
        help="skip timing bench/proposals (patches suggested for the engine)",
    )
    ap.add_argument("--systems", default="qiao,bm25s,tantivy,engine,embed")
    ap.add_argument(
        "--benchmarks",
        default=os.environ.get("QIAO_BENCHMARKS") or str(ROOT.parent / "shared" / "benchmarks"),
    )
    ap.add_argument("--out", default=str(OUT / "bench.md"))
    ap.add_argument(
        "--reuse",
        default="",
        help="comma-separated systems whose bench/out/bench.SYSTEM.json of the same corpus is reused, not re-run",
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)

    if a.worker:
        res: dict = {
            "system": a.worker,
            "params": params_of(a),
            "started": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        }
        WORKERS[a.worker](a, res)
        Path(a.result).write_text(json.dumps(res))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    t_all = time.perf_counter()
    load_corpus(a)  # synthesise once, in this process, before the workers
    c = load_corpus(a)
    n_tok = int(c["offsets"][-1])
    corpus_desc = (
        f"{a.docs:,} docs ({n_tok / a.docs:.0f} tokens/doc, {len(c['vocab']):,}-term vocabulary), "
        f"{a.experts:,} experts, {a.queries} queries ({len(c['q_tokens']) / a.queries:.1f} tokens/query), seed {a.seed}"
    )
    del c
    env = dict(os.environ)
    env.update(
        {
            "NUMBA_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT / "src"), env.get("PYTHONPATH", "")] if p),
        }
    )
    results: dict[str, dict] = {}
    reuse = {x.strip() for x in a.reuse.split(",") if x.strip()}
    for system in [s.strip() for s in a.systems.split(",") if s.strip()]:
        if system not in WORKERS:
            print(f"skipping unknown system {system!r}", file=sys.stderr)
            continue
        rpath = OUT / f"bench.{system}.d{a.docs}.json"
        if system in reuse and rpath.exists():
            prev = json.loads(rpath.read_text())
            if prev.get("params") == params_of(a) and "error" not in prev:
                print(f"reusing {rpath} (run {prev.get('started')})", file=sys.stderr)
                results[system] = prev
                continue
        cmd = [sys.executable, __file__, "--worker", system, "--result", str(rpath)]
        cmd += ["--docs", str(a.docs), "--experts", str(a.experts), "--queries", str(a.queries)]
        cmd += [
            "--seed",
            str(a.seed),
            "--benchmarks",
            a.benchmarks,
            "--engine-queries",
            str(a.engine_queries),
        ]
        cmd += [] if a.proposals else ["--no-proposals"]
        print(f"[{time.perf_counter() - t_all:6.0f}s] running {system} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, env=env)
        if p.returncode != 0 or not rpath.exists():
            results[system] = {"error": f"exit {p.returncode}"}
            continue
        results[system] = json.loads(rpath.read_text())
        results[system]["wall_s"] = time.perf_counter() - t0
        print(f"   done in {time.perf_counter() - t0:.0f}s", file=sys.stderr)

    md = report(a, results, corpus_desc)
    Path(a.out).write_text(md, encoding="utf-8")
    print(md)
    print(f"total {time.perf_counter() - t_all:.0f}s", file=sys.stderr)
    return 0


def floors(a, results: dict[str, dict], qps: dict[str, float]) -> list[str]:
    """The project's speed floors, checked on this run."""
    out = ["| floor | measured | ok |", "|---|---|---|"]

    def row(name: str, value: float | None, ok_if, fmt: str) -> None:
        if value is None:
            out.append(f"| {name} | not measured | |")
        else:
            out.append(f"| {name} | {fmt.format(value)} | {'✅' if ok_if(value) else '❌'} |")

    def ratio(a_: str, b_: str) -> float | None:
        for suf in (" (interleaved)", ""):  # prefer the load-robust interleaved run
            if a_ + suf in qps and b_ + suf in qps:
                return qps[a_ + suf] / qps[b_ + suf]
        return None

    row("Qiao lexical QPS ≥ 1× bm25s-numba", ratio("qiao", "numba"), lambda v: v >= 1.0, "{:.2f}×")
    row("Qiao lexical QPS ≥ 3× tantivy", ratio("qiao", "tantivy"), lambda v: v >= 3.0, "{:.2f}×")
    row(
        "(with the proposed top-k) ≥ 1× bm25s-numba",
        ratio("qiao-proposed", "numba"),
        lambda v: v >= 1.0,
        "{:.2f}×",
    )
    row(
        "(with the proposed top-k) ≥ 3× tantivy",
        ratio("qiao-proposed", "tantivy"),
        lambda v: v >= 3.0,
        "{:.2f}×",
    )
    eng = results.get("engine", {}).get("runs", {})
    hy = eng.get("engine-hybrid", {}).get("stats")
    ex = eng.get("engine-experts", {}).get("stats")
    row("hybrid top-10 p50 ≤ 50 ms", hy and hy["p50_ms"], lambda v: v <= 50, "{:.1f} ms")
    row("hybrid top-10 p95 ≤ 150 ms", hy and hy["p95_ms"], lambda v: v <= 150, "{:.1f} ms")
    row("expert ranking p50 ≤ 80 ms", ex and ex["p50_ms"], lambda v: v <= 80, "{:.1f} ms")
    q = results.get("qiao", {})
    row(
        "LexicalIndex build ≥ 20k docs/s",
        a.docs / q["build_s"] if q.get("build_s") else None,
        lambda v: v >= 20_000,
        "{:,.0f} docs/s",
    )
    ab = results.get("ab", {}).get("builds_docs_per_s", {})
    row(
        "LexicalIndex build ≥ 20k docs/s (interleaved run)",
        ab.get("qiao"),
        lambda v: v >= 20_000,
        "{:,.0f} docs/s",
    )
    e = results.get("engine", {})
    row(
        "Engine build (add + index) ≥ 20k docs/s",
        a.docs / e["build_s"] if e.get("build_s") else None,
        lambda v: v >= 20_000,
        "{:,.0f} docs/s",
    )
    row("Engine RSS ≤ 2.5 GB", e.get("rss_mb"), lambda v: v <= 2560, "{:,.0f} MB")
    row("LexicalIndex RSS ≤ 2.5 GB", q.get("rss_mb"), lambda v: v <= 2560, "{:,.0f} MB")
    return [*out, ""]


def report(a, results: dict[str, dict], corpus_desc: str) -> str:
    rows = []
    ref = results.get("bm25s", {}).get("runs", {}).get("numba", {}).get("tops")
    qps: dict[str, float] = {}
    for system, res in results.items():
        if "error" in res:
            rows.append([system, "error: " + res["error"]] + [""] * 7)
            continue
        for name, run in res.get("runs", {}).items():
            label = {
                "numba": "bm25s (numba)",
                "numpy": "bm25s (numpy)",
                "numba (interleaved)": "bm25s (numba), interleaved",
                "qiao (interleaved)": "qiao, interleaved",
                "qiao-proposed (interleaved)": "qiao-proposed, interleaved",
                "tantivy (interleaved)": "tantivy, interleaved",
            }.get(name, name)
            st = run["stats"]
            qps[name] = st["qps"]
            ov = overlap(run["tops"], ref) if ref is not None else None
            build = res.get("build_s")
            bps = res.get("builds_docs_per_s", {}).get(name.replace(" (interleaved)", ""))
            if bps:
                build = a.docs / bps
            rows.append(
                [
                    label,
                    run.get("what", "lexical top-10"),
                    f"{a.docs / build:,.0f}" if build else "—",
                    f"{res['rss_mb']:,.0f} / {res['peak_mb']:,.0f}" if "rss_mb" in res else "—",
                    f"{st['p50_ms']:.2f}",
                    f"{st['p95_ms']:.2f}",
                    f"{st['qps']:,.1f}",
                    "—" if ov is None else f"{100 * ov:.0f} %",
                ]
            )
    head = [
        "system",
        "operation",
        "build docs/s",
        "RSS MB (index / peak)",
        "p50 ms",
        "p95 ms",
        "QPS (1 thread)",
        "top-10 overlap with bm25s",
    ]
    lines = [
        f"# Engine speed benchmark ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {machine()}.",
        f"Corpus: {corpus_desc}.",
        f"Command: `bench/bench_engine.py --docs {a.docs} --experts {a.experts} --queries {a.queries} "
        f"--seed {a.seed} --systems {a.systems}`",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *["| " + " | ".join(r) + " |" for r in rows],
        "",
    ]
    if "qiao (interleaved)" in qps:
        iq = qps["qiao (interleaved)"]
        ip = qps.get("qiao-proposed (interleaved)")
        parts = []
        for other, lab in (("numba (interleaved)", "bm25s-numba"), ("tantivy (interleaved)", "tantivy")):
            if other in qps:
                parts.append(f"Qiao / {lab} = **{iq / qps[other]:.2f}×**")
                if ip:
                    parts.append(f"Qiao with the proposed top-k / {lab} = **{ip / qps[other]:.2f}×**")
        lines += ["Ratios of QPS, interleaved in one process (robust to load): " + "; ".join(parts) + ".", ""]
    if "qiao" in qps:
        ratios = []
        for other, lab in (("numba", "bm25s-numba"), ("numpy", "bm25s-numpy"), ("tantivy", "tantivy")):
            if other in qps:
                ratios.append(f"Qiao QPS / {lab} QPS = **{qps['qiao'] / qps[other]:.2f}×**")
        lines += [
            "Ratios of QPS, separate processes (run at different times, so under different machine load): "
            + "; ".join(ratios)
            + ".",
            "",
        ]
    lines += floors(a, results, qps)
    notes = [f"- {s}: run {r['started']}" for s, r in results.items() if r.get("started")]
    notes += [f"- {s}: {r['note']}" for s, r in results.items() if r.get("note")]
    notes += [f"- {s}: skipped: {r['skipped']}" for s, r in results.items() if r.get("skipped")]
    notes += [f"- {s}: " + json.dumps(r["extra"]) for s, r in results.items() if r.get("extra")]
    if notes:
        lines += ["Notes:", *notes, ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
