"""Large-print pagination: pages break between whole blocks.

A step, a tip, a list item, an FAQ pair (question with its answer) and a picture
with its caption are kept together on one page, and a heading is kept with what
follows it, so a reader holding the sheet close never has to turn over in the middle
of an instruction. Plain paragraphs may break between lines by
:func:`~.pdf_page.lines_to_take`. The
one exception is a block taller than a whole page (the model allows a 4000-character
step): it cannot be kept together, so it starts where at least two of its lines fit
and flows on, line by line, rather than being cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .pdf_page import MIN_LINES, lines_to_take
from .pdf_tagging import EPS, Node

if TYPE_CHECKING:
    from ...document.images import Loaded

BODY_PT = 18.0  # the APH/UKAAF floor for large print; nothing on the page is smaller
RULE_H = 0.9 * BODY_PT  # the band the rule under the name sits in


@dataclass(eq=False)
class Piece:
    """One paragraph of a block: broken into lines in one font, tied to one structure leaf."""

    node: Node | None  # None for the rule under the name (an artifact)
    lines: list[str]
    font: str
    size: float
    leading: float
    indent: float = 0.0
    gap: float = 0.0  # space above, inside its block
    label: str | None = None  # "1." or "•", drawn in the indent beside the first line
    label_node: Node | None = None
    image: Loaded | None = None  # a picture: no lines, one row ``leading`` tall

    @property
    def rule(self) -> bool:
        return self.node is None


@dataclass(eq=False)
class Block:
    """What pagination moves as a whole: a heading, a paragraph, a list item, an FAQ pair."""

    pieces: list[Piece]
    space: float  # space above; dropped at the top of a page
    keep_next: bool = False  # headings: never the last thing on a page
    splittable: bool = False  # plain paragraphs may break between lines
    title: str | None = None  # bookmark text (the name and each section heading)

    def rows(self) -> list[Row]:
        return [
            Row(p, i, p.gap if i == 0 else 0.0, p.leading if not p.rule else RULE_H)
            for p in self.pieces
            for i in range(max(1, len(p.lines)))
        ]


@dataclass(frozen=True, eq=False)
class Row:
    """One line of a piece (or the rule) with the space above it."""

    piece: Piece
    line: int
    gap: float
    height: float


@dataclass(eq=False)
class Page:
    rows: list[tuple[float, Row]] = field(default_factory=list)  # (top of line box, row)

    @property
    def empty(self) -> bool:
        return not self.rows


def rows_height(rows: Sequence[Row], top: bool) -> float:
    """Height of consecutive rows; at the top of a page the first row's gap is dropped."""
    return sum(r.height + r.gap for r in rows) - (rows[0].gap if top and rows else 0.0)


def _lead_in(blocks: Sequence[Block], k: int, room: float) -> float:
    """What must fit below heading ``k``: the following headings and a start of the text."""
    need = 0.0
    while blocks[k].keep_next and k + 1 < len(blocks):
        k += 1
        nxt = blocks[k]
        rows = nxt.rows()
        if nxt.keep_next:
            need += nxt.space + rows_height(rows, False)
        elif nxt.splittable or rows_height(rows, True) > room:
            need += nxt.space + rows_height(rows[:MIN_LINES], False)
        else:
            need += nxt.space + rows_height(rows, False)
    return need


def paginate(blocks: Sequence[Block], room: float) -> tuple[list[Page], list[tuple[str, int]]]:
    """Place blocks on pages ``room`` points tall; also return the bookmarks (title, page)."""
    pages = [Page()]
    y = 0.0
    outline: list[tuple[str, int]] = []

    def place(rows: Sequence[Row]) -> None:
        nonlocal y
        page = pages[-1]
        for row in rows:
            y += 0.0 if page.empty else row.gap
            page.rows.append((y, row))
            y += row.height

    def new_page() -> None:
        nonlocal y
        pages.append(Page())
        y = 0.0

    for k, block in enumerate(blocks):
        rows = block.rows()
        space = 0.0 if pages[-1].empty else block.space
        full = rows_height(rows, pages[-1].empty)
        flows = block.splittable or rows_height(rows, True) > room + EPS
        need = space + full + _lead_in(blocks, k, room)
        if y + need > room + EPS and not pages[-1].empty and not flows:
            new_page()  # keep the block whole: move it to the next page
            space = 0.0
        if block.title is not None:
            outline.append((block.title, len(pages) - 1))
        if y + space + rows_height(rows, pages[-1].empty) <= room + EPS or not flows:
            y += space
            place(rows)
            continue
        # a paragraph that may break, or a block taller than a page: fill, then flow on
        left = list(rows)
        while left:
            top = pages[-1].empty
            avail = room - y - (0.0 if top else space)
            fit = 0
            while fit < len(left) and rows_height(left[: fit + 1], top) <= avail + EPS:
                fit += 1
            take = lines_to_take(fit, len(left))
            if take == 0 and top:
                take = max(1, fit)  # a page must take something, or this never ends
            if take == 0:
                new_page()
                continue
            y += 0.0 if top else space
            space = 0.0
            place(left[:take])
            left = left[take:]
            if left:
                new_page()
    return pages, outline
