"""Large-print PDFs, checked from the file itself: glyph sizes computed from the content
stream, fonts with pdffonts, tags with pdfinfo, page breaks with pdftotext per page.
"""

from __future__ import annotations

import copy
import math
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from same import same

from kickback_export import Exercise
from kickback_export.build.pipeline import build
from kickback_export.content.phrases import phrases
from kickback_export.content.prescription import entries
from kickback_export.content.text import text_of
from kickback_export.engines.print import large_print_layout as lp
from kickback_export.engines.print import large_print_pages, pdf_page, pdf_tagging
from kickback_export.errors import OptionError, exit_code
from kickback_export.exporters import Exporter
from kickback_export.exporters.large_print import PAPERS, LargePrintExporter
from kickback_export.registry import ContentError, Options, discover

from pdfcheck import TEXT_OPS, mul, page_states, run, struct_leaves
from strategies import documents

SLUG = "resistance-band-one-leg-kickback-bent-position"
SOURCE = Path(__file__).resolve().parents[1] / "source" / f"{SLUG}.yaml"
MM = 72 / 25.4
PAINT_OPS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}

PHRASE = (
    "brace the trunk and keep the pelvis square while the working leg drives back slowly "
    "against the band with the knee soft and the ribs down so the glute does the work"
)


def long_text(n: int, words: int = 70) -> str:
    """A step of ``words`` words that names its number, so each is told apart on a page."""
    pool = PHRASE.split()
    body = " ".join(pool[(n + i) % len(pool)] for i in range(words))
    return f"Step marker {n} begins: {body}; end of step {n}."


def flat(path: Path, *args: str) -> str:
    """Extracted text in reading order, whitespace folded (no -layout: no label columns)."""
    return " ".join(run("pdftotext", *args, path, "-").split())


