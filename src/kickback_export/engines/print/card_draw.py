"""Drawing a fitted cue card: one side per page, or imposed on A4/Letter sheets.

On sheets the sides sit in a centred grid with crop marks inside the printer's safe
area; with duplex, backs are mirrored for a long-edge flip so each lands behind its
front. Both PDFs are tagged (see :mod:`.pdf_tagging`) and byte-reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import black
from reportlab.lib.units import mm

from ...errors import OptionError
from . import pdf_page
from .card_layout import MARGIN, Card, Placed
from .pdf_tagging import Fonts, Metadata, Tagger, text_width

SAFE = 10 * mm  # no ink this close to a sheet edge, so non-borderless printers lose nothing
MARK_GAP, MARK_LEN = 2 * mm, 5 * mm  # crop marks start this far from the card corner


def _draw_qr(canvas: Any, value: str, x: float, y: float, size: float) -> None:
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    n = qr.getModuleCount()
    quiet = 2  # the card's white margin supplies the rest of the quiet zone
    cell = size / (n + 2 * quiet)
    canvas.setFillColor(black)
    path = canvas.beginPath()
    for row in range(n):
        col = 0
        while col < n:
            if qr.isDark(row, col):
                start = col
                while col < n and qr.isDark(row, col):
                    col += 1
                path.rect(x + (quiet + start) * cell, y + size - (quiet + row + 1) * cell,
                          (col - start) * cell, cell)
            else:
                col += 1
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_lines(canvas: Any, item: Placed, left: float, top: float) -> None:
    x = left + item.x
    if item.align == "right":  # one-line labels only (side numbers)
        x += item.w - text_width(item.font, item.lines[0]) * item.size
    # the first baseline sits one font size below the top, as in reportlab's Paragraph
    pdf_page.text_lines(canvas, x, top - item.y - item.size, item.font, item.size,
                        item.leading, item.lines)


def draw_side(canvas: Any, tagger: Tagger, card: Card, index: int) -> None:
    """Draw one side with its lower-left corner at the current origin."""
    side = card.sides[index]
    left = MARGIN
    top = card.height - MARGIN
    for seq, item in enumerate(side.items):
        order = (index, seq)
        if item.kind == "rule":
            pdf_page.rule(canvas, tagger, 0.75, left, top - item.y, item.w)
        elif item.kind == "image" and item.node is not None and item.image is not None:
            pdf_page.picture(canvas, tagger, item.node, item.image, left + item.x,
                             top - item.y - item.h, item.w, item.h, order)
        elif item.kind == "footer":  # the side number: furniture readers skip
            with tagger.artifact("Pagination", "Footer"):
                _draw_lines(canvas, item, left, top)
        elif item.kind == "qr" and item.node is not None:
            with tagger.marked(item.node, order):
                _draw_qr(canvas, item.value, left + item.x, top - item.y - item.h, item.w)
        elif item.node is not None:
            with tagger.marked(item.node, order):
                _draw_lines(canvas, item, left, top)


def render_card(card: Card, meta: Metadata, fonts: Fonts) -> bytes:
    """One card side per page."""
    outline = [(side.title, i) for i, side in enumerate(card.sides)]
    return pdf_page.render((card.width, card.height), fonts, len(card.sides),
                           lambda canvas, tagger, i: draw_side(canvas, tagger, card, i),
                           card.root, meta, outline)


@dataclass(frozen=True)
class Grid:
    cols: int
    rows: int
    rotated: bool
    slot_w: float
    slot_h: float
    x0: float
    y0: float


def grid(card_w: float, card_h: float, sheet: tuple[float, float]) -> Grid:
    """Most cards per sheet, centred (so duplex mirrors line up), marks inside the safe area."""
    inset = SAFE + MARK_GAP + MARK_LEN
    uw, uh = sheet[0] - 2 * inset, sheet[1] - 2 * inset
    best: Grid | None = None
    for rotated in (False, True):
        w, h = (card_h, card_w) if rotated else (card_w, card_h)
        cols, rows = int(uw // w), int(uh // h)
        if cols * rows == 0:
            continue
        g = Grid(cols, rows, rotated, w, h, (sheet[0] - cols * w) / 2, (sheet[1] - rows * h) / 2)
        if best is None or cols * rows > best.cols * best.rows:
            best = g
    if best is None:
        raise OptionError("the card does not fit on the sheet inside the safe margins")
    return best


def place(canvas: Any, g: Grid, slot: int, card: Card, back: bool, mirrored: bool) -> None:
    """Move the origin to the card's corner in ``slot`` (row-major from the top left)."""
    col, row = slot % g.cols, slot // g.cols
    if mirrored:
        col = g.cols - 1 - col  # long-edge flip swaps left and right
    x = g.x0 + col * g.slot_w
    y = g.y0 + (g.rows - 1 - row) * g.slot_h
    if not g.rotated:
        canvas.translate(x, y)
    elif not back:
        canvas.translate(x + card.height, y)
        canvas.rotate(90)
    else:
        # a long-edge flip turns a sideways card over its short axis; turn the back the
        # other way round so the cut card still reads like a book page
        canvas.translate(x, y + card.width)
        canvas.rotate(-90)


