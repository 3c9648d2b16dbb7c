"""EPUB read-aloud (media overlays): validity, SMIL against the text, SMIL against the sound.

One narrated single exercise and one narrated book are built per session; EPUBCheck and
Ace run once per file. The MP3s are decoded with the ``lame`` CLI and every SMIL clip is
cut out of the decoded samples to check it holds speech and the gaps between clips don't.
"""

from __future__ import annotations

import itertools
import os
import pickle
import shutil
import subprocess
import sys
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import earphones
import numpy as np
import numpy.typing as npt
import pytest
from lxml import etree
from same import same

from kickback_export import Exercise
from kickback_export.content.exercise_text import build_timeline, spoken_texts
from kickback_export.content.script import ReadAloud, reading
from kickback_export.content.text import text_of
from kickback_export.content.timeline import TimelineOptions
from kickback_export.engines.audio.render import Rendered, mp3_bytes, render_many
from kickback_export.engines.epub import narration
from kickback_export.engines.epub.package import write_single
from kickback_export.engines.epub.section import STYLESHEET
from kickback_export.exporters.epub import EpubBook, EpubExporter, build_book
from kickback_export.registry import Options

from test_epub import (
    NS,
    _assert_epubcheck_clean,
    ace_violations,
    covered,
    muscles,
    normalised,
    read_zip,
    run_ace,
    run_epubcheck,
    said,
    text_bearing,
    variant,
    xml,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

SR = 22050
SMIL = "{http://www.w3.org/ns/SMIL}"
OPF_DIR = PurePosixPath("EPUB")
# The stream's LAME tag states the encoder's delay and padding, so `lame --decode` trims
# them: decoded sample i is track sample i.
DELAY = 0
SPEECH_RMS = 800  # clips: espeak speech normalised to -1 dBFS measures about 3000
EDGE = round(0.03 * SR)  # codec smear allowed at each side of a gap


@dataclass
class Par:
    text_file: str  # path inside the zip
    fragment: str
    audio_file: str
    begin: float
    end: float


def clock_ms(value: str) -> int:
    """A SMIL full clock value (``H:MM:SS.mmm``, as written here) in milliseconds."""
    h, m, s = value.split(":")
    sec, _, frac = s.partition(".")
    return ((int(h) * 60 + int(m)) * 60 + int(sec)) * 1000 + int(frac.ljust(3, "0"))


def resolve(base: str, href: str) -> str:
    """``href`` relative to the zip entry ``base``, as a zip entry name."""
    parts: list[str] = list(PurePosixPath(base).parent.parts)
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def package(files: dict[str, bytes]) -> etree._Element:
    return xml(files["EPUB/content.opf"])


def overlays(files: dict[str, bytes]) -> dict[str, list[Par]]:
    """Each narrated content document (zip entry) in spine order, with its SMIL pars."""
    opf = package(files)
    items = {i.get("id"): i for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
    out: dict[str, list[Par]] = {}
    for ref in opf.iterfind(".//opf:spine/opf:itemref", NS):
        item = items[ref.get("idref")]
        overlay_id = item.get("media-overlay")
        if overlay_id is None:
            continue
        overlay = items[overlay_id]
        assert overlay.get("media-type") == "application/smil+xml"
        smil_name = str(OPF_DIR / overlay.get("href"))
        smil = xml(files[smil_name])
        pars = []
        for par in smil.iter(f"{SMIL}par"):
            text = par.find(f"{SMIL}text")
            audio = par.find(f"{SMIL}audio")
            file, _, fragment = text.get("src").partition("#")
            pars.append(Par(
                resolve(smil_name, file), fragment, resolve(smil_name, audio.get("src")),
                clock_ms(audio.get("clipBegin")) / 1000, clock_ms(audio.get("clipEnd")) / 1000,
            ))
        out[str(OPF_DIR / item.get("href"))] = pars
    return out


def metas(files: dict[str, bytes]) -> list[etree._Element]:
    return list(package(files).iterfind(".//opf:metadata/opf:meta[@property]", NS))


def decode(mp3: bytes, tmp: Path) -> npt.NDArray[np.float64]:
    (tmp / "in.mp3").write_bytes(mp3)
    subprocess.run(["lame", "--quiet", "--decode", str(tmp / "in.mp3"), str(tmp / "out.wav")],
                   check=True, timeout=120)
    with wave.open(str(tmp / "out.wav"), "rb") as w:
        assert (w.getnchannels(), w.getframerate()) == (1, SR)
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)


def rms(samples: npt.NDArray[np.float64]) -> float:
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


# --- shared builds -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def narrated_single(seed_doc: Exercise, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("narrated-single") / seed_doc.slug
    [out] = EpubExporter().export(text_of(seed_doc), out_dir, Options({"epub_narration": True}))
    assert out.media_type == "application/epub+zip"
    return out.path


@pytest.fixture(scope="session")
def narrated_docs(seed_doc: Exercise, seed_data: dict[str, Any]) -> list[Exercise]:
    """Two extra exercises: one with two tips, one with three steps and none."""
    return [
        seed_doc,
        variant(seed_data, id="banded-hamstring-curl", name="Banded Hamstring Curl",
                muscles=muscles("hamstrings"), tips=seed_data["tips"][:2]),
        variant(seed_data, id="1-glute-bridge", name="Glute Bridge", muscles=muscles("Glutes"),
                steps=seed_data["steps"][:3], tips=[]),
    ]


@pytest.fixture(scope="session")
def narrated_bundle(
    narrated_docs: list[Exercise], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The book collection as a build runs it: each part (section and read-aloud) made
    and pickled as in a worker process, then assembled."""
    book = EpubBook()
    options = Options({"title": "Band Work", "author": "Kickback Coaching",
                       "narration": True, "file": "bundle.epub"})
    parts = [pickle.loads(pickle.dumps(book.part(text_of(d), options))) for d in narrated_docs]
    [out] = book.assemble(parts, tmp_path_factory.mktemp("narrated-bundle"), options)
    return out.path


@pytest.fixture(scope="session")
def narrated(narrated_single: Path, narrated_bundle: Path) -> dict[str, Path]:
    return {"single": narrated_single, "bundle": narrated_bundle}


@pytest.fixture(scope="session")
def rendered(narrated_docs: list[Exercise], narrated: dict[str, Path]) -> dict[str, Rendered]:
    """The read-aloud of each exercise, rendered again from the clip cache the builds
    filled: the timelines and tracks the EPUBs were made from, by content document."""
    out = render_many([(ReadAloud(text_of(d)), d.language) for d in narrated_docs],
                      narration.READ_ALOUD)
    return {f"EPUB/text/{d.slug}.xhtml": r for d, r in zip(narrated_docs, out, strict=True)}


_REPORTS: dict[tuple[str, str], dict[str, Any]] = {}


def report(kind: str, which: str, narrated: dict[str, Path], tmp: Path) -> dict[str, Any]:
    """Each validator once per file per session."""
    key = (kind, which)
    if key not in _REPORTS:
        path = narrated[which]
        _REPORTS[key] = run_epubcheck(path) if kind == "epubcheck" else run_ace(path, tmp)
    return _REPORTS[key]


# --- external validators -----------------------------------------------------------------


@pytest.mark.parametrize("which", ["single", "bundle"])
def test_epubcheck_clean(which: str, narrated: dict[str, Path], tmp_path: Path) -> None:
    _assert_epubcheck_clean(report("epubcheck", which, narrated, tmp_path))


@pytest.mark.parametrize("which", ["single", "bundle"])
def test_ace_no_violations(which: str, narrated: dict[str, Path], tmp_path: Path) -> None:
    result = report("ace", which, narrated, tmp_path)
    assert ace_violations(result) == []
    assert result["earl:result"]["earl:outcome"] == "pass"
    assert result["a11y-metadata"]["empty"] == []


# --- SMIL against the text ---------------------------------------------------------------


def expected_elements(doc: Exercise) -> list[str]:
    return [b.id for b in reading(text_of(doc).page)]


@pytest.mark.parametrize("which", ["single", "bundle"])
def test_every_par_points_at_an_element_in_reading_order(
    which: str, narrated: dict[str, Path], narrated_docs: list[Exercise]
) -> None:
    files = read_zip(narrated[which])
    docs = {f"EPUB/text/{d.slug}.xhtml": d for d in narrated_docs}
    found = overlays(files)
    assert len(found) == (1 if which == "single" else 3)
    for text_file, pars in found.items():
        doc = xml(files[text_file])
        order = [e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")]
        assert [p.text_file for p in pars] == [text_file] * len(pars)
        assert [p.fragment for p in pars] == expected_elements(docs[text_file])
        positions = [order.index(p.fragment) for p in pars]  # ValueError if an id is missing
        assert positions == sorted(positions), text_file
        assert len({p.audio_file for p in pars}) == 1
        assert pars[0].audio_file.endswith(".mp3") and pars[0].audio_file in files
        for par in pars:
            assert par.end > par.begin, par
        for a, b in itertools.pairwise(pars):
            assert a.end < b.begin, (a, b)  # in order, no overlap


@pytest.mark.parametrize("which", ["single", "bundle"])
def test_clip_times_are_the_timeline_that_was_rendered(
    which: str, narrated: dict[str, Path], rendered: dict[str, Rendered]
) -> None:
    """The SMIL times are the read-aloud timeline's element spans, to the millisecond,
    and the MP3 is that timeline's track."""
    files = read_zip(narrated[which])
    for text_file, pars in overlays(files).items():
        spans = rendered[text_file].timeline.element_spans()
        assert [(p.fragment, p.begin, p.end) for p in pars] == [
            (e, round(s * 1000) / 1000, round(t * 1000) / 1000) for e, s, t in spans
        ]
        assert files[pars[0].audio_file] == mp3_bytes(rendered[text_file])


@pytest.mark.parametrize("which", ["single", "bundle"])
def test_all_the_text_is_read_aloud_as_printed(
    which: str, narrated: dict[str, Path], rendered: dict[str, Rendered]
) -> None:
    """Every element of the section that holds text (headings, paragraphs, list items,
    labels, definition terms and values, the image description) is, or is inside, an
    element some SMIL par points at; and each par's clip says exactly its element's text
    (whitespace folded), so audio alone carries the whole content."""
    files = read_zip(narrated[which])
    for text_file, pars in overlays(files).items():
        page = xml(files[text_file])
        targets = {p.fragment for p in pars}
        assert len(targets) == len(pars)  # each element once
        bearing = text_bearing(page)
        assert len(bearing) >= len(pars)  # every narrated element holds text itself
        assert [normalised(el) for el in bearing if not covered(el, targets)] == []
        by_id = {el.get("id"): el for el in page.iter("{*}*") if el.get("id")}
        spoken = said(rendered[text_file].timeline)
        assert set(spoken) == targets
        for par in pars:
            assert spoken[par.fragment] == normalised(by_id[par.fragment]), par.fragment


# --- SMIL against the sound --------------------------------------------------------------


@pytest.mark.skipif(shutil.which("lame") is None, reason="the lame CLI decodes the MP3")
@pytest.mark.parametrize("which", ["single", "bundle"])
def test_every_clip_is_speech_and_every_gap_silent(
    which: str, narrated: dict[str, Path], tmp_path: Path
) -> None:
    files = read_zip(narrated[which])
    for pars in overlays(files).values():
        pcm = decode(files[pars[0].audio_file], tmp_path)
        onset = int(np.flatnonzero(np.abs(pcm) > 300)[0])
        lead = round(pars[0].begin * SR)  # the floor first: earphones wake up on it
        assert lead >= round(earphones.LEAD_IN * SR)
        assert earphones.FLOOR_RANGE[0] <= earphones.dbfs(pcm[: lead - EDGE])
        # then the name (the codec's pre-echo may be heard up to 20 ms early)
        assert -round(0.02 * SR) <= onset - lead - DELAY <= round(0.01 * SR)
        assert pars[-1].end * SR + DELAY <= pcm.size
        for par in pars:
            a, b = round(par.begin * SR) + DELAY, round(par.end * SR) + DELAY
            assert rms(pcm[a:b]) > SPEECH_RMS, par
            # the first and last 50 ms of a clip hold sound too: the span is tight
            assert np.abs(pcm[a : a + SR // 20]).max() > 300, par
            assert np.abs(pcm[b - SR // 20 : b]).max() > 300, par
        for x, y in itertools.pairwise(pars):
            gap = pcm[round(x.end * SR) + DELAY + EDGE : round(y.begin * SR) + DELAY - EDGE]
            assert gap.size and np.abs(gap).max() <= earphones.SOUND, (x, y)
            assert earphones.FLOOR_RANGE[0] <= earphones.dbfs(gap) <= earphones.FLOOR_RANGE[1]


# --- package metadata --------------------------------------------------------------------


@pytest.mark.parametrize("which", ["single", "bundle"])
def test_media_overlay_metadata(which: str, narrated: dict[str, Path]) -> None:
    files = read_zip(narrated[which])
    opf = package(files)
    items = {i.get("id"): i for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
    found = overlays(files)
    per: dict[str, int] = {}
    total: list[int] = []
    props: dict[str, list[str]] = {}
    for meta in metas(files):
        prop = meta.get("property")
        if prop == "media:duration":
            if meta.get("refines"):
                per[meta.get("refines")[1:]] = clock_ms(meta.text)
            else:
                total.append(clock_ms(meta.text))
        props.setdefault(prop, []).append(meta.text)
    overlay_ids = [i.get("media-overlay") for i in items.values() if i.get("media-overlay")]
    assert sorted(per) == sorted(overlay_ids) and len(per) == len(found)
    assert total == [sum(per.values())]
    for item in items.values():
        if item.get("media-overlay"):
            pars = found[str(OPF_DIR / item.get("href"))]
            clips = sum(round(p.end * 1000) - round(p.begin * 1000) for p in pars)
            assert per[item.get("media-overlay")] == clips
    assert props["media:active-class"] == [narration.ACTIVE_CLASS]
    assert props["schema:accessMode"] == ["textual", "auditory"]
    assert props["schema:accessModeSufficient"] == ["textual", "auditory"]
    assert "synchronizedAudioText" in props["schema:accessibilityFeature"]
    summary = props["schema:accessibilitySummary"][0]
    assert "synchronized narration" in summary and "whole text" in summary
    assert "text only" not in summary
    types = {i.get("href").rsplit(".", 1)[-1]: i.get("media-type") for i in items.values()}
    assert types["mp3"] == "audio/mpeg" and types["smil"] == "application/smil+xml"
    assert not [n for n in files if n.endswith(".wav")]
    css = files["EPUB/styles/kickback.css"].decode("utf-8")
    assert f".{narration.ACTIVE_CLASS} {{" in css
    for forbidden in ("px", "pt;", "font-family", "color:", "background", "!important"):
        assert forbidden not in css.lower(), forbidden


def test_narrated_rebuild_is_byte_identical(
    narrated_single: Path, narrated_docs: list[Exercise], narrated_bundle: Path, tmp_path: Path
) -> None:
    again = write_single(text_of(narrated_docs[0]), tmp_path / "again.epub", narration=True)
    assert same(again, narrated_single)
    book = build_book(narrated_docs, tmp_path / "book.epub", title="Band Work",
                      author="Kickback Coaching", narration=True)
    assert same(book, narrated_bundle)


def test_without_narration_nothing_changes(seed_doc: Exercise, tmp_path: Path) -> None:
    plain = write_single(text_of(seed_doc), tmp_path / "plain.epub")
    off = write_single(text_of(seed_doc), tmp_path / "off.epub", narration=False)
    assert same(plain, off)
    files = read_zip(plain)
    assert not [n for n in files if n.endswith((".mp3", ".smil"))]
    assert not [m for m in metas(files) if m.get("property").startswith("media:")]
    assert files["EPUB/styles/kickback.css"] == STYLESHEET.encode("utf-8")


# --- the read-aloud timeline and the command line ----------------------------------------


def fake(text: str) -> float:
    return 0.05 + 0.03 * len(text)


def test_read_aloud_timeline_is_the_page_in_order(
    seed_doc: Exercise, make_doc: Callable[..., Exercise]
) -> None:
    options = TimelineOptions(read_aloud=True, tail=0.0)
    for doc in (seed_doc, make_doc(tips=[], steps=[{"text": "One. Two.", "pause": 9}])):
        tl = build_timeline(doc, fake, options)
        assert [e for e, _, _ in tl.element_spans()] == expected_elements(doc)
        speech = list(tl.speech())
        assert all(s.element is not None for s in speech)  # no "Step 1." labels
        assert "Step 1." not in {s.text for s in speech}
        assert list(dict.fromkeys(s.text for s in speech)) == spoken_texts(doc, options)
        assert not any(s.role == "pause" for s in tl.segments)  # no step pauses
        gaps = [s for s in tl.segments if s.element is None]
        assert all(g.kind == "silence" and g.duration == pytest.approx(0.7) for g in gaps)
        assert tl.segments[-1].element is None  # the last item's gap, no tail
    # the guided sets never come in, whatever ``guided`` says
    assert "kick" not in spoken_texts(seed_doc, TimelineOptions(read_aloud=True, guided=True))


def test_missing_espeak_is_one_line_naming_the_package(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    source = Path(__file__).resolve().parents[1] / "source"
    out = tmp_path / "book.epub"
    env = {**os.environ, "PATH": str(empty)}
    env.pop("KICKBACK_EXPORT_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "kickback_export", "book", str(source), "--title", "T",
         "--narration", "-o", str(out)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "espeak-ng" in lines[0] and "apt package 'espeak-ng'" in lines[0]
    assert not out.exists()


def test_unpronounceable_text_may_stay_unsaid_but_nothing_else() -> None:
    assert narration.reads_out(["Image description:"], "Image description: :")
    assert narration.reads_out(["Keep", "going."], "Keep going.")
    assert not narration.reads_out(["Image description:"], "Image description: a bench")
    assert not narration.reads_out(["going."], "Keep going.")
