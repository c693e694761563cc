"""`qiao rank` batch contract (qiao.matching.engine.cli:main), including every bad-input error."""

import json
import subprocess
import sys

import pytest

from qiao.matching.engine.cli import main

CANDS = [
    {"id": "c1", "documents": [{"title": "Lithium-ion battery health", "text": "State of health estimation.", "year": 2020},
                               {"title": "Battery thermal models", "text": "Thermal models of Li-ion cells.", "year": None}]},
    {"id": "c2", "documents": [{"title": "Neural machine translation", "text": "Attention translates sentences.", "year": 2019}]},
    {"id": "c3", "documents": [{"title": "锂电池健康状态估计", "text": "基于深度学习的锂离子电池健康状态估计。"}]},
]
QUERIES = [
    {"id": "q1", "title": "", "text": "battery state of health"},
    {"id": "q2", "title": "Translation", "text": "neural machine translation with attention", "focus": "attention"},
    {"id": "q3", "title": "", "text": "锂电池 健康状态"},
]


def write(tmp_path, name, rows):
    p = tmp_path / name
    if isinstance(rows, str):
        p.write_text(rows, encoding="utf-8")
    else:
        p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(p)


def read_run(path):
    return [line.split("\t") for line in open(path, encoding="utf-8").read().splitlines()]


@pytest.fixture
def files(tmp_path):
    return write(tmp_path, "c.jsonl", CANDS), write(tmp_path, "q.jsonl", QUERIES), tmp_path


def run(c, q, out, *extra):
    return main(["--candidates", c, "--queries", q, "--out", str(out), "--no-dense", "--quiet", *extra])


def test_top_k_run(files):
    c, q, tmp = files
    assert run(c, q, tmp / "run.tsv", "--top-k", "2") == 0
    rows = read_run(tmp / "run.tsv")
    by_q = {}
    for qid, cid, score in rows:
        by_q.setdefault(qid, []).append((cid, float(score)))
    assert by_q["q1"][0][0] == "c1" and by_q["q2"][0][0] == "c2" and by_q["q3"][0][0] == "c3"
    assert all(len(v) <= 2 for v in by_q.values())
    for v in by_q.values():
        assert [s for _, s in v] == sorted((s for _, s in v), reverse=True)


def test_pairs_scores_exactly_the_pairs(files):
    c, q, tmp = files
    pairs = write(tmp, "p.tsv", "q1\tc1\nq1\tc2\nq1\tc3\nq2\tc3\n\nq2\tc1\n")
    assert run(c, q, tmp / "run.tsv", "--pairs", pairs) == 0
    rows = read_run(tmp / "run.tsv")
    assert sorted((a, b) for a, b, _ in rows) == sorted([("q1", "c1"), ("q1", "c2"), ("q1", "c3"), ("q2", "c3"), ("q2", "c1")])
    q1 = [r for r in rows if r[0] == "q1"]
    assert q1[0][1] == "c1"


def test_lexical_mode_and_config(files):
    c, q, tmp = files
    assert run(c, q, tmp / "r.tsv", "--mode", "lexical", "--config", '{"k1": 0.9, "lsa_dim": 0}') == 0
    assert read_run(tmp / "r.tsv")
    assert run(c, q, tmp / "r.tsv", "--config", '{"nope": 1}') == 2
    assert run(c, q, tmp / "r.tsv", "--config", "[1]") == 2
    assert run(c, q, tmp / "r.tsv", "--config", "{bad") == 2
    assert run(c, q, tmp / "r.tsv", "--top-k", "0") == 2


