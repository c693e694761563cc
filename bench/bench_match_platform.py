"""Speed of matching on the platform: ``match_need`` for every demo need, against a plain Django peer.

    .venv/bin/python bench/bench_match_platform.py [--db var/qiao.sqlite3] [--repeat 3] [--keep DIR] [--reuse]

Without ``--db`` the demo world is loaded into a throwaway SQLite database in a temporary directory (migrate +
``demo_load``, about half a minute); with ``--db`` an existing database is *copied* there first (never modified).
The index is built into the same directory with the engine's default configuration (dense vectors when the
``ml`` extra is installed: then the build dominates the run). ``--keep DIR --reuse`` runs again on the database
and index left in DIR by an earlier ``--keep DIR`` run (the index is still checked for staleness).

Measured in one run, one thread, after one warm-up call per need:

* ``index_rebuild``: the whole index from the database (documents, BM25, save, atomic swap);
* cold load: the first ``get_engine()`` of a fresh process cache (load from disk + staleness check);
* ``match_need``: the full match of a need as the need page calls it (experts with explanations and evidence
  snippets, achievements, capabilities, majors for talent needs), as a platform admin, for every demo need;
* ``search``: the search page's query (needs + achievements + experts) on each need's title;
* the peer: what a plain Django page would do instead — an ``icontains`` OR query over publications and
  achievements (title / abstract / description) for the need's words, evaluated with the related person.
  It finds far less (no ranking, no Chinese segmentation, no explanations) and is here only as a yardstick of
  "a database query" in the same run.

The issue asks that "a match for a need in the demo world returns in well under a second": the p95 of
``match_need`` is printed against that bar. No test asserts a timing; this script is where speed lives.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


OPERATIONS = (
    "match_need, hybrid (the need page)",
    "match_need, hybrid, first call for a need",
    "match_need, lexical (QIAO_MATCHING_MODE)",
    "search: needs + achievements + experts",
    "peer: Django icontains, pubs + achievements",
)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def setup(args: argparse.Namespace, work: Path) -> None:
    db = work / "bench.sqlite3"
    reuse = args.reuse and db.exists()
    if args.db and not reuse:
        shutil.copyfile(args.db, db)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["QIAO_INDEX_DIR"] = str(work / "index")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # the bench syncs nothing
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiao.settings.dev")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    import logging

    logging.getLogger("qiao.matching.index").setLevel(logging.ERROR)
    if not args.db and not reuse:
        from django.core.management import call_command

        from qiao.demo.services import demo_load

        t = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        summary = demo_load()
        print(f"demo world loaded in {time.perf_counter() - t:.1f} s: {summary}", file=sys.stderr)


def words(text: str, n: int = 4) -> list[str]:
    """The need's first words: Latin words of 4+ letters, Chinese runs cut to 4 characters."""
    out: list[str] = []
    for token in re.findall(r"[A-Za-z][A-Za-z-]{3,}|[\u4e00-\u9fff]{2,}", text):
        token = token[:4]
        if token.lower() not in {t.lower() for t in out}:
            out.append(token)
        if len(out) >= n:
            break
    return out


