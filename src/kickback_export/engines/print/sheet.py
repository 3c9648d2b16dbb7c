"""The workout sheet: one tagged page (or more) to train from and write the log on.

A header (the workout's name, summary, notes, length, and a date and a notes line to
write on), the warm-up, then a table: each entry's label, name, sets × reps (or time),
tempo, rest and load, and for each of its sets a row of blank log cells (weight, reps,
RIR) for each of ``weeks`` weeks; the cool-down after it. The page turns landscape when
the table is too wide for portrait. Text wraps inside its cell and rows grow to hold
it, so nothing is cut; an entry's rows stay together, and a table that goes on to
another page repeats its header rows there (as a pagination artifact: the structure
tree holds them once).

The table's cells and columns are :mod:`.sheet_table`'s; in the structure tree it is
a real table (Table, TR, TH with /Scope, TD; /RowSpan and /ColSpan where cells are
merged, and empty TDs for the log cells), so a screen reader can move through it by
row and column. Words come from :mod:`.workout_list`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm

from ...content.phrases import Phrases, phrases
from ...content.text import TextModel
from ...content.workout_list import SheetPages, WorkoutText
from ...errors import ContentError, OptionError
from . import pdf_page
from .pdf_tagging import Fonts, Metadata, Node, Tagger, break_lines, text_width
from .sheet_table import BODY, LEAD, PAD, Band, Table, column_widths, log_width

MARGIN = 12 * mm
TITLE_PT = 16.0
DAY_PT = 13.0  # a program's training day: its heading
GAP = 4.0  # between header paragraphs
ASCENT, DESCENT = 0.928, 0.236  # DejaVu Sans, to centre glyphs in a line box


@dataclass(eq=False)
class Para:
    """A header line: text, and optionally a rule after it to write on."""

    node: Node
    lines: list[str]
    font: str
    size: float
    write_on: bool = False
    gap: float = GAP

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEAD + self.gap


@dataclass(eq=False)
class Page:
    items: list[tuple[float, Para | Band, bool]] = field(default_factory=list)  # y, item, tagged


@dataclass(frozen=True)
class Sheet:
    size: tuple[float, float]
    xs: list[float]  # left edge of each column, then the right edge of the last
    pages: list[Page]
    footers: list[str]
    root: Node
    fonts: Fonts
    meta: Metadata
    outline: tuple[tuple[str, int], ...] = ()


def _para(t: Table, role: str, where: str, value: str, size: float = BODY, bold: bool = False,
          write_on: bool = False, width: float = 0.0) -> Para:
    """A header line under the table's root; ``where`` names the field of document text."""
    font = t.fonts.bold if bold else t.fonts.regular
    lines = break_lines(t.check(where, value), font, size, width or sum(t.widths))
    return Para(t.root.add(role), lines, font, size, write_on)


@dataclass(frozen=True)
class _Start:
    """Where a table starts: its header (its first entry must fit below it) and the header
    repeated on each page it goes on to."""

    header: Band
    repeat: Band


BREAK, END = "break", "end"
"""A new page (a program's next training day), and the end of a table."""
Item = Para | Band | _Start | str


def _paginate(items: Sequence[Item], room: float) -> tuple[list[Page], list[int]]:
    """Place items top down; each new page inside a table starts with its ``repeat``.
    Also: the page each :data:`BREAK` led to."""
    pages = [Page()]
    starts: list[int] = []
    y = 0.0
    repeat: Band | None = None
    for k, item in enumerate(items):
        if item == BREAK:
            if pages[-1].items:
                pages.append(Page())
                y = 0.0
            starts.append(len(pages) - 1)
            continue
        if isinstance(item, _Start):
            first = items[k + 1]
            assert isinstance(first, Band)
            if pages[-1].items and y + item.header.height + first.height > room:
                pages.append(Page())
                y = 0.0
            pages[-1].items.append((y, item.header, True))
            y += item.header.height
            repeat = item.repeat
            continue
        if isinstance(item, str):  # the end of the table
            repeat = None
            y += GAP
            continue
        if y + item.height > room and pages[-1].items:
            pages.append(Page())
            y = 0.0
            if repeat is not None:
                pages[-1].items.append((y, repeat, False))
                y += repeat.height
        if y + item.height > room:
            raise ContentError("an entry of the workout is taller than a page of its sheet")
        pages[-1].items.append((y, item, True))
        y += item.height
    return pages, starts


