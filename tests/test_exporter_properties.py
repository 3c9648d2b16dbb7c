"""Property tests across exporters: documents generated within the schema export with every
format, and each output validates (sampled: a handful of documents per format)."""

from __future__ import annotations

import itertools
import re
import subprocess
import wave
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kickback_export import Exercise
from kickback_export.content.exercise_text import build_timeline
from kickback_export.content.text import text_of
from kickback_export.content.timeline import SlotOverflowError, TimelineOptions
from kickback_export.exporters.brf import BrfExporter
from kickback_export.exporters.epub import EpubExporter, build_book
from kickback_export.exporters.large_print import LargePrintExporter
from kickback_export.exporters.pdf import PdfExporter
from kickback_export.registry import Options

from strategies import documents
from test_epub import run_epubcheck

SAMPLE = settings(max_examples=8, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow])


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftext(path: Path) -> str:
    """Raw order, and no dehyphenation: a step that is just "-" must still be found."""
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@SAMPLE
@given(documents())
def test_cards_extract_every_step(tmp_path_factory: pytest.TempPathFactory,
                                  data: dict[str, Any]) -> None:
    doc = Exercise.model_validate(data)
    out = tmp_path_factory.mktemp("pdf")
    [card] = PdfExporter().export(text_of(doc), out, Options())
    text = squash(pdftext(card.path))
    for step in doc.steps:
        assert squash(step.text) in text
    subprocess.run(["qpdf", "--check", str(card.path)], check=True, capture_output=True)


@SAMPLE
@given(documents(max_steps=5))
def test_large_print_extracts_every_step(tmp_path_factory: pytest.TempPathFactory,
                                         data: dict[str, Any]) -> None:
    doc = Exercise.model_validate(data)
    [pdf] = LargePrintExporter().export(text_of(doc), tmp_path_factory.mktemp("lp"), Options())
    text = squash(pdftext(pdf.path))
    for step in doc.steps:
        assert squash(step.text) in text


@SAMPLE
@given(documents())
def test_braille_geometry_holds(tmp_path_factory: pytest.TempPathFactory,
                                data: dict[str, Any]) -> None:
    doc = Exercise.model_validate(data)
    [brf] = BrfExporter().export(text_of(doc), tmp_path_factory.mktemp("brf"), Options())
    pages = brf.path.read_bytes().decode("ascii").split("\f")
    for page in pages:
        lines = page.split("\r\n")
        assert len([ln for ln in lines if ln != ""] ) <= 25
        assert all(len(line) <= 40 for line in lines)


@settings(max_examples=150, deadline=None)
@given(documents(), st.floats(0.05, 0.12), st.booleans())
def test_timeline_never_overlaps(data: dict[str, Any], per_char: float, guided: bool) -> None:
    doc = Exercise.model_validate(data)
    try:
        tl = build_timeline(doc, lambda text: 0.05 + per_char * len(text),
                            TimelineOptions(guided=guided))
    except SlotOverflowError:
        return  # a cue too long for its slot is reported, never stretched
    assert tl.segments and tl.segments[0].start == 0
    for seg in tl.segments:
        assert seg.end > seg.start >= 0
    for a, b in itertools.pairwise(tl.segments):
        assert b.start >= a.end
    assert tl.duration == tl.segments[-1].end


@settings(max_examples=1, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(st.lists(documents(max_steps=4), min_size=3, max_size=3))
def test_generated_epubs_pass_epubcheck(tmp_path_factory: pytest.TempPathFactory,
                                        batch: list[dict[str, Any]]) -> None:
    docs = [Exercise.model_validate({**d, "id": f"generated-{i}"}) for i, d in enumerate(batch)]
    out = tmp_path_factory.mktemp("epub")
    files = [EpubExporter().export(text_of(docs[0]), out, Options())[0].path]
    files.append(build_book(docs, out / "book.epub", title="Generated"))
    for path in files:
        report = run_epubcheck(path)
        problems = [m for m in report["messages"] if m["severity"] in ("FATAL", "ERROR",
                                                                       "WARNING")]
        assert not problems, problems[:3]


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(max_steps=2))
def test_generated_audio_matches_its_timeline(tmp_path_factory: pytest.TempPathFactory,
                                              data: dict[str, Any]) -> None:
    from kickback_export.exporters.audio import AudioExporter

    data.pop("prescription", None)  # the guided sets are covered by tests/test_audio.py
    doc = Exercise.model_validate(data)
    outputs = AudioExporter().export(text_of(doc), tmp_path_factory.mktemp("audio"), Options())
    wav = next(o.path for o in outputs if o.path.suffix == ".wav")
    import json

    timeline = json.loads(next(o.path for o in outputs if o.path.name.endswith(".json"))
                          .read_text())
    with wave.open(str(wav)) as fh:
        seconds = fh.getnframes() / fh.getframerate()
    assert abs(seconds - timeline["duration"]) < 0.001
