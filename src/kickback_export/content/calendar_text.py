"""A program's training day as a calendar event says it: its title and its description.

Worded here, with the rest of what the package says, so the calendar engine only lays
the words out in iCalendar; the entries and doses are the workout sheet's own words
(:mod:`.workout_list`), as the week does them.
"""

from __future__ import annotations

from collections.abc import Sequence

from .phrases import Phrases
from .text import ScheduledDay, TextModel


def event_title(workout: TextModel, day: ScheduledDay, ph: Phrases) -> str:
    """"Glute day — week 2"."""
    return ph._("{workout} — week {n}", workout=workout.title, n=ph.number(day.week))


def event_description(workout: TextModel, day: ScheduledDay, week_notes: Sequence[str],
                      ph: Phrases) -> str:
    """The day in words: length, each block with its entries and doses, the notes."""
    sheet = workout.sheet
    lines = [sheet.length] if sheet is not None else []
    if sheet is not None:
        for group in sheet.groups:
            if group.kind in ("warm-up", "cool-down"):
                lines.append(sheet.framing(group.kind, ph))
                continue
            lines.append(group.line(ph))
            for row in group.rows:
                entry = " ".join(part for part in (row.label, row.name) if part)
                lines.append(ph._("{term}: {value}", term=entry,
                                  value="; ".join(row.details(ph))))
    if day.note:
        lines += ["", ph._("{term}: {value}", term=ph._("Note"), value=day.note)]
    if week_notes:
        lines += ["", ph._("Notes for week {n}", n=ph.number(day.week))]
        lines += [f"– {note}" for note in week_notes]
    own = [n for n in sheet.notes if n not in week_notes] if sheet is not None else []
    if own:  # a program's day holds the week's notes too: said once, above
        lines += ["", *own]
    return "\n".join(lines)
