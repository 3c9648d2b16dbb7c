"""Reading documents: the loader with libyaml against the same loader on pure-Python PyYAML.

    .venv/bin/python benchmarks/bench_load.py [--docs 500]

This is what dominated book builds and rebuilds before the loader switched to libyaml.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from kickback_export.document import loader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus


def load_all(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        loader.load(path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    paths = make_corpus(args.docs, Path(tempfile.mkdtemp(prefix="kbx-load-")))
    fast, slow = [], []
    for _ in range(args.rounds):
        loader._LOADER = yaml.CSafeLoader
        fast.append(load_all(paths))
        loader._LOADER = yaml.SafeLoader
        slow.append(load_all(paths))
    f, s = statistics.median(fast), statistics.median(slow)
    print(f"{args.docs} documents: libyaml {f * 1000 / args.docs:.2f} ms/doc, "
          f"pure Python {s * 1000 / args.docs:.2f} ms/doc, ratio {s / f:.1f}x")


if __name__ == "__main__":
    main()
