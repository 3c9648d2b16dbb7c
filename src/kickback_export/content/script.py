"""Spoken views of a text model: what a guide says, laid out on a timeline once its
speech has been measured.

A :class:`Script` says which sentences it speaks (known before synthesis: what is said
never depends on how long it takes to say) and lays out its timeline from their
measured lengths. The audio engine renders any script the same way; which script a
document has is its text model's business: an exercise's guided sets, a workout's
session on its plan's clock, or any page read aloud element by element
(:class:`ReadAloud`, the EPUB narration).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .guided import lay_out_guide
from .text import Aside, Figure, Heading, Items, Para, Part, Table, Terms, TextModel
from .timeline import (
    Narration,
    SpeechDuration,
    TimelineOptions,
    lay_out_reading,
    recorded,
)
from .track import Timeline

if TYPE_CHECKING:
    from ..document.plan import Plan


class Script(Protocol):
    """A spoken view of a document."""

    def texts(self, options: TimelineOptions) -> list[str]:
        """Every distinct sentence, in first-use order."""

    def timeline(self, options: TimelineOptions, seconds: SpeechDuration) -> Timeline:
        """The laid-out timeline, each sentence taking ``seconds(text)``."""


@dataclass(frozen=True, slots=True)
class Spoken:
    """One element of a page as it is read aloud: its id, what is said (a label on its
    own, then the text), its role, and the chapter it opens (``(id, title)``)."""

    id: str | None
    pieces: tuple[str, ...]
    role: str
    chapter: tuple[str, str] | None = None


def _item_pieces(items: Items) -> Iterator[tuple[str, ...]]:
    for item in items.items:
        own = (item.label, item.title, item.text + item.detail)
        subs = [p for sub in ([item.sub] if item.sub else []) for ps in _item_pieces(sub)
                for p in ps]
        yield tuple(p for p in (*own, *subs) if p)


def _spoken(block: Any, chapter: tuple[str, str] | None) -> Iterator[Spoken]:
    if isinstance(block, Heading):
        role = {1: "name", 2: "heading"}.get(block.level, "subheading")
        yield Spoken(block.id or None, (block.text,), role, chapter)
    elif isinstance(block, Para):
        pieces: tuple[str, ...] = (block.label, block.text) if block.label else (block.text,)
        yield Spoken(block.id or None, pieces, block.role or "paragraph")
    elif isinstance(block, Items):
        for item, pieces in zip(block.items, _item_pieces(block), strict=True):
            yield Spoken(item.id or None, pieces, block.role or "item")
    elif isinstance(block, Terms):
        for term in block.terms:
            if term.id or not (term.term_id or term.value_id):
                yield Spoken(term.id or None, (term.term, term.value), block.role or "term")
            else:
                yield Spoken(term.term_id or None, (term.term,), "question")
                yield Spoken(term.value_id or None, (term.value,), "answer")
    elif isinstance(block, Figure):
        yield Spoken(block.id or None, tuple(p for p in (block.caption, block.credit) if p),
                     "figure")
    elif isinstance(block, Aside):
        yield Spoken(block.id or None, (block.label, block.text), block.role or "aside")
    elif isinstance(block, Table):
        cells = [c.text for row in (block.head, *block.rows) for c in row if c.text]
        yield Spoken(block.id or None, tuple(p for p in (block.caption, *cells) if p), "table")


def reading(page: Part) -> list[Spoken]:
    """Every element of the page in reading order, as it is read aloud; each part with a
    heading opens a chapter named by it."""
    out: list[Spoken] = []

    def visit(part: Part) -> None:
        for block in part.blocks:
            if isinstance(block, Part):
                if block.heading is not None:
                    out.extend(_spoken(block.heading, (block.id or block.heading.id,
                                                       block.heading.text)))
                visit(block)
            else:
                out.extend(_spoken(block, None))

    if page.heading is not None:
        out.extend(_spoken(page.heading, None))
    visit(page)
    return out


@dataclass(frozen=True)
class ReadAloud:
    """A page read aloud as shown, element by element (the EPUB read-aloud)."""

    text: TextModel

    def _lay_out(self, options: TimelineOptions, seconds: SpeechDuration,
                 check: bool) -> Timeline:
        meta = {"id": self.text.id, "title": self.text.title, "language": self.text.language}
        return lay_out_reading(reading(self.text.page), meta, seconds, options, check)

    def texts(self, options: TimelineOptions) -> list[str]:
        return recorded(lambda seconds: self._lay_out(options, seconds, False))

    def timeline(self, options: TimelineOptions, seconds: SpeechDuration) -> Timeline:
        return self._lay_out(options, seconds, True)


@dataclass(frozen=True)
class Guide:
    """An exercise's spoken guide: introduction, technique, guided sets."""

    narration: Narration

    def texts(self, options: TimelineOptions) -> list[str]:
        return recorded(lambda seconds: lay_out_guide(self.narration, seconds, options, False))

    def timeline(self, options: TimelineOptions, seconds: SpeechDuration) -> Timeline:
        return lay_out_guide(self.narration, seconds, options)


@dataclass(frozen=True)
class Opening:
    """What a session says before its own opening (a program's day: "Week 3, Monday." and
    the day's targets), how its loads are said (printed words → spoken words: "70 kg" →
    "70 kilograms"), and the guide's id and title (default: the workout's)."""

    sentences: tuple[str, ...] = ()
    spoken: dict[str, str] = field(default_factory=dict)
    id: str = ""
    title: str = ""


@dataclass(frozen=True)
class Session:
    """A workout's guided session on its plan's clock; ``titles`` are its blocks' titles
    as every output words them; ``opening``: what a program's day adds."""

    plan: Plan
    titles: dict[str, str]
    opening: Opening | None = None

    def texts(self, options: TimelineOptions) -> list[str]:
        from .workout_timeline import lay_out_session

        return recorded(lambda seconds: lay_out_session(self.plan, self.titles, seconds,
                                                        options, False, self.opening))

    def timeline(self, options: TimelineOptions, seconds: SpeechDuration) -> Timeline:
        from .workout_timeline import lay_out_session

        return lay_out_session(self.plan, self.titles, seconds, options, True, self.opening)


def spoken_script(text: TextModel, options: TimelineOptions) -> Script:
    """The script a timeline is laid out from: the page read aloud when ``options`` asks
    for it (or the document has no script of its own), else its own."""
    script: Script | None = text.script
    return ReadAloud(text) if options.read_aloud or script is None else script


__all__: Sequence[str] = ["Guide", "Opening", "ReadAloud", "Script", "Session", "Spoken",
                          "reading", "spoken_script"]
