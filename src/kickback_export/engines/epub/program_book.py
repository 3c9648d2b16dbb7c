"""A training program as one EPUB 3 e-book: its plan, its workouts, its exercises, an index.

A coach hands out one book: the plan gives each week as a table of days and workouts,
each workout lists its blocks as the workout plan labels them (A, B1, B2…) with the
dose and rest of every entry and a link to the exercise, every exercise the program
uses follows once (the same section bytes as in any other e-book, see
:mod:`.epub_section`), and an index finds the exercises by muscle and by equipment.
The program's pages are built here; packaging, navigation and accessibility metadata
are :mod:`.epub_package`'s, so the book meets the same checks as every other e-book.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ...content.phrases import Phrases, cap, phrases
from ...content.prescription import dose_lines
from ...content.workout_plan import PlanBlock, PlanEntry, plan
from ...document.model import Exercise
from ...document.workout import ResolvedProgram, ResolvedWorkout, Week
from ...errors import ExportError
from ..web import xhtml
from .narration import narrate
from .package import NavEntry, _identifier, _package, utc
from .section import STYLESHEET_NAME, TEXT_DIR, Resource, Section, build_section

PLAN_NAME = "program/plan.xhtml"
INDEX_NAME = "program/index.xhtml"
WORKOUT_DIR = "workouts"
"""The program's pages live beside ``text/`` (exercises), so no id can name two files."""
STYLESHEET_HREF = f"../{STYLESHEET_NAME}"
PROGRAM_STYLES = Resource("css-program", "styles/program.css", "text/css", b"""\
/* The plan's tables and the workouts' doses, beside the exercises' stylesheet;
   relative units and the reader's colours. */
table.plan { border-collapse: collapse; margin: 1em 0; }
table.plan caption { font-weight: bold; text-align: left; margin: 0 0 0.3em; }
table.plan th, table.plan td { border: 0.06em solid currentColor; padding: 0.2em 0.5em;
  text-align: left; vertical-align: top; }
p.entry { margin: 0.6em 0 0.2em; }
p.dose { margin: 0.1em 0 0.1em 1.5em; }
ul.index ul { margin: 0.2em 0 0.6em; }
""")

Say = Callable[[Phrases], str]
"""A wording, asked of the book's language and of English (to mark untranslated words)."""


class _Page:
    """One page of the program: the builder, its language's phrases and the root."""

    def __init__(self, where: str, language: str, title: str, matter: str,
                 stylesheet: str = STYLESHEET_HREF) -> None:
        self.b = xhtml.Builder(where, language)
        self.ph = phrases(language)
        self.language = language
        self._english = xhtml.words_in_english(language)
        self.html, self.body = xhtml.root(language, self.b.text(title), stylesheet)
        self.body.set("epub:type", matter)
        head = self.html[0]
        ET.SubElement(head, "link", {"rel": "stylesheet", "type": "text/css",
                                     "href": stylesheet.replace(STYLESHEET_NAME,
                                                                PROGRAM_STYLES.file_name)})

    def el(self, parent: ET.Element, tag: str, text: str | None = None, **attrs: str
           ) -> ET.Element:
        return self.b.el(parent, tag, text, **attrs)

    def say(self, parent: ET.Element, tag: str, words: Say, **attrs: str) -> ET.Element:
        """Wording the book adds; marked English in a language without a catalog."""
        text = words(self.ph)
        node = self.el(parent, tag, text, **attrs)
        if self._english and text == words(phrases("en")):
            self.b.lang(node, "en")
        return node

    def chapter(self, ident: str, heading: Say, kind: str = "chapter",
                role: str = "doc-chapter") -> ET.Element:
        sec = self.el(self.body, "section", epub__type=kind, role=role, aria_labelledby=ident)
        self.say(sec, "h1", heading, id=ident)
        return sec

    def section(self, slug: str, title: str, file_name: str) -> Section:
        return Section(slug=slug, title=title, language=self.language, group="",
                       file_name=file_name, xhtml=xhtml.serialise(self.html),
                       stylesheet=PROGRAM_STYLES, headings=())
        # The exercises' stylesheet, linked too, comes with the exercise sections.


def _exercise_href(slug: str) -> str:
    return f"../{TEXT_DIR}/{slug}.xhtml"


def _workout_file(workout_id: str) -> str:
    return f"{WORKOUT_DIR}/{workout_id}.xhtml"


def _day(n: int) -> Say:
    return lambda ph: ph._("Day {n}", n=ph.number(n))


