"""A book of several pages as one EPUB 3 e-book: a program's plan, its workouts, its
exercises and an index (:class:`~kickback_export.content.program_text.BookText`).

A coach hands out one book: the plan gives each week as a table, each workout is its own
page (the same text model as its web page), every exercise the book uses follows once
(the same section bytes as in any other e-book, see :mod:`.section`), and an index finds
the exercises by muscle and by equipment. Links between the pages go to each page's
file in the book. Packaging, navigation and accessibility metadata are
:mod:`.package`'s, so the book meets the same checks as every other e-book.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ...content.text import Part, Ref, Table, TextModel
from ...errors import ExportError
from ..web import xhtml
from .narration import narrate
from .package import NavEntry, book_id, package, title_page, utc
from .section import STYLESHEET, TEXT_DIR, Resource, Section, build_section, page_xhtml

WORKOUT_DIR = "workouts"
"""Pages of documents other than exercises live beside ``text/``, so no id names two files."""
BOOK_STYLES = Resource("css-book", "styles/book.css", "text/css", (STYLESHEET + """\
/* Tables (a program's plan): relative units and the reader's colours. */
table { border-collapse: collapse; margin: 1em 0; }
table caption { font-weight: bold; text-align: left; margin: 0 0 0.3em; }
table th, table td { border: 0.06em solid currentColor; padding: 0.2em 0.5em;
  text-align: left; vertical-align: top; }
ul.index ul { margin: 0.2em 0 0.6em; }
""").encode("utf-8"))


def _file(ref: Ref) -> str:
    return f"{TEXT_DIR if ref.kind == 'exercise' else WORKOUT_DIR}/{ref.id}.xhtml"


def _href(ref: Ref) -> str:
    return f"../{_file(ref)}"


@dataclass(frozen=True)
class BookPages:
    """A book's own pages, finished and picklable: ``front`` (the plan, the workouts) goes
    before the exercise sections, ``index`` after them. The exercise sections are given
    when the book is written, so they can be made elsewhere (narrated, in workers)."""

    slug: str
    title: str
    summary: str
    language: str
    front: tuple[Section, ...]
    index: Section
    exercise_ids: tuple[str, ...]
    toc: tuple[NavEntry, NavEntry, NavEntry]
    """The plan's, the workouts' and the index's entries in the contents."""
    words: dict[str, str]
    exercises: tuple[TextModel, ...] = ()
    """The exercises' text models, for the sections no other part of the build makes (a
    program built alone reads its exercises beside it without exporting them)."""


def _page(text: TextModel, page: Part, file_name: str, matter: str = "bodymatter") -> Section:
    data = page_xhtml(text, page, file_name, _href, matter=matter,
                      stylesheet=BOOK_STYLES.file_name)
    title = page.heading.text if page.heading else text.title
    return Section(slug=f"-{file_name.rsplit('/', 1)[-1].removesuffix('.xhtml')}", title=title,
                   language=text.language, group="", file_name=file_name, xhtml=data,
                   stylesheet=BOOK_STYLES, headings=())


def _entries(section: Section, page: Part) -> list[NavEntry]:
    """A page's parts (and captioned tables) in the contents."""
    out: list[NavEntry] = []
    for block in page.blocks:
        if isinstance(block, Part) and block.heading is not None:
            out.append((block.heading.text, f"{section.file_name}#{block.id or block.heading.id}",
                        []))
        elif isinstance(block, Table) and block.id:
            out.append((block.caption, f"{section.file_name}#{block.id}", []))
    return out


def book_pages(text: TextModel) -> BookPages:
    """The pages of ``text``'s book besides its exercises' (see the module docstring)."""
    book = text.book
    front = [_page(text, page.page, page.file) for page in book.front]
    plan_toc: NavEntry = (front[0].title, front[0].file_name,
                          _entries(front[0], book.front[0].page))
    workouts = []
    for w in book.workouts:
        section = build_section(w, _href, _file(Ref(w.id, w.kind)), BOOK_STYLES)
        workouts.append(section)
    toc_workouts: NavEntry = (book.words["workouts"], None, [
        (s.title, s.file_name, [(label, f"{s.file_name}#{ident}", [])
                                for ident, label in s.headings]) for s in workouts])
    index = _page(text, book.index.page, book.index.file, book.index.matter)
    index_toc: NavEntry = (index.title, index.file_name, _entries(index, book.index.page))
    return BookPages(text.slug, text.title, text.meta.summary, text.language,
                     (*front, *workouts), index, tuple(e.slug for e in book.exercises),
                     (plan_toc, toc_workouts, index_toc), dict(book.words),
                     tuple(book.exercises))


def book_sections(book: BookPages, made: Sequence[Section], *, narration: bool = False,
                  speech_workers: int | None = None, engine: str | None = None
                  ) -> list[Section]:
    """The book's exercise sections in its order: those ``made`` for the build's
    exercises, and here the others' (named only through the book's document)."""
    by_id = {s.slug: s for s in made}
    missing = [ex for ex in book.exercises if ex.slug not in by_id]
    if missing:
        sections = [build_section(ex, _href) for ex in missing]
        if narration:
            sections = narrate(missing, sections, speech_workers, engine=engine)
        by_id.update((s.slug, s) for s in sections)
    return [by_id[i] for i in book.exercise_ids if i in by_id]


def write_book_pages(book: BookPages, exercises: Sequence[Section], out_path: Path, *,
                     title: str | None = None, author: str | None = None,
                     modified: datetime | None = None) -> Path:
    """The e-book from the book's pages and its ``exercises`` (a section for each of
    ``book.exercise_ids``, in that order); the title is the document's unless given."""
    if tuple(s.slug for s in exercises) != book.exercise_ids:
        raise ExportError(f"'{book.slug}': its book needs the sections of "
                          f"{', '.join(book.exercise_ids)}, in that order")
    title = xhtml.check_xml(title or book.title, "book title")
    note = book.words["note"]
    if any(s.narration for s in exercises):
        note += " " + book.words["not-narrated"]
    plan_toc, workouts_toc, index_toc = book.toc
    toc: list[NavEntry] = [
        plan_toc, workouts_toc,
        (book.words["exercises"], None, [(s.title, s.file_name, []) for s in exercises]),
        index_toc]
    audience = book.words.get("audience")  # an athlete's book says whose it is
    titlepage = title_page(title, author, book.language, len(exercises), book.summary,
                           book.words["counts"], audience)
    return package(
        exercises, out_path, title=title, author=author,
        identifier=book_id("program", book.slug, *book.exercise_ids),
        modified=utc(modified), toc=toc, titlepage=titlepage,
        language=book.language, front=book.front, index=book.index, note=note,
        audience=audience)


def write_book_of(text: TextModel, out_path: Path, *, modified: datetime | None = None,
                  narration: bool = False, speech_workers: int | None = None,
                  engine: str | None = None) -> Path:
    """The document's e-book written to ``out_path`` (the ``epub`` format of a program).
    With ``narration`` the exercises are read aloud, as in every other e-book."""
    pages = book_pages(text)
    sections = book_sections(pages, [], narration=narration, speech_workers=speech_workers,
                             engine=engine)
    return write_book_pages(pages, sections, out_path, modified=modified)


__all__ = ["BookPages", "book_pages", "book_sections", "write_book_of", "write_book_pages"]
