"""Large-print PDF: the whole document on A4 or Letter, following APH/UKAAF practice.

Body text is 18 pt DejaVu Sans with 1.4 line spacing, headings are bold and larger,
everything is left-aligned and ragged right, and emphasis is bold only: no italics,
no capitals made up by the layout, no hyphenation. "Page N of M" sits at the same
spot at the foot of every page.

Pages break between whole blocks. A step, a tip, a list item and an FAQ pair
(question with its answer) are kept together on one page, and a heading is kept with
what follows it, so a reader holding the sheet close never has to turn over in the
middle of an instruction. Plain paragraphs may break between lines, leaving at least
two lines on each page. The one exception is a block taller than a whole page (the
model allows a 4000-character step): it cannot be kept together, so it starts where
at least two of its lines fit and flows on, line by line, rather than being cut.

Drawing and tagging reuse :mod:`kickback_export.engines.pdf_tagging`, as the cue card does:
the same embedded fonts and character check, the same markup-free line breaker, and
the same structure tree (Document, H1/H2/H3, L/LI/Lbl/LBody, P; page numbers and
rules are artifacts).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
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

PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}

MARGIN = 25 * mm  # all ink at least this far from every edge (large-print minimum is 20 mm)
BODY_PT = 18.0  # the APH/UKAAF floor for large print; nothing on the page is smaller
H3_PT = BODY_PT  # FAQ questions: bold at body size, a lead-in rather than a title
H2_PT = 24.0
H1_PT = 30.0
LINE = 1.4  # body line spacing, as a multiple of the font size
HEAD_LINE = 1.25
PARA_GAP = 0.8 * BODY_PT  # between paragraphs and list items
HEAD_GAP = 1.4 * BODY_PT  # above a section heading
RULE_H = 0.9 * BODY_PT  # the band the rule under the name sits in
LABEL_GAP = 0.5 * BODY_PT  # between a list label and its text
# DejaVu Sans vertical metrics (em fractions): they centre the glyphs in each line box
ASCENT, DESCENT = 0.928, 0.236
FOOTER_GAP = 8 * mm  # between the last text line and the page number
MIN_LINES = 2  # a paragraph that breaks leaves at least this many lines on each page


class LargePrintError(ValueError):
    """Options that cannot make a large-print document (the build layer prints it)."""


# --- content ---------------------------------------------------------------------------


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


def _num(value: float) -> str:
    return f"{value:g}"


def _seconds(value: float) -> str:
    return f"{_num(value)} second{'' if value == 1 else 's'}"


class _Builder:
    """Turns the document into blocks, checking every character it will draw."""

    def __init__(self, doc: Exercise, fonts: Fonts, width: float) -> None:
        self.doc, self.fonts, self.width = doc, fonts, width
        self.root = Node("Document")
        self.blocks: list[Block] = []
        self.label_w = 0.0

    def text(self, where: str, value: str) -> str:
        return check_text(self.fonts, where, value) if where else value

    def piece(self, node: Node | None, text: str, bold: bool = False, size: float = BODY_PT,
              line: float = LINE, indent: float = 0.0, gap: float = 0.0) -> Piece:
        font = self.fonts.bold if bold else self.fonts.regular
        lines = break_lines(text, font, size, self.width - indent)
        return Piece(node, lines, font, size, size * line, indent, gap)

    def heading(self, title: str, role: str = "H2") -> None:
        size = H1_PT if role == "H1" else H2_PT
        node = self.root.add(role)
        piece = self.piece(node, title, bold=True, size=size, line=HEAD_LINE)
        space = 0.0 if role == "H1" else HEAD_GAP
        self.blocks.append(Block([piece], space, keep_next=True, title=title))

    def para(self, where: str, value: str, bold: bool = False) -> None:
        piece = self.piece(self.root.add("P"), self.text(where, value), bold=bold)
        self.blocks.append(Block([piece], PARA_GAP if self.blocks else 0.0, splittable=True))

    def items(self, entries: Sequence[tuple[str, str, str | None]], numbered: bool) -> None:
        """A list; each entry is (field, text, bold lead-in or None) and stays on one page."""
        lst = self.root.add("L")
        labels = [f"{i + 1}." if numbered else "•" for i in range(len(entries))]
        widest = max(text_width(self.fonts.bold, lab) for lab in labels)
        indent = widest * BODY_PT + LABEL_GAP
        for i, (where, value, lead) in enumerate(entries):
            li = lst.add("LI")
            lbl = li.add("Lbl")
            body = li.add("LBody")
            pieces = []
            if lead is not None:
                pieces.append(self.piece(body.add("P"), lead, bold=True, indent=indent))
            text = self.text(where, value)
            pieces.append(self.piece(body.add("P") if lead is not None else body, text,
                                     indent=indent))
            pieces[0].label, pieces[0].label_node = labels[i], lbl
            self.blocks.append(Block(pieces, PARA_GAP))

    def build(self) -> list[Block]:
        doc = self.doc
        self.heading(self.text("name", doc.name), "H1")
        self.blocks[-1].pieces.append(Piece(None, [], "", 0.0, 0.0))  # the rule
        if doc.aliases:
            names = [self.text(f"aliases[{i}]", a) for i, a in enumerate(doc.aliases)]
            self.para("", "Also called: " + "; ".join(names))
        self.para("summary", doc.summary)

        self.heading("About this exercise")
        for i, text in enumerate(doc.overview):
            self.para(f"overview[{i}]", text)

        self.heading("Muscles worked")
        muscles: list[tuple[str, str, str | None]] = []
        for group, kind in (("primary", "Main"), ("secondary", "Helping")):
            for i, m in enumerate(getattr(doc.muscles, group)):
                where = f"muscles.{group}[{i}]"
                line = f"{kind}: {self.text(where + '.name', m.name)}"
                anatomy = [self.text(f"{where}.anatomy[{j}]", a) for j, a in enumerate(m.anatomy)]
                if anatomy:
                    line += f" ({', '.join(anatomy)})"
                muscles.append(("", line, None))
        self.items(muscles, numbered=False)

        self.heading("Equipment and level")
        self.items([(f"equipment[{i}]", e, None) for i, e in enumerate(doc.equipment)], False)
        self.para("", f"Level: {doc.level}")

        if doc.setup:
            self.heading("Setting up")
            self.items([(f"setup[{i}]", s, None) for i, s in enumerate(doc.setup)], False)

        self.heading("How to do it")
        steps = []
        for i, step in enumerate(doc.steps):
            cue = self.text(f"steps[{i}].cue", step.cue) if step.cue else None
            steps.append((f"steps[{i}].text", step.text, cue))
        self.items(steps, numbered=True)

        if doc.tips:
            self.heading("Tips")
            self.items([(f"tips[{i}]", t, None) for i, t in enumerate(doc.tips)], False)
        if doc.cautions:
            self.heading("Cautions")
            self.items([(f"cautions[{i}]", c, None) for i, c in enumerate(doc.cautions)], False)

        if doc.faq:
            self.heading("Questions and answers")
            for i, qa in enumerate(doc.faq):
                q = self.piece(self.root.add("H3"), self.text(f"faq[{i}].question", qa.question),
                               bold=True, size=H3_PT)
                a = self.piece(self.root.add("P"), self.text(f"faq[{i}].answer", qa.answer),
                               gap=0.25 * BODY_PT)
                self.blocks.append(Block([q, a], PARA_GAP))

        if doc.image_description:
            self.heading("What the picture shows")
            self.para("image_description", doc.image_description)

        rx = doc.prescription
        if rx is not None:
            self.heading("How much to do")
            dose = f"{rx.sets} sets × {rx.reps} reps"
            if rx.sides == "both":
                limb = self.text("prescription.limb", rx.limb)
                dose += f" per {limb}, {rx.first_side} {limb} first"
            self.para("", dose)
            t, c = rx.tempo, rx.cues
            self.para("", (
                f"Tempo: {self.text('prescription.cues.kick', c.kick)} {_seconds(t.kick)}, "
                f"{self.text('prescription.cues.hold', c.hold)} {_seconds(t.hold)}, "
                f"{self.text('prescription.cues.return', c.return_)} {_seconds(t.return_)}"
            ))
            self.para("", f"Rest: {_seconds(rx.rest)} between sets")
            if rx.sides == "both":
                self.para("", f"Switching sides: {_seconds(rx.switch)}")
        return self.blocks


# --- pagination ------------------------------------------------------------------------


def _height(rows: Sequence[Row], top: bool) -> float:
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
            need += nxt.space + _height(rows, False)
        elif nxt.splittable or _height(rows, True) > room:
            need += nxt.space + _height(rows[:MIN_LINES], False)
        else:
            need += nxt.space + _height(rows, False)
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
        full = _height(rows, pages[-1].empty)
        oversize = _height(rows, True) > room + EPS
        need = space + full + _lead_in(blocks, k, room)
        if y + need > room + EPS and not pages[-1].empty and not (
            block.splittable or oversize
        ):
            new_page()  # keep the block whole: move it to the next page
            space = 0.0
        if block.title is not None:
            outline.append((block.title, len(pages) - 1))
        if y + space + _height(rows, pages[-1].empty) <= room + EPS or not (
            block.splittable or oversize
        ):
            y += space
            place(rows)
            continue
        # a paragraph that may break, or a block taller than a page: fill, then flow on
        left = list(rows)
        while left:
            top = pages[-1].empty
            avail = room - y - (0.0 if top else space)
            fit = 0
            while fit < len(left) and _height(left[: fit + 1], top) <= avail + EPS:
                fit += 1
            take = len(left) if fit >= len(left) else min(fit, len(left) - MIN_LINES)
            if take < min(MIN_LINES, len(left)):
                take = 0
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


# --- drawing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    size: tuple[float, float]
    room: float  # height of the text area on each page
    blocks: list[Block]
    pages: list[Page]
    outline: list[tuple[str, int]]
    root: Node
    regular: str
    bold: str


def footer_height() -> float:
    return float(BODY_PT * LINE + FOOTER_GAP)


def layout(doc: Exercise, paper: str = "a4", fonts: Fonts | None = None) -> Layout:
    """Break and paginate the document (pure: draws nothing)."""
    fonts = fonts or load_fonts()
    size = PAPERS[paper]
    builder = _Builder(doc, fonts, size[0] - 2 * MARGIN)
    blocks = builder.build()
    room = size[1] - 2 * MARGIN - footer_height()
    pages, outline = paginate(blocks, room)
    return Layout(size, room, blocks, pages, outline, builder.root, fonts.regular, fonts.bold)


def _baseline(top: float, size: float, leading: float) -> float:
    """Distance from the top of a line box down to its baseline, glyphs centred in the box."""
    return top + (leading + size * (ASCENT - DESCENT)) / 2


def page_label(number: int, total: int) -> str:
    return f"Page {number} of {total}"


def _draw_page(canvas: Any, tagger: Tagger, lay: Layout, index: int) -> None:
    width, height = lay.size
    top = height - MARGIN
    page = lay.pages[index]
    canvas.setFillColor(black)
    i = 0
    while i < len(page.rows):
        y, row = page.rows[i]
        piece = row.piece
        if piece.rule:
            with tagger.artifact():
                canvas.setStrokeColor(black)
                canvas.setLineWidth(1.5)
                mid = top - y - row.height / 2
                canvas.line(MARGIN, mid, width - MARGIN, mid)
            i += 1
            continue
        j = i
        while j + 1 < len(page.rows) and page.rows[j + 1][1].piece is piece:
            j += 1
        base = top - _baseline(y, piece.size, piece.leading)
        if row.line == 0 and piece.label and piece.label_node is not None:
            with tagger.marked(piece.label_node):
                text = canvas.beginText()
                text.setTextOrigin(MARGIN, base)
                text.setFont(lay.bold, piece.size, piece.leading)
                text.textOut(piece.label)
                canvas.drawText(text)
        assert piece.node is not None
        with tagger.marked(piece.node):
            text = canvas.beginText()
            text.setTextOrigin(MARGIN + piece.indent, base)
            text.setFont(piece.font, piece.size, piece.leading)
            for _, r in page.rows[i : j + 1]:
                text.textLine(piece.lines[r.line])
            canvas.drawText(text)
        i = j + 1
    with tagger.artifact("Pagination"):
        text = canvas.beginText()
        text.setTextOrigin(MARGIN, MARGIN + DESCENT * BODY_PT)
        text.setFont(lay.regular, BODY_PT, BODY_PT * LINE)
        text.textOut(page_label(index + 1, len(lay.pages)))
        canvas.drawText(text)


def render(lay: Layout, meta: Metadata, fonts: Fonts) -> bytes:
    """Draw every page and tag the result (byte-reproducible: invariant mode, fixed dates)."""
    buf = io.BytesIO()
    # uncompressed here: pikepdf compresses once when finish() saves the tagged result
    canvas = Canvas(buf, pagesize=lay.size, invariant=1, initialFontName=fonts.regular,
                    initialFontSize=BODY_PT, pageCompression=0)
    tagger = Tagger(canvas)
    for index in range(len(lay.pages)):
        _draw_page(canvas, tagger, lay, index)
        canvas.showPage()
    canvas.save()
    return finish(buf.getvalue(), lay.root, meta, lay.outline)


def metadata(doc: Exercise) -> Metadata:
    muscles = [m.name for m in (*doc.muscles.primary, *doc.muscles.secondary)]
    return Metadata(
        title=doc.name,
        lang=doc.language,
        author="kickback-export",
        subject=f"Large print: {doc.summary}",
        keywords=", ".join(["exercise", "large print", doc.level, *muscles, *doc.equipment]),
        creator="kickback-export",
    )


class LargePrintExporter:
    """Large-print A4/Letter PDF (see the module docstring)."""

    name = "large-print"
    description = "Large-print A4/Letter PDF (18 pt and up, tagged), steps never split"
    options = (
        Option("large-print-paper", "paper size of the large-print PDF: a4 or letter", "a4",
               choices=tuple(PAPERS)),
    )

    def export(self, document: Exercise, out_dir: Path, options: Options) -> list[Output]:
        paper = str(options.get("large_print_paper", "a4")).lower()
        if paper not in PAPERS:
            raise LargePrintError(
                f"--large-print-paper: unknown paper '{paper}' (choose {', '.join(PAPERS)})"
            )
        fonts = load_fonts()
        lay = layout(document, paper, fonts)
        data = render(lay, metadata(document), fonts)
        target = out_dir / f"{document.slug}-large-print.pdf"
        fsutil.write_bytes(target, data)
        return [Output(target, "application/pdf")]
