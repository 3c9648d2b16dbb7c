"""The web page of a workout: the sheet's content as headings and lists, no log grid.

An ``<article>`` labelled by the workout's name: its summary, notes and length, then
one ``<section>`` per block (heading "Block B: superset of 3 rounds", the rest between
rounds) listing its entries, each with its label (A1, A2 …), the exercise's name linked
to that exercise's page beside it (named without a link when the output has no page
for it), and its dose, tempo, rest and load. Words are
:mod:`.workout_list`'s; elements are built as :mod:`.xhtml` builds an exercise's page,
so the same escaping, language marking and serialisation apply.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ...content.phrases import cap, phrases
from ...content.workout_list import WorkoutText, workout_text
from ...document.workout import ResolvedWorkout
from .xhtml import Builder, words_in_english


def _english(workout: ResolvedWorkout) -> dict[str, str]:
    """What each added wording would say in English, by key (for :class:`Builder`)."""
    if not words_in_english(workout.language):
        return {}
    en = workout_text(ResolvedWorkout(workout.workout.model_copy(update={"language": "en"}),
                                      workout.exercises))
    out = {"length": en.length}
    for g in en.groups:
        out[g.key] = g.title
        out[f"{g.key}-rest"] = cap(g.rest)
        for r in g.rows:
            out.update({f"{r.key}-{i}": line for i, line in enumerate(r.details(phrases("en")))})
    return out


def article(workout: ResolvedWorkout, *, xml: bool = False) -> ET.Element:
    """The workout as one ``<article>`` (see the module docstring)."""
    t: WorkoutText = workout_text(workout)
    ph = phrases(t.language)
    b = Builder(f"workout '{workout.slug}'", t.language, _english(workout), xml)
    art = ET.Element("article", {"aria-labelledby": "name"})
    b.el(art, "h1", t.name, id="name")
    b.el(art, "p", t.summary, class_="summary")
    for note in t.notes:
        b.el(art, "p", note)
    b.label(art, "p", t.length, "length", class_="length")
    for group in t.groups:
        hid = f"block-{group.key}".lower()
        section = b.el(art, "section", aria_labelledby=hid)
        b.label(section, "h2", group.title, group.key, id=hid)
        if group.rest:
            b.label(section, "p", cap(group.rest), f"{group.key}-rest")
        entries = b.el(section, "ul", class_="workout-block")
        for row in group.rows:
            li = b.el(entries, "li", id=f"entry-{row.key}".lower())
            if row.label:
                b.el(li, "span", row.label, class_="label").tail = " "
            exercise = workout.exercises.get(row.exercise)
            if exercise is not None and workout.has_outputs(row.exercise):
                b.el(li, "a", row.name, href=f"../{exercise.slug}/{exercise.slug}.html")
            else:
                b.el(li, "span", row.name)
            dose = b.el(li, "ul", class_="dose")
            for i, line in enumerate(row.details(ph)):
                b.label(dose, "li", line, f"{row.key}-{i}")
    return art


__all__ = ["article"]
