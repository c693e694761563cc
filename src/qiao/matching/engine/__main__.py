"""``python -m qiao.matching.engine rank ...`` (same as ``qiao rank ...``)."""

import sys

from .cli import main


def _entry(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print("usage: python -m qiao.matching.engine rank --candidates C.jsonl --queries Q.jsonl "
              "[--pairs P.tsv] [--top-k K] --out RUN.tsv", file=sys.stderr)
        return 0 if argv else 2
    if argv[0] != "rank":
        print(f"unknown command {argv[0]!r}; expected 'rank'", file=sys.stderr)
        return 2
    return main(argv[1:])


sys.exit(_entry(sys.argv[1:]))
