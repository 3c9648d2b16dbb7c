"""A program's text model: its plan as a page, its e-book, its training days (the
``program`` kind's text builder).

The plan gives its progression in words, then each week as a table of days and workouts
(a caption, a header row, each day's name as its row's header), the week's targets as a
table (:mod:`.program_targets`) and the week's notes. The e-book a coach hands out is
:class:`BookText`: the plan, then each workout's own page (the same text model its web
page is made from), every exercise the program uses once, and an index that finds the
exercises by muscle and by equipment. Each training day of each week is a workout as that
week does it (:mod:`.program_days`): its pages are the ``sheets``, its guides the
``guides`` (for the weeks ``--weeks`` asks for), and the ``schedule`` holds every one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..document.workout import ResolvedProgram, Week
from ..errors import ContentError
from .phrases import Phrases, cap, phrases
from .program_days import Day, days
from .program_targets import progression_part, targets_table
from .text import (
    Block,
    Cell,
    Context,
    GuideScript,
    Heading,
    Item,
    Items,
    Meta,
    Para,
    Part,
    Ref,
    Schedule,
    ScheduledDay,
    Table,
    TextModel,
    grouped,
)
from .workout_list import SheetPages


@dataclass(frozen=True)
class BookPage:
    """A page of a book besides its documents' own: its file, title and text."""

    file: str
    title: str
    page: Part
    matter: str = "bodymatter"  # or "backmatter" (an index)


@dataclass(frozen=True)
class BookText:
    """An e-book of several pages: ``front`` pages (the plan), then the ``workouts``' and
    the ``exercises``' own pages, then the ``index``. ``words`` are the book's own:
    the contents' group labels (``workouts``, ``exercises``), the title page's
    ``counts``, the accessibility summary's ``note`` and ``not-narrated``."""

    front: tuple[BookPage, ...]
    workouts: tuple[TextModel, ...]
    exercises: tuple[TextModel, ...]
    index: BookPage
    words: dict[str, str]


def _week(ph: Phrases, n: int, week: Week, workouts: dict[str, str],
          context: Context, targets: Table | None = None, deload: bool = False) -> list[Block]:
    """Days × workout, with a note column when a day of the week has a note; then the
    week's targets (a program with a progression)."""
    noted = any(d.note for d in week.days)
    head = [Cell(ph._("Day"), True, catalog=True), Cell(ph._("Workout"), True, catalog=True)]
    if noted:
        head.append(Cell(ph._("Note"), True, catalog=True))
    rows = []
    for k, day in enumerate(week.days, 1):
        row = [Cell(day.name, True) if day.name else
               Cell(ph._("Day {n}", n=ph.number(k)), True, catalog=True)]
        if day.workout:
            row.append(Cell(workouts[day.workout], ref=Ref(day.workout, "workout",
                                                           context.available(day.workout))))
        else:
            row.append(Cell(ph._("Rest day"), catalog=True))
        if noted:
            row.append(Cell(day.note or ""))
        rows.append(tuple(row))
    caption = (ph._("Week {n}: deload", n=ph.number(n)) if deload else
               ph._("Week {n}", n=ph.number(n)))
    out: list[Block] = [Table(caption, tuple(head), tuple(rows), f"week-{n}", "plan",
                              catalog=True)]
    if targets is not None:
        out.append(targets)
    if week.notes:
        out.append(Items(tuple(Item(note, field=f"weeks[{n - 1}].notes[{i}]")
                               for i, note in enumerate(week.notes)), role="notes",
                         name=ph._("Notes for week {n}", n=ph.number(n))))
    return out


def _plan(p: ResolvedProgram, ph: Phrases, context: Context, days: list[Day]) -> list[Block]:
    names = {i: w.name for i, w in p.workouts.items()}
    prog = p.progression
    blocks: list[Block] = [Para(p.program.summary, role="summary", field="summary")]
    if prog.rules or prog.deload or prog.athlete:
        blocks.append(progression_part(p, ph, context))
    for n, week in enumerate(p.program.weeks, 1):
        table = targets_table(p, n, [d for d in days if d.week == n], ph) if prog.rules else None
        blocks += _week(ph, n, week, names, context, table, n in prog.deload)
    return blocks


