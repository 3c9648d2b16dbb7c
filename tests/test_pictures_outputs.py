"""Pictures in the EPUB (one exercise, read aloud, and a book of two), the web page and
the braille: EPUBCheck 0/0 and Ace 0 with pictures, the accessibility metadata saying
the visual content has text alternatives, figure/img alt/figcaption/credit in the page and the
cleaned picture in the package; the Nu checker and axe-core find nothing on the web
page; the braille describes each picture ("Picture: …"), read back with liblouis.
"""

from __future__ import annotations

import ctypes.util
import pickle
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from picturekit import fixture_data, with_pictures, write_doc
from same import same
from webcheck import axe_reports, nu_messages, nu_problems

from kickback_export import Exercise, load
from kickback_export.content.exercise_text import build_timeline
from kickback_export.content.text import text_of
from kickback_export.document import images
from kickback_export.engines.epub.narration import READ_ALOUD
from kickback_export.exporters import brf
from kickback_export.exporters.epub import EpubBook, EpubExporter
from kickback_export.exporters.html import HtmlExporter
from kickback_export.registry import Options

from test_epub import NS, ace_violations, run_ace, run_epubcheck, said

CREDIT = "Credit: free-exercise-db (public domain)"


def folded(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Exercise]:
    """The fixture with two pictures, and a second exercise with one."""
    root = tmp_path_factory.mktemp("picture-docs")
    base = fixture_data()
    other = with_pictures(base, 1, id="band-stiff-leg-deadlift", name="Band Stiff-Leg Deadlift")
    return {"two": load(write_doc(root / "two", base)),
            "one": load(write_doc(root / "one", other))}


