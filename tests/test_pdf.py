"""Cue-card PDFs, checked with the tools a reader, a printer and a screen reader rely on:
poppler (pdftotext, pdffonts, pdfinfo), qpdf, zbar, and the content streams themselves.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from same import same

from kickback_export import Exercise
from kickback_export.build.pipeline import build
from kickback_export.content.text import text_of
from kickback_export.engines.print import card_draw, card_layout, pdf_page, pdf_tagging
from kickback_export.errors import OptionError, exit_code
from kickback_export.exporters import Exporter
from kickback_export.exporters import pdf as card_pdf
from kickback_export.exporters.pdf import PdfExporter
from kickback_export.registry import Options, discover

from pdfcheck import page_states, run, struct_leaves

SLUG = "resistance-band-one-leg-kickback-bent-position"
SOURCE = Path(__file__).resolve().parents[1] / "source" / f"{SLUG}.yaml"
A6 = (297.638, 419.528)
A4 = (595.276, 841.89)

TEXT_OPS = {"Tj", "TJ", "'", '"'}
PAINT_OPS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}


def text(path: Path, *args: str, layout: bool = True) -> str:
    """Extracted text; ``-layout`` keeps each list label on the line of its item."""
    return run("pdftotext", *(("-layout",) if layout else ()), *args, path, "-")


def words(s: str) -> list[str]:
    return re.findall(r"\w[\w'’-]*", s)


def export(doc: Exercise, out: Path, **options: Any) -> list[Path]:
    return [o.path for o in PdfExporter().export(text_of(doc), out, Options(options))]


def variant(data: dict[str, Any], **changes: Any) -> Exercise:
    data = copy.deepcopy(data)
    data.update(changes)
    return Exercise.model_validate(data)


GETUP_STEPS = [
    "Lie on your back holding the kettlebell in your right hand with the arm locked out "
    "straight above the shoulder, right knee bent and right foot flat, left arm and left "
    "leg out at forty-five degrees on the floor.",
    "Keep your eyes on the kettlebell for the whole movement and never let the wrist bend "
    "back; the knuckles point to the ceiling and the elbow stays locked.",
    "Press through the right heel and punch the kettlebell toward the ceiling as you roll "
    "up onto the left elbow, keeping the chest open and the shoulder packed.",
    "Push the left hand into the floor and straighten the left arm so you sit tall, "
    "posting on the left palm with the fingers turned slightly away from the body.",
    "Drive the hips up into a high bridge so the body forms a line from the left shoulder "
    "to the right knee while the kettlebell stays stacked over the shoulder.",
    "Sweep the left leg back underneath the body and place the left knee on the floor in "
    "line with the left hand, keeping the hips high while the leg passes through.",
    "Lift the left hand off the floor and bring the torso upright into a half-kneeling "
    "windmill position, the kettlebell still locked out overhead.",
    "Turn the back foot so the shins are parallel and you are in a tall half-kneeling "
    "lunge, ribs down and glutes tight, checking that the weight is balanced.",
    "Stand up out of the lunge by driving through the front heel, bringing the back foot "
    "forward to meet it without letting the arm drift forward or the elbow soften.",
    "Reverse the lunge by stepping the left foot back and lowering the left knee softly "
    "to the floor, keeping the torso tall and the kettlebell over the shoulder.",
    "Hinge to place the left hand back on the floor, sweep the left leg through to the "
    "front, and lower the hips to sit on the floor with control.",
    "Roll back down to the elbow and then to the floor, bring the kettlebell down with two "
    "hands to the chest, and rest before you switch sides for the next repetition.",
]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def seed_card(seed_doc: Exercise, out: Path) -> Path:
    (path,) = export(seed_doc, out / "seed")
    return path


@pytest.fixture(scope="module")
def seed_sheet(seed_doc: Exercise, out: Path) -> Path:
    paths = export(seed_doc, out / "sheet", sheet="a4", duplex=True,
                   qr_url="https://example.org/{slug}")
    assert [p.name for p in paths] == [f"{SLUG}-card.pdf", f"{SLUG}-cards-a4.pdf"]
    return paths[1]


@pytest.fixture(scope="module")
def qr_card(seed_doc: Exercise, out: Path) -> Path:
    return export(seed_doc, out / "qr", qr_url="https://example.org/cards/{slug}")[0]


@pytest.fixture(scope="module")
def getup(seed_data: dict[str, Any]) -> Exercise:
    steps = [{"text": s} for s in GETUP_STEPS]  # no cues: the steps are printed once
    return variant(seed_data, id="turkish-get-up", name="Turkish Get-Up", steps=steps)


@pytest.fixture(scope="module")
def getup_card(getup: Exercise, out: Path) -> Path:
    return export(getup, out / "getup")[0]


@pytest.fixture(scope="module")
def all_pdfs(seed_card: Path, seed_sheet: Path, qr_card: Path, getup_card: Path) -> list[Path]:
    return [seed_card, seed_sheet, qr_card, getup_card]


# --- helpers reading the PDF itself ------------------------------------------------------


def shown_text(path: Path) -> Iterator[tuple[int, float, list[str], bool]]:
    """Every text-showing operator: (page, font size, open marked-content tags, has MCID)."""
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            size = Decimal(0)
            stack: list[tuple[str, bool]] = []
            for instr in pikepdf.parse_content_stream(page):
                op = str(instr.operator)
                if op == "Tf":
                    size = Decimal(str(instr.operands[1]))
                elif op == "BDC":
                    props = instr.operands[1]
                    has = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                    stack.append((str(instr.operands[0])[1:], has))
                elif op == "BMC":
                    stack.append((str(instr.operands[0])[1:], False))
                elif op == "EMC":
                    stack.pop()
                elif op in TEXT_OPS:
                    yield number, float(size), [t for t, _ in stack], any(m for _, m in stack)


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
                    name = str(instr.operands[0])
                    stack.append("mcid" if tagged else name)
                elif op == "EMC":
                    stack.pop()
                elif op in PAINT_OPS and not any(s in ("mcid", "/Artifact") for s in stack):
                    bad.append(f"page {number + 1}: {op}")
            assert not stack, "unbalanced marked content"
    return bad


# --- the exporter plug-in ----------------------------------------------------------------


def test_is_a_registered_exporter() -> None:
    exporter = discover()["pdf"]
    assert isinstance(exporter, PdfExporter)
    assert isinstance(exporter, Exporter)
    assert [o.name for o in exporter.options] == ["card-size", "sheet", "duplex", "qr-url",
                                                  "log-weeks"]
    assert exporter.options[0].default == "a6"
    assert exporter.options[2].flag
    # the choices offered are exactly the sizes the engines can draw
    assert tuple(exporter.options[0].choices or ()) == tuple(card_layout.CARD_SIZES)
    assert tuple(exporter.options[1].choices or ()) == tuple(pdf_page.PAPERS)


def test_writes_only_the_card_without_a_sheet(seed_card: Path, out: Path) -> None:
    assert seed_card == out / "seed" / f"{SLUG}-card.pdf"  # out_dir is already OUT/<slug>/
    assert sorted(p.name for p in seed_card.parent.iterdir()) == [seed_card.name]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"duplex": True}, "--duplex needs --sheet"),
        ({"card_size": "a5"}, "--card-size: unknown value 'a5' (choose a6, 4x6, 5x8, 3x5)"),
        ({"qr_url": "https://x.org/{name}"}, "--qr-url: unknown placeholder"),
    ],
)
def test_bad_options_are_clear_errors(
    tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    """The registry checks option values, once, before a build writes anything."""
    with pytest.raises(OptionError, match=re.escape(message)) as info:
        build([SOURCE], ["pdf"], tmp_path, options)
    assert exit_code(info.value) == 2  # the user's to fix, like any bad option value
    assert not list(tmp_path.rglob("*"))


# --- content and order -------------------------------------------------------------------


def test_front_has_name_muscles_cues_in_order_and_dose(
    seed_card: Path, seed_doc: Exercise
) -> None:
    front = " ".join(text(seed_card, "-f", "1", "-l", "1").split())
    assert front.startswith(seed_doc.name)
    assert "Targets: glutes · helped by hamstrings, core, lower back" in front
    positions = [front.index(f"{i + 1}. {s.cue}") for i, s in enumerate(seed_doc.steps)]
    assert positions == sorted(positions)
    assert "3 sets × 12 reps per leg, left first" in front
    assert "2-0-1-1 (kick 1 s · squeeze 1 s · lower 2 s)" in front
    assert "Rest: 45 s between sets" in front
    assert "Place the band" not in front  # full instructions belong on the back


def test_back_has_numbered_steps_tips_cautions_in_order(
    seed_card: Path, seed_doc: Exercise
) -> None:
    back = " ".join(text(seed_card, "-f", "2").split())
    order = [back.index(f"{i + 1}. {s.text}") for i, s in enumerate(seed_doc.steps)]
    assert order == sorted(order)
    tips = back.index("Tips")
    cautions = back.index("Cautions")
    assert order[-1] < tips < cautions
    assert seed_doc.tips[0] in back
    for caution in seed_doc.cautions:
        assert back.index(caution) > cautions
    # the FAQ does not fit an A6 card, so the card points to the e-book instead
    assert "More in the e-book" in back
    assert "Frequently asked questions" not in back


def test_faq_goes_on_the_back_when_it_fits(seed_data: dict[str, Any], tmp_path: Path) -> None:
    doc = variant(
        seed_data,
        steps=[{"text": "Kick back.", "cue": "Kick"}, {"text": "Lower slowly.", "cue": "Lower"}],
        tips=["Go slow."], cautions=["Stop if it hurts."],
        faq=[{"question": "How often?", "answer": "Twice a week."}],
    )
    (path,) = export(doc, tmp_path)
    back = " ".join(text(path, "-f", "2").split())
    assert "Frequently asked questions How often? Twice a week." in back
    assert "More in the e-book" not in back
    assert run("pdfinfo", path).count("Pages:           2")


def test_no_prescription_no_dose_and_long_lists_keep_their_numbers(
    seed_data: dict[str, Any], tmp_path: Path
) -> None:
    steps = [{"text": f"Step number {i + 1} of the drill.", "cue": f"Cue {i + 1}"}
             for i in range(11)]
    doc = variant(seed_data, steps=steps, faq=[])
    doc = doc.model_copy(update={"prescription": None})
    (path,) = export(doc, tmp_path)
    flat = " ".join(text(path).split())
    assert "Dose" not in flat and "Tempo" not in flat
    assert "More in the e-book" not in flat  # nothing was left out
    for i in range(11):
        assert f"{i + 1}. Cue {i + 1}" in flat
        assert f"{i + 1}. Step number {i + 1} of the drill." in flat


def test_plain_sheet_keeps_sides_in_order(seed_doc: Exercise, tmp_path: Path) -> None:
    card, sheet = export(seed_doc, tmp_path, sheet="letter")
    assert "Page size:       612 x 792 pts" in run("pdfinfo", sheet)
    assert "Tagged:          yes" in run("pdfinfo", sheet)
    assert struct_leaves(sheet) == struct_leaves(card)
    assert untagged_paint(sheet) == []


def test_card_pages_are_two_sides_without_numbers_when_they_fit(
    seed_data: dict[str, Any], tmp_path: Path
) -> None:
    doc = variant(seed_data, tips=[], cautions=[], steps=seed_data["steps"][:4])
    (path,) = export(doc, tmp_path)
    assert "Pages:           2" in run("pdfinfo", path)
    assert "1/2" not in text(path)


def test_typographic_characters_render_and_extract(
    make_doc: Callable[..., Exercise], tmp_path: Path
) -> None:
    doc = make_doc(name="Café kickback — 90° hold", summary="Don’t rush — it’s a 90° hold.")
    (path,) = export(doc, tmp_path)
    extracted = text(path, layout=False)
    assert "Café kickback — 90° hold" in " ".join(extracted.split())
    assert "Don’t rush — it’s a 90° hold." in " ".join(extracted.split())


# --- overflow: nothing shrinks below the floor, nothing is dropped ---------------------


def test_overflow_keeps_every_word_of_every_step(getup_card: Path, getup: Exercise) -> None:
    extracted = words(text(getup_card))
    for step in getup.steps:
        for word in words(step.text):
            assert word in extracted, word
    # without cues each step is printed once (the front takes those that fit, the back
    # the rest), and a step split across two sides is still one list item
    leaves = struct_leaves(getup_card)
    for step in getup.steps:
        assert leaves.count(step.text) == 1


def test_overflow_flows_onto_numbered_sides(getup_card: Path) -> None:
    info = run("pdfinfo", getup_card)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages > 2
    for page in range(1, pages + 1):
        side = text(getup_card, "-f", str(page), "-l", str(page))
        assert f"{page}/{pages}" in side
    with pikepdf.open(getup_card) as pdf:
        assert [str(item.title) for item in pdf.open_outline().root][:3] == [
            f"Front 1/{pages}", f"Back 2/{pages}", f"Back (continued) 3/{pages}"
        ]


# --- legibility ----------------------------------------------------------------------


@pytest.mark.parametrize("which", ["seed_card", "getup_card", "seed_sheet", "qr_card"])
def test_no_text_below_nine_points(which: str, request: pytest.FixtureRequest) -> None:
    sizes = [size for _, size, _, _ in shown_text(request.getfixturevalue(which))]
    assert sizes and min(sizes) >= 9


@pytest.mark.parametrize("which", ["seed_card", "getup_card"])
def test_front_cues_and_name_are_large_on_a6(which: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue(which)
    front = [(size, tags) for page, size, tags, _ in shown_text(path) if page == 0]
    names = [size for size, tags in front if "H1" in tags]
    cues = [size for size, tags in front if "LBody" in tags or "Lbl" in tags]
    assert names and min(names) >= 20
    assert cues and min(cues) >= 14


def test_page_size_and_fonts_per_card_size(seed_doc: Exercise, tmp_path: Path) -> None:
    expected = {"a6": A6, "4x6": (288, 432), "5x8": (360, 576), "3x5": (216, 360)}
    for size, (w, h) in expected.items():
        (path,) = export(seed_doc, tmp_path / size, card_size=size)
        info = run("pdfinfo", path)
        assert f"Page size:       {w:g} x {h:g} pts" in info
        body = [s for _, s, tags, _ in shown_text(path)]
        assert min(body) >= 9


# --- fonts -------------------------------------------------------------------------------


def test_only_embedded_dejavu_fonts(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        rows = run("pdffonts", path).splitlines()[2:]
        assert rows
        for row in rows:
            name, *_ = row.split()
            assert re.fullmatch(r"[A-Z]{6}\+DejaVuSans(-Bold)?", name), row
            assert row.split()[-5:-2] == ["yes", "yes", "yes"], row  # emb, sub, uni


def test_unsupported_character_names_field_and_character(
    make_doc: Callable[..., Exercise], seed_data: dict[str, Any], tmp_path: Path
) -> None:
    steps = copy.deepcopy(seed_data["steps"])
    steps[2]["text"] = "Hum a tune 𝄞 while you kick."
    with pytest.raises(ValueError) as info:
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


# --- file validity, metadata ---------------------------------------------------------------


def test_qpdf_check_is_clean(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout


def test_metadata(seed_card: Path, seed_doc: Exercise) -> None:
    info = run("pdfinfo", seed_card)
    assert f"Title:           {seed_doc.name}" in info
    assert "Tagged:          yes" in info
    assert "Author:          kickback-export" in info
    assert "Keywords:        exercise, cue card, beginner, glutes" in info
    assert f"Subject:         Cue card: {seed_doc.summary}" in info
    assert "Creator:         kickback-export" in info
    assert f"Page size:       {A6[0]:g} x {A6[1]:g} pts" in info
    assert re.search(r"PDF version:\s+1\.7", info)
    with pikepdf.open(seed_card) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == seed_doc.name
            assert xmp["pdfuaid:part"] == "1"  # claimed, and checked: tests/test_pdfua.py
        titles = [str(item.title) for item in pdf.open_outline().root]
        assert titles == ["Front 1/3", "Back 2/3", "Back (continued) 3/3"]
        for page in pdf.pages:
            assert page.Tabs == pikepdf.Name.S
        assert not any("/Annots" in page for page in pdf.pages)


# --- tagging ---------------------------------------------------------------------------


def test_struct_text_lists_every_step_in_reading_order(
    seed_card: Path, seed_sheet: Path, seed_doc: Exercise
) -> None:
    for path in (seed_card, seed_sheet):
        tree = run("pdfinfo", "-struct-text", path)
        leaves = struct_leaves(path)
        assert leaves[0] == seed_doc.name
        spots = [leaves.index(s.text) for s in seed_doc.steps]
        assert spots == sorted(spots)
        cues = [leaves.index(s.cue or "") for s in seed_doc.steps]
        assert cues == sorted(cues) and cues[-1] < spots[0]
        for role in ("Document", "H1", "H2", "L", "LI", "Lbl", "LBody", "P"):
            assert re.search(rf"^\s*{role}( \(block\))?$", tree, flags=re.M), role


def test_every_text_operator_is_tagged_but_the_side_numbers(all_pdfs: list[Path]) -> None:
    """Text is tagged content, except a side's number ("Name · 1/3"): page furniture, so a
    pagination artifact; everything else painted outside content is an artifact too."""
    for path in all_pdfs:
        shown = list(shown_text(path))
        assert shown
        with pikepdf.open(path) as pdf:
            loose = [(n, s.marks) for n, page in enumerate(pdf.pages)
                     for s in page_states(page) if s.op in TEXT_OPS and not s.mcid]
            sides = len(pdf.pages) if path.name.endswith("-card.pdf") else 0
        assert all(("Artifact", False, "/Pagination") in marks for _, marks in loose), path
        if sides > 2:  # one number on each side of a card of three sides or more
            assert sorted(n for n, _ in loose) == list(range(sides)), path
        assert untagged_paint(path) == [], path


def test_qr_is_a_figure_with_alt_text(qr_card: Path) -> None:
    tree = run("pdfinfo", "-struct", qr_card)
    assert "Figure" in tree
    with pikepdf.open(qr_card) as pdf:
        figures = [
            obj for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == pikepdf.Name.Figure
        ]
        assert [str(f.Alt) for f in figures] == [
            f"QR code linking to https://example.org/cards/{SLUG}"
        ]


# --- QR ----------------------------------------------------------------------------------


def test_qr_code_decodes(qr_card: Path, tmp_path: Path) -> None:
    run("pdftoppm", "-r", "300", "-png", "-f", "2", "-l", "2", qr_card, tmp_path / "back")
    (png,) = tmp_path.glob("back*.png")
    decoded = run("zbarimg", "-q", "--raw", png).strip()
    assert decoded == f"https://example.org/cards/{SLUG}"
    assert "QR" not in text(qr_card, "-f", "1", "-l", "1")


# --- safety ------------------------------------------------------------------------------


INJECTIONS = [
    '<font size=80>big</font>',
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
    doc = make_doc(steps=steps, name="Kick <b>bold</b> & co")
    paths = export(doc, tmp_path, sheet="letter")
    for path in paths:
        flat = " ".join(text(path, layout=False).split())
        for payload in INJECTIONS:
            assert f"Step {payload} &amp; more" in flat
        assert "Kick <b>bold</b> & co" in flat
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                assert "/Annots" not in page
                assert "/XObject" not in page.Resources  # no image, no form, nothing loaded
            kinds = {str(o.get("/Subtype")) for o in pdf.objects
                     if isinstance(o, pikepdf.Dictionary | pikepdf.Stream)}
            assert "/Image" not in kinds and "/Link" not in kinds
        sizes = [size for _, size, _, _ in shown_text(path)]
        assert max(sizes) < 40  # <font size=80> did not take effect


# --- printing sheets -----------------------------------------------------------------------


def test_sheet_is_a4_tagged_and_extractable(seed_sheet: Path, seed_doc: Exercise) -> None:
    info = run("pdfinfo", seed_sheet)
    assert f"Page size:       {A4[0]:g} x {A4[1]:g} pts" in info
    assert "Tagged:          yes" in info
    assert "Pages:           2" in info  # A6 fronts on one sheet, the back behind it
    flat = " ".join(text(seed_sheet).split())
    for step in seed_doc.steps:
        assert step.text in flat


@pytest.mark.parametrize("sheet", ["a4", "letter"])
@pytest.mark.parametrize("size", list(card_pdf.CARD_SIZES))
def test_grid_keeps_marks_inside_the_safe_margin(size: str, sheet: str) -> None:
    w, h = card_layout.CARD_SIZES[size]
    sw, sh = pdf_page.PAPERS[sheet]
    g = card_draw.grid(w, h, (sw, sh))
    reach = card_draw.MARK_GAP + card_draw.MARK_LEN
    assert g.x0 - reach >= card_draw.SAFE - 1e-6
    assert g.y0 - reach >= card_draw.SAFE - 1e-6
    assert abs(g.x0 - (sw - g.x0 - g.cols * g.slot_w)) < 1e-6  # centred: duplex lines up
    assert g.cols * g.slot_w <= sw and g.rows * g.slot_h <= sh
    if size in ("a6", "3x5"):
        assert g.cols * g.rows >= 2


def test_duplex_backs_land_behind_their_fronts(
    seed_doc: Exercise, tmp_path: Path
) -> None:
    # 3x5 cards sit upright two across on A4: the back of the left card must be printed
    # on the right of the back sheet, because a long-edge flip swaps left and right
    paths = export(seed_doc, tmp_path, card_size="3x5", sheet="a4", duplex=True)
    sheet = paths[1]
    half = str(int(A4[0] / 2))
    full_w, full_h = str(int(A4[0])), str(int(A4[1]))

    def region(page: int, x: str, w: str) -> str:
        return " ".join(text(sheet, "-f", str(page), "-l", str(page), "-x", x, "-y", "0",
                             "-W", w, "-H", full_h).split())

    assert region(1, "0", half).startswith(seed_doc.name[:10])
    # side 2 (whatever it holds) is the back of card 1
    second = " ".join(text(paths[0], "-f", "2", "-l", "2").split("\n")[0].split())
    assert second
    assert second in region(2, half, full_w)
    assert second not in region(2, "0", half)
    with pikepdf.open(sheet) as pdf:
        assert len(pdf.pages) % 2 == 0


# --- determinism ------------------------------------------------------------------------


def test_same_input_gives_identical_bytes(seed_doc: Exercise, tmp_path: Path) -> None:
    first = export(seed_doc, tmp_path / "a", sheet="a4", duplex=True,
                   qr_url="https://example.org/{slug}")
    second = export(seed_doc, tmp_path / "b", sheet="a4", duplex=True,
                    qr_url="https://example.org/{slug}")
    for one, two in zip(first, second, strict=True):
        assert same(one, two)
    assert not [p for p in (tmp_path / "a").rglob("*") if p.name.startswith(".kbx-tmp-")]


def test_identical_bytes_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[1] / "source" / f"{SLUG}.yaml"
    script = (
        "import sys; from pathlib import Path; from kickback_export import load;"
        "from kickback_export.content.text import text_of;"
        "from kickback_export.registry import Options;"
        "from kickback_export.exporters.pdf import PdfExporter;"
        "PdfExporter().export(text_of(load(sys.argv[1])), Path(sys.argv[2]),"
        " Options({'sheet': 'letter', 'duplex': True, 'qr_url': 'https://e.org/{slug}'}))"
    )
    digests = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = tmp_path / seed
        subprocess.run([sys.executable, "-c", script, str(source), str(out)], env=env,
                       check=True)
        digests.append(sorted((p.name, p.read_bytes()) for p in out.rglob("*.pdf")))
    assert len(digests[0]) == 2
    assert digests[0] == digests[1]


class _Recorder:
    """Stands in for a canvas to record how a card is moved onto a sheet."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def translate(self, x: float, y: float) -> None:
        self.calls.append(("translate", round(x, 3), round(y, 3)))

    def rotate(self, angle: float) -> None:
        self.calls.append(("rotate", angle))


