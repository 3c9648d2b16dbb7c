"""The text model: everything a document says, in the reader's language, as typed blocks.

Like pandoc's document tree: each kind's text builder (``content/<kind>_text.py``,
named by its :class:`~kickback_export.document.kinds.Kind`) makes one
:class:`TextModel` per document and language, and every writer walks it — the web page
and the e-book, large print, braille, the read-aloud — without asking what kind of
document it came from. Besides its ``page``, a document may offer views that a medium
renders in its own way: a cue ``card``, a ``sheet`` to log training on, a spoken
``script`` with timed pauses, a ``book`` of several pages; an exporter renders the
views it knows and otherwise the page.

Words the package adds (headings, labels, units) come from the phrase catalog and are
flagged ``catalog``: in a language without a catalog they read in English, and a page
says so (``lang="en"``). ``field`` names the document field a text came from, so a
character a medium cannot show is reported there ("" for the package's own words).
``id`` values are stable (they depend on the document's structure, not its text), so
an e-book's read-aloud and its page point at the same elements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, Union

if TYPE_CHECKING:
    from ..document.images import Loaded
    from .phrases import Phrases


@dataclass(frozen=True, slots=True)
class Ref:
    """Another document a text names: a link where the medium has its page
    (``available``: its outputs are in the same output folder)."""

    id: str
    kind: str
    available: bool = True


@dataclass(frozen=True, slots=True)
class Heading:
    """A title: level 1 the document's, 2 a part's, 3 a group inside a part."""

    text: str
    level: int
    id: str = ""
    catalog: bool = False
    field: str = ""


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph; ``label`` is the package's words printed before it ("Level:")."""

    text: str
    id: str = ""
    role: str = ""  # what it is ("summary"): its class on a web page; "" for plain prose
    label: str = ""
    catalog: bool = False  # the text itself is the package's words ("About 34 minutes")
    extended: bool = False  # restates what the lists give: condensed media leave it out
    field: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """An item of a list. ``title`` is its name when it has one (a workout entry's
    exercise, linked by ``ref``), ``label`` its own label ("A1"; a numbered list numbers
    the others), ``lead`` a short form for media read at a distance (a step's cue),
    ``detail`` quieter words after the text, ``sub`` a list below it."""

    text: str = ""
    id: str = ""
    label: str = ""
    title: str = ""
    ref: Ref | None = None
    lead: str = ""
    lead_field: str = ""
    detail: str = ""
    detail_role: str = ""
    sub: Items | None = None
    catalog: bool = False  # the text is the package's words (a dose line)
    field: str = ""


@dataclass(frozen=True, slots=True)
class Items:
    """A list; ``name`` labels it for assistive technology when no heading does."""

    items: tuple[Item, ...]
    ordered: bool = False
    role: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class Term:
    """A term and its description. With ``id`` the pair is one element (a prescription's
    "Sets: 3"); otherwise each has its own (``term_id``, ``value_id``: a question and its
    answer)."""

    term: str
    value: str
    id: str = ""
    term_id: str = ""
    value_id: str = ""
    catalog: bool = False  # the term is the package's words
    field: str = ""  # of the value ("term_field" of a question)
    term_field: str = ""


@dataclass(frozen=True, slots=True)
class Terms:
    terms: tuple[Term, ...]
    role: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    """A picture (its alt text is its own), its caption and credit line."""

    picture: Loaded
    number: int  # 1, 2 … in the document: names its file in an output
    id: str = ""
    caption: str = ""
    credit: str = ""

    @property
    def alt(self) -> str:
        return self.picture.alt


@dataclass(frozen=True, slots=True)
class Aside:
    """Text beside the flow (a picture given in words), ``name`` labelling it."""

    text: str
    label: str
    name: str
    id: str = ""
    role: str = ""
    extended: bool = False
    field: str = ""


@dataclass(frozen=True, slots=True)
class Cell:
    text: str = ""
    header: bool = False  # a row's header (the first cell of a row) or a column's
    ref: Ref | None = None
    catalog: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row; a row's first cell may be its header."""

    caption: str
    head: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    id: str = ""
    role: str = ""
    catalog: bool = False  # the caption is the package's words


def linear_rows(table: Table, ph: Phrases) -> list[tuple[str, str]]:
    """A table read row by row where it cannot be shown as a table (braille, large
    print): each row's header and its other cells, each named by its column when the
    row has more than one ("Monday", "Glute day"; "Day 1", "Workout: Rest day; Note: …")."""
    out = []
    for row in table.rows:
        header = " ".join(c.text for c in row if c.header)
        cells = [(h.text, c.text) for h, c in zip(table.head, row, strict=False)
                 if not c.header and c.text]
        if len(cells) == 1:
            out.append((header, cells[0][1]))
        else:
            out.append((header, "; ".join(ph._("{term}: {value}", term=h, value=c)
                                          for h, c in cells)))
    return out


@dataclass(frozen=True, slots=True)
class Part:
    """A part with its heading, or (no heading) a group of blocks; the whole page is one."""

    heading: Heading | None
    blocks: tuple[Block, ...]
    id: str = ""
    role: str = ""


Block = Union[Heading, Para, Items, Terms, Figure, Aside, Table, Part]  # noqa: UP007


