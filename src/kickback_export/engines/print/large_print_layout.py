"""Large print: a document's page on A4 or Letter, following APH/UKAAF practice.

Body text is 18 pt DejaVu Sans with 1.4 line spacing, headings are bold and larger,
everything is left-aligned and ragged right, and emphasis is bold only: no italics,
no capitals made up by the layout, no hyphenation. "Page N of M" sits at the same
spot at the foot of every page; pages break as :mod:`.large_print_pages` decides.

The words are the text model's (:mod:`~kickback_export.content.text`), walked in its
order: the title over a rule, paragraphs, pictures full width with their captions,
part headings, lists whose items keep together (a step's cue as its bold lead, a
workout entry's exercise as its bold name over its dose), terms as "term: value", a
question in bold over its answer, a table row by row. Drawing and tagging are the cue
card's (:mod:`.pdf_page`, :mod:`.pdf_tagging`): the same fonts and character check, the
same markup-free line breaker and the same structure tree (Document, H1/H2/H3,
L/LI/Lbl/LBody, P, Figure/Caption; page numbers and rules are artifacts). The same
layout at a regular size prints a page that has no card or sheet of its own
(:data:`REGULAR`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm

from ...content.phrases import phrases
from ...content.text import (
    Aside,
    Block,
    Figure,
    Heading,
    Item,
    Items,
    Para,
    Part,
    Table,
    Terms,
    TextModel,
    linear_rows,
)
from . import pdf_page
from .large_print_pages import BODY_PT, Page, Piece, paginate
from .large_print_pages import Block as Pages
from .pdf_tagging import Fonts, Metadata, Node, Tagger, break_lines, check_text, load_fonts
from .pdf_tagging import text_width as width_of

if TYPE_CHECKING:
    from ...content.phrases import Phrases

MARGIN = 25 * mm  # all ink at least this far from every edge (large-print minimum is 20 mm)
LINE = 1.4  # body line spacing, as a multiple of the font size
HEAD_LINE = 1.25
# DejaVu Sans vertical metrics (em fractions): they centre the glyphs in each line box
ASCENT, DESCENT = 0.928, 0.236
FOOTER_GAP = 8 * mm  # between the last text line and the page number
PICTURE_SHARE = 0.55  # a picture takes at most this share of a page's height


@dataclass(frozen=True)
class Sizes:
    """Type sizes in points: body, the title (H1), parts (H2) and groups (H3)."""

    body: float
    h1: float
    h2: float
    h3: float

    @property
    def para_gap(self) -> float:  # between paragraphs and list items
        return 0.8 * self.body

    @property
    def head_gap(self) -> float:  # above a section heading
        return 1.4 * self.body

    @property
    def label_gap(self) -> float:  # between a list label and its text
        return 0.5 * self.body


LARGE = Sizes(BODY_PT, 30.0, 24.0, BODY_PT)
REGULAR = Sizes(11.0, 20.0, 15.0, 12.0)
"""A page printed at an ordinary size (the ``pdf`` of a document without a card or sheet)."""
PARA_GAP = LARGE.para_gap
LABEL_GAP = LARGE.label_gap


class PageBuilder:
    """Text into tagged blocks at the given sizes, checking every character it will draw."""

    def __init__(self, fonts: Fonts, width: float, ph: Phrases, room: float = 0.0,
                 sizes: Sizes = LARGE) -> None:
        self.fonts, self.width, self.ph, self.sizes = fonts, width, ph, sizes
        self.room = room  # height of a page's text area: pictures are sized to it
        self.root = Node("Document")
        self.blocks: list[Pages] = []

    def text(self, where: str, value: str) -> str:
        """Document text names its field; catalog words (``where`` empty) are checked too."""
        return check_text(self.fonts, where, value) if where else pdf_page.check_words(
            self.fonts, value)

    def piece(self, node: Node | None, text: str, bold: bool = False, size: float = 0.0,
              line: float = LINE, indent: float = 0.0, gap: float = 0.0) -> Piece:
        font = self.fonts.bold if bold else self.fonts.regular
        size = size or self.sizes.body
        lines = break_lines(text, font, size, self.width - indent)
        return Piece(node, lines, font, size, size * line, indent, gap)

    def heading(self, title: str, role: str = "H2") -> None:
        size = {"H1": self.sizes.h1, "H2": self.sizes.h2}.get(role, self.sizes.h3)
        line = HEAD_LINE if size > self.sizes.body else LINE  # a body-size lead-in: as body
        piece = self.piece(self.root.add(role), title, bold=True, size=size, line=line)
        space = {"H1": 0.0, "H2": self.sizes.head_gap}.get(role, self.sizes.para_gap)
        bookmark = title if role in ("H1", "H2") else None  # the outline: title and parts
        self.blocks.append(Pages([piece], space, keep_next=True, title=bookmark))

    def para(self, where: str, value: str, bold: bool = False) -> None:
        piece = self.piece(self.root.add("P"), self.text(where, value), bold=bold)
        gap = self.sizes.para_gap if self.blocks else 0.0
        self.blocks.append(Pages([piece], gap, splittable=True))

    # -- the text model ---------------------------------------------------------------
    def build(self, page: Part) -> list[Pages]:
        if page.heading is not None:
            self.heading(self.text(page.heading.field, page.heading.text), "H1")
            self.blocks[-1].pieces.append(Piece(None, [], "", 0.0, 0.0))  # the rule
        self.part(page, 1)
        return self.blocks

    def part(self, part: Part, level: int) -> None:
        """A part's blocks under its heading (level ``level``)."""
        for inner, after in zip(part.blocks, (*part.blocks[1:], None), strict=True):
            if isinstance(inner, Part):
                if inner.heading is not None:
                    self.block(inner.heading)
                self.part(inner, level + (inner.heading is not None))
            elif isinstance(inner, Table):  # its caption heads it, a level below the part
                self.heading(self.text("", inner.caption), "H2" if level <= 1 else "H3")
                rows = [Item(cells, lead=head) for head, cells in linear_rows(inner, self.ph)]
                self.items(Items(tuple(rows)))
            else:
                self.block(inner)
            if isinstance(inner, Para) and isinstance(after, Items):
                self.blocks[-1].keep_next = True  # a lead-in stays with its list

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.heading(self.text(block.field, block.text), "H2" if block.level <= 2 else "H3")
        elif isinstance(block, Para):
            text = f"{block.label} {block.text}" if block.label else block.text
            self.para(block.field if not block.label else "", text)
        elif isinstance(block, Aside):
            self.para("", f"{block.label} {self.text(block.field, block.text)}")
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, Items):
            self.items(block)
        elif isinstance(block, Terms):
            self.terms(block)

    def items(self, items: Items) -> None:
        """A list; each item stays on one page, its own list inside it."""
        lst = self.root.add("L")
        numbers = pdf_page.list_labels(len(items.items), items.ordered, self.ph)
        labels = [self.text("", item.label or number)
                  for item, number in zip(items.items, numbers, strict=True)]
        indent = max(width_of(self.fonts.bold, lab) for lab in labels) * self.sizes.body
        indent += self.sizes.label_gap
        for label, item in zip(labels, items.items, strict=True):
            li = lst.add("LI")
            lbl, body = li.add("Lbl"), li.add("LBody")
            pieces = []
            lead = item.title or item.lead
            if lead:
                where = item.field if item.title else item.lead_field
                pieces.append(self.piece(body.add("P"), self.text(where, lead), bold=True,
                                         indent=indent))
            text = item.text + item.detail
            if text:
                pieces.append(self.piece(body.add("P") if pieces else body,
                                         self.text(item.field if not item.title else "", text),
                                         indent=indent))
            for sub in item.sub.items if item.sub else ():
                pieces.append(self.piece(body.add("P"), self.text(
                    sub.field, " ".join(filter(None, (sub.label, sub.title, sub.text)))),
                    indent=indent))
            pieces[0].label, pieces[0].label_node = label, lbl
            self.blocks.append(Pages(pieces, self.sizes.para_gap))

    def terms(self, terms: Terms) -> None:
        for term in terms.terms:
            if term.id or not term.term_id:
                line = self.ph._("{term}: {value}", term=term.term, value=term.value)
                self.para(term.field if not term.catalog else "", line)
                continue
            q = self.piece(self.root.add("H3"), self.text(term.term_field, term.term),
                           bold=True, size=self.sizes.h3)
            a = self.piece(self.root.add("P"), self.text(term.field, term.value),
                           gap=0.25 * self.sizes.body)
            self.blocks.append(Pages([q, a], self.sizes.para_gap))

    def figure(self, figure: Figure) -> None:
        """A picture the full text width (at most :data:`PICTURE_SHARE` of a page tall),
        tagged as a Figure with its alt text, and its caption and credit under it."""
        image = figure.picture
        h = pdf_page.fitted(image.width, image.height, self.width, self.room * PICTURE_SHARE)[1]
        # the alt text is read out, never drawn: it needs no glyph in the font
        fig = self.root.add("Figure", alt=image.alt)
        pieces = [Piece(fig, [], "", self.sizes.body, h, image=image)]
        caption = self.root.add("Caption") if figure.caption or figure.credit else None
        i = figure.number - 1
        for where, text in ((f"images[{i}].caption", figure.caption),
                            (f"images[{i}].credit", figure.credit)):
            if text:
                pieces.append(self.piece(caption, self.text(where, text),
                                         gap=0.3 * self.sizes.body))
        self.blocks.append(Pages(pieces, self.sizes.para_gap if self.blocks else 0.0))


