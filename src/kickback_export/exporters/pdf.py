"""Printable cue cards: a front to glance at mid-set, a back with the full instructions.

Each side's text is sized by binary search on its body size so it fills the card
without overflowing; content that cannot fit at the legibility floor flows onto
extra numbered sides instead of shrinking, clipping or being dropped. The layout
is computed once and drawn twice: one card per page (always), and optionally
imposed on A4/Letter sheets with crop marks, backs mirrored for long-edge duplex.
Both PDFs are tagged (see :mod:`kickback_export.engines.pdf_tagging`) and byte-reproducible.

Lines are broken by :func:`~kickback_export.engines.pdf_tagging.break_lines` from the
embedded font's advance widths and drawn as plain text objects rather than through
reportlab's ``Paragraph``: the search measures every block a dozen times per card,
and ``Paragraph`` re-parses its text as markup on each measure. Document text
therefore never meets a markup parser at all.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from .. import fsutil
from ..document.model import Exercise
from ..engines.pdf_tagging import (
    EPS,
    Fonts,
    Metadata,
    Node,
    Tagger,
    break_lines,
    check_text,
    finish,
    load_fonts,
    text_width,
)
from ..registry import Option, Options, Output

CARD_SIZES: dict[str, tuple[float, float]] = {
    "a6": (105 * mm, 148 * mm),
    "4x6": (4 * inch, 6 * inch),
    "5x8": (5 * inch, 8 * inch),
    "3x5": (3 * inch, 5 * inch),
}
SHEETS: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}

MARGIN = 6 * mm  # inside each card: room for cutting slop and a printer's unprintable edge
SAFE = 10 * mm  # no ink this close to a sheet edge, so non-borderless printers lose nothing
MARK_GAP, MARK_LEN = 2 * mm, 5 * mm  # crop marks start this far from the card corner
MIN_PT = 9.0  # legibility floor for any text
FRONT_CUE_MIN, NAME_MIN = 14.0, 20.0
BACK_COMFORT = 10.0  # the FAQ may not push the instructions below this size
STEP = 0.25  # font sizes are searched on a quarter-point grid
MORE = "More in the e-book"
TOP_TIPS = 3  # tips are listed most important first; the card keeps the first three
NBSP = "\u00a0"  # keeps a number with its unit


class CardError(ValueError):
    """Options that cannot make a card (the build layer prints ``str(exc)``)."""


# --- content ----------------------------------------------------------------------------


@dataclass(eq=False)
class Block:
    """One paragraph to flow: its text, style key and structure leaf."""

    style: str
    text: str
    node: Node
    label: str | None = None
    label_node: Node | None = None
    space: float = 0.0  # space before, in multiples of the font size
    keep: bool = False  # keep with the next block (headings)


@dataclass(eq=False)
class Placed:
    """A laid-out item on a side, positioned from the content box's top-left."""

    kind: str  # "text", "rule" or "qr"
    x: float
    y: float
    w: float
    h: float
    node: Node | None = None
    lines: list[str] = field(default_factory=list)
    font: str = ""
    size: float = 0.0
    leading: float = 0.0
    align: str = "left"
    value: str = ""


@dataclass(eq=False)
class Side:
    group: str  # "front" or "back"
    title: str = ""
    items: list[Placed] = field(default_factory=list)
    size: float = 0.0  # the body size the fit settled on


@dataclass(frozen=True)
class Card:
    width: float
    height: float
    sides: list[Side]
    root: Node


def _num(value: float) -> str:
    return f"{value:g}"