def _crop_marks(canvas: Any, tagger: Tagger, g: Grid) -> None:
    xs = [g.x0 + c * g.slot_w for c in range(g.cols + 1)]
    ys = [g.y0 + r * g.slot_h for r in range(g.rows + 1)]
    top, right = ys[-1], xs[-1]
    with tagger.artifact("Page"):  # the PDF name for production aids such as cut marks
        canvas.setStrokeColor(black)
        canvas.setLineWidth(0.3)
        for x in xs:
            canvas.line(x, g.y0 - MARK_GAP, x, g.y0 - MARK_GAP - MARK_LEN)
            canvas.line(x, top + MARK_GAP, x, top + MARK_GAP + MARK_LEN)
        for y in ys:
            canvas.line(g.x0 - MARK_GAP, y, g.x0 - MARK_GAP - MARK_LEN, y)
            canvas.line(right + MARK_GAP, y, right + MARK_GAP + MARK_LEN, y)


Slot = tuple[int, int, bool, bool]  # (side, slot, back, mirrored)


def impose(sides: int, per: int, duplex: bool) -> list[list[Slot]]:
    """Which side goes in which slot of which sheet; with ``duplex`` fronts and backs
    alternate sheets."""
    pages: list[list[Slot]] = []
    if duplex:
        cards = (sides + 1) // 2
        for start in range(0, cards, per):
            chunk = range(start, min(cards, start + per))
            pages.append([(2 * c, c - start, False, False) for c in chunk])
            pages.append([(2 * c + 1, c - start, True, True) for c in chunk
                          if 2 * c + 1 < sides])
    else:
        for start in range(0, sides, per):
            pages.append([(s, s - start, False, False)
                          for s in range(start, min(sides, start + per))])
    return pages


def render_sheets(card: Card, meta: Metadata, fonts: Fonts, sheet: str, duplex: bool) -> bytes:
    """Impose the card sides on sheets (see :func:`impose`)."""
    size = pdf_page.PAPERS[sheet]
    g = grid(card.width, card.height, size)
    pages = impose(len(card.sides), g.cols * g.rows, duplex)
    outline = sorted((side, card.sides[side].title, page_no)
                     for page_no, page in enumerate(pages) for side, *_ in page)

    def draw(canvas: Any, tagger: Tagger, page_no: int) -> None:
        _crop_marks(canvas, tagger, g)
        for side, slot, back, mirrored in pages[page_no]:
            canvas.saveState()
            place(canvas, g, slot, card, back, mirrored)
            draw_side(canvas, tagger, card, side)
            canvas.restoreState()

    return pdf_page.render(size, fonts, len(pages), draw, card.root, meta,
                           [(t, p) for _, t, p in outline])
