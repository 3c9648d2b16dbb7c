"""Large print: the whole document on A4 or Letter, following APH/UKAAF practice.

Body text is 18 pt DejaVu Sans with 1.4 line spacing, headings are bold and larger,
everything is left-aligned and ragged right, and emphasis is bold only: no italics,
no capitals made up by the layout, no hyphenation. "Page N of M" sits at the same
spot at the foot of every page; pages break as :mod:`.large_print_pages` decides.

The words are the document's and the content layer's: the page head from the
reading order, part headings from :func:`~kickback_export.content.reading.heading`,
the prescription as "term: value" lines from
:func:`~kickback_export.content.prescription.entries`. Drawing and tagging are the
cue card's (:mod:`.pdf_page`, :mod:`.pdf_tagging`): the same fonts and character
check, the same markup-free line breaker and the same structure tree (Document,
H1/H2/H3, L/LI/Lbl/LBody, P; page numbers and rules are artifacts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm

from ...content.phrases import phrases
from ...content.prescription import entries
from ...content.reading import anatomy, credit_line, heading, reading_order
from ...document import images
from . import pdf_page
from .large_print_pages import BODY_PT, Block, Page, Piece, paginate
from .pdf_tagging import Fonts, Metadata, Node, Tagger, break_lines, check_text, load_fonts
from .pdf_tagging import text_width as width_of

if TYPE_CHECKING:
    from ...content.phrases import Phrases
    from ...document.images import Loaded
    from ...document.model import Exercise

MARGIN = 25 * mm  # all ink at least this far from every edge (large-print minimum is 20 mm)
H3_PT = BODY_PT  # FAQ questions: bold at body size, a lead-in rather than a title
H2_PT = 24.0
H1_PT = 30.0
LINE = 1.4  # body line spacing, as a multiple of the font size
HEAD_LINE = 1.25
PARA_GAP = 0.8 * BODY_PT  # between paragraphs and list items
HEAD_GAP = 1.4 * BODY_PT  # above a section heading
LABEL_GAP = 0.5 * BODY_PT  # between a list label and its text
# DejaVu Sans vertical metrics (em fractions): they centre the glyphs in each line box
ASCENT, DESCENT = 0.928, 0.236
FOOTER_GAP = 8 * mm  # between the last text line and the page number
PICTURE_SHARE = 0.55  # a picture takes at most this share of a page's height

Item = tuple[str, str, str | None]  # (field, text, bold lead-in or None)


def metadata(doc: Exercise) -> Metadata:
    """The large print's title, language, subject and keywords."""
    ph = phrases(doc.language)
    return pdf_page.metadata(doc, ph, ph._("Large print: {summary}",
                                                 summary=doc.summary or doc.name),
                             ph.pgettext("PDF keyword", "large print"))


class PageBuilder:
    """Text into tagged blocks at the large print's sizes, checking every character it
    will draw; an exercise's and a workout's large print both build on it."""

    def __init__(self, fonts: Fonts, width: float, ph: Phrases) -> None:
        self.fonts, self.width, self.ph = fonts, width, ph
        self.root = Node("Document")
        self.blocks: list[Block] = []

    def text(self, where: str, value: str) -> str:
        """Document text names its field; catalog words (``where`` empty) are checked too."""
        return check_text(self.fonts, where, value) if where else pdf_page.check_words(
            self.fonts, value)

    def piece(self, node: Node | None, text: str, bold: bool = False, size: float = BODY_PT,
              line: float = LINE, indent: float = 0.0, gap: float = 0.0) -> Piece:
        font = self.fonts.bold if bold else self.fonts.regular
        lines = break_lines(text, font, size, self.width - indent)
        return Piece(node, lines, font, size, size * line, indent, gap)

    def heading(self, title: str, role: str = "H2") -> None:
        size = H1_PT if role == "H1" else H2_PT
        piece = self.piece(self.root.add(role), title, bold=True, size=size, line=HEAD_LINE)
        space = 0.0 if role == "H1" else HEAD_GAP
        self.blocks.append(Block([piece], space, keep_next=True, title=title))

    def para(self, where: str, value: str, bold: bool = False) -> None:
        piece = self.piece(self.root.add("P"), self.text(where, value), bold=bold)
        self.blocks.append(Block([piece], PARA_GAP if self.blocks else 0.0, splittable=True))


