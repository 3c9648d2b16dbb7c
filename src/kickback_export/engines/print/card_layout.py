"""Fitting a cue card: each side's text sized by binary search, overflow onto numbered sides.

Each side's body size is searched so the text fills the card without overflowing;
content that cannot fit at the legibility floor flows onto extra numbered sides
instead of shrinking, clipping or being dropped. The layout is pure (it draws
nothing): :mod:`.card_draw` draws it once per card page and again imposed on sheets.

Lines are broken by :func:`~kickback_export.engines.print.pdf_tagging.break_lines` from the
embedded font's advance widths rather than through reportlab's ``Paragraph``: the
search measures every block a dozen times per card, and ``Paragraph`` re-parses its
text as markup on each measure. Document text therefore never meets a markup parser.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.lib.units import inch, mm

from ...content.phrases import phrases
from . import card_pictures
from .card_content import Block, CardContent
from .pdf_page import check_words, lines_to_take
from .pdf_tagging import EPS, Fonts, Node, break_lines, check_text, load_fonts, text_width

if TYPE_CHECKING:
    from ...content.card import CardText
    from ...content.phrases import Phrases
    from ...document.images import Loaded

CARD_SIZES: dict[str, tuple[float, float]] = {
    "a6": (105 * mm, 148 * mm),
    "4x6": (4 * inch, 6 * inch),
    "5x8": (5 * inch, 8 * inch),
    "3x5": (3 * inch, 5 * inch),
}
MARGIN = 6 * mm  # inside each card: room for cutting slop and a printer's unprintable edge
MIN_PT = 9.0  # legibility floor for any text
FRONT_CUE_MIN, NAME_MIN = 14.0, 20.0
BACK_COMFORT = 10.0  # the FAQ may not push the instructions below this size
STEP = 0.25  # font sizes are searched on a quarter-point grid


@dataclass(eq=False)
class Placed:
    """A laid-out item on a side, positioned from the content box's top-left."""

    kind: str  # "text", "rule", "qr", "image" or "footer" (a pagination artifact)
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
    image: Loaded | None = None


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

    A block splits between sides by :func:`~.pdf_page.lines_to_take` (no orphans or
    widows); a heading moves on with the first lines of what follows it.
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
            elif not blk.keep:
                take = lines_to_take(int((room + EPS) // lead), len(lines))
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


@dataclass
class _FrontPlan:
    """How the front is filled: the steps it takes (no cues), the side count to fit
    in (0: the fewest at the minimum size), and the pictures' height (0: on the back)."""

    steps: int
    sides: int
    image_h: float
    band: float  # room the pictures take from the first side
    ch: float  # a side's content height

    def heights(self, i: int) -> float:
        return self.ch - (self.band if i == 0 else 0.0)


def _front_plan(content: CardContent, head: list[Block], band: card_pictures.Band | None,
                cw: float, ch: float, fonts: Fonts, memo: Memo) -> _FrontPlan:
    """Text first: the pictures take the largest height that leaves the front text at
    its minimum sizes on as many sides as without them (without cues: at least half
    the steps that would fit without them), else they go to the back."""
    n = len(content.card.steps)

    def sides_at_min(blocks: list[Block], room: float, limit: int) -> int | None:
        got = _flow(blocks, FRONT_CUE_MIN, "front", cw,
                    lambda i: ch - (room if i == 0 else 0.0), fonts, limit, memo)
        return None if got is None else len(got)

    def steps_on_one_side(room: float) -> int | None:
        """The most steps the front takes on one side at its minimum size."""
        if sides_at_min(head + content.front_rest(0), room, 1) is None:
            return None
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if sides_at_min(head + content.front_rest(mid), room, 1) is not None:
                lo = mid
            else:
                hi = mid - 1
        return lo

    tries = [(h, band.height(h)) for h in band.tries(ch)] if band else []
    if content.cued:
        blocks = head + content.front_rest(n)
        sides = sides_at_min(blocks, 0.0, 10_000) or 1
        for image_h, room in tries:
            if sides_at_min(blocks, room, sides) is not None:
                return _FrontPlan(n, sides, image_h, room, ch)
        return _FrontPlan(n, sides, 0.0, 0.0, ch)
    alone = steps_on_one_side(0.0)
    if alone is None:  # the name and the dose alone fill a side: steps all on the back
        return _FrontPlan(0, 0, 0.0, 0.0, ch)
    for image_h, room in tries:
        took = steps_on_one_side(room)
        if took is not None and took >= (alone + 1) // 2:
            return _FrontPlan(took, 1, image_h, room, ch)
    return _FrontPlan(alone, 1, 0.0, 0.0, ch)


def _back_picture(band: card_pictures.Band, required: list[Block], cw: float, ch: float,
                  qr_h: float, fonts: Fonts, memo: Memo) -> float:
    """The pictures' height at the top of the back: the largest that adds no side at the
    minimum size, else the smallest."""
    def sides(room: float) -> int:
        got = _flow(required, MIN_PT, "back", cw, lambda i: ch - (
            qr_h + 2 * mm + room if i == 0 else 0.0), fonts, 10_000, memo)
        return len(got) if got else 10_000

    without = sides(0.0)
    tries = band.tries(ch)
    return next((h for h in tries if sides(band.height(h)) <= without), tries[-1])


def _footer_h() -> float:
    return float(MIN_PT * 1.25 + 1.5 * mm)


def _qr_band(width: float) -> float:
    return float(min(24 * mm, width * 0.32))


def layout(text: CardText, card_size: str = "a6", qr_url: str | None = None,
           fonts: Fonts | None = None) -> Card:
    """Fit the document onto card sides (pure: draws nothing).

    Side numbers are only printed when there are more than two sides, so the room
    for them is only taken from the sides when a first fit without it overflows.
    """
    fonts = fonts or load_fonts()
    memo: Memo = {}
    card = _layout(text, card_size, qr_url, fonts, memo, None)
    if len(card.sides) <= 2:
        return card
    # less room can only make the text smaller: the first fit's sizes bound the search
    first = {side.group: side.size for side in card.sides}
    return _layout(text, card_size, qr_url, fonts, memo, first)


def _title(ph: Phrases, group: str, continued: bool, n: int, total: int) -> str:
    """The side's bookmark: "Front 1/3", "Back (continued) 3/3"."""
    num = {"n": ph.number(n), "total": ph.number(total)}
    if group == "front":
        return ph._("Front (continued) {n}/{total}", **num) if continued else ph._(
            "Front {n}/{total}", **num)
    return ph._("Back (continued) {n}/{total}", **num) if continued else ph._(
        "Back {n}/{total}", **num)


def _layout(text: CardText, card_size: str, qr_url: str | None, fonts: Fonts, memo: Memo,
            bounds: dict[str, float] | None) -> Card:
    footer = bounds is not None
    width, height = CARD_SIZES[card_size]
    cw = width - 2 * MARGIN
    ch = height - 2 * MARGIN - (_footer_h() if footer else 0.0)
    scale = cw / (93 * mm)  # A6 content width is the reference for upper size bounds
    root = Node("Document")
    ph = phrases(text.language)
    content = CardContent(text, fonts, root, ph)

    pics = card_pictures.band(text.pictures, fonts, cw)
    head = content.front_head()
    plan = _front_plan(content, head, pics, cw, ch, fonts, memo)
    front_blocks = head + content.front_rest(plan.steps)
    fmax = bounds["front"] if bounds else 30.0 * scale
    fsize, front = _fit(front_blocks, "front", FRONT_CUE_MIN, fmax, cw, plan.heights, fonts,
                        memo, limit=plan.sides)

    qr_h = _qr_band(cw) if qr_url else 0.0
    required, faq, more = content.back(plan.steps)
    back_band = 0.0
    if pics is not None and not plan.image_h:
        sized = _back_picture(pics, required, cw, ch, qr_h, fonts, memo)
        plan.image_h, back_band = sized, pics.height(sized)

    def back_heights(i: int) -> float:
        return float(ch - (qr_h + 2 * mm + back_band if i == 0 else 0.0))

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
    if pics is not None:  # into the room the fit left for it
        heads = {b.node for b in head} if not back_band else set()
        side = sides[0 if not back_band else len(front)]
        m = next((k for k, it in enumerate(side.items) if it.node not in heads),
                 len(side.items))
        top = side.items[m - 1].y + side.items[m - 1].h if m else 0.0
        for item in side.items[m:]:
            item.y += pics.height(plan.image_h)
        side.items[m:m] = card_pictures.place(pics, plan.image_h, top, root)
    small = Style(fonts.regular, MIN_PT, MIN_PT * 1.2)
    if qr_url:
        band = _qr_band(cw)
        fig = root.add("Figure", alt=ph._("QR code linking to {url}", url=qr_url))
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
        cont = k > 0 and sides[k - 1].group == side.group
        side.title = _title(ph, side.group, cont, k + 1, total)
        if footer:
            # the name tells which exercise a loose card of a set belongs to; it is a
            # label, so when it would not fit on the footer line only the number is shown
            mark = ph._("{n}/{total}", n=ph.number(k + 1), total=ph.number(total))
            named = ph._("{name} · {side}", name=text.name.text, side=mark)
            if text_width(small.font, named) * small.size <= cw:
                mark = named
            # page furniture, not content: drawn as a pagination artifact, so it has no
            # structure element (the side's bookmark carries the same number)
            side.items.append(Placed("footer", 0.0, ch + _footer_h() - small.leading, cw,
                                     small.leading, None, [check_words(fonts, mark)],
                                     small.font, small.size, small.leading, align="right"))
        if k == 0 and len(side.items) > 1:
            title, after = side.items[0], side.items[1]
            rule_y = (title.y + title.h + after.y) / 2
            side.items.insert(1, Placed("rule", 0.0, rule_y, cw, 0.0))
    return Card(width, height, sides, root)