def _round_rest(seconds: float) -> Say:
    return lambda ph: ph._("Rest {time} between rounds", time=ph.seconds(seconds, short=True))


# --- the plan ------------------------------------------------------------------------------


def _week_table(page: _Page, parent: ET.Element, n: int, week: Week,
                workouts: dict[str, ResolvedWorkout]) -> None:
    """Days × workout, with a note column when a day of the week has a note."""
    table = page.el(parent, "table", id=f"week-{n}", class_="plan")
    page.say(table, "caption", lambda ph: ph._("Week {n}", n=ph.number(n)))
    row = page.el(page.el(table, "thead"), "tr")
    page.say(row, "th", lambda ph: ph._("Day"), scope="col")
    page.say(row, "th", lambda ph: ph._("Workout"), scope="col")
    noted = any(d.note for d in week.days)
    if noted:
        page.say(row, "th", lambda ph: ph._("Note"), scope="col")
    body = page.el(table, "tbody")
    for k, day in enumerate(week.days, 1):
        row = page.el(body, "tr")
        if day.name:
            page.el(row, "th", day.name, scope="row")
        else:
            page.say(row, "th", _day(k), scope="row")
        cell = page.el(row, "td")
        if day.workout:
            page.el(cell, "a", workouts[day.workout].name,
                    href=f"../{_workout_file(day.workout)}")
        else:
            page.say(cell, "span", lambda ph: ph._("Rest day"))
        if noted:
            page.el(row, "td", day.note or "")
    if week.notes:
        notes = page.el(parent, "ul", class_="notes",
                        aria_label=page.ph._("Notes for week {n}", n=page.ph.number(n)))
        for note in week.notes:
            page.el(notes, "li", note)


def _plan_page(p: ResolvedProgram) -> tuple[Section, NavEntry]:
    page = _Page(f"program '{p.slug}'", p.language, p.name, "bodymatter")
    sec = page.chapter("plan", lambda ph: ph._("Plan"))
    page.el(sec, "p", p.program.summary, class_="summary")
    weeks: list[NavEntry] = []
    for n, week in enumerate(p.program.weeks, 1):
        _week_table(page, sec, n, week, dict(p.workouts))
        weeks.append((page.ph._("Week {n}", n=page.ph.number(n)), f"{PLAN_NAME}#week-{n}", []))
    return page.section("-plan", page.ph._("Plan"), PLAN_NAME), (
        page.ph._("Plan"), PLAN_NAME, weeks)


# --- the workouts ----------------------------------------------------------------------------


def _block_heading(block: PlanBlock) -> Say:
    label, rounds = block.label, block.rounds
    if block.kind == "warm-up":
        return lambda ph: ph._("Warm-up")
    if block.kind == "cool-down":
        return lambda ph: ph._("Cool-down")
    if block.kind == "superset":
        return lambda ph: ph._("Block {label}: superset", label=label)
    if block.kind == "circuit":
        return lambda ph: ph.ngettext("Block {label}: circuit of {n} round",
                                      "Block {label}: circuit of {n} rounds", rounds,
                                      label=label)
    return lambda ph: ph._("Block {label}", label=label)


def _entry_lines(block: PlanBlock, i: int, ph: Phrases) -> list[str]:
    """The dose of one entry, and what follows it inside its block."""
    e = block.entries[i]
    if e.exercise is None:  # a timed warm-up item
        return [ph.seconds(e.prescription.work_seconds)]
    lines = dose_lines(e.prescription, ph)
    if block.kind not in ("superset", "circuit"):  # the last line: rest between sets
        return lines if e.prescription.sets > 1 else lines[:-1]
    lines = lines[:-1]
    if i + 1 < len(block.entries) and e.rest_after:
        lines.append(ph._("Then {time} to move to {label}",
                          time=ph.seconds(e.rest_after, short=True),
                          label=block.entries[i + 1].label))
    elif block.kind == "superset" and block.rounds > 1 and e.rest_after:
        lines.append(ph._("Then rest {time} before the next round",
                          time=ph.seconds(e.rest_after, short=True)))
    return lines


def _entry(page: _Page, parent: ET.Element, block: PlanBlock, i: int, wid: str) -> None:
    e: PlanEntry = block.entries[i]
    li = page.el(parent, "li", id=f"{wid}-entry-{e.key}")
    name = page.el(li, "p", class_="entry")
    if e.label:
        page.el(name, "span", e.label, class_="label").tail = " "
    if e.exercise is None:
        page.el(name, "span", e.name)
    else:
        page.el(name, "a", e.name, href=_exercise_href(e.exercise.slug))
    for line in _entry_lines(block, i, page.ph):
        page.el(li, "p", line, class_="dose")