def test_sideways_backs_turn_the_other_way(seed_doc: Exercise) -> None:
    # A6 lies sideways on A4 (two per sheet). A long-edge flip turns a sideways card over
    # its short axis, so the back is turned -90° where the front is turned +90°: then the
    # top edges of front and back coincide and the cut card reads like a book page.
    fonts = pdf_tagging.load_fonts()
    card = card_layout.layout(text_of(seed_doc).card, "a6", None, fonts)
    g = card_draw.grid(card.width, card.height, pdf_page.PAPERS["a4"])
    assert g.rotated and (g.cols, g.rows) == (1, 2)
    front, back = _Recorder(), _Recorder()
    card_draw.place(front, g, 0, card, back=False, mirrored=False)
    card_draw.place(back, g, 0, card, back=True, mirrored=True)
    assert front.calls[-1] == ("rotate", 90)
    assert back.calls[-1] == ("rotate", -90)
    # the front's top edge (sheet x = slot left) and the back's top edge (slot right on
    # the back page) are the same physical edge once the sheet is flipped
    fx = front.calls[0][1] - card.height  # slot left on the front page
    bx = back.calls[0][1] + card.height  # slot right on the back page
    assert abs((pdf_page.PAPERS["a4"][0] - fx) - bx) < 1e-3


def test_line_breaking_keeps_spaces_and_breaks_long_words() -> None:
    fonts = pdf_tagging.load_fonts()
    lines = pdf_tagging.break_lines("one two three four five six", fonts.regular, 10, 60)
    assert len(lines) > 1
    assert all(line.endswith(" ") for line in lines[:-1])
    assert "".join(lines) == "one two three four five six"
    long = "x" * 80
    pieces = pdf_tagging.break_lines(f"a {long} b", fonts.regular, 10, 60)
    assert "".join(pieces).replace(" ", "") == f"a{long}b"
    assert all(pdf_tagging.text_width(fonts.regular, p.rstrip()) * 10 <= 60 + 1e-6 for p in pieces)
