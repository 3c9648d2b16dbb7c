"""PDF cue cards: our reportlab exporter against WeasyPrint on the same 500 exercises.

Each exercise is rendered by both engines in the same process, alternating card by
card so that machine noise hits both alike. Ours is the full ``PdfExporter.export``
(fitting by binary search, tagging with pikepdf, atomic write of the A6 card PDF);
WeasyPrint renders equivalent HTML cards (same A6 front and back content, DejaVu
Sans, fixed sizes, no fitting) with ``pdf_variant="pdf/ua-1"`` so that it tags too.

    .venv/bin/python benchmarks/bench_pdf.py [--count 500] [--write-docs]

WeasyPrint is only needed here, not by the package (``pip install weasyprint``).
``--write-docs`` replaces the "PDF cue cards" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pikepdf

from kickback_export import fsutil
from kickback_export.content.text import text_of
from kickback_export.document.model import Exercise
from kickback_export.engines.print.card_content import metadata
from kickback_export.engines.print.card_draw import render_card
from kickback_export.engines.print.card_layout import layout
from kickback_export.engines.print.pdf_tagging import load_fonts
from kickback_export.exporters.pdf import PdfExporter
from kickback_export.registry import Options

from corpus import seed_variants
from machine import cpu_model

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## PDF cue cards"
MUSCLES = ["glutes", "hamstrings", "quads", "chest", "back", "shoulders", "core", "calves"]
VARIANTS = ["Band", "Cable", "Dumbbell", "Kettlebell", "Single-Arm", "Tempo", "Paused"]

CSS = """
@page { size: A6; margin: 6mm; }
body { font-family: 'DejaVu Sans'; color: black; background: white; margin: 0; }
section { page-break-after: always; }
h1 { font-size: 20pt; margin: 0 0 4pt; }
h2 { font-size: 11pt; margin: 6pt 0 2pt; }
.front li { font-size: 14pt; }
.back { font-size: 9.5pt; }
ol, ul { margin: 0; padding-left: 2em; }
p { margin: 2pt 0; }
"""


def make_documents(count: int, seed: int = 11) -> list[Exercise]:
    """``count`` valid variants of the seed: names, muscles, number of steps and tips."""
    plain = [(name, None) for name in MUSCLES]
    return [Exercise.model_validate(d) for d in seed_variants(count, seed, plain, VARIANTS)]

def to_html(doc: Exercise) -> str:
    """The card content as HTML: the front and the back, one A6 page each."""
    rx = doc.prescription
    cues = "".join(f"<li>{escape(s.cue or s.text)}</li>" for s in doc.steps)
    dose = ""
    if rx is not None:
        dose = (
            f"<h2>Dose</h2><p>{rx.sets} sets × {rx.reps} reps</p>"
            f"<p>Tempo: {rx.tempo.kick:g} s · {rx.tempo.hold:g} s · {rx.tempo.return_:g} s</p>"
            f"<p>Rest: {rx.rest:g} s between sets</p>"
        )
    muscles = ", ".join(m.name for m in doc.muscles.primary)
    steps = "".join(f"<li>{escape(s.text)}</li>" for s in doc.steps)
    tips = "".join(f"<li>{escape(t)}</li>" for t in doc.tips[:3])
    cautions = "".join(f"<li>{escape(c)}</li>" for c in doc.cautions)
    return (
        f'<!DOCTYPE html><html lang="{doc.language}"><head><meta charset="utf-8">'
        f"<title>{escape(doc.name)}</title><style>{CSS}</style></head><body>"
        f'<section class="front"><h1>{escape(doc.name)}</h1>'
        f"<p>Targets: {escape(muscles)}</p><h2>Cues</h2><ol>{cues}</ol>{dose}</section>"
        f'<section class="back"><p>{escape(doc.summary)}</p><h2>How to do it</h2>'
        f"<ol>{steps}</ol><h2>Tips</h2><ul>{tips}</ul><h2>Cautions</h2><ul>{cautions}</ul>"
        f"<p>More in the e-book</p></section></body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    import weasyprint  # benchmark-only dependency

    docs = make_documents(args.count)
    exporter = PdfExporter()
    fonts = load_fonts()
    ours: list[float] = []  # document to PDF bytes
    ours_file: list[float] = []  # the whole export(), atomic fsynced write included
    theirs: list[float] = []  # HTML string to PDF bytes
    theirs_file: list[float] = []  # plus the same atomic write
    pages_ours = pages_theirs = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        # warm up both (font loading, imports, caches) outside the timings
        exporter.export(text_of(docs[0]), out / "warm", Options({}))
        weasyprint.HTML(string=to_html(docs[0])).write_pdf(pdf_variant="pdf/ua-1")
        for doc in docs:
            start = time.perf_counter()
            text = text_of(doc)  # the card's words and the file's metadata, then the card
            render_card(layout(text.card, "a6", None, fonts), metadata(text), fonts)
            ours.append(time.perf_counter() - start)

            start = time.perf_counter()
            (result,) = exporter.export(text_of(doc), out / "ours", Options({}))
            ours_file.append(time.perf_counter() - start)
            with pikepdf.open(result.path) as pdf:
                pages_ours += len(pdf.pages)

            start = time.perf_counter()
            data = weasyprint.HTML(string=to_html(doc)).write_pdf(pdf_variant="pdf/ua-1")
            middle = time.perf_counter()
            target = fsutil.write_bytes(out / "weasy" / f"{doc.slug}.pdf", data)
            theirs.append(middle - start)
            theirs_file.append(time.perf_counter() - start)
            with pikepdf.open(target) as pdf:
                pages_theirs += len(pdf.pages)

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.1f} ms"

    ratio = statistics.median(theirs) / statistics.median(ours)
    total_ratio = sum(theirs) / sum(ours)
    file_ratio = statistics.median(theirs_file) / statistics.median(ours_file)
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    import reportlab
    from reportlab.lib import rl_accel

    accel = "with" if type(rl_accel.fp_str).__name__ == "builtin_function_or_method" else "without"

    lines = [
        SECTION,
        "",
        f"{args.count} single-exercise A6 cue cards, rendered one at a time in one process, "
        "alternating with WeasyPrint card by card. Ours: layout (fit by binary search) and "
        "drawing with reportlab, tagging with pikepdf. WeasyPrint: equivalent HTML cards "
        "(same content, DejaVu Sans, fixed sizes, no fitting) rendered with "
        '`pdf_variant="pdf/ua-1"`. "To file" adds the same atomic, fsynced write to both '
        "(for us that is the whole `PdfExporter.export`).",
        "",
        "| per card | ours (reportlab + pikepdf) | WeasyPrint | ratio |",
        "| --- | --- | --- | --- |",
        f"| median, to bytes | {ms(ours)} | {ms(theirs)} | {ratio:.1f}× |",
        f"| mean, to bytes | {statistics.mean(ours) * 1000:.1f} ms | "
        f"{statistics.mean(theirs) * 1000:.1f} ms | {total_ratio:.1f}× |",
        f"| slowest, to bytes | {max(ours) * 1000:.1f} ms | {max(theirs) * 1000:.1f} ms | |",
        f"| median, to file | {ms(ours_file)} | {ms(theirs_file)} | {file_ratio:.1f}× |",
        f"| total for {args.count}, to bytes | {sum(ours):.1f} s | {sum(theirs):.1f} s | |",
        f"| pages written | {pages_ours} | {pages_theirs} | |",
        "",
        f"Ours is **{ratio:.1f}×** faster per card (median, to bytes; target: at least 5×). "
        "Our cards have more pages because text that does not fit at the minimum size flows "
        "onto extra numbered sides, and the FAQ is tried before it is left out.",
        "",
        f"Machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, Python "
        f"{platform.python_version()}, reportlab {reportlab.Version} ({accel} its C accelerator "
        f"`rl-accel`), WeasyPrint "
        f"{weasyprint.__version__}; measured {when}. The machine was shared with other "
        f"jobs (load average {os.getloadavg()[0]:.1f} at the end), so absolute times are "
        "noisy; the ratio comes from the same interleaved run.",
        "",
        "Rerun: `.venv/bin/python benchmarks/bench_pdf.py --count 500 --write-docs` "
        "(needs `pip install weasyprint`).",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.write_docs:
        write_section(report)


def write_section(report: str) -> None:
    """Replace only this benchmark's section; other sections belong to other benchmarks."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: report + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + report
    fsutil.write_text(DOCS, text)


if __name__ == "__main__":
    main()
