"""Summarise a py-spy ``--format raw`` profile: inclusive and self share per function.

.venv/bin/py-spy record --pid PID -d 60 -r 50 -f raw -o prof.txt
.venv/bin/python bench/pyspy_summary.py prof.txt [--top 20] [--match qiao/]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--match", default="", help="only list frames containing this text")
    a = ap.parse_args()
    total = 0
    incl: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for line in open(a.path, encoding="utf-8"):
        stack, _, n = line.rstrip("\n").rpartition(" ")
        if not n.isdigit():
            continue
        k = int(n)
        total += k
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]  # per function, not per line
        own[frames[-1]] += k
        for f in set(frames):
            incl[f] += k
    print(f"{total} samples")
    print("inclusive:")
    for f, k in incl.most_common():
        if a.match in f:
            print(f"  {100 * k / total:5.1f}%  {f}")
            a.top -= 1
            if a.top <= 0:
                break
    print("self:")
    for f, k in own.most_common(12):
        print(f"  {100 * k / total:5.1f}%  {f}")


if __name__ == "__main__":
    main()