def _widths(probe: Table, fonts: Fonts, paper: str, weeks: int, log_w: float
            ) -> tuple[tuple[float, float], list[float]]:
    """The paper (upright with every word whole, else sideways, else sideways breaking
    long words) and the columns' widths; an OptionError when the log does not fit."""
    least = probe.least()
    size = pdf_page.PAPERS[paper]
    for turn, mins in ((False, probe.least(words=True)), (True, probe.least(words=True)),
                       (True, least)):
        size = landscape(pdf_page.PAPERS[paper]) if turn else pdf_page.PAPERS[paper]
        widths = column_widths(size[0] - 2 * MARGIN, weeks, log_w, mins)
        if widths is not None:
            return size, widths
    most = 1
    while column_widths(size[0] - 2 * MARGIN, most + 1, log_w, least) is not None:
        most += 1
    raise OptionError(f"--log-weeks: {weeks} weeks of log do not fit across the {paper} "
                      f"sheet, even sideways (at most {most})")


def _workout(b: Table, text: WorkoutText, ph: Phrases, head: list[Item]) -> list[Item]:
    """One workout to train from: ``head`` (its title), its notes and length, lines to
    write the date and notes on, the warm-up, the table, the cool-down."""
    items = list(head)
    items += [_para(b, "P", "" if text.log else f"notes[{i}]", note)
              for i, note in enumerate(text.notes)]
    items.append(_para(b, "P", "", text.length))
    width = sum(b.widths)
    for label in (ph._("Date:"), ph._("Notes:")):
        items.append(_para(b, "P", "", label, bold=True, write_on=True,
                           width=min(width, 0.4 * width)))
    for line in (text.framing("warm-up", ph), *(g.line(ph) for g in text.blocks if g.rest)):
        if line:  # what the table's labels do not say: the warm-up, rests between rounds
            items.append(_para(b, "P", "", line))
    table = b.root.add("Table")
    items.append(_Start(b.header(table), b.header(None)))
    for group in text.blocks:
        items += [b.entry(table, row) for row in group.rows]
    items.append(END)
    cool = text.framing("cool-down", ph)
    if cool:
        items.append(_para(b, "P", "", cool))
    return items


def layout(model: TextModel, paper: str = "a4", weeks: int = 4,
           fonts: Fonts | None = None) -> Sheet:
    """Lay out the sheet of a text model that has one (pure: draws nothing): a workout's,
    ``weeks`` of log wide, or its ``sheets`` (a program's: a page for each training day
    with its targets).
    Raises OptionError when the log does not fit across the paper even sideways."""
    from .pdf_tagging import load_fonts

    fonts = fonts or load_fonts()
    sheet = model.sheets if model.sheets is not None else model.sheet
    days = sheet.pages if isinstance(sheet, SheetPages) else (sheet,)
    ph = phrases(sheet.language)
    weeks = len(days[0].log) or weeks if days else weeks
    every = dataclasses.replace(days[0], groups=tuple(g for d in days for g in d.groups))
    probe = Table(every, fonts, ph, weeks, [])
    log_w = log_width(fonts, probe.log_words(), probe.target_words())
    size, widths = _widths(probe, fonts, paper, weeks, log_w)
    root = Node("Document")
    tables = [Table(day, fonts, ph, weeks, widths, root) for day in days]
    items: list[Item] = []
    outline: list[tuple[str, int]] = [(model.title, 0)]
    if isinstance(sheet, SheetPages):
        items.append(_para(tables[0], "H1", "name", sheet.name, TITLE_PT, bold=True))
        items += [_para(tables[0], "P", "", line, bold=True) for line in sheet.lines]
        items.append(_para(tables[0], "P", "summary", sheet.summary))
        for i, (b, day) in enumerate(zip(tables, days, strict=True)):
            items += _workout(b, day, ph, [*([BREAK] if i else []),
                                           _para(b, "H2", "", day.name, DAY_PT, bold=True)])
        subject = " ".join((ph._("Program sheet: {summary}", summary=sheet.summary),
                            *sheet.lines))
        meta = pdf_page.metadata(model, subject, ph.pgettext("PDF keyword", "program sheet"))
    else:
        items = _workout(tables[0], sheet, ph, [
            _para(tables[0], "H1", "name", sheet.name, TITLE_PT, bold=True),
            _para(tables[0], "P", "summary", sheet.summary)])
        meta = pdf_page.metadata(model, ph._("Workout sheet: {summary}", summary=sheet.summary),
                                 ph.pgettext("PDF keyword", "workout sheet"))
    footer_h = BODY * LEAD + GAP
    pages, starts = _paginate(items, size[1] - 2 * MARGIN - footer_h)
    if isinstance(sheet, SheetPages):
        outline += [(day.name, page) for day, page in zip(days, [0, *starts], strict=True)]
    total = ph.number(len(pages))
    footers = [tables[0].check("", ph._("Page {n} of {total}", n=ph.number(n), total=total))
               for n in range(1, len(pages) + 1)]
    xs = [MARGIN]
    for w in widths:
        xs.append(xs[-1] + w)
    return Sheet(size, xs, pages, footers, root, fonts, meta, tuple(outline))


