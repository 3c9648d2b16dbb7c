"""The workout sheet's table: its cells, column widths and structure.

Columns: the entry's label, name, sets × reps (or time), tempo, rest and load, its set
number, then weight, reps and RIR for each week of the log. The entry columns take
the width the log leaves, each at least as wide as its header's longest word (and, when
the page has room, its values' longest word), so words are broken only when nothing
else fits; text wraps inside its cell and rows grow to hold it. The header is two rows
(each week spans its three columns); an entry's columns span its set rows. Every cell
is a TH (with /Scope) or a TD (empty for a log cell) carrying /RowSpan and /ColSpan
where merged, so the structure tree is a regular table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...content.phrases import Phrases
from ...content.workout_list import Row, WorkoutText
from . import pdf_page
from .pdf_tagging import Fonts, Node, break_lines, check_text, text_width

PAD = 2.5  # inside each cell
BODY, HEAD_PT, SUB_PT = 9.0, 8.0, 6.5
LEAD = 1.25
SET_H = 18.0  # a log row: room to write a number by hand
LOG_MIN, LOG_MAX = 22.0, 33.0  # a log cell's width, from its header words
TARGET_MAX = 72.0  # … or up to this, from the longest target it prints
SET_W = 20.0
# the entry columns: minimum widths, and shares of what the page has left over
INFO: dict[str, tuple[float, float]] = {
    "label": (22, 0.0), "name": (68, 3.0), "dose": (60, 2.0), "tempo": (46, 2.0),
    "rest": (28, 0.4), "load": (40, 1.2),
}
WORD_MAX = 110.0  # a value's longest word widens its column up to this
LOG_FIELDS = 3  # weight, reps, RIR
DASH = "–"  # a cell with no value (a timed set has no tempo)


@dataclass(eq=False)
class Cell:
    """Text in a cell of a band: from column ``col`` across ``span`` columns, from row
    ``row`` down ``rows`` rows. ``node`` is its TH/TD (None: drawn as an artifact)."""

    node: Node | None
    col: int
    span: int
    row: int
    rows: int
    lines: list[str]
    font: str
    size: float


@dataclass(eq=False)
class Band:
    """Rows drawn together: the header rows, or one entry with its set rows."""

    cells: list[Cell]
    heights: list[float]

    @property
    def height(self) -> float:
        return sum(self.heights)


def widest(font: str, size: float, texts: Sequence[str]) -> float:
    """The width of the longest word in ``texts``, with the cell's padding."""
    return max((text_width(font, w) * size for t in texts for w in t.split()),
               default=0.0) + 2 * PAD


def log_width(fonts: Fonts, words: Sequence[str], targets: Sequence[str] = ()) -> float:
    """A log cell's width: its header words, and the sets' targets when it prints them
    (each on one line where it can: "medium band")."""
    width = min(LOG_MAX, max(LOG_MIN, widest(fonts.regular, SUB_PT, words)))
    whole = max((text_width(fonts.regular, t) * BODY for t in targets), default=0.0) + 2 * PAD
    return max(width, min(TARGET_MAX, whole)) if targets else width


def column_widths(total: float, weeks: int, log_w: float, least: Sequence[float]
            ) -> list[float] | None:
    """Column widths for the text width ``total``, or None when the table cannot fit.
    ``least``: the entry columns' and the set column's minimum widths."""
    spare = total - sum(least) - weeks * LOG_FIELDS * log_w
    if spare < 0:
        return None
    grow = [g for _, g in INFO.values()] + [0.0]
    return [m + spare * g / sum(grow) for m, g in zip(least, grow, strict=True)] + [
        log_w] * (weeks * LOG_FIELDS)


