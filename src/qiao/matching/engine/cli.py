"""``qiao rank``: batch ranking of candidates (experts / papers) for queries (needs / papers).

    qiao rank --candidates CANDIDATES.jsonl --queries QUERIES.jsonl [--pairs PAIRS.tsv]
              [--top-k K] --out RUN.tsv [--mode hybrid|lexical] [--no-dense]

CANDIDATES.jsonl  {"id": str, "documents": [{"title": str, "text": str, "year": int|null}, ...]}
QUERIES.jsonl     {"id": str, "title": str (may be ""), "text": str, "focus": str (optional)}
PAIRS.tsv         no header: query_id<TAB>candidate_id -- score exactly these pairs
RUN.tsv           query_id<TAB>candidate_id<TAB>score (higher = better); without --pairs the top K
                  candidates per query (default 100)

Bad input stops with a message naming the file and line, and exit status 2.
Also runnable as ``python -m qiao.matching.engine rank ...``. Heavy libraries load lazily.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

__all__ = ["InputError", "main", "read_candidates", "read_pairs", "read_queries"]

SEP = "\x1f"  # candidate id + SEP + document number = engine document id


class InputError(Exception):
    """Invalid input file content (message names the file and line)."""


def _err(path, lineno, msg) -> InputError:
    return InputError(f"{path}:{lineno}: {msg}")


def _lines(path: str):
    try:
        f = open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as e:
        raise InputError(f"{path}: cannot open: {e.strerror or e}")
    with f:
        try:
            yield from enumerate(f, 1)
        except UnicodeDecodeError as e:
            raise InputError(f"{path}: not valid UTF-8 ({e.reason} at byte {e.start})")


def _json_objects(path: str):
    for i, line in _lines(path):
        s = line.strip()
        if not s:
            continue
        try:
            obj = json.loads(s)
        except json.JSONDecodeError as e:
            raise _err(path, i, f"malformed JSON: {e.msg} (column {e.colno})")
        if not isinstance(obj, dict):
            raise _err(path, i, f"expected a JSON object, got {type(obj).__name__}")
        yield i, obj


def _str_field(path, i, obj, key, *, required=True, allow_empty=True, where=""):
    if key not in obj or obj[key] is None:
        if required:
            raise _err(path, i, f"missing field {where}{key!r}")
        return ""
    v = obj[key]
    if not isinstance(v, str):
        raise _err(path, i, f"field {where}{key!r} must be a string, got {type(v).__name__}")
    if not allow_empty and not v.strip():
        raise _err(path, i, f"field {where}{key!r} is empty")
    return v


def read_candidates(path: str) -> list[tuple[str, list[tuple[str, str, int | None]]]]:
    out = []
    seen: dict[str, int] = {}
    for i, obj in _json_objects(path):
        cid = _str_field(path, i, obj, "id", allow_empty=False)
        if cid in seen:
            raise _err(path, i, f"duplicate candidate id {cid!r} (first on line {seen[cid]})")
        seen[cid] = i
        docs = obj.get("documents")
        if docs is None:
            raise _err(path, i, "missing field 'documents'")
        if not isinstance(docs, list):
            raise _err(path, i, f"field 'documents' must be a list, got {type(docs).__name__}")
        if not docs:
            raise _err(path, i, f"candidate {cid!r} has no documents")
        parsed = []
        for j, d in enumerate(docs):
            w = f"documents[{j}]."
            if not isinstance(d, dict):
                raise _err(path, i, f"documents[{j}] must be an object, got {type(d).__name__}")
            title = _str_field(path, i, d, "title", required=False, where=w)
            text = _str_field(path, i, d, "text", required=False, where=w)
            if not title.strip() and not text.strip():
                raise _err(path, i, f"documents[{j}] of candidate {cid!r} has empty title and text")
            year = d.get("year")
            if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
                raise _err(path, i, f"field {w}'year' must be an integer or null, got {type(year).__name__}")
            parsed.append((title, text, year))
        out.append((cid, parsed))
    if not out:
        raise InputError(f"{path}: no candidates")
    return out


def read_queries(path: str) -> list[tuple[str, str, str, str]]:
    out = []
    seen: dict[str, int] = {}
    for i, obj in _json_objects(path):
        qid = _str_field(path, i, obj, "id", allow_empty=False)
        if qid in seen:
            raise _err(path, i, f"duplicate query id {qid!r} (first on line {seen[qid]})")
        seen[qid] = i
        title = _str_field(path, i, obj, "title", required=False)
        text = _str_field(path, i, obj, "text")
        focus = _str_field(path, i, obj, "focus", required=False)
        if not text.strip() and not title.strip():
            raise _err(path, i, f"query {qid!r} has empty text and title")
        out.append((qid, title, text, focus))
    if not out:
        raise InputError(f"{path}: no queries")
    return out


def read_pairs(path: str, qids: set[str], cids: set[str]) -> dict[str, list[str]]:
    pairs: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for i, line in _lines(path):
        s = line.rstrip("\r\n")
        if not s.strip():
            continue
        parts = s.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise _err(path, i, f"expected 'query_id<TAB>candidate_id', got {s[:80]!r}")
        q, c = parts[0].strip(), parts[1].strip()
        if q not in qids:
            raise _err(path, i, f"unknown query id {q!r} (not in the queries file)")
        if c not in cids:
            raise _err(path, i, f"unknown candidate id {c!r} (not in the candidates file)")
        if (q, c) in seen:
            continue
        seen.add((q, c))
        pairs.setdefault(q, []).append(c)
    return pairs


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qiao rank", description="Rank candidates for queries (matching engine).")
    p.add_argument("--candidates", required=True, help="CANDIDATES.jsonl")
    p.add_argument("--queries", required=True, help="QUERIES.jsonl")
    p.add_argument("--pairs", help="PAIRS.tsv: score exactly these (query, candidate) pairs")
    p.add_argument("--top-k", type=int, default=100, help="candidates per query without --pairs (default 100)")
    p.add_argument("--out", required=True, help="RUN.tsv to write")
    p.add_argument("--mode", choices=["hybrid", "lexical"], default="hybrid")
    p.add_argument("--no-dense", action="store_true", help="do not load the dense model (lexical only)")
    p.add_argument("--dense-max-docs", type=int, default=50000,
                   help="skip the dense model above this many documents (CPU embedding is slow; default 50000)")
    p.add_argument("--config", help="JSON object of EngineConfig overrides, e.g. '{\"k1\": 1.0}'")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.top_k <= 0:
        print("qiao rank: --top-k must be positive", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    log = (lambda *a: None) if args.quiet else (lambda *a: print("qiao rank:", *a, file=sys.stderr))
    try:
        cands = read_candidates(args.candidates)
        queries = read_queries(args.queries)
        pairs = None
        if args.pairs:
            pairs = read_pairs(args.pairs, {q[0] for q in queries}, {c[0] for c in cands})
        overrides = {}
        if args.config:
            try:
                overrides = json.loads(args.config)
            except json.JSONDecodeError as e:
                raise InputError(f"--config: malformed JSON: {e.msg}")
            if not isinstance(overrides, dict):
                raise InputError("--config: expected a JSON object")
    except InputError as e:
        print(f"qiao rank: error: {e}", file=sys.stderr)
        return 2

    import logging

    logging.basicConfig(level=logging.WARNING, format="qiao rank: %(levelname)s: %(message)s")
    from tqdm import tqdm

    from .engine import Document, Engine, EngineConfig, Query

    cfg_kw = {"dense": "off" if (args.no_dense or args.mode == "lexical") else "auto"}
    known = set(EngineConfig.__dataclass_fields__)
    bad = [k for k in overrides if k not in known]
    if bad:
        print(f"qiao rank: error: --config: unknown setting(s) {', '.join(bad)}", file=sys.stderr)
        return 2
    n_docs = sum(len(d) for _, d in cands)
    if cfg_kw["dense"] != "off" and n_docs > args.dense_max_docs:
        log(f"{n_docs} documents > --dense-max-docs {args.dense_max_docs}: dense model off")
        cfg_kw["dense"] = "off"
    cfg_kw.update(overrides)
    try:
        eng = Engine(EngineConfig(**cfg_kw))  # type: ignore[arg-type]
    except (RuntimeError, TypeError) as e:
        print(f"qiao rank: error: {e}", file=sys.stderr)
        return 2
    log(f"{len(cands)} candidates ({n_docs} documents), {len(queries)} queries;"
        f" dense={'on' if eng.dense_enabled else 'off'}")
    docs = (Document(f"{cid}{SEP}{j}", cid, t, x, y) for cid, ds in cands for j, (t, x, y) in enumerate(ds))
    eng.add(docs, progress=not args.quiet)
    eng.stats()  # build the index now (timed separately from the queries)
    log(f"indexed in {time.perf_counter() - t0:.1f}s")
    mode = args.mode
    out_path = Path(args.out)
    try:
        out = open(out_path, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as e:
        print(f"qiao rank: error: {out_path}: cannot write: {e.strerror or e}", file=sys.stderr)
        return 2
    n_lines = 0
    with out:
        for qid, title, text, focus in tqdm(queries, desc="ranking", unit="query", file=sys.stderr,
                                            disable=args.quiet):
            q = Query(text=text, title=title, focus=focus)
            if pairs is not None:
                want = pairs.get(qid)
                if not want:
                    continue
                scores = eng.score_owners(q, want, mode=mode)
                lo = min(scores.values(), default=0.0) - 1.0
                ranked = sorted(((c, scores.get(c, lo)) for c in want), key=lambda cs: -cs[1])
            else:
                hits = eng.rank_owners(q, top_k=args.top_k, mode=mode, evidence=0)
                ranked = [(h.owner, h.score) for h in hits]
            for cid, s in ranked:
                out.write(f"{qid}\t{cid}\t{s:.6f}\n")
                n_lines += 1
    log(f"wrote {n_lines} lines to {out_path} in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