def kind(model: TextModel) -> str:
    """What the sheet's file is called after: ``workout``, or ``sheet`` (a program's)."""
    return "sheet" if model.sheets is not None else "workout"


def _lines(canvas: Any, x: float, top: float, font: str, size: float, lines: list[str]) -> None:
    lead = size * LEAD
    base = top - (lead + size * (ASCENT - DESCENT)) / 2
    pdf_page.text_lines(canvas, x, base, font, size, lead, lines)


def _band(canvas: Any, tagger: Tagger, sheet: Sheet, band: Band, top: float,
          tagged: bool) -> None:
    offsets = [0.0]
    for h in band.heights:
        offsets.append(offsets[-1] + h)
    with tagger.artifact():
        canvas.setLineWidth(0.5)
        for c in band.cells:
            x, y0 = sheet.xs[c.col], top - offsets[c.row + c.rows]
            canvas.rect(x, y0, sheet.xs[c.col + c.span] - x, offsets[c.row + c.rows] -
                        offsets[c.row], stroke=1, fill=0)
    for c in band.cells:
        x, y = sheet.xs[c.col] + PAD, top - offsets[c.row] - PAD
        if tagged and c.node is not None:
            with tagger.marked(c.node):  # a log cell is marked though empty: a TD is kept
                if c.lines:
                    _lines(canvas, x, y, c.font, c.size, c.lines)
        elif c.lines:
            with tagger.artifact("Pagination"):
                _lines(canvas, x, y, c.font, c.size, c.lines)


def _draw(canvas: Any, tagger: Tagger, sheet: Sheet, index: int) -> None:
    height = sheet.size[1]
    for y, item, tagged in sheet.pages[index].items:
        top = height - MARGIN - y
        if isinstance(item, Band):
            _band(canvas, tagger, sheet, item, top, tagged)
            continue
        with tagger.marked(item.node):
            _lines(canvas, MARGIN, top, item.font, item.size, item.lines)
        if item.write_on:
            last = item.lines[-1]
            x = MARGIN + text_width(item.font, last) * item.size + 2 * PAD
            lead = item.size * LEAD
            base = top - (len(item.lines) - 1) * lead - (lead + item.size * (ASCENT - DESCENT)) / 2
            pdf_page.rule(canvas, tagger, 0.5, x, base - 1.5, sheet.xs[-1] - x)
    with tagger.artifact("Pagination", "Footer"):
        _lines(canvas, MARGIN, MARGIN + BODY * LEAD, sheet.fonts.regular, BODY,
               [sheet.footers[index]])


def render(sheet: Sheet) -> bytes:
    """Draw every page and tag the result."""
    return pdf_page.render(sheet.size, sheet.fonts, len(sheet.pages),
                           lambda canvas, tagger, i: _draw(canvas, tagger, sheet, i),
                           sheet.root, sheet.meta, sheet.outline or [(sheet.meta.title, 0)],
                           font_size=BODY)


__all__ = ["Sheet", "kind", "layout", "render"]