def _index(exercises: Sequence[TextModel], sources: dict[str, object], ph: Phrases) -> Part:
    """Terms (a muscle, a piece of equipment) alphabetically, each with its exercises."""
    from ..document.model import Exercise

    muscles: list[tuple[str, TextModel]] = []
    equipment: list[tuple[str, TextModel]] = []
    for model in exercises:
        ex = sources[model.id]
        assert isinstance(ex, Exercise)
        if ex.muscles:
            muscles += [(m.name, model) for m in (*ex.muscles.primary, *ex.muscles.secondary)]
        equipment += [(item, model) for item in ex.equipment]
    parts: list[Block] = []
    for ident, heading, pairs in (("by-muscle", ph._("By muscle"), muscles),
                                  ("by-equipment", ph._("By equipment"), equipment)):
        if not pairs:
            continue
        terms = tuple(
            Item(title=term, sub=Items(tuple(
                Item(title=m.title, ref=Ref(m.id, m.kind))
                for m in {m.id: m for _, m in members}.values())))
            for term, members in grouped(pairs, lambda pair: cap(pair[0])))
        parts.append(Part(Heading(heading, 2, f"{ident}-h", catalog=True),
                          (Items(terms, role="index"),), ident))
    return Part(Heading(ph._("Index"), 1, "index", catalog=True), tuple(parts), role="index")


def schedule(p: ResolvedProgram, ph: Phrases, days: list[Day] | None = None) -> Schedule:
    """Every day of every week in order, labelled as the plan labels it, each training
    day with its workout as that week does it."""
    sessions = {(d.week, d.day): d.model for d in days or ()}
    out = tuple(
        ScheduledDay(n, k, day.name or ph._("Day {n}", n=ph.number(k)), day.name,
                     day.workout, day.note or "", sessions.get((n, k)))
        for n, week in enumerate(p.program.weeks, 1) for k, day in enumerate(week.days, 1))
    return Schedule(out, tuple(tuple(w.notes) for w in p.program.weeks))


def _chosen(p: ResolvedProgram, days: list[Day], context: Context) -> list[Day]:
    """The days of the weeks asked for (``--weeks``); a ContentError when the program has
    none of them."""
    if context.weeks is None:
        return days
    chosen = [d for d in days if d.week in context.weeks]
    if not chosen:
        asked = ", ".join(str(w) for w in sorted(context.weeks))
        raise ContentError(f"--weeks {asked}: '{p.id}' has {len(p.program.weeks)} week(s)")
    return chosen


def text(p: ResolvedProgram, context: Context | None = None) -> TextModel:
    """The program's text model (see the module docstring)."""
    context = context or Context()
    ph = phrases(p.language)
    workouts = tuple(context.text(p.workouts[i]) for i in p.program.workout_ids())
    sources = p.exercises()
    exercises = tuple(context.text(ex) for ex in sources.values())
    all_days = days(p, ph, context)
    plan = _plan(p, ph, context, all_days)
    chosen = _chosen(p, all_days, context)
    athlete = ph._("For {name}", name=p.athlete.name) if p.athlete else ""
    weeks, count_w, count_e = len(p.program.weeks), len(workouts), len(exercises)
    words = {
        "workouts": ph._("Workouts"), "exercises": ph._("Exercises"),
        "counts": ph.join([ph.ngettext("{n} week", "{n} weeks", weeks),
                           ph.ngettext("{n} workout", "{n} workouts", count_w),
                           ph.ngettext("{n} exercise", "{n} exercises", count_e)]),
        "note": ph._("The plan gives each week as a table with a caption and header cells, "
                     "each workout lists its blocks with links to the exercises, and an "
                     "index lists the exercises by muscle and by equipment."),
        "not-narrated": ph._("The plan, the workouts and the index are not read aloud."),
        **({"audience": athlete} if athlete else {}),
    }
    book = BookText(
        (BookPage("program/plan.xhtml", ph._("Plan"),
                  Part(Heading(ph._("Plan"), 1, "plan", catalog=True), tuple(plan))),),
        workouts, exercises,
        BookPage("program/index.xhtml", ph._("Index"), _index(exercises, dict(sources), ph),
                 "backmatter"),
        words)
    sheet = SheetPages(p.name, p.language, p.program.summary, (athlete,) if athlete else (),
                       tuple(d.model.sheet for d in chosen))
    guides = tuple(GuideScript(d.stem, d.model.script.opening.title, d.model.script)
                   for d in chosen)
    return TextModel(p.id, "program", p.language, p.name,
                     Part(Heading(p.name, 1, "name", field="name"), tuple(plan)),
                     Meta(p.program.summary, ph.pgettext("PDF keyword", "program"),
                          tuple(w.title for w in workouts) + ((p.athlete.name,) if p.athlete
                                                              else ())),
                     ph._("Programs"), book=book, uses=(*workouts, *exercises),
                     schedule=schedule(p, ph, all_days), sheets=sheet, guides=guides)


__all__ = ["BookPage", "BookText", "text"]