def _workout_page(w: ResolvedWorkout) -> tuple[Section, NavEntry]:
    """The workout's blocks in order, each entry with its dose and a link to its exercise."""
    file = _workout_file(w.slug)
    page = _Page(f"workout '{w.slug}'", w.language, w.name, "bodymatter")
    the_plan = plan(w)
    sec = page.chapter(w.slug, lambda ph: w.name)
    page.el(sec, "p", w.workout.summary, class_="summary")
    minutes = the_plan.minutes
    page.say(sec, "p", lambda ph: ph.ngettext("About {n} minute", "About {n} minutes",
                                              minutes), class_="length")
    blocks: list[NavEntry] = []
    for block in the_plan.blocks:
        ident = f"{w.slug}-block-{block.key}"
        part = page.el(sec, "section", id=ident, aria_labelledby=f"{ident}-h")
        heading = _block_heading(block)
        page.say(part, "h2", heading, id=f"{ident}-h")
        blocks.append((heading(page.ph), f"{file}#{ident}", []))
        listing = page.el(part, "ol" if block.kind in ("superset", "circuit") else "ul",
                          class_="block")
        for i in range(len(block.entries)):
            _entry(page, listing, block, i, w.slug)
        if block.kind == "circuit" and block.rounds > 1 and block.round_rest:
            page.say(part, "p", _round_rest(block.round_rest), class_="dose")
    if w.workout.notes:
        ident = f"{w.slug}-notes"
        part = page.el(sec, "section", id=ident, aria_labelledby=f"{ident}-h")
        page.say(part, "h2", lambda ph: ph._("Notes"), id=f"{ident}-h")
        notes = page.el(part, "ul", class_="notes")
        for note in w.workout.notes:
            page.el(notes, "li", note)
    return page.section(f"-w-{w.slug}", w.name, file), (w.name, file, blocks)


# --- the index -------------------------------------------------------------------------------


def _index_group(page: _Page, parent: ET.Element, ident: str, heading: Say,
                 pairs: Sequence[tuple[str, Exercise]]) -> NavEntry | None:
    """Terms (a muscle, a piece of equipment) alphabetically, each with its exercises."""
    if not pairs:
        return None
    part = page.el(parent, "section", id=ident, aria_labelledby=f"{ident}-h")
    page.say(part, "h2", heading, id=f"{ident}-h")
    terms = page.el(part, "ul", class_="index")
    for term, members in xhtml.grouped(pairs, lambda pair: cap(pair[0])):
        li = page.el(terms, "li")
        page.el(li, "span", term, class_="term")
        links = page.el(li, "ul")
        for slug, ex in {ex.slug: ex for _, ex in members}.items():
            page.el(page.el(links, "li"), "a", ex.name, href=_exercise_href(slug))
    return heading(page.ph), f"{INDEX_NAME}#{ident}", []


def _index_page(p: ResolvedProgram, exercises: Sequence[Exercise]) -> tuple[Section, NavEntry]:
    page = _Page(f"program '{p.slug}'", p.language, p.name, "backmatter")
    sec = page.chapter("index", lambda ph: ph._("Index"), "index", "doc-index")
    muscles = [(m.name, ex) for ex in exercises if ex.muscles
               for m in (*ex.muscles.primary, *ex.muscles.secondary)]
    equipment = [(item, ex) for ex in exercises for item in ex.equipment]
    groups = [_index_group(page, sec, "by-muscle", lambda ph: ph._("By muscle"), muscles),
              _index_group(page, sec, "by-equipment", lambda ph: ph._("By equipment"),
                           equipment)]
    return page.section("-index", page.ph._("Index"), INDEX_NAME), (
        page.ph._("Index"), INDEX_NAME, [g for g in groups if g])


# --- the book --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramBook:
    """A program's own pages, finished and picklable: ``front`` (plan, workouts) goes
    before the exercise sections, ``index`` after them. The exercise sections are given
    when the book is written, so they can be made elsewhere (narrated, in workers)."""

    slug: str
    title: str
    summary: str
    language: str
    front: tuple[Section, ...]
    index: Section
    exercise_ids: tuple[str, ...]
    """The exercises the book holds, in first-use order."""
    toc: tuple[NavEntry, NavEntry, NavEntry]
    """The plan's, the workouts' and the index's entries in the contents."""
    weeks: int
    exercises: tuple[Exercise, ...] = ()
    """The exercise documents, for the sections no other part of the build makes (a
    program built alone reads its exercises beside it without exporting them)."""


