"""A workout's text model: its page, its sheet, its guided session (the ``workout``
kind's text builder).

Every wording comes from :func:`~.workout_list.workout_text` — the blocks' titles, the
doses, the rests — so the page (web, e-book, large print, braille), the sheet and the
audio guide's chapters never word a block differently. The page lists each block under
its title, each entry with its label (A1, A2 …), the exercise's name (linked to that
exercise's page where the output has one) and its dose, tempo, rest and load.
"""

from __future__ import annotations

from ..document.workout import ResolvedWorkout
from .phrases import cap, phrases
from .script import Session
from .text import Block, Context, Heading, Item, Items, Meta, Para, Part, Ref, TextModel
from .workout_list import Group, WorkoutText, workout_text


def _block(group: Group, t: WorkoutText, context: Context) -> Part:
    ph = phrases(t.language)
    entries = []
    for row in group.rows:
        ref = Ref(row.exercise, "exercise", context.available(row.exercise)) if (
            row.exercise) else None
        dose = Items(tuple(Item(line, catalog=True) for line in row.details(ph)), role="dose")
        entries.append(Item(id=f"entry-{row.key}".lower(), label=row.label, title=row.name,
                            ref=ref, sub=dose, field=f"exercise {row.key}: name"))
    blocks: list[Block] = [Para(cap(group.rest), catalog=True)] if group.rest else []
    blocks.append(Items(tuple(entries), role="workout-block"))
    return Part(Heading(group.title, 2, f"block-{group.key}".lower(), catalog=True),
                tuple(blocks))


def page(t: WorkoutText, context: Context) -> Part:
    """The workout as its page shows it (see the module docstring)."""
    head: list[Block] = [Para(t.summary, role="summary", field="summary")]
    head += [Para(note, field=f"notes[{i}]") for i, note in enumerate(t.notes)]
    head.append(Para(t.length, role="length", catalog=True))
    return Part(Heading(t.name, 1, "name", field="name"),
                (*head, *(_block(g, t, context) for g in t.groups)))


def text(workout: ResolvedWorkout, context: Context | None = None) -> TextModel:
    """The workout's text model (see :mod:`.text`)."""
    context = context or Context()
    t = workout_text(workout)
    ph = phrases(t.language)
    w = workout.workout
    uses = tuple(context.text(workout.exercises[i]) for i in w.exercise_ids())
    return TextModel(
        w.id, "workout", w.language, w.name, page(t, context),
        Meta(w.summary, ph.pgettext("PDF keyword", "workout"), tuple(u.title for u in uses)),
        ph._("Workouts"), sheet=t,
        script=Session(workout.plan, {g.key: g.title for g in t.groups}), uses=uses,
        plan=workout.plan)


__all__ = ["page", "text"]
