"""A library built locally and on Dask, side by side: ``--jobs 1``, ``--jobs 2`` and
``--dask local`` with 2 worker processes, alternating, each a whole command (the Dask run
includes starting and stopping its LocalCluster).

    .venv/bin/python benchmarks/bench_dask.py [--docs 873] [--rounds 2]

Needs the dask extra (`pip install 'kickback-export[dask]'`; the test set-up has it). The
corpus is free-exercise-db's exercises where the data set is present, else generated from
the seed document (`corpus.seed_variants`). Every run's manifest
must list the same outputs with the same sha256, or the benchmark fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import real_corpus, seed_variants
from machine import cpu_model

EXE = [sys.executable, "-m", "kickback_export"]
FORMATS = "pdf,epub,brf,large-print,html"
RUNS = {"--jobs 1": ["-j", "1"], "--jobs 2": ["-j", "2"],
        "--dask local (2 workers)": ["--dask", "local", "-j", "2"]}


class _NoAliases(yaml.SafeDumper):
    """Documents may not use anchors: repeated steps are written out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_corpus(count: int, folder: Path) -> None:
    folder.mkdir(parents=True)
    for doc in seed_variants(count):
        text = yaml.dump(doc, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
        (folder / f"{doc['id']}.yaml").write_text(text, encoding="utf-8")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(args)}\n{proc.stderr[-2000:]}")
    return elapsed


def outputs(out: Path) -> list[tuple[str, str]]:
    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    return sorted((row["path"], row["sha256"]) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=873)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kbx-bench-dask-"))
    corpus = work / "corpus"
    if not real_corpus(corpus, args.docs):  # the real library where the data set is present
        write_corpus(args.docs, corpus)
    load = os.getloadavg()[0]
    times: dict[str, list[float]] = {name: [] for name in RUNS}
    made: dict[str, list[tuple[str, str]]] = {}
    for r in range(args.rounds):
        names = list(RUNS) if r % 2 == 0 else list(reversed(RUNS))
        for name in names:
            out = work / f"out-{r}-{len(times[name])}-{RUNS[name][-1]}-{name.split()[0][2:]}"
            t = timed([*EXE, "build", str(corpus), "-f", FORMATS, "-o", str(out), "-q",
                       *RUNS[name]])
            times[name].append(t)
            made[name] = outputs(out)
            print(f"round {r + 1}: {name}: {t:.1f} s", flush=True)
    reference = made["--jobs 2"]
    for name, rows in made.items():
        if rows != reference:
            raise SystemExit(f"{name}: outputs differ from --jobs 2's")
    med = {name: statistics.median(ts) for name, ts in times.items()}
    dask, two = med["--dask local (2 workers)"], med["--jobs 2"]
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cores": os.cpu_count(),
        "cpu": cpu_model(), "python": platform.python_version(),
        "dask": version("dask"), "distributed": version("distributed"),
        "docs": args.docs, "formats": FORMATS, "files": len(reference), "rounds": args.rounds,
        "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
        "median_s": {name: round(t, 2) for name, t in med.items()},
        "all_s": {name: [round(t, 2) for t in ts] for name, ts in times.items()},
        "dask_vs_jobs2": round(dask / two, 3),
    }
    print("\n| run | median wall time | vs --jobs 2 |\n| --- | ---: | ---: |")
    for name, t in med.items():
        print(f"| `{name}` | {t:.1f} s | {t / two:.2f}× |")
    print(json.dumps(results, indent=2))
    if dask > 1.15 * two:
        print(f"Dask run {dask / two:.2f}× --jobs 2: over the 15 % target", file=sys.stderr)


if __name__ == "__main__":
    main()
