"""The cue cards of every document a document uses (a workout's exercises), imposed together
on A4/Letter sheets.

Each card is fitted exactly as a single exercise's card (:mod:`.card_layout`) and the
sides go onto sheets as :mod:`.card_draw` imposes one card's, one card after another,
so a class gets the whole stack cut from a few sheets. For duplex printing a card with
an odd number of sides is followed by a blank slot, so the next card's front never
lands behind another card. Each exercise's structure tree is a section of the one
document, and each side a bookmark named by its exercise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ...content.phrases import phrases
from ...content.text import TextModel
from . import card_draw, card_layout, pdf_page
from .card_layout import Card, Side
from .pdf_tagging import Fonts, Node, Tagger


def cards(texts: Sequence[TextModel], card_size: str,
          qr_url: Callable[[TextModel], str | None], fonts: Fonts) -> list[Card]:
    """The card of each text model that has one, in order; ``qr_url`` gives each one's QR
    target."""
    return [card_layout.layout(t.card, card_size, qr_url(t), fonts) for t in texts
            if t.card is not None]


def render_sheets(text: TextModel, stack: list[Card], fonts: Fonts, sheet: str,
                  duplex: bool) -> bytes:
    """Impose the cards' sides on ``sheet`` paper (see the module docstring); ``stack`` are
    the cards of ``text.uses`` that have one, in that order."""
    ph = phrases(text.language)
    root = Node("Document")
    sides: list[tuple[Card, int, str]] = []  # (card, side index, bookmark); index -1: blank
    carded = [t for t in text.uses if t.card is not None]
    for used, card in zip(carded, stack, strict=True):
        name = used.title
        section = root.add("Sect")
        section.kids = card.root.kids
        sides += [(card, i, ph._("{term}: {value}", term=name, value=side.title))
                  for i, side in enumerate(card.sides)]
        if duplex and len(card.sides) % 2:
            sides.append((card, -1, ""))
    first = stack[0]
    size = pdf_page.PAPERS[sheet]
    g = card_draw.grid(first.width, first.height, size)
    pages = card_draw.impose(len(sides), g.cols * g.rows, duplex)
    outline = sorted((n, sides[n][2], page_no) for page_no, page in enumerate(pages)
                     for n, *_ in page if sides[n][1] >= 0)
    blank = Card(first.width, first.height, [Side("back")], root)

    def draw(canvas: Any, tagger: Tagger, page_no: int) -> None:
        card_draw._crop_marks(canvas, tagger, g)
        for n, slot, back, mirrored in pages[page_no]:
            card, index, _ = sides[n]
            canvas.saveState()
            card_draw.place(canvas, g, slot, card, back, mirrored)
            # marks are ordered by (side, item) within a card; the sections, all starting
            # at (0, 0), keep the cards' order (the structure's sort is stable)
            card_draw.draw_side(canvas, tagger, card if index >= 0 else blank, max(index, 0))
            canvas.restoreState()

    meta = pdf_page.metadata(text, ph._("Cue cards of the workout {name}", name=text.title),
                             ph.pgettext("PDF keyword", "cue card"))
    return pdf_page.render(size, fonts, len(pages), draw, root, meta,
                           [(t, p) for _, t, p in outline])


__all__ = ["cards", "render_sheets"]
