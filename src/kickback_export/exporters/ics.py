"""iCalendar: a program's schedule for a calendar app.

A text model with a ``schedule`` (a program) becomes ``<slug>.ics``: one event per
training day, titled with the workout's name and week, described with the day's
exercises and doses and the week's notes, lasting the workout's planned length
(:mod:`kickback_export.engines.calendar.ics`; the dates' rule is in ``.dates``). Import
it into a calendar (docs/watch-and-calendar.md); events keep their UIDs, so an updated
program updates them. The engine is imported by :meth:`IcsExporter.export`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..content.text import TextModel

MEDIA_TYPE = "text/calendar"


def _check_date(value: Any) -> None:
    from ..engines.calendar.dates import start_date

    start_date(value)


def _check_time(value: Any) -> None:
    from datetime import time

    try:
        time.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a time of day like 18:00") from None


def _next_monday() -> str:
    """The default start, as ``engines.calendar.dates.next_monday`` gives it (worked out
    here: listing the formats loads no engine)."""
    from datetime import date, timedelta

    today = date.today()
    return (today + timedelta(days=7 - today.weekday())).isoformat()


class IcsExporter:
    """Writes ``<slug>.ics`` for a program (see the module docstring)."""

    name = "ics"
    description = "iCalendar file of a program: one event per training day (RFC 5545)"
    options: Sequence[Option] = (
        Option("start-date", "first day of the program's first week, YYYY-MM-DD (default: "
               "next Monday); days named for a weekday fall on that weekday. Import the .ics "
               "file into a calendar app (Google Calendar: Settings, Import & export)",
               _next_monday(), check=_check_date),
        Option("start-time", "time of day each training day's event starts, HH:MM, in the "
               "calendar's own time zone", "18:00", check=_check_time),
    )

    @staticmethod
    def accepts(text: TextModel) -> bool:
        """A schedule to put in a calendar."""
        return text.schedule is not None

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        from datetime import time

        from .. import fsutil
        from ..engines.calendar.dates import next_monday, start_date
        from ..engines.calendar.ics import calendar

        value = options.get("start_date")
        start = next_monday() if value is None else start_date(value)
        at = time.fromisoformat(str(options.get("start_time", "18:00")).strip())
        path = fsutil.write_bytes(out_dir / f"{text.slug}.ics", calendar(text, start, at))
        return [Output(path, MEDIA_TYPE)]
