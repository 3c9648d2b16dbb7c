"""EPUB book build: the ``book`` collection against pandoc on the same 500 exercises.

Both builds run as child processes, alternating, so each one's peak resident memory
is its own (``ru_maxrss`` from ``wait4``). The exercises are generated from the seed
document with varied ids, names and muscles; pandoc gets the same content as
Markdown (headings, numbered steps, lists, definition lists) and writes EPUB 3.

    .venv/bin/python benchmarks/bench_epub.py [--count 500] [--rounds 3]

Reported: median wall time of the whole child process (start-up, imports and, for
us, YAML loading and validation included), our in-process book time (the
collection's ``part`` for every exercise, then ``assemble``),
the ratios, peak memory and output sizes. Ours runs twice per round: documents read
with the project's loader (``kickback_export.load``), and read with libyaml then
validated by the same model, to show how much of the time is YAML reading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from corpus import seed_variants
from machine import cpu_model

TITLE = "Kickback Coaching Library"


def to_markdown(docs: list[dict[str, Any]]) -> str:
    """The same exercises as pandoc Markdown, one level-1 heading (chapter) each."""

    def esc(text: str) -> str:
        return "".join("\\" + c if c in "\\`*_{}[]<>#|!$" else c for c in text)

    out = [f"---\ntitle: {json.dumps(TITLE)}\nlang: en\n---\n"]
    for d in docs:
        out.append(f"# {esc(d['name'])}\n\n*{esc(d['summary'])}*\n\n## Overview\n")
        out += [esc(p) + "\n" for p in d["overview"]]
        out.append(f"> Image description: {esc(d['image_description'])}\n\n## Target muscles\n")
        for kind in ("primary", "secondary"):
            out.append(f"### {kind.capitalize()}\n")
            out += [f"- {esc(m['name'])} ({esc(', '.join(m['anatomy']))})"
                    for m in d["muscles"][kind]]
            out.append("")
        out.append("## Equipment\n")
        out += [f"- {esc(e)}" for e in d["equipment"]]
        out.append("\n## Setup\n")
        out += [esc(p) + "\n" for p in d["setup"]]
        out.append("## Instructions\n")
        out += [f"{i}. {esc(s['text'])}" for i, s in enumerate(d["steps"], 1)]
        rx = d["prescription"]
        out.append(
            f"\n## Prescription\n\nSets\n:   {rx['sets']}\n\nReps per side\n:   {rx['reps']}\n\n"
            f"Tempo\n:   {rx['tempo']['kick']}-{rx['tempo']['hold']}-{rx['tempo']['return']}\n\n"
            f"Rest between sets\n:   {rx['rest']} seconds\n\n## Tips\n"
        )
        out += [f"- {esc(t)}" for t in d["tips"]]
        out.append("\n## Cautions\n")
        out += [f"- {esc(c)}" for c in d["cautions"]]
        out.append("\n## Frequently asked questions\n")
        out += [f"{esc(q['question'])}\n:   {esc(q['answer'])}\n" for q in d["faq"]]
        out.append("")
    return "\n".join(out)


class _NoAliases(yaml.SafeDumper):
    """Documents may not use anchors: write repeated steps out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


CHILD = """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
import yaml

from kickback_export import Exercise, load
from kickback_export.exporters.epub import EpubBook
from kickback_export.registry import Options
paths = sorted(Path(sys.argv[1]).glob("*.yaml"))
if sys.argv[4] == "loader":
    docs = [load(p) for p in paths]
else:  # the same validation, YAML read by libyaml without the loader's safety passes
    docs = [Exercise.model_validate(yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader))
            for p in paths]
t1 = time.perf_counter()
book, target = EpubBook(), Path(sys.argv[2])
options = Options({"title": sys.argv[3], "file": target.name})
book.assemble([book.part(d, options) for d in docs], target.parent, options)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def run(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MiB (Linux reports KiB) and stdout of one child.

    The child is reaped here with ``wait4`` so its own resource usage is read.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    stdout = proc.stdout.read()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {stderr.decode(errors='replace')}")
    return wall, usage.ru_maxrss // 1024, stdout.decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        raise SystemExit("pandoc is not installed (apt-get install pandoc)")
    pandoc_version = subprocess.run([pandoc, "--version"], capture_output=True, text=True,
                                    check=True).stdout.splitlines()[0]

    with tempfile.TemporaryDirectory(prefix="bench-epub-") as tmp:
        work = Path(tmp)
        docs = seed_variants(args.count)
        corpus = work / "corpus"
        corpus.mkdir()
        for d in docs:
            text = yaml.dump(d, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
            (corpus / f"{d['id']}.yaml").write_text(text, encoding="utf-8")
        markdown = work / "book.md"
        markdown.write_text(to_markdown(docs), encoding="utf-8")

        ours: list[tuple[float, int, float, float]] = []
        ours_c: list[tuple[float, int, float, float]] = []
        theirs: list[tuple[float, int]] = []
        for _ in range(args.rounds):
            for mode, runs in (("loader", ours), ("libyaml", ours_c)):
                wall, rss, out = run([sys.executable, "-c", CHILD, str(corpus),
                                      str(work / "ours.epub"), TITLE, mode])
                load_s, build_s = (float(x) for x in out.split())
                runs.append((wall, rss, load_s, build_s))
            wall, rss, _ = run([pandoc, str(markdown), "--from", "markdown", "--to", "epub3",
                                "--toc", "--toc-depth=1", "-o", str(work / "pandoc.epub")])
            theirs.append((wall, rss))
        our_size = (work / "ours.epub").stat().st_size
        their_size = (work / "pandoc.epub").stat().st_size

    our_wall = statistics.median(r[0] for r in ours)
    our_build = statistics.median(r[3] for r in ours)
    our_load = statistics.median(r[2] for r in ours)
    our_c_wall = statistics.median(r[0] for r in ours_c)
    their_wall = statistics.median(r[0] for r in theirs)
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {cpu_model()}",
        "python": platform.python_version(),
        "pandoc": pandoc_version,
        "exercises": args.count,
        "rounds": args.rounds,
        "ours_wall_s": round(our_wall, 3),
        "ours_load_validate_s": round(our_load, 3),
        "ours_book_s": round(our_build, 3),
        "ours_peak_rss_mib": max(r[1] for r in ours),
        "ours_libyaml_wall_s": round(our_c_wall, 3),
        "ours_libyaml_load_validate_s": round(statistics.median(r[2] for r in ours_c), 3),
        "ours_libyaml_book_s": round(statistics.median(r[3] for r in ours_c), 3),
        "ours_libyaml_peak_rss_mib": max(r[1] for r in ours_c),
        "ours_size_kib": our_size // 1024,
        "pandoc_wall_s": round(their_wall, 3),
        "pandoc_peak_rss_mib": max(r[1] for r in theirs),
        "pandoc_size_kib": their_size // 1024,
        "ratio_wall_ours_over_pandoc": round(our_wall / their_wall, 3),
        "ratio_wall_ours_libyaml_over_pandoc": round(our_c_wall / their_wall, 3),
        "ratio_book_over_pandoc": round(our_build / their_wall, 3),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
