"""Every output in German, French and Spanish: the hand-translated documents, built with
the command line in every format, read back with the same tools as the pseudo-locale test.

Each document is built once (module fixture) into its own folder. Then: no English
catalog message in any output and the translated messages each format is expected to
show; the audio spoken by that language's espeak-ng voice (the timeline says which), its
pauses measured to ±20 ms and every rep cue inside its tempo slot; EPUBCheck and Ace on
the German and Spanish e-books; the PDFs' language.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import earphones
import numpy as np
import numpy.typing as npt
import pikepdf
import pytest

from kickback_export import Exercise, load
from kickback_export.content import prescription
from kickback_export.content.exercise_page import heading
from kickback_export.content.phrases import DOMAIN, LOCALES, Phrases, phrases
from kickback_export.content.text import text_of
from kickback_export.content.timeline import sentences
from kickback_export.engines.audio import speech
from kickback_export.engines.braille import braille, louis

from conftest import missing_tool
from test_audio import SR, TOL, assert_pauses_exact, idx, onset, read_pcm
from test_epub import ace_violations, run_ace, run_epubcheck
from test_pseudo_locale import english_messages, fragments, texts

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
STEM = "resistance-band-one-leg-kickback-bent-position"
DOCUMENTS = {
    "de": ROOT / "source" / f"{STEM}-de.yaml",
    "es": ROOT / "source" / f"{STEM}-es.yaml",
    "fr": ROOT / "tests" / "languages" / f"{STEM}-fr.yaml",
}
VOICES = {"de": "gmw/de", "es": "roa/es", "fr": "roa/fr"}  # espeak-ng's voice per language
LANGUAGES = sorted(DOCUMENTS)


@dataclass(frozen=True)
class Built:
    language: str
    doc: Exercise
    out: Path  # the build's output folder: index.html, manifest.json, <slug>/…

    @property
    def folder(self) -> Path:
        return self.out / self.doc.slug

    def file(self, suffix: str) -> Path:
        return self.folder / f"{self.doc.slug}{suffix}"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Each document built with every format by the command line, the three at once."""
    for tool, package in (("espeak-ng", "espeak-ng"), ("pdftotext", "poppler-utils")):
        if shutil.which(tool) is None:
            missing_tool(f"{tool} is not installed (apt package {package})")
    root = tmp_path_factory.mktemp("languages")
    procs = {
        language: subprocess.Popen(
            [sys.executable, "-m", "kickback_export", "build", str(path), "--out",
             str(root / language), "--jobs", "1", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
        )
        for language, path in DOCUMENTS.items()
    }
    out = {}
    for language, proc in procs.items():
        _, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err
        out[language] = Built(language, load(DOCUMENTS[language]), root / language)
    return out


@pytest.fixture(scope="module", params=LANGUAGES)
def built(request: pytest.FixtureRequest, builds: dict[str, Built]) -> Built:
    return builds[request.param]


def flat(text: str) -> str:
    """Whitespace folded (no-break spaces and line breaks too), NFC."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@cache
def translations(language: str) -> dict[str, list[str]]:
    """Each English message (singular and plural) → every form of its translation."""
    from babel.messages.pofile import read_po

    with open(LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as fh:
        catalog = read_po(fh, domain=DOMAIN)
    out: dict[str, list[str]] = {}
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for ident in ids:
            out.setdefault(ident, []).extend(flat(s) for s in strings)
    return out


def _word(fragment: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(fragment) + r"(?![\w-])")


def brf_text(path: Path, language: str) -> str:
    """The BRF back-translated with the document language's table."""
    lines = path.read_bytes().decode("ascii").replace("\f", "\n").splitlines()
    return louis.back_translate(braille.tables_for(language),
                                " ".join(line.strip() for line in lines))


def outputs(b: Built) -> dict[str, str]:
    """Every output's readable text (the BRF read with its own language's table)."""
    found = {name: flat(text) for name, text in texts(b.out).items()}
    found[b.file(".brf").name] = flat(brf_text(b.file(".brf"), b.language))
    return found


def test_every_format_is_built(built: Built) -> None:
    names = set(outputs(built))
    slug = built.doc.slug
    assert {f"{slug}-card.pdf", f"{slug}-large-print.pdf", f"{slug}.epub", f"{slug}.html",
            f"{slug}.brf", f"{slug}-guide.mp3", f"{slug}-guide.vtt",
            f"{slug}-guide.timeline.json", "index.html"} <= names, sorted(names)


def test_no_english_catalog_message_in_any_output(built: Built) -> None:
    """No output shows a word of the English catalog, except words the translation of the
    same message uses too (French "Introduction", German "Tempo")."""
    own = translations(built.language)
    texts_ = outputs(built)
    leaks = []
    for message in english_messages():
        assert own.get(message), f"{built.language}: {message!r} has no translation"
        for fragment in fragments(message):
            pattern = _word(fragment)
            if any(pattern.search(t) for t in own[message]):
                continue  # the same word in both languages
            leaks += [f"{name}: {fragment!r} (from {message!r})"
                      for name, text in texts_.items() if pattern.search(text)]
    assert not leaks, "\n".join(sorted(set(leaks)))


def expected(doc: Exercise, ph: Phrases) -> dict[str, list[str]]:
    """The translated wording each format must show, by file name suffix."""
    rx = doc.prescription
    assert rx is not None
    left = prescription.side_name("left", ph)
    return {
        "-card.pdf": [doc.name, ph._("Cues"), ph._("Dose"), ph._("How to do it"),
                      prescription.dose_lines(rx, ph)[0]],
        "-large-print.pdf": [heading("instructions", ph), heading("faq", ph), ph._("Sets"),
                             ph._("Image description:"),
                             ph._("Page {n} of {total}", n="1", total="")],
        ".epub": [heading("instructions", ph), ph._("Reps per side"), ph._("Contents"),
                  ph._("Landmarks"),
                  ph._("This publication is text only, with no images, audio or video.")],
        ".html": [heading("instructions", ph), heading("cautions", ph), ph._("Sets"),
                  ph._("Image description:")],
        "-guide.vtt": [ph._("Guided sets."), ph._("Get into position."),
                       ph._("Step {n}.", n=ph.number(1)),
                       prescription.naming(rx, ph, doc.name, 1, "left"),
                       prescription.switch_cue(rx, ph, "right"), prescription.closing(rx, ph),
                       ph._("Rest for {time}.", time=ph.seconds(rx.rest))],
        "-guide.timeline.json": [ph._("Guided sets."), ph._("Setup and technique"),
                                 ph._("Introduction"), prescription.overview(rx, ph), left],
        "-guide.mp3": [ph._("Guided sets"), ph._("Chapters"),
                       ph._("{name}: audio guide", name=doc.name)],
    }


def test_every_output_shows_the_translated_words(built: Built) -> None:
    ph = phrases(built.language)
    texts_ = outputs(built)
    missing = []
    for suffix, wanted in expected(built.doc, ph).items():
        name = built.file(suffix).name
        if suffix.startswith("-guide."):  # spoken (and captioned) sentence by sentence
            wanted = [part for w in wanted for part in sentences(w)]
        missing += [f"{name}: {w!r}" for w in wanted if flat(w) not in texts_[name]]
    index = ph._("Exercises")
    if flat(index) not in texts_["index.html"]:
        missing.append(f"index.html: {index!r}")
    assert not missing, "\n".join(missing)


def test_braille_headings_and_prescription_are_translated(built: Built) -> None:
    """Contracted braille does not always back-translate to the same letters, so the
    translated headings and terms are looked for as braille, the way they are written."""
    ph = phrases(built.language)
    tables = braille.tables_for(built.language)
    data = built.file(".brf").read_bytes().decode("ascii")
    lines = {line.strip() for line in data.replace("\f", "\n").splitlines()}
    for part in ("instructions", "tips", "cautions", "faq", "prescription"):
        assert louis.translate(tables, heading(part, ph)) in lines, part
    flowing = " ".join(" ".join(line.split()) for line in data.splitlines())
    for term in (ph._("Sets"), ph._("Reps per side"), ph._("Rest between sets")):
        assert " ".join(louis.translate(tables, braille.prepare(term, tables)).split()) \
            in flowing, term


# --- the spoken guide --------------------------------------------------------------------


@dataclass(frozen=True)
class Guide:
    timeline: dict[str, Any]
    pcm: npt.NDArray[np.int16]


@pytest.fixture(scope="module")
def guide(built: Built) -> Guide:
    timeline = json.loads(built.file("-guide.timeline.json").read_text(encoding="utf-8"))
    return Guide(timeline, read_pcm(built.file("-guide.wav")))


def test_the_voice_is_the_language_s(built: Built, guide: Guide) -> None:
    tl = guide.timeline
    assert tl["language"] == built.language
    assert tl["voice"] == VOICES[built.language] == speech.resolve_voice(built.language).id


def test_every_pause_is_silent_and_as_long_as_asked(guide: Guide) -> None:
    assert_pauses_exact(guide.pcm, guide.timeline["segments"])


def _sound_end(pcm: npt.NDArray[np.int16], start: float, until: float) -> float:
    """Where the sound from ``start`` ends, before ``until`` (where the next speech starts)."""
    part = np.flatnonzero(np.abs(pcm[idx(start):idx(until)].astype(np.int32))
                          > earphones.SOUND)  # sound over the floor
    assert part.size, f"no sound at {start:.3f} s"
    return (idx(start) + int(part[-1]) + 1) / SR


def test_rep_cues_are_said_inside_their_slots(built: Built, guide: Guide) -> None:
    """Each rep cue, as heard, starts on the tempo grid and has ended before its phase
    does ("2-0-1-1" from the lift: kick 1 s, hold 1 s, lower 2 s with "…, 11, <last
    rep>" on the lowering)."""
    rx = built.doc.prescription
    assert rx is not None and rx.tempo is not None
    phases = rx.phases
    cues = [s for s in guide.timeline["segments"]
            if s["kind"] == "speech" and s.get("role") in ("lift", "hold", "lower")]
    assert len(cues) == rx.sets * 2 * rx.reps * len(phases)
    ph = phrases(built.language)
    last = ph._("{word}, {n}, last rep", word=prescription.cue_words(rx, ph).lower,
                n=ph.number(rx.reps - 1))
    assert sum(c["text"] == last for c in cues) == rx.sets * 2
    said = [s for s in guide.timeline["segments"] if s["kind"] == "speech"]
    after = {a["start"]: b["start"] for a, b in itertools.pairwise(said)}
    groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for cue in cues:
        groups.setdefault((cue["set"], cue["side"]), []).append(cue)
    for group in groups.values():
        first = group[0]["start"]
        for k, cue in enumerate(group):
            i = k % len(phases)
            start, end = cue["start"], cue["start"] + phases[i][1]
            grid = (cue["rep"] - 1) * rx.tempo.rep_seconds + sum(s for _, s in phases[:i])
            assert start - first == pytest.approx(grid, abs=1e-6), cue
            assert onset(guide.pcm, start) == pytest.approx(start, abs=TOL), cue["text"]
            heard = _sound_end(guide.pcm, start, after[start])  # up to the next speech
            assert heard <= end + TOL, (
                f"{cue['text']!r} ends at {heard:.3f} s, its slot at {end:.3f}")


def test_voice_option_overrides_the_language(builds: dict[str, Built],
                                             tmp_path: Path) -> None:
    from kickback_export.exporters.audio import AudioExporter
    from kickback_export.registry import Options

    doc = builds["de"].doc
    short = doc.model_copy(update={"steps": doc.steps[:1], "tips": [], "prescription": None})
    AudioExporter().export(text_of(short), tmp_path, Options({"voice": "roa/fr"}))
    tl = json.loads((tmp_path / f"{doc.slug}-guide.timeline.json").read_text(encoding="utf-8"))
    assert (tl["language"], tl["voice"]) == ("de", "roa/fr")


# --- validators ----------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["de", "es"])
def epub(request: pytest.FixtureRequest, builds: dict[str, Built]) -> Path:
    return builds[request.param].file(".epub")


def test_epubcheck_is_clean(epub: Path) -> None:
    report = run_epubcheck(epub)
    checker = report["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"],
            checker["nUsage"]) == (0, 0, 0, 0), messages


