"""The FIT workout files of a text model, for a Garmin (or other FIT-reading) watch.

:mod:`.steps` turns a session's plan into FIT workout steps, :mod:`.categories` says
which exercise of FIT's profile a step is, :mod:`.fit` writes the file with
``fit_tool``. Here: the files — one for a session's plan, one per
training day of a schedule, named so they sort (``<program>-w1-d1-<workout>.fit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .steps import MAX_STEPS, NAME_BYTES, fit_text

if TYPE_CHECKING:
    from ...content.text import TextModel


@dataclass(frozen=True, slots=True)
class File:
    name: str
    data: bytes


def workout_file(text: TextModel, name: str, file: str, limit: int = MAX_STEPS) -> bytes:
    """The FIT file of ``text``'s plan, called ``name`` on the watch."""
    from ...content.phrases import phrases
    from .fit import encode
    from .steps import workout_steps

    return encode(name, workout_steps(text.plan, phrases(text.language), limit), file)


def program_name(workout: str, week: int, day: int, language: str) -> str:
    """A training day's workout as a watch lists it: "Glute day W2D1", the workout's name
    cut so that the week and day always show."""
    from ...content.phrases import phrases

    ph = phrases(language)
    values = {"week": ph.number(week), "day": ph.number(day)}
    # TRANSLATORS: a workout's name on a watch (15 bytes at most): week 2, day 1
    suffix = ph.pgettext("watch workout", "{name} W{week}D{day}", name="", **values)
    room = NAME_BYTES - len(suffix.encode("utf-8"))
    return ph.pgettext("watch workout", "{name} W{week}D{day}",
                       name=fit_text(workout, max(room, 1)), **values)


def files(text: TextModel, limit: int = MAX_STEPS) -> list[File]:
    """Every FIT file of ``text``: ``<slug>.fit`` for a plan, else one per training day of
    its schedule, each day's workout taken from the text models it uses."""
    if text.plan is not None:
        file = f"{text.slug}.fit"
        return [File(file, workout_file(text, text.title, file, limit))]
    schedule = text.schedule
    if schedule is None:
        return []
    used: dict[str, TextModel] = {}
    for model in text.uses:  # a program's workouts come before its exercises
        if model.plan is not None:
            used.setdefault(model.id, model)
    weeks = max((d.week for d in schedule.days), default=1)
    width = len(str(weeks))
    out = []
    for day in schedule.days:
        if day.workout is None or day.workout not in used:
            continue
        workout = day.session or used[day.workout]  # as the week does it, with its targets
        file = f"{text.slug}-w{day.week:0{width}d}-d{day.day}-{workout.slug}.fit"
        name = program_name(workout.title, day.week, day.day, text.language)
        out.append(File(file, workout_file(workout, name, file, limit)))
    return out


__all__ = ["File", "files", "program_name", "workout_file"]
