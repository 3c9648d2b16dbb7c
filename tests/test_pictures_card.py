"""Pictures on the cue card and in large print, read back from the PDFs: with 0, 1 and 2
pictures at every card size no text goes under its minimum size (sizes from the content
stream), the pictures are drawn clear of the text, tagged as Figures with their alt text
and followed by their captions, and qpdf finds nothing. Large print: each picture full
width with its caption under it.
"""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from picturekit import Mark, fixture_data, marks, with_pictures, write_doc

from kickback_export import load
from kickback_export.content.text import text_of
from kickback_export.engines.print.card_layout import CARD_SIZES, FRONT_CUE_MIN, MIN_PT, NAME_MIN
from kickback_export.exporters.large_print import LargePrintExporter
from kickback_export.exporters.pdf import PdfExporter
from kickback_export.registry import Options

from pdfcheck import run, struct_leaves

COUNTS = (0, 1, 2)
LP_MIN = 18.0
MM = 72 / 25.4
CROWDED_CUES = [  # cues long enough to fill a front on their own
    "Hinge at the hips with the band behind the neck and the back flat",
    "Drive the hips forward to stand tall without leaning back at the top",
    "Lower under control with the back flat and the knees soft all the way",
    "Keep the band under the middle of both feet for the whole set",
    "Breathe in on the way down and out as you stand up",
    "Stop the set when the back starts to round",
]


def _build(folder: Path, data: dict[str, Any], card_size: str | None) -> Path:
    doc = load(write_doc(folder, data))
    if card_size is None:
        (output,) = LargePrintExporter().export(text_of(doc), folder / "out", Options())
    else:
        (output,) = PdfExporter().export(text_of(doc), folder / "out",
                                         Options({"card_size": card_size}))
    return output.path


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int, str], Path]:
    """(card size, pictures, "cued" | "uncued" | "crowded") → the card PDF."""
    root = tmp_path_factory.mktemp("picture-cards")
    base = fixture_data()
    uncued = [{"text": s["text"]} for s in base["steps"]]
    crowded = [{"text": s["text"], "cue": c} for s, c in
               zip(itertools.cycle(base["steps"]), CROWDED_CUES, strict=False)]
    built = {}
    for size, n in itertools.product(CARD_SIZES, COUNTS):
        built[(size, n, "cued")] = _build(root / f"{size}-{n}", with_pictures(base, n), size)
    for size in CARD_SIZES:
        built[(size, 2, "uncued")] = _build(
            root / f"{size}-uncued", with_pictures(base, 2, steps=uncued), size)
        built[(size, 2, "crowded")] = _build(
            root / f"{size}-crowded", with_pictures(base, 2, steps=crowded), size)
    return built


@pytest.fixture(scope="module")
def card_marks(cards: dict[tuple[str, int, str], Path]) -> dict[tuple[str, int, str], list[Mark]]:
    return {key: marks(path) for key, path in cards.items()}


@pytest.fixture(scope="module")
def large_print(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("picture-lp"), fixture_data(), None)


def _figures(path: Path) -> list[str]:
    """The /Alt of every Figure in the structure tree, in tree order."""
    out = []
    with pikepdf.open(path) as pdf:
        def walk(node: Any) -> None:
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == pikepdf.Name.Figure:
                    out.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                    walk(kid)
        walk(pdf.Root.StructTreeRoot)
    return out


# --- text sizes --------------------------------------------------------------------------


def test_every_card_keeps_every_text_at_its_minimum(
        card_marks: dict[tuple[str, int, str], list[Mark]]) -> None:
    for key, found in card_marks.items():
        text = [m for m in found if m.kind == "text"]
        assert text and min(m.size for m in text) >= MIN_PT - 1e-6, key
        names = [m.size for m in text if "H1" in m.tags]
        assert names and min(names) >= NAME_MIN - 1e-6, key
        front_list = [m.size for m in text if m.page == 0 and {"Lbl", "LBody"} & set(m.tags)]
        assert front_list and min(front_list) >= FRONT_CUE_MIN - 1e-6, key


def test_large_print_text_and_captions_are_at_least_18_points(large_print: Path) -> None:
    found = marks(large_print)
    assert min(m.size for m in found if m.kind == "text") >= LP_MIN
    assert [m for m in found if "Caption" in m.tags]


# --- where the pictures are --------------------------------------------------------------


