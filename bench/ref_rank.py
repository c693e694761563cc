"""A plain BM25 reference ranker implementing the `qiao rank` contract (bench helper, not product code).

    python bench/ref_rank.py --candidates C.jsonl --queries Q.jsonl [--pairs P.tsv] [--top-k K] --out RUN.tsv

Mirrors the benchmarks' "BM25 (reference implementation)": jieba precise mode for Chinese, lower-cased
``[a-z0-9]+`` runs with a small English stop list and the Snowball/Porter stemmer for Latin script,
BM25 (k1 1.2, b 0.75, Lucene idf via bm25s) over each candidate document, title + text, query =
title + text (+ focus once more), a candidate's score = max over its documents. Used by
``bench/eval_dev.py --rank-cmd`` to check the harness and the metrics before/without the engine.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

import bm25s
import jieba
import numpy as np
import Stemmer

_LATIN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_STOP = set(bm25s.stopwords.STOPWORDS_EN)
_STEM = Stemmer.Stemmer("porter")
jieba.setLogLevel(60)


def tokenize(text: str) -> list[str]:
    out: list[str] = []
    for piece in re.split(r"([\u3400-\u9fff]+)", text.lower()):
        if not piece:
            continue
        if _CJK.fullmatch(piece):
            out.extend(w for w in jieba.lcut(piece) if w.strip())
        else:
            words = [w for w in _LATIN.findall(piece) if w not in _STOP]
            out.extend(_STEM.stemWords(words))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--candidates", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--pairs")
    ap.add_argument("--top-k", type=int, default=100)
    ap.add_argument("--out", required=True)
    ap.add_argument("--mode", default="lexical", help="accepted for CLI compatibility; always lexical")
    a = ap.parse_args(argv)

    owners: list[str] = []
    docs: list[list[str]] = []
    for line in open(a.candidates, encoding="utf-8"):
        if not line.strip():
            continue
        c = json.loads(line)
        for d in c["documents"]:
            owners.append(str(c["id"]))
            docs.append(tokenize(f"{d.get('title') or ''} {d.get('text') or ''}") or ["\u2205"])
    owner_ids = sorted(set(owners))
    owner_index = {o: i for i, o in enumerate(owner_ids)}
    doc_owner = np.array([owner_index[o] for o in owners])
    ret = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    ret.index(docs, show_progress=False)

    pairs: dict[str, list[str]] | None = None
    if a.pairs:
        pairs = {}
        for line in open(a.pairs, encoding="utf-8"):
            if line.strip():
                q, c = line.rstrip("\r\n").split("\t")[:2]
                pairs.setdefault(q, []).append(c)

    with open(a.out, "w", encoding="utf-8") as out:
        for line in open(a.queries, encoding="utf-8"):
            if not line.strip():
                continue
            q = json.loads(line)
            text = f"{q.get('title') or ''} {q.get('text') or ''} {q.get('focus') or ''}"
            toks = [t for t in tokenize(text) if t in ret.vocab_dict]
            doc_scores = ret.get_scores(toks) if toks else np.zeros(len(docs), dtype=np.float32)
            owner_scores = np.full(len(owner_ids), -np.inf)
            np.maximum.at(owner_scores, doc_owner, doc_scores)
            if pairs is not None:
                for c in pairs.get(q["id"], []):
                    s = owner_scores[owner_index[c]] if c in owner_index else 0.0
                    out.write(f"{q['id']}\t{c}\t{float(s):.6f}\n")
            else:
                k = min(a.top_k, len(owner_ids))
                top = np.argsort(-owner_scores, kind="stable")[:k]
                for i in top:
                    out.write(f"{q['id']}\t{owner_ids[i]}\t{float(owner_scores[i]):.6f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