class _Content:
    """Builds the front and back blocks, checking every drawn character on the way."""

    def __init__(self, doc: Exercise, fonts: Fonts, root: Node) -> None:
        self.doc, self.fonts, self.root = doc, fonts, root

    def text(self, where: str, value: str) -> str:
        return check_text(self.fonts, where, value)

    def para(self, style: str, where: str, value: str, role: str = "P", space: float = 0.0,
             parent: Node | None = None) -> Block:
        return Block(style, self.text(where, value), (parent or self.root).add(role),
                     space=space, keep=role.startswith("H"))

    def items(self, style: str, entries: Sequence[tuple[str, str]], numbered: bool) -> list[Block]:
        lst = self.root.add("L")
        out = []
        for i, (where, value) in enumerate(entries):
            li = lst.add("LI")
            label = f"{i + 1}." if numbered else "•"
            out.append(Block(style, self.text(where, value), Node("LBody"), label=label,
                             label_node=li.add("Lbl"), space=0.3 if i else 0.15))
            li.kids.append(out[-1].node)
        return out

    def front(self) -> list[Block]:
        doc = self.doc
        blocks = [self.para("title", "name", doc.name, "H1")]
        prim = [self.text(f"muscles.primary[{i}].name", m.name)
                for i, m in enumerate(doc.muscles.primary)]
        sec = [self.text(f"muscles.secondary[{i}].name", m.name)
               for i, m in enumerate(doc.muscles.secondary)]
        line = "Targets: " + ", ".join(prim)
        if sec:
            line += " · helped by " + ", ".join(sec)
        blocks.append(Block("meta", line, self.root.add("P"), space=0.9))
        blocks.append(self.para("fhead", "", "Cues", "H2", space=0.6))
        cues = []
        for i, step in enumerate(doc.steps):
            if step.cue:
                cues.append((f"steps[{i}].cue", step.cue))
            else:
                cues.append((f"steps[{i}].text", step.text))
        blocks += self.items("cue", cues, numbered=True)
        rx = doc.prescription
        if rx is not None:
            blocks.append(self.para("fhead", "", "Dose", "H2", space=0.6))
            limb = self.text("prescription.limb", rx.limb)
            dose = f"{rx.sets} sets × {rx.reps} reps"
            if rx.sides == "both":
                dose += f" per {limb}, {rx.first_side} first"
            blocks.append(Block("dose", dose, self.root.add("P"), space=0.2))
            t, c = rx.tempo, rx.cues
            tempo = (
                f"Tempo: {self.text('prescription.cues.kick', c.kick)} {_num(t.kick)}{NBSP}s · "
                f"{self.text('prescription.cues.hold', c.hold)} {_num(t.hold)}{NBSP}s · "
                f"{self.text('prescription.cues.return', c.return_)} {_num(t.return_)}{NBSP}s"
            )
            blocks.append(Block("dose", tempo, self.root.add("P"), space=0.2))
            rest = f"Rest: {_num(rx.rest)}{NBSP}s between sets"
            blocks.append(Block("dose", rest, self.root.add("P"), space=0.2))
        return blocks

    def back(self) -> tuple[list[Block], list[Block], Block]:
        """The required back content, the FAQ (optional) and the "more" line.

        Tips that repeat a caution word for word are printed once, under Cautions.
        """
        doc = self.doc
        blocks = [self.para("body", "summary", doc.summary)]
        blocks.append(self.para("head", "", "How to do it", "H2", space=0.7))
        blocks += self.items(
            "body", [(f"steps[{i}].text", s.text) for i, s in enumerate(doc.steps)], True
        )
        caution_set = set(doc.cautions)
        tips = [(f"tips[{i}]", t) for i, t in enumerate(doc.tips) if t not in caution_set]
        if tips:
            blocks.append(self.para("head", "", "Tips", "H2", space=0.7))
            blocks += self.items("body", tips[:TOP_TIPS], numbered=False)
        if doc.cautions:
            blocks.append(self.para("head", "", "Cautions", "H2", space=0.7))
            blocks += self.items(
                "body", [(f"cautions[{i}]", c) for i, c in enumerate(doc.cautions)], False
            )
        faq: list[Block] = []
        if doc.faq:
            faq.append(self.para("head", "", "FAQ", "H2", space=0.7))
            for i, qa in enumerate(doc.faq):
                faq.append(self.para("bold", f"faq[{i}].question", qa.question, "H3",
                                     space=0.4))
                faq.append(self.para("body", f"faq[{i}].answer", qa.answer))
        more = self.para("body", "", MORE, space=0.7)
        return blocks, faq, more