def _inside_page(path: Path, box: tuple[float, float, float, float]) -> bool:
    with pikepdf.open(path) as pdf:
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].mediabox)
    return x0 < box[0] < box[2] < x1 and y0 < box[1] < box[3] < y1


def test_every_picture_is_drawn_once_tagged_and_clear_of_the_text(
        cards: dict[tuple[str, int, str], Path],
        card_marks: dict[tuple[str, int, str], list[Mark]]) -> None:
    for key, found in card_marks.items():
        pictures = [m for m in found if m.kind == "image"]
        assert len(pictures) == key[1], key
        for p in pictures:
            assert p.tags == ("Figure",) and p.mcid, key
            assert _inside_page(cards[key], p.box), key
            x0, y0, x1, y1 = p.box
            for t in found:  # no line of text starts inside a picture
                tx, ty = t.box[:2]
                assert not (t.page == p.page and t.kind == "text" and x0 - 1 < tx < x1
                            and y0 - 1 < ty < y1), (key, t)


def test_two_pictures_stand_side_by_side_with_captions_under_them(
        card_marks: dict[tuple[str, int, str], list[Mark]]) -> None:
    for size in CARD_SIZES:
        found = card_marks[(size, 2, "cued")]
        start, end = [m for m in found if m.kind == "image"]
        assert start.page == end.page and start.box[1] == pytest.approx(end.box[1])
        assert start.box[2] < end.box[0]  # start on the left
        for picture in (start, end):
            captions = [m for m in found if "Caption" in m.tags and m.page == picture.page
                        and picture.box[0] - 1 < m.box[0] < picture.box[2]]
            assert captions and all(m.box[1] < picture.box[1] for m in captions), size


def test_pictures_go_on_the_front_when_the_text_leaves_room(
        card_marks: dict[tuple[str, int, str], list[Mark]]) -> None:
    for size in ("a6", "5x8", "4x6"):
        for n in (1, 2):
            assert {m.page for m in card_marks[(size, n, "cued")] if m.kind == "image"} == {0}


def test_pictures_move_to_the_back_rather_than_shrink_the_cues(
        cards: dict[tuple[str, int, str], Path],
        card_marks: dict[tuple[str, int, str], list[Mark]]) -> None:
    """A front full of long cues keeps its cues at 14 pt (checked above) and the pictures
    are drawn on the first back side instead, under nothing of the front."""
    # a 5x8 front has room for these cues and the pictures; on a 3x5 the cues take two
    # fronts with or without them, and the pictures stay on the first
    for size in ("a6", "4x6"):
        found = card_marks[(size, 2, "crowded")]
        pages = {m.page for m in found if m.kind == "image"}
        assert pages and 0 not in pages, size
        back = min(pages)
        assert "How to do it" in run("pdftotext", "-f", str(back + 1), "-l", str(back + 1),
                                     cards[(size, 2, "crowded")], "-")


def test_the_smaller_the_card_the_smaller_the_pictures(
        card_marks: dict[tuple[str, int, str], list[Mark]]) -> None:
    def height(size: str) -> float:
        return next(m.box[3] - m.box[1] for m in card_marks[(size, 1, "cued")]
                    if m.kind == "image")

    assert height("3x5") < height("a6") < height("5x8")


def test_large_print_pictures_are_full_width_with_the_caption_under_them(
        large_print: Path) -> None:
    found = marks(large_print)
    pictures = [m for m in found if m.kind == "image"]
    assert len(pictures) == 2
    with pikepdf.open(large_print) as pdf:
        width = float(pdf.pages[0].mediabox[2])
    lines = [m for m in found if m.kind == "text" and m.tags != ("Artifact",)]
    left = min(m.box[0] for m in lines)
    for p in pictures:
        assert p.tags == ("Figure",) and p.mcid
        assert p.box[0] == pytest.approx(left, abs=0.5)
        assert p.box[2] == pytest.approx(width - left, abs=0.5)  # margin to margin
        under = [m for m in found if m.page == p.page and "Caption" in m.tags
                 and m.box[1] < p.box[1]]
        assert under and max(m.box[1] for m in under) > p.box[1] - 3 * LP_MIN


# --- tags and validity -------------------------------------------------------------------