@dataclass(frozen=True)
class Layout:
    size: tuple[float, float]
    room: float  # height of the text area on each page
    blocks: list[Pages]
    pages: list[Page]
    outline: list[tuple[str, int]]
    footers: list[str]  # "Page 1 of 3" …
    root: Node
    fonts: Fonts
    sizes: Sizes = LARGE


def metadata(text: TextModel) -> Metadata:
    """The large print's title, language, subject and keywords."""
    ph = phrases(text.language)
    return pdf_page.metadata(text, ph._("Large print: {summary}",
                                        summary=text.meta.summary or text.title),
                             ph.pgettext("PDF keyword", "large print"))


def footer_height(sizes: Sizes = LARGE) -> float:
    return float(sizes.body * LINE + FOOTER_GAP)


def layout(text: TextModel, paper: str = "a4", fonts: Fonts | None = None,
           sizes: Sizes = LARGE) -> Layout:
    """Break and paginate the document's page (pure: draws nothing)."""
    fonts = fonts or load_fonts()
    ph = phrases(text.language)
    size = pdf_page.PAPERS[paper]
    room = size[1] - 2 * MARGIN - footer_height(sizes)
    builder = PageBuilder(fonts, size[0] - 2 * MARGIN, ph, room, sizes)
    blocks = builder.build(text.page)
    pages, outline = paginate(blocks, room)
    total = ph.number(len(pages))
    footers = [builder.text("", ph._("Page {n} of {total}", n=ph.number(n), total=total))
               for n in range(1, len(pages) + 1)]
    return Layout(size, room, blocks, pages, outline, footers, builder.root, fonts, sizes)