class _Builder(PageBuilder):
    """Turns the document into blocks."""

    def __init__(self, doc: Exercise, fonts: Fonts, width: float, ph: Phrases,
                 room: float = 0.0) -> None:
        super().__init__(fonts, width, ph)
        self.doc = doc
        self.room = room  # height of a page's text area: pictures are sized to it

    def part(self, part: str) -> None:
        self.heading(self.text("", heading(part, self.ph)))

    def items(self, entries: Sequence[Item], numbered: bool) -> None:
        """A list; each item stays on one page."""
        lst = self.root.add("L")
        labels = [self.text("", label)
                  for label in pdf_page.list_labels(len(entries), numbered, self.ph)]
        indent = max(width_of(self.fonts.bold, lab) for lab in labels) * BODY_PT + LABEL_GAP
        for label, (where, value, lead) in zip(labels, entries, strict=True):
            li = lst.add("LI")
            lbl = li.add("Lbl")
            body = li.add("LBody")
            pieces = []
            if lead is not None:
                pieces.append(self.piece(body.add("P"), lead, bold=True, indent=indent))
            pieces.append(self.piece(body.add("P") if lead is not None else body,
                                     self.text(where, value), indent=indent))
            pieces[0].label, pieces[0].label_node = label, lbl
            self.blocks.append(Block(pieces, PARA_GAP))

    def figure(self, i: int, image: Loaded) -> None:
        """A picture the full text width (at most :data:`PICTURE_SHARE` of a page tall),
        tagged as a Figure with its alt text, and its caption and credit under it."""
        h = pdf_page.fitted(image.width, image.height, self.width, self.room * PICTURE_SHARE)[1]
        # the alt text is read out, never drawn: it needs no glyph in the font
        fig = self.root.add("Figure", alt=image.alt)
        pieces = [Piece(fig, [], "", BODY_PT, h, image=image)]
        credit = credit_line(image.picture, self.ph)
        caption = self.root.add("Caption") if image.picture.caption or credit else None
        for where, text in ((f"images[{i}].caption", image.picture.caption),
                            (f"images[{i}].credit", credit)):
            if text:
                pieces.append(self.piece(caption, self.text(where, text), gap=0.3 * BODY_PT))
        self.blocks.append(Block(pieces, PARA_GAP if self.blocks else 0.0))

    def texts(self, name: str, values: Sequence[str]) -> list[Item]:
        return [(f"{name}[{i}]", value, None) for i, value in enumerate(values)]

    def muscles(self) -> list[Item]:
        """"Primary: glutes (gluteus maximus)", each name checked in its own field."""
        ph = self.ph
        out: list[Item] = []
        for group in ("primary", "secondary"):
            for i, m in enumerate(getattr(self.doc.muscles, group)):
                where = f"muscles.{group}[{i}]"
                self.text(f"{where}.name", m.name)
                for j, name in enumerate(m.anatomy):
                    self.text(f"{where}.anatomy[{j}]", name)
                line = ph._("{term}: {value}", term=heading(f"muscles-{group}", ph),
                            value=m.name) + anatomy(m.anatomy, ph)
                out.append(("", line, None))
        return out

    def build(self) -> list[Block]:
        doc, ph = self.doc, self.ph
        self.heading(self.text("name", doc.name), "H1")
        self.blocks[-1].pieces.append(Piece(None, [], "", 0.0, 0.0))  # the rule
        for block in reading_order(doc):  # the page head: aliases, summary, level
            if not block.part and block.kind not in ("name", "figure"):
                self.para(block.id, block.full_text)
        for i, picture in enumerate(images.loaded(doc)):
            self.figure(i, picture)
        if doc.overview:
            self.part("overview")
            for i, text in enumerate(doc.overview):
                self.para(f"overview[{i}]", text)
        if doc.muscles:
            self.part("muscles")
            self.items(self.muscles(), numbered=False)
        if doc.equipment:
            self.part("equipment")
            self.items(self.texts("equipment", doc.equipment), False)
        if doc.setup:
            self.part("setup")
            self.items(self.texts("setup", doc.setup), False)
        self.part("instructions")
        self.items([(f"steps[{i}].text", step.text,
                     self.text(f"steps[{i}].cue", step.cue) if step.cue else None)
                    for i, step in enumerate(doc.steps)], numbered=True)
        for part, values in (("tips", doc.tips), ("cautions", doc.cautions)):
            if values:
                self.part(part)
                self.items(self.texts(part, values), False)
        if doc.faq:
            self.part("faq")
            for i, qa in enumerate(doc.faq):
                q = self.piece(self.root.add("H3"), self.text(f"faq[{i}].question", qa.question),
                               bold=True, size=H3_PT)
                a = self.piece(self.root.add("P"), self.text(f"faq[{i}].answer", qa.answer),
                               gap=0.25 * BODY_PT)
                self.blocks.append(Block([q, a], PARA_GAP))
        if doc.image_description and not doc.images:  # else the first picture's alt text
            self.heading(self.text("", ph._("What the picture shows")))
            self.para("image_description", doc.image_description)
        rx = doc.prescription
        if rx is not None:
            pdf_page.check_prescription(self.fonts, rx)
            self.part("prescription")
            for entry in entries(rx, ph):
                self.para("", ph._("{term}: {value}", term=entry.term, value=entry.value))
        return self.blocks


@dataclass(frozen=True)
class Layout:
    size: tuple[float, float]
    room: float  # height of the text area on each page
    blocks: list[Block]
    pages: list[Page]
    outline: list[tuple[str, int]]
    footers: list[str]  # "Page 1 of 3" …
    root: Node
    fonts: Fonts


def footer_height() -> float:
    return float(BODY_PT * LINE + FOOTER_GAP)


def layout(doc: Exercise, paper: str = "a4", fonts: Fonts | None = None) -> Layout:
    """Break and paginate the document (pure: draws nothing)."""
    fonts = fonts or load_fonts()
    ph = phrases(doc.language)
    size = pdf_page.PAPERS[paper]
    room = size[1] - 2 * MARGIN - footer_height()
    builder = _Builder(doc, fonts, size[0] - 2 * MARGIN, ph, room)
    blocks = builder.build()
    pages, outline = paginate(blocks, room)
    total = ph.number(len(pages))
    footers = [builder.text("", ph._("Page {n} of {total}", n=ph.number(n), total=total))
               for n in range(1, len(pages) + 1)]
    return Layout(size, room, blocks, pages, outline, footers, builder.root, fonts)


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
    with tagger.artifact("Pagination"):
        pdf_page.text_lines(canvas, MARGIN, MARGIN + DESCENT * BODY_PT, lay.fonts.regular,
                            BODY_PT, BODY_PT * LINE, [lay.footers[index]])


def render(lay: Layout, meta: Metadata) -> bytes:
    """Draw every page and tag the result."""
    return pdf_page.render(lay.size, lay.fonts, len(lay.pages),
                           lambda canvas, tagger, i: _draw_page(canvas, tagger, lay, i),
                           lay.root, meta, lay.outline, font_size=BODY_PT)