def test_figures_carry_the_alt_text_and_captions_follow_them(
        cards: dict[tuple[str, int, str], Path], large_print: Path) -> None:
    base = fixture_data()
    alts = [" ".join(i["alt"].split()) for i in base["images"]]
    for key, path in [*cards.items(), (("large print", 2, "cued"), large_print)]:
        n = key[1]
        assert _figures(path) == alts[:n], key
        tree = run("pdfinfo", "-struct-text", path)
        assert tree.count("  Figure") == n, key
        leaves = struct_leaves(path)
        for image in base["images"][:n]:
            caption = next(i for i, leaf in enumerate(leaves) if image["caption"] in leaf)
            assert "Credit: free-exercise-db (public domain)" in "".join(
                leaves[caption:caption + 2]), key


def test_qpdf_finds_nothing(cards: dict[tuple[str, int, str], Path], large_print: Path) -> None:
    for path in [*cards.values(), large_print]:
        proc = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                              check=False)
        assert proc.returncode == 0 and "No syntax or stream encoding errors" in proc.stdout, (
            path, proc.stdout, proc.stderr)


def test_front_of_a_card_without_pictures_is_as_before(
        card_marks: dict[tuple[str, int, str], list[Mark]]) -> None:
    """Without pictures the cues take the room: at least as large as with them (one
    picture spans the width and may take more height than two side by side)."""
    for size in CARD_SIZES:
        def cue(n: int, size: str = size) -> float:
            return min(m.size for m in card_marks[(size, n, "cued")]
                       if m.page == 0 and "LBody" in m.tags)
        assert cue(0) >= max(cue(1), cue(2))


ALT = 'Übung — ☃ 日本 "quoted" (paren) \\ back'  # not drawn: no glyph of it is needed


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A tall see-through PNG, and an alt text in characters the font lacks."""
    from picturekit import encoded
    from PIL import Image

    root = tmp_path_factory.mktemp("odd-pictures")
    data = fixture_data()
    data["images"][0]["alt"] = ALT
    data["images"][1]["file"] = "tall.png"
    path = write_doc(root, data)
    (root / "tall.png").write_bytes(encoded(Image.new("RGBA", (300, 1200), (200, 0, 0, 128)),
                                            "PNG"))
    doc = load(path)
    built = {}
    for size in CARD_SIZES:
        (card,) = PdfExporter().export(text_of(doc), root / size, Options({"card_size": size}))
        built[size] = card.path
    (lp,) = LargePrintExporter().export(text_of(doc), root / "lp", Options())
    built["large print"] = lp.path
    return built


def test_a_tall_transparent_picture_and_an_alt_the_font_lacks(odd: dict[str, Path]) -> None:
    second = " ".join(fixture_data()["images"][1]["alt"].split())
    for key, path in odd.items():
        assert _figures(path) == [ALT, second], key
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True,
                              check=False).returncode == 0, key
        found = marks(path)
        pictures = [m for m in found if m.kind == "image"]
        assert len(pictures) == 2, key
        with pikepdf.open(path) as pdf:
            height = float(pdf.pages[0].mediabox[3])
        for p in pictures:
            assert _inside_page(path, p.box), key
        tall = pictures[1].box
        assert tall[3] - tall[1] <= 0.6 * height, key  # a share of the page, not all of it
        assert min(m.size for m in found if m.kind == "text") >= (
            LP_MIN if key == "large print" else MIN_PT), key


def test_cards_imposed_on_a_sheet_keep_their_pictures_and_tags(tmp_path: Path) -> None:
    doc = load(write_doc(tmp_path / "doc", fixture_data()))
    outputs = PdfExporter().export(text_of(doc), tmp_path / "out", Options({"sheet": "a4",
                                                                   "duplex": True}))
    sheet = outputs[1].path
    assert sheet.name.endswith("-cards-a4.pdf")
    alts = [" ".join(i["alt"].split()) for i in fixture_data()["images"]]
    assert _figures(sheet) == alts
    found = marks(sheet)
    pictures = [m for m in found if m.kind == "image"]
    assert len(pictures) == 2 and all(p.tags == ("Figure",) and p.mcid for p in pictures)
    assert all(_inside_page(sheet, p.box) for p in pictures)
    assert min(m.size for m in found if m.kind == "text") >= MIN_PT
    assert subprocess.run(["qpdf", "--check", str(sheet)], capture_output=True,
                          check=False).returncode == 0