@pytest.fixture(scope="module")
def epubs(docs: dict[str, Exercise], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("picture-epubs")
    # the one-exercise EPUB is read aloud too: one EPUBCheck and one Ace run cover both
    (single,) = EpubExporter().export(text_of(docs["two"]), root / "single",
                                      Options({"epub_narration": True}))
    book = EpubBook()
    options = Options({"title": "Band Hinges", "file": "hinges.epub"})
    parts = [pickle.loads(pickle.dumps(book.part(text_of(d), options))) for d in docs.values()]
    (bundle,) = book.assemble(parts, root / "book", options)
    return {"single": single.path, "book": bundle.path}


@pytest.fixture(scope="module")
def epubcheck(epubs: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {k: run_epubcheck(p) for k, p in epubs.items()}


@pytest.fixture(scope="module")
def ace(epubs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return {k: run_ace(p, tmp_path_factory.mktemp(f"ace-{k}")) for k, p in epubs.items()}


def _zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


# --- EPUB --------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("which", ["single", "book"])
def test_epubcheck_finds_nothing(which: str, epubcheck: dict[str, dict[str, Any]]) -> None:
    report = epubcheck[which]
    checker = report["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"], checker["nUsage"]) == (
        0, 0, 0, 0), messages


@pytest.mark.slow
@pytest.mark.parametrize("which", ["single", "book"])
def test_ace_finds_no_violation(which: str, ace: dict[str, Any]) -> None:
    assert ace_violations(ace[which]) == []
    assert ace[which]["earl:result"]["earl:outcome"] == "pass"
    assert ace[which]["a11y-metadata"]["empty"] == []


@pytest.mark.parametrize("which", ["single", "book"])
def test_metadata_says_the_pictures_have_text_alternatives(
        which: str, epubs: dict[str, Path]) -> None:
    package = etree.fromstring(_zip(epubs[which])["EPUB/content.opf"])
    meta: dict[str, list[str]] = {}
    for m in package.iterfind(".//opf:meta[@property]", NS):
        meta.setdefault(m.get("property"), []).append(m.text or "")
    narrated = {"auditory"} if which == "single" else set()
    assert set(meta["schema:accessMode"]) == {"textual", "visual"} | narrated
    assert set(meta["schema:accessModeSufficient"]) == {"textual"} | narrated
    assert "alternativeText" in meta["schema:accessibilityFeature"]
    assert "Every picture has a text alternative" in meta["schema:accessibilitySummary"][0]


def test_figures_with_alt_caption_and_credit_and_the_pictures_packaged(
        epubs: dict[str, Path], docs: dict[str, Exercise]) -> None:
    for which, wanted in (("single", [docs["two"]]), ("book", list(docs.values()))):
        files = _zip(epubs[which])
        package = etree.fromstring(files["EPUB/content.opf"])
        manifest = {i.get("href"): i.get("media-type")
                    for i in package.iterfind(".//opf:item", NS)}
        for doc in wanted:
            page = etree.fromstring(files[f"EPUB/text/{doc.slug}.xhtml"])
            figures = page.findall(".//x:figure", NS)
            loaded = images.loaded(doc)
            assert len(figures) == len(loaded), which
            for figure, picture in zip(figures, loaded, strict=True):
                img = figure.find("x:img", NS)
                assert img is not None and img.get("alt") == picture.alt
                caption = folded("".join(figure.find("x:figcaption", NS).itertext()))
                assert caption == f"{picture.picture.caption} {CREDIT}"
                href = img.get("src", "").removeprefix("../")
                assert manifest[href] == picture.media_type
                assert files[f"EPUB/{href}"] == picture.data  # the cleaned bytes, as loaded


def test_read_aloud_says_each_caption_and_credit_as_shown(
        epubs: dict[str, Path], docs: dict[str, Exercise]) -> None:
    """The figure's clip says what the page shows of it (the caption and the credit);
    the alt text stays the picture's."""
    timeline = build_timeline(docs["two"], lambda text: 0.05 + 0.03 * len(text), READ_ALOUD)
    spoken = said(timeline)
    for i, picture in enumerate(images.loaded(docs["two"]), 1):
        assert spoken[f"figure-{i}"] == f"{picture.picture.caption} {CREDIT}"
    smil = _zip(epubs["single"])[f"EPUB/overlays/{docs['two'].slug}.smil"].decode()
    assert smil.index("#figure-1") < smil.index("#figure-2") < smil.index("#step-1")


# --- the web page ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(docs: dict[str, Exercise], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("picture-html") / docs["two"].slug
    outputs = HtmlExporter().export(text_of(docs["two"]), out, Options())
    names = {o.path.name for o in outputs}
    assert {f"{docs['two'].slug}-1.jpg", f"{docs['two'].slug}-2.jpg"} <= names
    return out / f"{docs['two'].slug}.html"


def test_web_page_figures(page: Path, docs: dict[str, Exercise]) -> None:
    tree = etree.parse(str(page), etree.HTMLParser())
    figures = tree.findall(".//figure")
    assert len(figures) == 2
    for figure, picture in zip(figures, images.loaded(docs["two"]), strict=True):
        img = figure.find("img")
        assert img is not None and img.get("alt") == picture.alt
        assert same(page.parent / img.get("src", ""), picture.data)
        assert (img.get("width"), img.get("height")) == (str(picture.width),
                                                         str(picture.height))
        assert CREDIT in folded("".join(figure.find("figcaption").itertext()))


@pytest.mark.slow
def test_nu_checker_finds_nothing_on_the_web_page(page: Path) -> None:
    assert nu_problems(nu_messages(page)) == []


@pytest.mark.slow
def test_axe_finds_nothing_on_the_web_page(page: Path) -> None:
    report = axe_reports(page)[str(page)]
    assert report["violations"] == [] and report["passes"] >= 10
    assert report["print"]["overflow"] == {"A4": False, "Letter": False}  # pictures shrink


# --- braille -----------------------------------------------------------------------------


@pytest.mark.skipif(not ctypes.util.find_library("louis"),
                    reason="liblouis (Debian liblouis20) not installed")
def test_braille_describes_each_picture(docs: dict[str, Exercise]) -> None:
    from kickback_export.engines.braille import louis

    data = brf.render(text_of(docs["two"]))
    lines = [ln.rstrip() for ln in data.decode("ascii").replace("\f", "\n").splitlines()]
    text = " ".join(ln.strip() for ln in lines if ln.strip() and not re.fullmatch(
        r"\s*#\S+", ln))  # page numbers at the line's end stay out
    back = folded(louis.back_translate("en-us-brf.dis,en-ueb-g2.ctb", text)).lower()
    for picture in images.loaded(docs["two"]):
        words = re.findall(r"[\w']+", f"{picture.picture.caption}: {picture.alt}".lower())
        said = re.findall(r"[\w']+", back)
        assert any(said[i] == "picture" and said[i + 1:i + 1 + len(words)] == words
                   for i in range(len(said))), (words, back)