# --- fitting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float


@lru_cache(maxsize=512)
def _styles(group: str, size: float, regular: str, bold: str) -> dict[str, Style]:
    def style(pt: float, font: str, leading: float = 1.25) -> Style:
        pt = max(MIN_PT, round(pt / STEP) * STEP)
        return Style(font, pt, pt * leading)

    if group == "front":
        return {
            "title": style(max(NAME_MIN, size * 1.4), bold, 1.12),
            "meta": style(max(11.0, size * 0.72), regular),
            "fhead": style(max(11.0, size * 0.72), bold),
            "cue": style(size, regular, 1.2),
            "dose": style(max(12.0, size * 0.85), regular),
            "label": style(size, bold, 1.2),
        }
    return {
        "body": style(size, regular),
        "bold": style(size, bold),
        "head": style(size * 1.15, bold),
        "label": style(size, bold),
    }


Heights = Callable[[int], float]


Memo = dict[tuple[str, str, float, float], list[str]]


def _flow(blocks: Sequence[Block], size: float, group: str, width: float, heights: Heights,
          fonts: Fonts, limit: int, memo: Memo) -> list[list[Placed]] | None:
    """Place blocks on as many sides as needed; None once more than ``limit`` are needed.

    A block splits between sides only with at least two lines on each side (no
    orphans or widows); a heading moves on with the first lines of what follows it.
    """
    st = _styles(group, size, fonts.regular, fonts.bold)
    lab = st["label"]
    widest = max((b.label for b in blocks if b.label), key=len, default="8.")
    label_w = text_width(lab.font, "8" * len(widest)) * lab.size + 0.4 * lab.size
    sides: list[list[Placed]] = [[]]
    y = 0.0
    for i, blk in enumerate(blocks):
        style = st[blk.style]
        indent = label_w if blk.label else 0.0
        avail = width - indent
        key = (blk.text, style.font, style.size, avail)
        lines = memo.get(key) or memo.setdefault(
            key, break_lines(blk.text, style.font, style.size, avail)
        )
        lead = style.leading
        after = 0.0
        if blk.keep and i + 1 < len(blocks):
            after = 2 * st[blocks[i + 1].style].leading
        first = True
        while lines:
            height = heights(len(sides) - 1)
            space = blk.space * style.size if sides[-1] else 0.0
            room = height - y - space
            if len(lines) * lead + after <= room + EPS:
                take = len(lines)
            elif not blk.keep and len(lines) >= 4:
                take = min(int((room + EPS) // lead), len(lines) - 2)
                take = take if take >= 2 else 0
            else:
                take = 0
            if take == 0 and not sides[-1]:
                take = max(1, min(len(lines), int((room + EPS) // lead)))  # never loops
            if take == 0:
                sides.append([])
                if len(sides) > limit:
                    return None
                y = 0.0
                continue
            top = y + space
            h = take * lead
            if first and blk.label and blk.label_node is not None:
                sides[-1].append(Placed("text", 0.0, top, label_w, lab.leading, blk.label_node,
                                        [blk.label], lab.font, lab.size, lab.leading))
            sides[-1].append(Placed("text", indent, top, avail, h, blk.node, lines[:take],
                                    style.font, style.size, lead))
            y = top + h
            first = False
            lines = lines[take:]
            if lines:
                sides.append([])
                if len(sides) > limit:
                    return None
                y = 0.0
    return sides


def _fit(blocks: Sequence[Block], group: str, lo: float, hi: float, width: float,
         heights: Heights, fonts: Fonts, memo: Memo, limit: int = 0
         ) -> tuple[float, list[list[Placed]]]:
    """The largest size (on the STEP grid) that fits in ``limit`` sides (default: the
    fewest sides possible at ``lo``)."""
    base = _flow(blocks, lo, group, width, heights, fonts, limit or 10_000, memo)
    assert base is not None
    limit = limit or len(base)
    best, best_sides = lo, base
    a, b = round(lo / STEP), round(hi / STEP)
    while a < b:
        mid = (a + b + 1) // 2
        got = _flow(blocks, mid * STEP, group, width, heights, fonts, limit, memo)
        if got is not None:
            a, best, best_sides = mid, mid * STEP, got
        else:
            b = mid - 1
    return best, best_sides


def _footer_h() -> float:
    return float(MIN_PT * 1.25 + 1.5 * mm)


def _qr_band(width: float) -> float:
    return float(min(24 * mm, width * 0.32))


def layout(doc: Exercise, card_size: str = "a6", qr_url: str | None = None,
           fonts: Fonts | None = None) -> Card:
    """Fit the document onto card sides (pure: draws nothing).

    Side numbers are only printed when there are more than two sides, so the room
    for them is only taken from the sides when a first fit without it overflows.
    """
    fonts = fonts or load_fonts()
    memo: Memo = {}
    card = _layout(doc, card_size, qr_url, fonts, memo, None)
    if len(card.sides) <= 2:
        return card
    # less room can only make the text smaller: the first fit's sizes bound the search
    first = {side.group: side.size for side in card.sides}
    return _layout(doc, card_size, qr_url, fonts, memo, first)


def _layout(doc: Exercise, card_size: str, qr_url: str | None, fonts: Fonts, memo: Memo,
            bounds: dict[str, float] | None) -> Card:
    footer = bounds is not None
    width, height = CARD_SIZES[card_size]
    cw = width - 2 * MARGIN
    ch = height - 2 * MARGIN - (_footer_h() if footer else 0.0)
    scale = cw / (93 * mm)  # A6 content width is the reference for upper size bounds
    root = Node("Document")
    content = _Content(doc, fonts, root)

    front_blocks = content.front()
    fmax = bounds["front"] if bounds else 30.0 * scale
    fsize, front = _fit(front_blocks, "front", FRONT_CUE_MIN, fmax, cw, lambda _i: ch, fonts,
                        memo)

    qr_h = _qr_band(cw) if qr_url else 0.0

    def back_heights(i: int) -> float:
        return float(ch - (qr_h + 2 * mm if i == 0 else 0.0))

    required, faq, more = content.back()
    bmax = bounds["back"] if bounds else 16.0 * scale
    # the "more" line only stands in for an FAQ that was left out
    bsize, back = _fit([*required, more] if faq else required, "back", MIN_PT, bmax, cw,
                       back_heights, fonts, memo)
    if faq:
        n = len(back) + (len(front) + len(back)) % 2  # the last card's blank side is free
        lo = max(MIN_PT, min(bsize, BACK_COMFORT))
        if _flow([*required, *faq], lo, "back", cw, back_heights, fonts, n, memo) is not None:
            bsize, back = _fit([*required, *faq], "back", lo, bmax, cw, back_heights, fonts,
                               memo, limit=n)

    sides = [Side("front", items=items, size=fsize) for items in front]
    sides += [Side("back", items=items, size=bsize) for items in back]
    small = Style(fonts.regular, MIN_PT, MIN_PT * 1.2)
    if qr_url:
        band = _qr_band(cw)
        fig = root.add("Figure", alt=f"QR code linking to {qr_url}")
        caption = root.add("P")
        text_w = cw - band - 3 * mm
        url = check_text(fonts, "qr-url", qr_url)
        lines = break_lines(url, small.font, small.size, text_w, anywhere=True)
        lh = len(lines) * small.leading
        first_back = sides[len(front)]
        first_back.items.append(Placed("qr", 0.0, ch - band, band, band, fig, value=qr_url))
        first_back.items.append(Placed("text", band + 3 * mm, ch - lh, text_w, lh, caption,
                                       lines, small.font, small.size, small.leading))
    total = len(sides)
    for k, side in enumerate(sides):
        label = "Front" if side.group == "front" else "Back"
        cont = k > 0 and sides[k - 1].group == side.group
        side.title = f"{label}{' (continued)' if cont else ''} {k + 1}/{total}"
        if footer:
            # the name tells which exercise a loose card of a set belongs to; it is a
            # label, so when it would not fit on the footer line only the number is shown
            mark = f"{k + 1}/{total}"
            named = f"{doc.name} · {mark}"
            if text_width(small.font, named) * small.size <= cw:
                mark = named
            side.items.append(Placed("text", 0.0, ch + _footer_h() - small.leading, cw,
                                     small.leading, root.add("P"), [mark],
                                     small.font, small.size, small.leading, align="right"))
        if k == 0 and len(side.items) > 1:
            title, after = side.items[0], side.items[1]
            rule_y = (title.y + title.h + after.y) / 2
            side.items.insert(1, Placed("rule", 0.0, rule_y, cw, 0.0))
    return Card(width, height, sides, root)


# --- drawing ----------------------------------------------------------------------------


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
    text = canvas.beginText()
    x = left + item.x
    if item.align == "right":  # one-line labels only (side numbers)
        x += item.w - text_width(item.font, item.lines[0]) * item.size
    # the first baseline sits one font size below the top, as in reportlab's Paragraph
    text.setTextOrigin(x, top - item.y - item.size)
    text.setFont(item.font, item.size, item.leading)
    for line in item.lines:
        text.textLine(line)
    canvas.drawText(text)


def draw_side(canvas: Any, tagger: Tagger, card: Card, index: int) -> None:
    """Draw one side with its lower-left corner at the current origin."""
    side = card.sides[index]
    left = MARGIN
    top = card.height - MARGIN
    for seq, item in enumerate(side.items):
        order = (index, seq)
        if item.kind == "rule":
            with tagger.artifact():
                canvas.setStrokeColor(black)
                canvas.setLineWidth(0.75)
                canvas.line(left, top - item.y, left + item.w, top - item.y)
        elif item.kind == "qr" and item.node is not None:
            with tagger.marked(item.node, order):
                _draw_qr(canvas, item.value, left + item.x, top - item.y - item.h, item.w)
        elif item.node is not None:
            with tagger.marked(item.node, order):
                _draw_lines(canvas, item, left, top)


def _new_canvas(buf: io.BytesIO, size: tuple[float, float], fonts: Fonts) -> Any:
    # uncompressed here: pikepdf compresses once when it saves the tagged result, and
    # reportlab would also ASCII85-encode every stream in pure Python
    canvas = Canvas(buf, pagesize=size, invariant=1, initialFontName=fonts.regular,
                    initialFontSize=12, pageCompression=0)
    canvas.setFillColor(black)
    canvas.setStrokeColor(black)
    return canvas


def _reset(card: Card) -> None:
    for node in card.root.walk():
        node.marks.clear()


def render_card(card: Card, meta: Metadata, fonts: Fonts) -> bytes:
    """One card side per page."""
    _reset(card)
    buf = io.BytesIO()
    canvas = _new_canvas(buf, (card.width, card.height), fonts)
    tagger = Tagger(canvas)
    for i in range(len(card.sides)):
        draw_side(canvas, tagger, card, i)
        canvas.showPage()
    canvas.save()
    outline = [(side.title, i) for i, side in enumerate(card.sides)]
    return finish(buf.getvalue(), card.root, meta, outline)


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
        raise CardError("the card does not fit on the sheet inside the safe margins")
    return best


def _place(canvas: Any, g: Grid, slot: int, card: Card, back: bool, mirrored: bool) -> None:
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


def _crop_marks(canvas: Any, tagger: Tagger, g: Grid, sheet: tuple[float, float]) -> None:
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


def render_sheets(card: Card, meta: Metadata, fonts: Fonts, sheet: str, duplex: bool) -> bytes:
    """Impose the card sides on sheets; with ``duplex`` fronts and backs alternate sheets."""
    _reset(card)
    size = SHEETS[sheet]
    g = grid(card.width, card.height, size)
    per = g.cols * g.rows
    n = len(card.sides)
    pages: list[list[tuple[int, int, bool, bool]]] = []  # (side, slot, back, mirrored)
    if duplex:
        cards = (n + 1) // 2
        for start in range(0, cards, per):
            chunk = range(start, min(cards, start + per))
            pages.append([(2 * c, c - start, False, False) for c in chunk])
            pages.append([(2 * c + 1, c - start, True, True) for c in chunk if 2 * c + 1 < n])
    else:
        for start in range(0, n, per):
            pages.append([(s, s - start, False, False) for s in range(start, min(n, start + per))])
    buf = io.BytesIO()
    canvas = _new_canvas(buf, size, fonts)
    tagger = Tagger(canvas)
    outline: list[tuple[int, str, int]] = []
    for page_no, page in enumerate(pages):
        _crop_marks(canvas, tagger, g, size)
        for side, slot, back, mirrored in page:
            canvas.saveState()
            _place(canvas, g, slot, card, back, mirrored)
            draw_side(canvas, tagger, card, side)
            canvas.restoreState()
            outline.append((side, card.sides[side].title, page_no))
        canvas.showPage()
    canvas.save()
    outline.sort()
    return finish(buf.getvalue(), card.root, meta, [(t, p) for _, t, p in outline])


def metadata(doc: Exercise) -> Metadata:
    muscles = [m.name for m in (*doc.muscles.primary, *doc.muscles.secondary)]
    return Metadata(
        title=doc.name,
        lang=doc.language,
        author="kickback-export",
        subject=f"Cue card: {doc.summary}",
        keywords=", ".join(["exercise", "cue card", doc.level, *muscles, *doc.equipment]),
        creator="kickback-export",
    )


def qr_target(template: str, doc: Exercise) -> str:
    """Fill ``{slug}``/``{id}``/``{lang}`` in the template (plain replacement, no format())."""
    url = template
    for key, value in (("slug", doc.slug), ("id", doc.id), ("lang", doc.language)):
        url = url.replace("{" + key + "}", value)
    if "{" in url or "}" in url:
        raise CardError(f"--qr-url: unknown placeholder in '{template}' (use {{slug}} or {{lang}})")
    return url


class PdfExporter:
    """Printable cue cards (see the module docstring)."""

    name = "pdf"
    description = "Printable two-sided cue cards (tagged PDF), optionally imposed on sheets"
    options = (
        Option("card-size", "card size: a6, or 4x6, 5x8, 3x5 inches", "a6",
               choices=tuple(CARD_SIZES)),
        Option("sheet", "also impose the cards on a4 or letter sheets with crop marks",
               choices=tuple(SHEETS)),
        Option("duplex", "on sheets, put backs behind fronts for long-edge duplex", False,
               type=bool, flag=True),
        Option("qr-url", "QR code on the back linking to this URL; {slug} is filled in"),
    )

    def export(self, document: Exercise, out_dir: Path, options: Options) -> list[Output]:
        size = str(options.get("card_size", "a6")).lower()
        if size not in CARD_SIZES:
            raise CardError(f"--card-size: unknown size '{size}' (choose {', '.join(CARD_SIZES)})")
        sheet = options.get("sheet")
        if sheet is not None and str(sheet).lower() not in SHEETS:
            raise CardError(f"--sheet: unknown sheet '{sheet}' (choose {', '.join(SHEETS)})")
        duplex = bool(options.get("duplex", False))
        if duplex and sheet is None:
            raise CardError("--duplex needs --sheet a4 or --sheet letter")
        template = options.get("qr_url")
        url = qr_target(str(template), document) if template else None

        fonts = load_fonts()
        card = layout(document, size, url, fonts)
        meta = metadata(document)
        folder = out_dir  # the build layer hands each document its own OUT/<slug>/
        outputs = []
        target = folder / f"{document.slug}-card.pdf"
        fsutil.write_bytes(target, render_card(card, meta, fonts))
        outputs.append(Output(target, "application/pdf"))
        if sheet is not None:
            sheet = str(sheet).lower()
            target = folder / f"{document.slug}-cards-{sheet}.pdf"
            fsutil.write_bytes(target, render_sheets(card, meta, fonts, sheet, duplex))
            outputs.append(Output(target, "application/pdf"))
        return outputs
