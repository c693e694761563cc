"""DEV evaluation of the matching engine through the real `qiao rank` contract (`make eval`).

    .venv/bin/python bench/eval_dev.py [--mode lexical|hybrid] [--only csfcube,csl-keywords,...]   (default mode:
                                       hybrid if `make ml` installed the dense models)
                                       [--benchmarks DIR] [--rank-cmd "CMD ..."] [--out-dir bench/out]

For each of the three DEV sets in ``$QIAO_BENCHMARKS`` (default ``../shared/benchmarks`` next to the
repository) it runs ``python -m qiao.matching.engine rank --candidates … --queries … [--pairs …]
[--top-k K] --mode MODE --out RUN.tsv`` in a subprocess, scores RUN.tsv with
``qiao.matching.engine.metrics`` and with the folder's own ``score.py`` (the two must agree to the
printed 2 decimals, else the script says so and exits 1), and prints a table beside the reference
numbers of the READMEs and the project's floors. The same table goes to ``bench/out/eval.md``.
The data are read where they are; nothing of them is copied into the repository.

``--rank-cmd`` replaces the ranker (e.g. ``--rank-cmd ".venv/bin/python bench/ref_rank.py"`` for the
plain BM25 reference), which is how the harness is checked without the engine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qiao.matching.engine import metrics as M  # noqa: E402


@dataclass
class Bench:
    name: str
    folder: str
    args: list[str]
    # our metric name -> (label printed by score.py, reference BM25, reference BM25+MiniLM, floor)
    metrics: dict[str, tuple[str, float | None, float | None, float | None]]
    judged_only: bool = False
    facets: list[str] = field(default_factory=list)


BENCHES = [
    Bench(
        "csfcube",
        "csfcube-dev",
        ["--pairs", "{dir}/pairs.tsv"],
        {
            "MAP>=2": ("MAP", 38.88, 42.39, 45.0),
            "NDCG%20": ("NDCG%20", 56.29, 59.73, 64.0),
            "NDCG0@20": ("NDCG@20", None, None, None),
        },
        judged_only=True,
        facets=["background", "method", "result"],
    ),
    Bench(
        "csl-keywords",
        "csl-keywords-dev",
        ["--top-k", "100"],
        {
            "MRR@10": ("MRR@10", 99.52, 99.36, 99.0),
            "Recall@10": ("Recall@10", 99.90, 100.00, None),
            "Recall@100": ("Recall@100", 100.00, 100.00, None),
        },
    ),
    Bench(
        "csl-discipline",
        "csl-discipline-dev",
        ["--top-k", "1000"],
        {
            "MAP": ("MAP", 13.77, 10.05, None),
            "nDCG@10": ("nDCG@10", 22.62, 16.50, 27.0),
            "P@10": ("P@10", 18.80, 14.50, None),
        },
    ),
]


def parse_score_py(bench: Bench, stdout: str) -> dict[str, float]:
    """The 'all' numbers printed by a folder's score.py, keyed by its labels."""
    out: dict[str, float] = {}
    if bench.name == "csfcube":
        m = re.search(r"^all\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", stdout, re.M)
        if m:
            out = {"MAP": float(m[1]), "NDCG%20": float(m[2]), "NDCG@20": float(m[3])}
    else:
        for label, _, _, _ in bench.metrics.values():
            m = re.search(rf"^\s*{re.escape(label)}\s+([\d.]+)", stdout, re.M)
            if m:
                out[label] = float(m[1])
    return out


def fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", default=None, choices=["lexical", "hybrid"],
                    help="default: hybrid when the dense models are installed (make ml), else lexical")
    ap.add_argument(
        "--only", default="", help="comma-separated subset of: " + ",".join(b.name for b in BENCHES)
    )
    ap.add_argument(
        "--benchmarks",
        default=os.environ.get("QIAO_BENCHMARKS") or str(ROOT.parent / "shared" / "benchmarks"),
    )
    ap.add_argument("--rank-cmd", default=None, help="ranker command prefix (default: the engine CLI)")
    ap.add_argument("--no-mode-flag", action="store_true", help="do not pass --mode to the ranker")
    ap.add_argument("--out-dir", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--label", default=None, help="name of the system in the table (default: Qiao <mode>)")
    a = ap.parse_args(argv)
    if a.mode is None:
        from qiao.matching.engine.dense import available

        a.mode = "hybrid" if available() else "lexical"

    bdir = Path(a.benchmarks)
    if not bdir.is_dir():
        print(f"benchmarks not found at {bdir} (set QIAO_BENCHMARKS)", file=sys.stderr)
        return 2
    out_dir = Path(a.out_dir)
    (out_dir / "runs").mkdir(parents=True, exist_ok=True)
    cmd_prefix = (
        shlex.split(a.rank_cmd)
        if a.rank_cmd
        else [str(ROOT / ".venv" / "bin" / "python"), "-m", "qiao.matching.engine", "rank"]
    )
    if not Path(cmd_prefix[0]).exists() and cmd_prefix[0].startswith(str(ROOT)):
        cmd_prefix[0] = sys.executable
    label = a.label or f"Qiao {a.mode}"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT / "src"), env.get("PYTHONPATH", "")] if p)
    only = {s.strip() for s in a.only.split(",") if s.strip()}

    rows: list[list[str]] = []
    facet_rows: list[list[str]] = []
    failures: list[str] = []
    for bench in BENCHES:
        if only and bench.name not in only:
            continue
        d = bdir / bench.folder
        run_path = out_dir / "runs" / f"{bench.name}.{a.mode}.tsv"
        cmd = [
            *cmd_prefix,
            "--candidates",
            str(d / "candidates.jsonl"),
            "--queries",
            str(d / "queries.jsonl"),
            *[x.format(dir=d) for x in bench.args],
            "--out",
            str(run_path),
        ]
        if not a.no_mode_flag:
            cmd += ["--mode", a.mode]
        print("$", " ".join(shlex.quote(c) for c in cmd), flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        secs = time.perf_counter() - t0
        if proc.returncode != 0:
            print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
            failures.append(f"{bench.name}: ranker exited {proc.returncode}")
            continue

        qrels = M.read_qrels(str(d / "qrels.tsv"))
        run = M.read_run(str(run_path))
        ours, per_q = M.evaluate(
            run, qrels, list(bench.metrics), judged_only=bench.judged_only, per_query=True
        )
        pq_path = run_path.with_suffix(".per_query.tsv")
        sp = subprocess.run(
            [sys.executable, str(d / "score.py"), str(run_path), "--per-query", str(pq_path)],
            capture_output=True,
            text=True,
        )
        theirs = parse_score_py(bench, sp.stdout)
        if sp.returncode != 0:
            failures.append(f"{bench.name}: score.py exited {sp.returncode}: {sp.stderr.strip()[:300]}")
        else:  # per-query cross-check to 1e-6 (score.py prints 6 decimals)
            worst = 0.0
            with open(pq_path, encoding="utf-8") as f:
                header = f.readline().rstrip("\n").split("\t")[1:]
                by_label = {lab: n for n, (lab, *_rest) in bench.metrics.items()}
                for line in f:
                    q, *vals = line.rstrip("\n").split("\t")
                    for lab, val in zip(header, vals, strict=True):
                        worst = max(worst, abs(per_q[q][by_label[lab]] - float(val)))
            if worst > 2e-6:
                failures.append(f"{bench.name}: per-query difference to score.py up to {worst:.2e}")
            print(f"  per-query max |metrics.py - score.py| = {worst:.1e}", flush=True)
        for name, (lab, ref_bm25, ref_mini, floor) in bench.metrics.items():
            v = 100 * ours[name]
            t = theirs.get(lab)
            agree = t is not None and abs(round(v, 2) - t) <= 0.011
            if not agree:
                failures.append(f"{bench.name} {lab}: metrics.py {v:.4f} vs score.py {t}")
            ok = "" if floor is None else ("✅" if v >= floor else "❌")
            rows.append(
                [
                    bench.name,
                    lab,
                    f"**{v:.2f}**",
                    fmt(ref_bm25),
                    fmt(ref_mini),
                    ("≥ " + fmt(floor) + " " + ok) if floor is not None else "—",
                    ("✓ " + fmt(t)) if agree else f"✗ {t}",
                    f"{secs:.1f}",
                ]
            )
        for facet in bench.facets:
            qs = [q for q in per_q if q.endswith("_" + facet)]
            if qs:
                facet_rows.append(
                    [bench.name, facet]
                    + [f"{100 * sum(per_q[q][n] for q in qs) / len(qs):.2f}" for n in bench.metrics]
                )

    head = ["benchmark", "metric", label, "BM25 (ref)", "BM25+MiniLM (ref)", "floor", "score.py", "run s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    if facet_rows:
        lines += ["", "| CSFCube facet | | MAP | NDCG%20 | NDCG@20 |", "|---|---|---|---|---|"]
        lines += ["| " + " | ".join(r) + " |" for r in facet_rows]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cmdline = "bench/eval_dev.py " + " ".join(
        shlex.quote(x) for x in (argv if argv is not None else sys.argv[1:])
    )
    md = "\n".join([f"DEV evaluation, `{cmdline.strip()}`, {stamp} (×100)", "", *lines, ""])
    if failures:
        md += "\nProblems:\n" + "\n".join(f"- {f}" for f in failures) + "\n"
    print()
    print(md)
    (out_dir / "eval.md").write_text(md, encoding="utf-8")
    tag = re.sub(r"[^A-Za-z0-9_.-]+", "_", a.label or a.mode)
    (out_dir / f"eval.{tag}.md").write_text(md, encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