class Table:
    """Builds the table's bands and its structure (under ``root``), checking every
    character it will draw."""

    def __init__(self, text: WorkoutText, fonts: Fonts, ph: Phrases, weeks: int,
                 widths: list[float], root: Node | None = None) -> None:
        self.t, self.fonts, self.ph, self.weeks, self.widths = text, fonts, ph, weeks, widths
        self.root = root or Node("Document")

    def check(self, where: str, value: str) -> str:
        return check_text(self.fonts, where, value) if where else pdf_page.check_words(
            self.fonts, value)

    def cell(self, parent: Node | None, role: str, text: str, col: int, row: int = 0,
             span: int = 1, rows: int = 1, size: float = BODY, bold: bool = False,
             scope: str | None = None) -> Cell:
        font = self.fonts.bold if bold else self.fonts.regular
        width = sum(self.widths[col:col + span]) - 2 * PAD
        node = None
        if parent is not None:
            attrs: dict[str, str | int] = {"O": "Table"}
            if scope:
                attrs["Scope"] = scope
            if rows > 1:
                attrs["RowSpan"] = rows
            if span > 1:
                attrs["ColSpan"] = span
            node = parent.add(role)
            node.attributes = attrs
        lines = break_lines(text, font, size, width) if text else []
        return Cell(node, col, span, row, rows, lines, font, size)

    def header(self, table: Node | None) -> Band:
        """The two header rows: the entry columns and "Set" span both; each week spans
        its weight, reps and RIR columns."""
        ph = self.ph
        tr1 = table.add("TR") if table else None
        titles = self.titles()
        cells = [self.cell(tr1, "TH", t, i, rows=2, size=HEAD_PT, bold=True,
                           scope="Column") for i, t in enumerate(titles)]
        first = len(titles)
        for w in range(self.weeks):
            group = self.t.log[w] if w < len(self.t.log) else ph.pgettext(
                "workout sheet", "Week {n}", n=ph.number(w + 1))
            cells.append(self.cell(tr1, "TH", self.check("", group), first + w * LOG_FIELDS,
                                   span=LOG_FIELDS, size=HEAD_PT, bold=True, scope="Column"))
        tr2 = table.add("TR") if table else None
        for w in range(self.weeks):
            for k, word in enumerate(self.log_words()):
                cells.append(self.cell(tr2, "TH", word, first + w * LOG_FIELDS + k, row=1,
                                       size=SUB_PT, scope="Column"))
        heights = [0.0, 0.0]
        for c in cells:
            if c.rows == 1:
                heights[c.row] = max(heights[c.row], text_h(c))
        tall = max(text_h(c) for c in cells if c.rows == 2)
        heights[1] = max(heights[1], tall - heights[0])
        return Band(cells, heights)

    def titles(self) -> list[str]:
        """The headers of the entry columns and of the set column."""
        ph = self.ph
        return [self.check("", t) for t in (
            ph.pgettext("workout sheet", "Block"), ph.pgettext("workout sheet", "Exercise"),
            ph.pgettext("workout sheet", "Sets × reps"), ph._("Tempo"),
            ph.pgettext("workout sheet", "Rest"), ph.pgettext("workout sheet", "Load"),
            ph.pgettext("workout sheet", "Set"))]

    def least(self, words: bool = False) -> list[float]:
        """Each entry column's and the set column's minimum width: its header's longest
        word fits (a header is not broken inside a word); with ``words``, its values'
        longest word too, up to :data:`WORD_MAX` (a long compound breaks only when the
        page has no room for it)."""
        mins = [m for m, _ in INFO.values()] + [SET_W]
        out = [max(m, widest(self.fonts.bold, HEAD_PT, [t]))
               for m, t in zip(mins, self.titles(), strict=True)]
        if words:
            rows = [r for g in self.t.blocks for r in g.rows]
            for i, values in enumerate(zip(*((r.label, r.name, r.dose, r.tempo, r.rest, r.load)
                                             for r in rows), strict=True)):
                font = self.fonts.bold if i < 2 else self.fonts.regular
                out[i] = max(out[i], min(WORD_MAX, widest(font, BODY, values)))
        return out

    def target_words(self) -> list[str]:
        """Every set's target, as a program's page prints it in its log cells."""
        return [t for g in self.t.blocks for r in g.rows for t in r.targets]

    def log_words(self) -> list[str]:
        ph = self.ph
        return [self.check("", w) for w in (ph.pgettext("workout sheet", "Weight"),
                                            ph.pgettext("workout sheet", "Reps"),
                                            ph.pgettext("workout sheet", "RIR"))]

    def entry(self, table: Node, row: Row) -> Band:
        """An entry: its columns merged down its set rows; each set a row of blank cells."""
        where = f"exercise {row.key}"
        trs = [table.add("TR") for _ in range(row.sets)]
        values = [(row.label, ""), (row.name, f"{where}: name"), (row.dose, ""),
                  (row.tempo, ""), (row.rest, ""), (row.load, f"{where}: load")]
        cells = []
        for i, (value, field_) in enumerate(values):
            role, scope = ("TH", "Row") if i == 1 else ("TD", None)
            cells.append(self.cell(trs[0], role, self.check(field_, value or DASH), i,
                                   rows=row.sets, bold=i < 2, scope=scope))
        for n, tr in enumerate(trs):
            cells.append(self.cell(tr, "TD", self.ph.number(n + 1), len(values), row=n))
            for k in range(self.weeks * LOG_FIELDS):  # a set's target first, if it has one
                target = self.check("", row.targets[k]) if k < len(row.targets) else ""
                cells.append(self.cell(tr, "TD", target, len(values) + 1 + k, row=n))
        tall = max(text_h(c) for c in cells)
        return Band(cells, [max(SET_H, tall / row.sets)] * row.sets)


def text_h(c: Cell) -> float:
    return len(c.lines) * c.size * LEAD + 2 * PAD


__all__ = ["Band", "Cell", "Table", "column_widths", "log_width", "text_h"]