def page_count(path: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", path)).group(1))  # type: ignore[union-attr]


def page_texts(path: Path) -> list[str]:
    return [flat(path, "-f", str(n), "-l", str(n)) for n in range(1, page_count(path) + 1)]


def export(doc: Exercise, out: Path, **options: Any) -> Path:
    (output,) = LargePrintExporter().export(text_of(doc), out, Options(options))
    assert output.media_type == "application/pdf"
    return output.path


# --- reading glyph sizes back from the content stream ----------------------------------


@dataclass(frozen=True)
class Shown:
    """One text-showing operator and the state it ran in."""

    page: int
    size: float  # effective glyph height: Tf size × vertical scale of Tm × CTM
    tf: float
    leading: float
    font: str
    tags: tuple[str, ...]
    mcid: bool
    artifact: str | None  # the /Type of an enclosing Artifact
    x: float
    y: float


def shown_text(path: Path) -> Iterator[Shown]:
    """Every text-showing operator of every page, with marked content and q/Q balanced."""
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            last = None
            for state in page_states(page):
                last = state
                if state.op in TEXT_OPS:
                    render = mul(state.tm, state.ctm)
                    vscale = math.hypot(render[2], render[3])
                    art = next((k for t, _, k in state.marks if t == "Artifact"), None)
                    yield Shown(number, state.size * vscale, state.size, state.leading,
                                state.font, state.tags, state.mcid, art, render[4], render[5])
            assert last is None or not last.marks, "unbalanced marked content"
            assert last is None or not last.saved, "unbalanced q/Q"


def fonts_by_resource(path: Path) -> dict[tuple[int, str], str]:
    """(page, resource name) → BaseFont, to tell bold from regular text."""
    names = {}
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            for key, font in page.Resources.Font.items():
                names[(number, key)] = str(font.BaseFont)
    return names


def untagged_paint(path: Path) -> list[str]:
    """Painting operators outside both tagged content and artifacts."""
    bad = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            stack: list[str] = []
            for instr in pikepdf.parse_content_stream(page):
                op = str(instr.operator)
                if op in ("BDC", "BMC"):
                    props = instr.operands[1] if op == "BDC" else None
                    tagged = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                    stack.append("mcid" if tagged else str(instr.operands[0]))
                elif op == "EMC":
                    stack.pop()
                elif op in PAINT_OPS and not any(s in ("mcid", "/Artifact") for s in stack):
                    bad.append(f"page {number + 1}: {op}")
    return bad


def test_matrix_walk_scales_glyphs(tmp_path: Path) -> None:
    """The size reader itself: a 9 pt Tf under a 2× cm and a 1.5× Tm is 27 pt on paper."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(
        b"/P <</MCID 0>> BDC q 2 0 0 2 0 0 cm BT /F1 9 Tf 1.5 0 0 1.5 10 10 Tm (a) Tj ET Q "
        b"BT /F1 9 Tf 0 2 -2 0 0 0 Tm (b) Tj ET EMC"
    )
    path = tmp_path / "scaled.pdf"
    pdf.save(path)
    sizes = [round(s.size, 6) for s in shown_text(path)]
    assert sizes == [27.0, 18.0]  # the second is rotated 90°: still 18 pt tall


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("large-print")


@pytest.fixture(scope="module")
def seed_pdf(seed_doc: Exercise, out: Path) -> Path:
    return export(seed_doc, out / "seed")


@pytest.fixture(scope="module")
def letter_pdf(seed_doc: Exercise, out: Path) -> Path:
    return export(seed_doc, out / "letter", large_print_paper="letter")


@pytest.fixture(scope="module")
def long_doc(seed_data: dict[str, Any]) -> Exercise:
    data = copy.deepcopy(seed_data)
    data.update(
        id="long-drill",
        steps=[{"text": long_text(n + 1), "cue": f"Cue {n + 1}"} for n in range(15)],
        tips=[long_text(100 + n, 45) for n in range(6)],
        faq=[{"question": f"Question {n + 1}: how is the rep done well?",
              "answer": long_text(200 + n, 50)} for n in range(6)],
    )
    return Exercise.model_validate(data)


@pytest.fixture(scope="module")
def long_pdf(long_doc: Exercise, out: Path) -> Path:
    return export(long_doc, out / "long")


@pytest.fixture(scope="module")
def all_pdfs(seed_pdf: Path, letter_pdf: Path, long_pdf: Path) -> list[Path]:
    return [seed_pdf, letter_pdf, long_pdf]


# --- the exporter plug-in --------------------------------------------------------------


def test_is_a_registered_exporter() -> None:
    exporter = discover()["large-print"]
    assert isinstance(exporter, LargePrintExporter)
    assert isinstance(exporter, Exporter)
    (option,) = exporter.options
    assert option.name == "large-print-paper"
    assert option.default == "a4"
    assert tuple(option.choices or ()) == ("a4", "letter") == tuple(pdf_page.PAPERS)


def test_writes_one_pdf_named_after_the_slug(seed_pdf: Path, out: Path) -> None:
    assert seed_pdf == out / "seed" / f"{SLUG}-large-print.pdf"
    assert sorted(p.name for p in seed_pdf.parent.iterdir()) == [seed_pdf.name]


def test_unknown_paper_is_a_clear_error(tmp_path: Path) -> None:
    """Option values are checked by the registry, once, before a build writes anything."""
    with pytest.raises(OptionError, match="--large-print-paper: unknown value 'a5' "
                       r"\(choose a4, letter\)") as info:
        build([SOURCE], ["large-print"], tmp_path, {"large_print_paper": "a5"})
    assert exit_code(info.value) == 2
    assert not list(tmp_path.rglob("*"))


# --- (1) every glyph at least 18 pt, read back from the PDF ------------------------------


def test_every_glyph_is_at_least_18_points(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        shown = list(shown_text(path))
        assert shown
        smallest = min(s.size for s in shown)
        assert smallest >= 18 - 1e-6, (path.name, smallest)


def test_headings_are_bold_and_larger(seed_pdf: Path) -> None:
    names = fonts_by_resource(seed_pdf)
    for s in shown_text(seed_pdf):
        font = names[(s.page, s.font)]
        if "H1" in s.tags:
            assert s.size >= 28 and font.endswith("DejaVuSans-Bold")
        elif "H2" in s.tags:
            assert s.size >= 22 and font.endswith("DejaVuSans-Bold")
        elif "H3" in s.tags:  # FAQ questions
            assert font.endswith("DejaVuSans-Bold")
        else:  # body text, list labels, bold cues, page numbers: all at body size
            assert s.size == pytest.approx(18), s


def test_body_line_spacing_is_between_1_3_and_1_5(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        body = [s for s in shown_text(path) if s.size < 20 and s.mcid]
        assert body
        for s in body:
            assert 1.3 <= s.leading / s.tf <= 1.5, s


def test_text_stays_inside_20_mm_margins(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        bbox = run("pdftotext", "-bbox", path, "-")
        (w, h), *_ = {(float(a), float(b)) for a, b in
                      re.findall(r'<page width="([\d.]+)" height="([\d.]+)"', bbox)}
        for x0, y0, x1, y1 in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox
        ):
            assert float(x0) >= 20 * MM and float(y0) >= 20 * MM
            assert float(x1) <= w - 20 * MM and float(y1) <= h - 20 * MM


# --- (2) fonts: embedded DejaVu Sans only, no italics ------------------------------------


def test_only_embedded_dejavu_and_no_italic(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        rows = run("pdffonts", path).splitlines()[2:]
        assert rows
        for row in rows:
            name, *_ = row.split()
            assert re.fullmatch(r"[A-Z]{6}\+DejaVuSans(-Bold)?", name), row
            assert row.split()[-5:-2] == ["yes", "yes", "yes"], row  # emb, sub, uni
            assert "Oblique" not in name and "Italic" not in name


def test_unsupported_character_is_the_card_content_error(
    make_doc: Callable[..., Exercise], seed_data: dict[str, Any], tmp_path: Path
) -> None:
    steps = copy.deepcopy(seed_data["steps"])
    steps[2]["text"] = "Hum a tune 𝄞 while you kick."
    with pytest.raises(ContentError) as info:
        export(make_doc(steps=steps), tmp_path)
    assert isinstance(info.value, pdf_tagging.UnsupportedCharacterError)
    assert str(info.value) == (
        "steps[2].text: character '𝄞' (U+1D11E) is not in the card font DejaVu Sans"
    )
    assert not list(tmp_path.rglob("*.pdf"))


def test_missing_font_names_the_debian_package(
    seed_doc: Exercise, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_tagging, "FONT_DIR", tmp_path / "no-fonts")
    with pytest.raises(pdf_tagging.FontMissingError, match="fonts-dejavu-core"):
        export(seed_doc, tmp_path)


# --- (3) metadata and tags -------------------------------------------------------------


@pytest.mark.parametrize(("which", "size"), [("seed_pdf", "595.276 x 841.89 pts (A4)"),
                                              ("letter_pdf", "612 x 792 pts (letter)")])
def test_pdfinfo_tagged_paper_and_title(
    which: str, size: str, seed_doc: Exercise, request: pytest.FixtureRequest
) -> None:
    info = run("pdfinfo", request.getfixturevalue(which))
    assert "Tagged:          yes" in info
    assert f"Page size:       {size}" in info
    assert f"Title:           {seed_doc.name}" in info
    assert re.search(r"PDF version:\s+1\.7", info)
    assert "CreationDate:    Sat Jan  1 00:00:00 2000" in info


def test_catalogue_lang_markinfo_xmp_and_outline(seed_pdf: Path, seed_doc: Exercise) -> None:
    with pikepdf.open(seed_pdf) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        for page in pdf.pages:
            assert page.Tabs == pikepdf.Name.S
            assert "/Annots" not in page
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == seed_doc.name
        titles = [str(item.title) for item in pdf.open_outline().root]
    # the part headings are the ones every format shows (the phrase catalog's)
    assert titles == [
        seed_doc.name, "Overview", "Target muscles", "Equipment", "Setup", "Instructions",
        "Prescription", "Tips", "Cautions", "Frequently asked questions",
    ]


def test_language_comes_from_the_document(make_doc: Callable[..., Exercise],
                                          tmp_path: Path) -> None:
    with pikepdf.open(export(make_doc(language="de-AT"), tmp_path)) as pdf:
        assert str(pdf.Root.Lang) == "de-AT"


def test_struct_text_has_everything_in_reading_order(seed_pdf: Path, seed_doc: Exercise) -> None:
    leaves = struct_leaves(seed_pdf)
    assert leaves[0] == seed_doc.name
    d = seed_doc
    rx = d.prescription
    assert rx is not None
    expected = [  # the page's reading order, as the e-book and the web page have it
        d.name, f"Also known as: {d.aliases[0]}", d.summary, "Level: Beginner", *d.overview,
        f"Image description: {d.image_description}", "Target muscles", "Primary",
        "Glutes (gluteus maximus)", "Secondary", "Hamstrings (biceps femoris)",
        "Equipment", "Resistance band", "Setup", *d.setup, "Instructions",
        *[part for s in d.steps for part in ((s.cue or ""), s.text)],
        "Prescription", "Sets: 3",
        "Reps per side: 12 per leg, left leg first",
        "Tempo: 2-0-1-1 (kick 1 second, squeeze 1 second, lower 2 seconds; 4 seconds per rep)",
        "Rest between sets: 45 seconds",
        "Switching sides: 10 seconds",
        "Tips", *d.tips, "Cautions", *d.cautions, "Frequently asked questions",
        *[part for qa in d.faq for part in (qa.question, qa.answer)],
    ]
    spots = []
    start = 0
    for item in expected:
        start = leaves.index(item, start)  # found, and after everything before it
        spots.append(start)
        start += 1
    numbers = [leaf for leaf in leaves if re.fullmatch(r"\d+\.", leaf)]
    assert numbers == [f"{i + 1}." for i in range(len(d.steps))]
    # every entry of the content layer's prescription, as it is
    lines = [f"{e.term}: {e.value}" for e in entries(rx, phrases(d.language))]
    assert lines == [leaf for leaf in leaves if leaf in lines]


def test_struct_roles(seed_pdf: Path) -> None:
    tree = run("pdfinfo", "-struct-text", seed_pdf)
    for role in ("Document", "H1", "H2", "H3", "L", "LI", "Lbl", "LBody", "P"):
        assert re.search(rf"^\s*{role}( \(block\))?$", tree, flags=re.M), role
    assert "Page 1 of" not in tree  # page numbers are artifacts, not content


def test_every_text_operator_is_tagged_or_a_page_number(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        shown = list(shown_text(path))
        loose = [s for s in shown if not s.mcid]
        assert all(s.artifact == "/Pagination" for s in loose), path
        assert sorted({s.page for s in loose}) == list(range(page_count(path)))
        assert len(loose) == page_count(path)  # one page number per page, nothing else
        assert untagged_paint(path) == [], path


# --- (4) no step, tip or FAQ pair split across pages -------------------------------------


def test_long_document_really_breaks_pages(long_pdf: Path, long_doc: Exercise) -> None:
    pages = page_texts(long_pdf)
    step_pages = {i for i, text in enumerate(pages) for s in long_doc.steps if s.text in text}
    assert len(step_pages) >= 4


@pytest.mark.parametrize("which", ["seed", "long"])
def test_no_step_tip_or_faq_pair_is_split(
    which: str, request: pytest.FixtureRequest
) -> None:
    path = request.getfixturevalue(f"{which}_pdf")
    doc = request.getfixturevalue("seed_doc" if which == "seed" else "long_doc")
    pages = page_texts(path)

    def pages_holding(text: str) -> list[int]:
        return [n for n, page in enumerate(pages) if text in page]

    for i, step in enumerate(doc.steps):
        whole = f"{i + 1}. {step.cue} {step.text}" if step.cue else f"{i + 1}. {step.text}"
        assert len(pages_holding(whole)) == 1, whole[:40]
        # and every word of it is on that page, not spread over two
        (home,) = pages_holding(whole)
        assert set(re.findall(r"\w+", step.text)) <= set(re.findall(r"\w+", pages[home]))
    for tip in doc.tips:
        assert len(pages_holding(tip)) >= 1, tip[:40]
    for qa in doc.faq:
        assert len(pages_holding(f"{qa.question} {qa.answer}")) == 1, qa.question


def check_pagination(lay: lp.Layout) -> None:
    """Every line placed once, in order, inside the text area; blocks that fit a page whole
    are on one page; no page ends with a heading."""
    placed = [(page_no, y, row) for page_no, page in enumerate(lay.pages)
              for y, row in page.rows]
    expected = [(r.piece, r.line) for block in lay.blocks for r in block.rows()]
    assert [(row.piece, row.line) for _, _, row in placed] == expected
    where = {(id(row.piece), row.line): page_no for page_no, _, row in placed}
    for block in lay.blocks:
        rows = block.rows()
        pages = {where[(id(r.piece), r.line)] for r in rows}
        whole = large_print_pages.rows_height(rows, True) <= lay.room + 1e-6
        if whole and not block.splittable:
            assert len(pages) == 1
    for page in lay.pages:
        assert page.rows
        ys = [y for y, _ in page.rows]
        assert ys == sorted(ys) and ys[0] == 0
        y, row = page.rows[-1]
        assert y + row.height <= lay.room + 1e-6
        last = row.piece.node
        assert last is None or not last.role.startswith("H")


@settings(max_examples=60, deadline=None)
@given(documents(max_steps=30), st.sampled_from(PAPERS))
def test_generated_documents_paginate_cleanly(data: dict[str, Any], paper: str) -> None:
    check_pagination(lp.layout(text_of(Exercise.model_validate(data)), paper))


def test_real_documents_paginate_cleanly(seed_doc: Exercise, long_doc: Exercise) -> None:
    for doc in (seed_doc, long_doc):
        for paper in PAPERS:
            check_pagination(lp.layout(text_of(doc), paper))


def test_a_step_longer_than_a_page_flows_on_without_loss(
    make_doc: Callable[..., Exercise], seed_data: dict[str, Any], tmp_path: Path
) -> None:
    """The one allowed split: a step taller than a whole page cannot be kept together."""
    giant = long_text(7, 760)
    assert 3500 < len(giant) <= 4000  # as long as the model allows
    steps = copy.deepcopy(seed_data["steps"])
    steps.insert(2, {"text": giant, "cue": "The long one"})
    path = export(make_doc(steps=steps), tmp_path)
    check_pagination(lp.layout(text_of(make_doc(steps=steps))))
    pages = page_texts(path)
    first = next(n for n, page in enumerate(pages) if "Step marker 7" in page)
    last = next(n for n, page in enumerate(pages) if "end of step 7." in page)
    holding = list(range(first, last + 1))
    assert len(holding) >= 3
    assert struct_leaves(path).count(giant) == 1  # one list item, whole, for a screen reader
    body = [re.sub(r" ?Page \d+ of \d+$", "", pages[n]) for n in holding]
    assert giant in " ".join(body)  # every word, in order, only the page turn between
    # the ordinary steps around it are still whole
    for i, step in enumerate(make_doc(steps=steps).steps):
        if step.text != giant:
            assert sum(f"{i + 1}. {step.cue} {step.text}" in page for page in pages) == 1


# --- (5) page numbers ------------------------------------------------------------------


def test_page_numbers_on_every_page_at_one_position(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        total = page_count(path)
        assert total > 1
        bbox = run("pdftotext", "-bbox", path, "-")
        spots = set()
        for number, page in enumerate(bbox.split("<page ")[1:], 1):
            words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<', page)
            footer = [(x, y) for x, y, w in words if w == "Page"]
            assert len(footer) == 1, (path.name, number)
            spots.add(footer[0])
            assert f"Page {number} of {total}" in " ".join(w for *_, w in words)
        assert len(spots) == 1, spots  # the same place on every page
        with pikepdf.open(path) as pdf:
            height = float(pdf.pages[0].MediaBox[3])
        (_, y), = spots
        assert float(y) > height / 2  # at the foot of the page


# --- (6) file validity -----------------------------------------------------------------


def test_qpdf_check_is_clean(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout


# --- (7) determinism -------------------------------------------------------------------


def test_same_input_gives_identical_bytes(seed_doc: Exercise, tmp_path: Path) -> None:
    one = export(seed_doc, tmp_path / "a")
    two = export(seed_doc, tmp_path / "b")
    assert same(one, two)
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".kbx-tmp-")]


def test_identical_bytes_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[1] / "source" / f"{SLUG}.yaml"
    script = (
        "import sys; from pathlib import Path; from kickback_export import load;"
        "from kickback_export.content.text import text_of;"
        "from kickback_export.registry import Options;"
        "from kickback_export.exporters.large_print import LargePrintExporter;"
        "LargePrintExporter().export(text_of(load(sys.argv[1])), Path(sys.argv[2]),"
        " Options({'large_print_paper': 'letter'}))"
    )
    blobs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(source), str(tmp_path / seed)],
                       env=env, check=True)
        (pdf,) = (tmp_path / seed).glob("*.pdf")
        blobs.append(pdf.read_bytes())
    assert blobs[0] == blobs[1]


# --- (8) hostile text, (9) no case changes ---------------------------------------------

INJECTIONS = [
    "<font size=80>big</font>",
    '<img src="/etc/passwd"/>',
    '<a href="javascript:alert(1)">x</a>',
]


def test_markup_in_text_is_printed_literally(
    make_doc: Callable[..., Exercise], seed_data: dict[str, Any], tmp_path: Path
) -> None:
    steps = copy.deepcopy(seed_data["steps"])
    for i, payload in enumerate(INJECTIONS):
        steps[i]["text"] = f"Step {payload} &amp; more"
        steps[i]["cue"] = payload
    path = export(make_doc(steps=steps, name="Kick <b>bold</b> & co"), tmp_path)
    text = flat(path)
    for payload in INJECTIONS:
        assert f"Step {payload} &amp; more" in text
    assert text.startswith("Kick <b>bold</b> & co")
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            assert "/Annots" not in page
            assert "/XObject" not in page.Resources
        kinds = {str(o.get("/Subtype")) for o in pdf.objects
                 if isinstance(o, pikepdf.Dictionary | pikepdf.Stream)}
        assert "/Image" not in kinds and "/Link" not in kinds
    assert max(s.size for s in shown_text(path)) < 40  # <font size=80> did not take effect


def test_no_text_is_turned_to_capitals(seed_pdf: Path, seed_doc: Exercise) -> None:
    lines = run("pdftotext", "-f", "1", "-l", "1", seed_pdf, "-").splitlines()
    title = next(" ".join(lines[:n]) for n in range(1, len(lines))
                 if len(" ".join(lines[:n])) >= len(seed_doc.name))
    assert title == seed_doc.name  # the printed lines of the name, exactly as written
    assert struct_leaves(seed_pdf)[0] == seed_doc.name
    assert "glutes" in flat(seed_pdf) and "GLUTES" not in flat(seed_pdf)
    assert seed_doc.steps[0].cue in flat(seed_pdf)  # type: ignore[operator]


def test_typographic_characters_render_and_extract(
    make_doc: Callable[..., Exercise], tmp_path: Path
) -> None:
    doc = make_doc(name="Café kickback — 90° hold", summary="Don’t rush — it’s a 90° hold.")
    text = flat(export(doc, tmp_path))
    assert text.startswith("Café kickback — 90° hold")
    assert "Don’t rush — it’s a 90° hold." in text


def test_optional_sections_are_left_out(make_doc: Callable[..., Exercise],
                                       tmp_path: Path) -> None:
    doc = make_doc(overview=["Short."], setup=[], tips=[], cautions=[], faq=[],
                   image_description=None, aliases=[], muscles={"primary": [{"name": "glutes"}]},
                   steps=[{"text": "Kick back."}], prescription=None)
    path = export(doc, tmp_path)
    pages = page_count(path)
    text = flat(path)
    assert "1. Kick back." in text and re.search(r"Primary (• )?Glutes", text)
    for absent in ("Also known", "Setup", "Tips", "Cautions", "Frequently", "picture",
                   "Prescription", "glutes (", "Secondary"):
        assert absent not in text, absent
    assert text.endswith(f"Page {pages} of {pages}")