def walk(part: Part) -> Iterator[Block]:
    """Every block in reading order, parts before what they hold."""
    for block in part.blocks:
        yield block
        if isinstance(block, Part):
            if block.heading is not None:
                yield block.heading
            yield from walk(block)


@dataclass(frozen=True, slots=True)
class ScheduledDay:
    """A day of a schedule: its week and place in it (from 1), its label as the plan shows
    it ("Monday", "Day 2"), the document's own name for it if any, and its workout's id
    (None: a rest day)."""

    week: int
    day: int
    label: str
    name: str | None = None
    workout: str | None = None
    note: str = ""
    session: TextModel | None = None
    """The day's workout as that week does it (a program's targets); None: as written."""


@dataclass(frozen=True)
class Schedule:
    """Training days in order, and each week's notes (``notes[week - 1]``)."""

    days: tuple[ScheduledDay, ...]
    notes: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class GuideScript:
    """One of several spoken guides a document offers (a program's: one per training day
    of each week): ``stem`` names its files (``<stem>-guide.mp3``), ``title`` its tags."""

    stem: str
    title: str
    script: Any


@dataclass(frozen=True)
class Meta:
    """What a file's metadata says: its ``subject`` and keywords come in the reader's
    language; ``kind_word`` is the catalog's name for the kind ("exercise")."""

    summary: str
    kind_word: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextModel:
    """A document's text (see the module docstring). ``kind`` names its kind for lines
    and the manifest; nothing renders differently by it."""

    id: str
    kind: str
    language: str
    title: str
    page: Part
    meta: Meta
    group: str
    """Where it goes in a book's contents and an index (a muscle; "Workouts")."""
    pictures: tuple[Loaded, ...] = ()
    described: bool = False
    """A picture of it is given in words (an alt text or a description)."""
    card: Any = None
    """A cue card (:class:`~.card.CardText`)."""
    sheet: Any = None
    """A sheet to train from and log on (:class:`~.workout_list.WorkoutText`)."""
    sheets: Any = None
    """Sheets of several workouts printed as one, a page each with its targets (a
    program's training days: :class:`~.workout_list.SheetPages`)."""
    script: Any = None
    """A spoken guide (:class:`~.script.Script`)."""
    book: Any = None
    """An e-book of several pages (:class:`~.program_text.BookText`)."""
    plan: Any = None
    """A guided session's plan (:class:`~kickback_export.document.plan.Plan`): what is
    done, in which order, for how long; an exercise with a dose has a one-block one."""
    schedule: Schedule | None = None
    """The training days of a program."""
    guides: tuple[GuideScript, ...] = ()
    """Spoken guides besides (or instead of) ``script``, each with its own files."""
    uses: tuple[TextModel, ...] = ()
    """The text models of the documents it names, in first-use order."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Views a plug-in kind offers to a plug-in format."""

    @property
    def slug(self) -> str:
        return self.id

    def headings(self) -> tuple[tuple[str, str], ...]:
        """``(anchor, heading)`` of each part (its id, else its heading's), for a detailed
        table of contents."""
        return tuple((b.id or b.heading.id, b.heading.text) for b in self.page.blocks
                     if isinstance(b, Part) and b.heading is not None and (b.id or b.heading.id))

    def figures(self) -> list[Figure]:
        return [b for b in walk(self.page) if isinstance(b, Figure)]


@dataclass(frozen=True)
class Context:
    """What a text builder is given besides its document: the text models of what it
    names (built once per build) and which documents have pages in the output."""

    linked: frozenset[str] | None = None
    """Ids of the documents whose outputs are in the output folder (None: all)."""
    cache: dict[str, TextModel] = field(default_factory=dict)
    weeks: frozenset[int] | None = None
    """The weeks of a program whose sheet pages and guides are made (None: every week)."""

    def available(self, document_id: str) -> bool:
        return self.linked is None or document_id in self.linked

    def text(self, document: Any) -> TextModel:
        """The text model of a document this one names (made once)."""
        key = f"{type(document).__name__}:{document.id}"
        if key not in self.cache:
            self.cache[key] = text_of(document, self)
        return self.cache[key]


def text_of(document: Any, context: Context | None = None) -> TextModel:
    """The text model of a resolved document, built by its kind's text builder."""
    from ..document import kinds

    builder = kinds.get(kinds.kind_of(document)).builder()
    model: TextModel = builder(document, context or Context())
    return model


__all__ = [
    "Aside",
    "Block",
    "Cell",
    "Context",
    "Figure",
    "GuideScript",
    "Heading",
    "Item",
    "Items",
    "Meta",
    "Para",
    "Part",
    "Ref",
    "Table",
    "Term",
    "Terms",
    "TextModel",
    "grouped",
    "linear_rows",
    "text_of",
    "walk",
]


T = TypeVar("T")


def grouped(items: Iterable[T], label: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """Items under their group labels: groups alphabetical (ignoring case), items in
    the order given. A book's contents, an index page and the web index share this order."""
    groups: dict[str, tuple[str, list[T]]] = {}
    for item in items:
        name = label(item)
        groups.setdefault(name.casefold(), (name, []))[1].append(item)
    return [groups[key] for key in sorted(groups)]
