"""A program's schedule in a calendar: an iCalendar file (RFC 5545) written with ``icalendar``.

One event per training day (a rest day has none): on the date :mod:`.dates` gives it,
at the start time, lasting the workout's planned length; its title is the workout's
name and week ("Glute day — week 2"), its description the day's exercises with their
doses as that week does them (the workout sheet's words,
:mod:`kickback_export.content.workout_list`), the day's note and the week's notes, all
in the document's language (``LANGUAGE`` says which), worded by
:mod:`kickback_export.content.calendar_text`. Event UIDs depend on the
program's id, the week and the day only, so importing an updated program (or the same
one from another start date) updates its events in a calendar that matches UIDs instead
of adding copies. The file's bytes depend only on the program and the options:
``DTSTAMP`` is fixed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from .dates import day_date

if TYPE_CHECKING:
    from ...content.text import TextModel

STAMP = datetime(2000, 1, 1, tzinfo=UTC)
"""``DTSTAMP`` of every event (fixed: the file changes only with the program)."""
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pypi.org/project/kickback-export/calendar")
PRODID = "-//kickback-export//program schedule//EN"
MEDIA_TYPE = "text/calendar"


def uid(program: str, week: int, day: int) -> str:
    """The event's UID: stable across builds, start dates and edits of the day."""
    return str(uuid.uuid5(NAMESPACE, f"{program}/week-{week}/day-{day}"))


def calendar(text: TextModel, start: date, at: time) -> bytes:
    """The iCalendar file of ``text``'s schedule, its first week starting on ``start``,
    each training day at ``at`` (floating local time: wherever the person is)."""
    from icalendar import Calendar, Event

    from ...content.calendar_text import event_description, event_title
    from ...content.phrases import phrases

    ph = phrases(text.language)
    schedule = text.schedule
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", text.title, parameters={"LANGUAGE": text.language})
    cal.add("x-wr-calname", text.title)
    used: dict[str, Any] = {}
    for model in text.uses:  # a program's workouts come before its exercises
        if model.plan is not None:
            used.setdefault(model.id, model)
    for day in schedule.days if schedule is not None else ():
        if day.workout is None or day.workout not in used:
            continue
        workout = day.session or used[day.workout]  # as the week does it, with its targets
        notes = schedule.notes[day.week - 1] if schedule and day.week <= len(
            schedule.notes) else ()
        when = datetime.combine(day_date(start, day.week, day.day, day.name, ph.locale), at)
        event = Event()
        event.add("uid", uid(text.id, day.week, day.day))
        event.add("dtstamp", STAMP)
        event.add("dtstart", when)
        event.add("duration", timedelta(minutes=workout.plan.minutes))
        event.add("summary", event_title(workout, day, ph),
                  parameters={"LANGUAGE": text.language})
        event.add("description", event_description(workout, day, notes, ph),
                  parameters={"LANGUAGE": text.language})
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


__all__ = ["MEDIA_TYPE", "STAMP", "calendar", "uid"]