def _baseline(top: float, size: float, leading: float) -> float:
    """Distance from the top of a line box down to its baseline, glyphs centred in the box."""
    return top + (leading + size * (ASCENT - DESCENT)) / 2


def _draw_page(canvas: Any, tagger: Tagger, lay: Layout, index: int) -> None:
    width, height = lay.size
    top = height - MARGIN
    rows = lay.pages[index].rows
    i = 0
    while i < len(rows):
        y, row = rows[i]
        piece = row.piece
        if piece.image is not None and piece.node is not None:
            pdf_page.picture(canvas, tagger, piece.node, piece.image, MARGIN,
                             top - y - row.height, width - 2 * MARGIN, row.height)
            i += 1
            continue
        if piece.rule:
            pdf_page.rule(canvas, tagger, 1.5, MARGIN, top - y - row.height / 2,
                          width - 2 * MARGIN)
            i += 1
            continue
        j = i
        while j + 1 < len(rows) and rows[j + 1][1].piece is piece:
            j += 1
        base = top - _baseline(y, piece.size, piece.leading)
        if row.line == 0 and piece.label and piece.label_node is not None:
            with tagger.marked(piece.label_node):
                pdf_page.text_lines(canvas, MARGIN, base, lay.fonts.bold, piece.size,
                                    piece.leading, [piece.label])
        assert piece.node is not None
        with tagger.marked(piece.node):
            pdf_page.text_lines(canvas, MARGIN + piece.indent, base, piece.font, piece.size,
                                piece.leading, [piece.lines[r.line] for _, r in rows[i : j + 1]])
        i = j + 1
    body = lay.sizes.body
    with tagger.artifact("Pagination"):
        pdf_page.text_lines(canvas, MARGIN, MARGIN + DESCENT * body, lay.fonts.regular,
                            body, body * LINE, [lay.footers[index]])


def render(lay: Layout, meta: Metadata) -> bytes:
    """Draw every page and tag the result."""
    return pdf_page.render(lay.size, lay.fonts, len(lay.pages),
                           lambda canvas, tagger, i: _draw_page(canvas, tagger, lay, i),
                           lay.root, meta, lay.outline, font_size=lay.sizes.body)