def test_ace_finds_no_violation(epub: Path, tmp_path: Path) -> None:
    assert ace_violations(run_ace(epub, tmp_path)) == []


def test_epub_and_web_page_say_their_language(built: Built) -> None:
    from lxml import etree

    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    with zipfile.ZipFile(built.file(".epub")) as zf:
        package = etree.fromstring(zf.read("EPUB/content.opf"))
        pages = {n: etree.fromstring(zf.read(n)) for n in zf.namelist() if n.endswith(".xhtml")}
    dc = "{http://purl.org/dc/elements/1.1/}language"
    assert [e.text for e in package.iter(dc)] == [built.language]
    assert package.get(xml_lang) == built.language
    assert len(pages) == 2  # the navigation and the exercise
    for name, page in pages.items():
        assert (page.get("lang"), page.get(xml_lang)) == (built.language,) * 2, name
        # the catalog is complete: no part of the page switches a screen reader to English
        assert [e.tag for e in page.iter() if e.get("lang") not in (None, built.language)] == []
    html = built.file(".html").read_text(encoding="utf-8")
    assert f'<html lang="{built.language}"' in html
    assert 'lang="en"' not in html


@pytest.mark.parametrize("suffix", ["-card.pdf", "-large-print.pdf"])
def test_pdfs_carry_the_document_language(built: Built, suffix: str) -> None:
    """/Lang in the catalogue (what screen readers use) and dc:language in the XMP that
    pdfinfo shows (poppler's pdfinfo does not print /Lang itself)."""
    path = built.file(suffix)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == built.language
    meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"<dc:language>\s*<rdf:Bag>\s*<rdf:li>" + built.language + "</rdf:li>",
                     meta), meta


def test_the_catalog_words_of_the_rep_cues_fit_too(make_doc: Callable[..., Exercise],
                                                   tmp_path: Path) -> None:
    """A document that leaves the rep cues to the catalog: the catalog's words fit the
    sample tempo in every language (the timeline refuses a cue longer than its slot)."""
    from kickback_export.exporters.audio import AudioExporter
    from kickback_export.registry import Options

    for language in LANGUAGES:
        seed = make_doc(language=language)
        assert seed.prescription is not None
        rx = seed.prescription.model_copy(update={"cues": type(seed.prescription.cues)()})
        doc = seed.model_copy(update={"prescription": rx, "steps": seed.steps[:1], "tips": []})
        AudioExporter().export(text_of(doc), tmp_path / language, Options())
        tl = json.loads((tmp_path / language / f"{doc.slug}-guide.timeline.json")
                        .read_text(encoding="utf-8"))
        ph = phrases(language)
        said = {s["text"] for s in tl["segments"] if s.get("role") == "lift"}
        assert said == {ph.pgettext("rep phase", "lift")}, language
