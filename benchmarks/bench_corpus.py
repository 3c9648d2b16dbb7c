"""The real corpus: all 873 exercises of free-exercise-db imported, then built in every format.

    .venv/bin/python benchmarks/bench_corpus.py [--data ../shared/datasets/free-exercise-db]
                                                [--audio-docs 50] [--jobs 2] [--limit N] [--write]

One import (``import --from free-exercise-db --all``), then one build per format of every
imported document (``build -f FORMAT --jobs 2 -q``, each into a fresh folder), audio on an
evenly spaced sample with an empty clip cache, and all the visual formats in one build. Each
is a whole command, timed around ``subprocess.run``. Every refusal and every build problem
is kept with its one-line reason; a crash (a traceback, or an exit code other than 0 and 2)
fails the benchmark. ``--write`` records the section in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DATA_SET
from machine import cpu_model, write_section

EXE = [sys.executable, "-m", "kickback_export"]
FORMATS = ("pdf", "epub", "brf", "large-print", "html")
HEADING = "## The real corpus: free-exercise-db"
JUDGED = {
    "no instructions (a document needs at least one step)":
        "right: the data set gives these exercises no instructions at all, and a card, a "
        "guide or a section without a single step would tell the reader nothing",
}
"""Each refusal reason looked at, with the verdict; a new reason is printed as not judged."""


def command(args: list[str], env: dict[str, str] | None = None) -> tuple[float, list[str]]:
    """Wall time and the problem lines of one command; a crash ends the benchmark."""
    start = time.perf_counter()
    proc = subprocess.run([*EXE, *args], capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 2) or "Traceback" in proc.stderr:
        raise SystemExit(f"crashed ({proc.returncode}): {' '.join(args)}\n{proc.stderr[-3000:]}")
    return elapsed, proc.stderr.splitlines()


def files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json")


def reason_class(line: str) -> str:
    """The refusal's reason without the exercise it names."""
    return line.split(": not written: ", 1)[-1] if ": not written: " in line else line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA_SET.parent)
    parser.add_argument("--audio-docs", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0,
                        help="import only the first N (a smoke run)")
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = parser.parse_args()
    source = args.data / "exercises.json"
    if not source.is_file():
        raise SystemExit(f"the data set is not at {args.data}")
    work = Path(tempfile.mkdtemp(prefix="kbx-corpus-"))
    docs = work / "docs"
    load_start = os.getloadavg()[0]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())

    pick = ["--all"]
    if args.limit:
        import json

        ids = [e["id"] for e in json.loads(source.read_text(encoding="utf-8"))[: args.limit]]
        pick = [arg for i in ids for arg in ("--id", i)]
    t_import, lines = command(["import", "--from", "free-exercise-db", str(source), *pick,
                               "-o", str(docs), "-q"])
    refusals = [ln for ln in lines if ": not written: " in ln]
    paths = sorted(docs.glob("*.yaml"))
    print(f"import: {len(paths)} written, {len(refusals)} refused, {t_import:.2f} s", flush=True)

    rows: list[tuple[str, int, float, int, list[str]]] = []
    jobs = ["-j", str(args.jobs), "-q"]
    for fmt in FORMATS:
        out = work / f"out-{fmt}"
        t, problems = command(["build", str(docs), "-f", fmt, "-o", str(out), *jobs])
        rows.append((fmt, len(paths), t, files(out), problems))
        print(f"{fmt}: {t:.1f} s, {files(out)} files, {len(problems)} problem(s)", flush=True)
    sample = work / "audio-sample"
    sample.mkdir()
    step = max(1, len(paths) // max(1, args.audio_docs))
    for path in paths[::step][: args.audio_docs]:
        (sample / path.name).write_bytes(path.read_bytes())
        pictures = docs / path.stem
        if pictures.is_dir():
            (sample / path.stem).mkdir()
            for pic in pictures.iterdir():
                (sample / path.stem / pic.name).write_bytes(pic.read_bytes())
    env = {**os.environ, "KICKBACK_EXPORT_CACHE": str(work / "clip-cache")}
    out = work / "out-audio"
    t, problems = command(["build", str(sample), "-f", "audio", "-o", str(out), *jobs], env)
    count = len(list(sample.glob("*.yaml")))
    rows.append(("audio (sample, empty clip cache)", count, t, files(out), problems))
    print(f"audio: {t:.1f} s on {count}, {len(problems)} problem(s)", flush=True)
    out = work / "out-all"
    t, problems = command(["build", str(docs), "-f", ",".join(FORMATS), "-o", str(out), *jobs])
    rows.append(("all five visual formats in one build", len(paths), t, files(out), problems))
    print(f"all visual formats: {t:.1f} s, {files(out)} files", flush=True)

    section = report(args, len(paths), refusals, t_import, rows, when, load_start)
    print(section)
    if args.write:
        write_section(HEADING, section)


def report(args: argparse.Namespace, written: int, refusals: list[str], t_import: float,
           rows: list[tuple[str, int, float, int, list[str]]], when: str,
           load_start: float) -> str:
    lines = [
        HEADING, "",
        f"`benchmarks/bench_corpus.py --audio-docs {args.audio_docs} --jobs {args.jobs}`: "
        "free-exercise-db's 873 exercises imported (`import --from free-exercise-db --all`), "
        "then built, each format by its own `build -f FORMAT --jobs "
        f"{args.jobs} -q` into a fresh folder (each includes start-up and loading the "
        "documents and their pictures), audio on an evenly spaced sample with an empty clip "
        "cache. One run of each command.",
        "",
        f"Measured {when} on {os.cpu_count()} CPUs ({cpu_model()}), Python "
        f"{platform.python_version()}. Load average {load_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end.",
        "",
        "| step | documents | time | per document | files | problems |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| import | {written + len(refusals)} | {t_import:.2f} s | "
        f"{1000 * t_import / max(1, written + len(refusals)):.1f} ms | | "
        f"{len(refusals)} refused |",
    ]
    for name, count, t, nfiles, problems in rows:
        lines.append(f"| {name} | {count} | {t:.1f} s | {1000 * t / max(1, count):.0f} ms | "
                     f"{nfiles} | {len(problems)} |")
    lines += ["", f"Crashes: 0. Refused at import ({len(refusals)}):", ""]
    lines += [f"- `{line}`" for line in refusals] or ["- none"]
    for reason, n in Counter(reason_class(r) for r in refusals).most_common():
        verdict = JUDGED.get(reason, "not judged yet: look at these documents")
        lines += ["", f"Judged ({n} × \"{reason}\"): {verdict}."]
    build_problems = [p for *_, problems in rows for p in problems]
    lines += ["", f"Build problems: {len(build_problems)}."]
    for reason, n in Counter(reason_class(p) for p in build_problems).most_common():
        lines.append(f"- {n} × `{reason}`")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
