"""Whole-library builds: parallel speed-up, no-op rebuild, one-document edit, book memory.

    .venv/bin/python benchmarks/bench_batch.py [--docs 500] [--audio-docs 50] [--repeat 2]

The library is free-exercise-db's exercises where the data set is present (up to --docs),
else --docs generated ones (benchmarks/corpus.py). Each figure is measured in this run;
ratios compare runs of the same tool on the same corpus (1 vs 2 worker processes), so they
hold whatever the machine's absolute speed.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import library
from machine import cpu_model

EXE = [sys.executable, "-m", "kickback_export"]


def timed(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(args)}\n{proc.stderr[-2000:]}")
    return elapsed, proc.stderr


def peak_rss_mb(args: list[str]) -> tuple[float, float]:
    """Wall time and peak resident memory (MB) of one command, in a fresh measuring process."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "t = time.perf_counter() - t\n"
        "assert r.returncode == 0, r.stderr.decode()[-2000:]\n"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--audio-docs", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kbx-bench-"))
    corpus = work / "corpus"
    make = library(args.docs, corpus)  # the real corpus where the data set is present
    args.docs = len(make)
    results: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(), "cpu": cpu_model(),
        "python": platform.python_version(), "docs": args.docs,
    }

    # 1. full pdf+epub build, 1 vs 2 workers, alternating
    runs: dict[int, list[float]] = {1: [], 2: []}
    for r in range(args.repeat):
        for jobs in (1, 2):
            out = work / f"full-{jobs}-{r}"
            t, _ = timed([*EXE, "build", str(corpus), "-f", "pdf,epub", "-o", str(out),
                          "-j", str(jobs), "-q"])
            runs[jobs].append(t)
            print(f"full build pdf+epub, {jobs} worker(s): {t:.1f} s", flush=True)
    one, two = statistics.median(runs[1]), statistics.median(runs[2])
    results.update(full_1=one, full_2=two, speedup=one / two)

    # 2. no-op rebuild of the same library
    out = work / "full-2-0"
    noop = []
    for _ in range(5):
        t, err = timed([*EXE, "build", str(corpus), "-f", "pdf,epub", "-o", str(out), "-j", "2"])
        assert " 0 file(s) written" in err, err
        noop.append(t)
    results["noop"] = statistics.median(noop)
    print(f"no-op rebuild: {results['noop']:.2f} s", flush=True)

    # 3. one document edited: only its outputs are rewritten
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    target = sorted(corpus.glob("*.yaml"))[len(list(corpus.glob("*.yaml"))) // 2]
    target.write_text(target.read_text().replace("level: ", "level: ", 1) + "# edited\n")
    t, err = timed([*EXE, "build", str(corpus), "-f", "pdf,epub", "-o", str(out), "-j", "2"])
    changed = sorted(str(p.relative_to(out)) for p in out.rglob("*")
                     if p.is_file() and before.get(p) != p.stat().st_mtime_ns)
    results.update(edit_time=t, edit_changed=changed)
    print(f"one edit: {t:.2f} s, rewritten: {changed}", flush=True)

    # 4. audio on a subset, 1 vs 2 workers, each with an empty clip cache
    audio = work / "audio-corpus"
    audio.mkdir()
    for path in sorted(corpus.glob("*.yaml"))[: args.audio_docs]:
        (audio / path.name).write_bytes(path.read_bytes())
    for jobs in (1, 2):
        env = {**os.environ, "KICKBACK_EXPORT_CACHE": str(work / f"cache-{jobs}")}
        t, _ = timed([*EXE, "build", str(audio), "-f", "audio", "-o", str(work / f"audio-{jobs}"),
                      "-j", str(jobs), "-q"], env)
        results[f"audio_{jobs}"] = t
        print(f"audio on {args.audio_docs} documents, {jobs} worker(s): {t:.1f} s", flush=True)
    results["audio_speedup"] = float(results["audio_1"]) / float(results["audio_2"])  # type: ignore[arg-type]

    # 5. the 500-exercise book: time and peak memory
    t, rss = peak_rss_mb([*EXE, "book", str(corpus), "--title", "Library", "-o",
                          str(work / "book.epub")])
    results.update(book_time=t, book_peak_mb=rss)
    print(f"book of {args.docs}: {t:.1f} s, peak {rss:.0f} MB", flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
