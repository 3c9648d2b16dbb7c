"""When a program's training days fall, from the date its first week starts.

Week ``n`` is the seven days from ``start + (n - 1) × 7``. A day whose name is a weekday
in the document's language — any of CLDR's names for it, wide or abbreviated
("Monday", "Mon"; "Montag", "Mo"; "lundi", "lun."; "lunes", "lun"), case ignored —
falls on that weekday within its week; any other day (unnamed, "Day 2", "Leg day") falls
on ``start + (n - 1) × 7 + (day - 1)``, day being its place in the week. With the
default start, a Monday, week ``n`` is the ``n``-th calendar week from it and a
"Wednesday" falls on its Wednesday; a start on another weekday keeps every day on or
after it (a "Monday" of the first week falls on the Monday after the start).
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Any


def next_monday(today: date | None = None) -> date:
    """The first Monday after ``today`` (a week on, when today is a Monday)."""
    today = today or date.today()
    return today + timedelta(days=7 - today.weekday())


def start_date(value: Any) -> date:
    """``--start-date`` as a date; a ValueError with the reason (one line) otherwise."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a date like 2025-03-03 (year-month-day)") from None


def _fold(name: str) -> str:
    return name.casefold().strip().rstrip(".")


@functools.cache
def weekdays(locale: Any) -> dict[str, int]:
    """Every CLDR name of a weekday in ``locale`` (a Babel locale), folded → its number
    (0 Monday … 6 Sunday)."""
    out: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.days[context][width].items():
                out.setdefault(_fold(name), int(number))
    return out


def day_date(start: date, week: int, day: int, name: str | None, locale: Any) -> date:
    """The date of the ``day``-th day (from 1) of week ``week`` (from 1), called ``name``
    in the document (see the module docstring)."""
    first = start + timedelta(weeks=week - 1)
    weekday = weekdays(locale).get(_fold(name)) if name else None
    if weekday is None:
        return first + timedelta(days=day - 1)
    return first + timedelta(days=(weekday - start.weekday()) % 7)


__all__ = ["day_date", "next_monday", "start_date", "weekdays"]