BAD_CANDIDATES = [
    ("not json\n", "c.jsonl:1: malformed JSON"),
    ('{"id": "a", "documents": [{"title": "t", "text": "x"}]}\n[1, 2]\n', "c.jsonl:2: expected a JSON object"),
    ('{"documents": [{"title": "t", "text": "x"}]}\n', "c.jsonl:1: missing field 'id'"),
    ('{"id": 5, "documents": [{"title": "t", "text": "x"}]}\n', "c.jsonl:1: field 'id' must be a string"),
    ('{"id": "", "documents": [{"title": "t", "text": "x"}]}\n', "c.jsonl:1: field 'id' is empty"),
    ('{"id": "a"}\n', "c.jsonl:1: missing field 'documents'"),
    ('{"id": "a", "documents": "x"}\n', "c.jsonl:1: field 'documents' must be a list"),
    ('{"id": "a", "documents": []}\n', "c.jsonl:1: candidate 'a' has no documents"),
    ('{"id": "a", "documents": [3]}\n', "c.jsonl:1: documents[0] must be an object"),
    ('{"id": "a", "documents": [{"title": 1, "text": "x"}]}\n', "c.jsonl:1: field documents[0].'title' must be a string"),
    ('{"id": "a", "documents": [{"title": " ", "text": ""}]}\n', "c.jsonl:1: documents[0] of candidate 'a' has empty title and text"),
    ('{"id": "a", "documents": [{"title": "t", "text": "x", "year": "2020"}]}\n', "c.jsonl:1: field documents[0].'year' must be an integer"),
    ('{"id": "a", "documents": [{"title": "t", "text": "x"}]}\n\n{"id": "a", "documents": [{"title": "t", "text": "y"}]}\n',
     "c.jsonl:3: duplicate candidate id 'a' (first on line 1)"),
    ("", "c.jsonl: no candidates"),
]


@pytest.mark.parametrize(("content", "message"), BAD_CANDIDATES)
def test_bad_candidates(tmp_path, capsys, content, message):
    c = write(tmp_path, "c.jsonl", content)
    q = write(tmp_path, "q.jsonl", QUERIES)
    assert run(c, q, tmp_path / "run.tsv") == 2
    err = capsys.readouterr().err
    assert message in err, err


BAD_QUERIES = [
    ('{"id": "q", "text": "x"\n', "q.jsonl:1: malformed JSON"),
    ('{"id": "q"}\n', "q.jsonl:1: missing field 'text'"),
    ('{"id": "q", "text": ["x"]}\n', "q.jsonl:1: field 'text' must be a string"),
    ('{"id": "q", "text": "x", "focus": 3}\n', "q.jsonl:1: field 'focus' must be a string"),
    ('{"id": "q", "title": "", "text": "  "}\n', "q.jsonl:1: query 'q' has empty text and title"),
    ('{"id": "q", "text": "x"}\n{"id": "q", "text": "y"}\n', "q.jsonl:2: duplicate query id 'q'"),
]


@pytest.mark.parametrize(("content", "message"), BAD_QUERIES)
def test_bad_queries(tmp_path, capsys, content, message):
    c = write(tmp_path, "c.jsonl", CANDS)
    q = write(tmp_path, "q.jsonl", content)
    assert run(c, q, tmp_path / "run.tsv") == 2
    assert message in capsys.readouterr().err


BAD_PAIRS = [
    ("q1\tc1\nq9\tc1\n", "p.tsv:2: unknown query id 'q9'"),
    ("q1\tc9\n", "p.tsv:1: unknown candidate id 'c9'"),
    ("q1 c1\n", "p.tsv:1: expected 'query_id<TAB>candidate_id'"),
    ("q1\tc1\tx\n", "p.tsv:1: expected 'query_id<TAB>candidate_id'"),
]


@pytest.mark.parametrize(("content", "message"), BAD_PAIRS)
def test_bad_pairs(files, capsys, content, message):
    c, q, tmp = files
    p = write(tmp, "p.tsv", content)
    assert run(c, q, tmp / "run.tsv", "--pairs", p) == 2
    assert message in capsys.readouterr().err


def test_missing_files_and_bad_encoding(files, capsys):
    c, q, tmp = files
    assert run(str(tmp / "nope.jsonl"), q, tmp / "run.tsv") == 2
    assert "nope.jsonl: cannot open" in capsys.readouterr().err
    bad = tmp / "latin1.jsonl"
    bad.write_bytes(b'{"id": "q", "text": "caf\xe9"}\n')
    assert run(c, str(bad), tmp / "run.tsv") == 2
    assert "not valid UTF-8" in capsys.readouterr().err
    assert run(c, q, tmp / "no-such-dir" / "run.tsv") == 2
    with pytest.raises(SystemExit) as e:
        main(["--queries", q, "--out", "x"])  # argparse: missing --candidates
    assert e.value.code == 2


def test_python_dash_m_entry_point(files):
    c, q, tmp = files
    out = tmp / "m.tsv"
    r = subprocess.run([sys.executable, "-m", "qiao.matching.engine", "rank", "--candidates", c, "--queries", q,
                        "--out", str(out), "--no-dense", "--top-k", "1"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(read_run(out)) == 3
    r = subprocess.run([sys.executable, "-m", "qiao.matching.engine", "frobnicate"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2