def peer_query(need) -> int:  # noqa: ANN001
    from django.db.models import Q

    from qiao.catalog.models import Achievement, Publication

    q_pub, q_ach = Q(), Q()
    for w in words(f"{need.title} {need.description}"):
        q_pub |= Q(title__icontains=w) | Q(abstract__icontains=w)
        q_ach |= Q(title__icontains=w) | Q(title_en__icontains=w) | Q(description__icontains=w)
    pubs = list(Publication.objects.filter(q_pub, hidden_from_matching=False).select_related("person")[:50])
    achievements = list(Achievement.objects.filter(q_ach).select_related("owner")[:10])
    return len(pubs) + len(achievements)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", type=Path, help="an existing database with the demo world (copied, not modified)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per need (after one warm-up)")
    parser.add_argument("--keep", type=Path, help="keep the throwaway database and index in this directory")
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep: reuse the database and index there"
    )
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="qiao-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        setup(args, work)
        return run(args)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace) -> int:
    from qiao.accounts.models import User
    from qiao.catalog.models import Need
    from qiao.matching import index, selectors
    from qiao.matching.services import index_rebuild

    loadavg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, load average {loadavg:.1f} at start", file=sys.stderr)
    needs = list(
        Need.objects.select_related("owner").prefetch_related("industries", "disciplines").order_by("pk")
    )
    if not needs:
        print("no needs in the database: is the catalog's demo loader installed?", file=sys.stderr)
        return 1
    admin = User.objects.filter(is_superuser=True, is_active=True).first() or User.objects.create_superuser(
        "bench-admin", password=None
    )

    build_s = None
    if args.reuse and index.current_generation():
        loaded = index.loaded_index()  # rebuilt only if stale
    else:
        t = time.perf_counter()
        loaded = index_rebuild()
        build_s = time.perf_counter() - t
    index.set_cached(None)
    t = time.perf_counter()
    selectors.get_engine()
    load_s = time.perf_counter() - t

    series: dict[str, list[tuple[float, float]]] = {name: [] for name in OPERATIONS}
    experts_found = 0
    for need in needs:
        calls = {
            OPERATIONS[0]: lambda need=need: selectors.match_need(need=need, user=admin, mode="hybrid"),
            OPERATIONS[2]: lambda need=need: selectors.match_need(need=need, user=admin, mode="lexical"),
            OPERATIONS[3]: lambda need=need: selectors.search(user=admin, q=need.title),
            OPERATIONS[4]: lambda need=need: peer_query(need),
        }
        # the first call embeds the need's text with the dense model (cached per process afterwards)
        wall, cpu = time.perf_counter(), time.process_time()
        selectors.match_need(need=need, user=admin, mode="hybrid")
        series[OPERATIONS[1]].append((1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu)))
        for call in calls.values():
            call()  # warm-up (first touch of mmap'd arrays, query caches)
        for _ in range(args.repeat):
            for name, call in calls.items():
                wall, cpu = time.perf_counter(), time.process_time()
                result = call()
                series[name].append((1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu)))
                if name == OPERATIONS[0]:
                    experts_found += bool(result.experts)

    market_ms = []
    broker = User.objects.filter(memberships__role="broker").first()
    if broker is not None:
        index.set_cached(None)
        selectors.get_engine()  # a fresh engine: no query embeddings cached by the loop above
        for _ in range(2):  # first: every need ranked; second: from the ranking cache
            t = time.perf_counter()
            selectors.broker_market(user=broker)
            market_ms.append(1000 * (time.perf_counter() - t))

    docs = sum((loaded.manifest.get("documents") or {}).values())
    loadavg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    built = f"{build_s:.1f} s" if build_s is not None else "reused"
    print(
        f"\nMatching on the platform — demo world: {len(needs)} needs, {docs} index documents "
        f"{loaded.manifest.get('documents')}, dense={'on' if loaded.engine.dense_enabled else 'off'}"
    )
    print(
        f"index_rebuild: {built}   cold load + staleness check: {1000 * load_s:.0f} ms   "
        f"needs with at least one expert: {experts_found // max(args.repeat, 1)}/{len(needs)}   "
        f"{os.cpu_count()} CPUs, load average at end: {loadavg:.1f}\n"
    )
    header = (
        f"{'operation':<46}{'calls':>6}{'wall p50':>10}{'wall p95':>10}{'cpu p50':>10}{'cpu p95':>10}"
        f"{'p50/peer':>10}"
    )
    print(header + "\n" + "-" * len(header))
    peer_p50 = statistics.median(w for w, _c in series[OPERATIONS[4]])
    for name, values in series.items():
        wall = [w for w, _c in values]
        cpu = [c for _w, c in values]
        print(
            f"{name:<46}{len(values):>6}{statistics.median(wall):>10.1f}{percentile(wall, 0.95):>10.1f}"
            f"{statistics.median(cpu):>10.1f}{percentile(cpu, 0.95):>10.1f}{statistics.median(wall) / peer_p50:>9.1f}x"
        )
    if market_ms:
        print(
            f"broker_market, all {len(needs)} needs: {market_ms[0]:.0f} ms cold, {market_ms[1]:.0f} ms from the "
            "ranking cache"
        )
    print("(ms; wall = elapsed, cpu = process CPU time, which a loaded machine inflates much less)")
    wall95 = percentile([w for w, _c in series[OPERATIONS[0]]], 0.95)
    cpu95 = percentile([c for _w, c in series[OPERATIONS[0]]], 0.95)
    verdict = "meets" if wall95 < 500 else "MISSES"
    print(
        f'\n"A match for a need in the demo world returns in well under a second": match_need (hybrid, as the page '
        f"calls it) p95 = {wall95:.0f} ms wall, {cpu95:.0f} ms CPU → {verdict} the bar (taken as < 500 ms wall) "
        f"at load average {loadavg:.1f}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