def build_pages(p: ResolvedProgram) -> ProgramBook:
    """The plan, the workouts and the index of ``p``."""
    exercises = list(p.exercises().values())
    plan_page, plan_toc = _plan_page(p)
    workouts = [_workout_page(p.workouts[wid]) for wid in p.program.workout_ids()]
    index, index_toc = _index_page(p, exercises)
    heading = phrases(p.language)._("Workouts")
    return ProgramBook(p.slug, p.name, p.program.summary, p.language,
                       (plan_page, *(page for page, _ in workouts)), index,
                       tuple(ex.slug for ex in exercises),
                       (plan_toc, (heading, None, [entry for _, entry in workouts]), index_toc),
                       len(p.program.weeks), tuple(exercises))


def book_sections(book: ProgramBook, made: Sequence[Section], *, narration: bool = False,
                  speech_workers: int | None = None, engine: str | None = None
                  ) -> list[Section]:
    """The book's exercise sections in its order: those ``made`` for the build's
    exercises, and here the others' (named only through the program)."""
    by_id = {s.slug: s for s in made}
    missing = [ex for ex in book.exercises if ex.slug not in by_id]
    if missing:
        sections = [build_section(ex) for ex in missing]
        if narration:
            sections = narrate(missing, sections, speech_workers, engine=engine)
        by_id.update((s.slug, s) for s in sections)
    return [by_id[i] for i in book.exercise_ids if i in by_id]


def _title_page(book: ProgramBook, title: str, author: str | None) -> bytes:
    page = _Page(f"program '{book.slug}'", book.language, title, "frontmatter",
                 STYLESHEET_NAME)  # beside the package document
    sec = page.el(page.body, "section", epub__type="titlepage", class_="titlepage",
                  aria_labelledby="book-title")
    page.el(sec, "h1", title, id="book-title")
    if author:
        page.el(sec, "p", author, class_="author")
    page.el(sec, "p", book.summary, class_="summary")
    page.say(sec, "p", _counts(book.weeks, len(book.front) - 1, len(book.exercise_ids)),
             class_="count")
    return xhtml.serialise(page.html)


def _counts(weeks: int, workouts: int, exercises: int) -> Say:
    return lambda ph: ph.join([ph.ngettext("{n} week", "{n} weeks", weeks),
                               ph.ngettext("{n} workout", "{n} workouts", workouts),
                               ph.ngettext("{n} exercise", "{n} exercises", exercises)])


def write_program_book(book: ProgramBook, exercises: Sequence[Section], out_path: Path, *,
                       title: str | None = None, author: str | None = None,
                       modified: datetime | None = None) -> Path:
    """The e-book from the program's pages and its ``exercises`` (a section for each of
    ``book.exercise_ids``, in that order); the title is the program's name unless given."""
    if tuple(s.slug for s in exercises) != book.exercise_ids:
        raise ExportError(f"program '{book.slug}': its book needs the sections of "
                          f"{', '.join(book.exercise_ids)}, in that order")
    title = xhtml.check_xml(title or book.title, "book title")
    ph = phrases(book.language)
    note = ph._("The plan gives each week as a table with a caption and header cells, each "
                "workout lists its blocks with links to the exercises, and an index lists "
                "the exercises by muscle and by equipment.")
    if any(s.narration for s in exercises):
        note += " " + ph._("The plan, the workouts and the index are not read aloud.")
    plan_toc, workouts_toc, index_toc = book.toc
    toc: list[NavEntry] = [
        plan_toc, workouts_toc,
        (ph._("Exercises"), None, [(s.title, s.file_name, []) for s in exercises]), index_toc]
    return _package(
        exercises, out_path, title=title, author=author,
        identifier=_identifier("program", book.slug, *book.exercise_ids),
        modified=utc(modified), toc=toc, titlepage=_title_page(book, title, author),
        language=book.language, front=book.front, index=book.index, note=note)


def program_book(p: ResolvedProgram, out_path: Path, *, modified: datetime | None = None,
                 narration: bool = False, speech_workers: int | None = None,
                 engine: str | None = None) -> Path:
    """The program's e-book written to ``out_path`` (the ``epub`` format of a program).
    With ``narration`` the exercises are read aloud, as in every other e-book."""
    exercises = list(p.exercises().values())
    sections = [build_section(ex) for ex in exercises]
    if narration:
        sections = narrate(exercises, sections, speech_workers, engine=engine)
    return write_program_book(build_pages(p), sections, out_path, modified=modified)
