"""A program's training days as each week does them: the workout with that week's
targets (:func:`~kickback_export.document.targets.week_workout`), as the text model of a
workout — so a day's sheet page, its guide and its watch file are made exactly as a
workout's are — with what a program adds: the page's title ("Week 3, Monday: Thrust
day") and the week's notes, each set's target on its row (load, reps, reps in reserve)
beside the cells to log what was done, and a guide that opens with the week and the
targets ("Week 3, Monday." "Barbell Hip Thrust: 3 sets of 8 reps at 70 kilograms, 1
rep in reserve.").
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass

from ..document.plan import Plan
from ..document.targets import Progression, Target, week_workout
from ..document.workout import ResolvedProgram
from . import workout_text
from .phrases import Phrases
from .script import Opening, Session
from .targets_text import load_spoken, load_text, spoken_target, work
from .text import Context, TextModel
from .workout_list import Row, WorkoutText

DASH = "–"
"""A target cell with no value (no load, no reps in reserve)."""


@dataclass(frozen=True)
class Day:
    """A training day of a week: its place, label ("Monday", "Day 2"), the stem of its
    files and its workout's text model with the week's targets."""

    week: int
    day: int
    label: str
    stem: str
    model: TextModel


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40].strip("-")


def stems(p: ResolvedProgram) -> dict[tuple[int, int], str]:
    """Each training day's file stem: ``<program>-w3-monday`` (the day's name, else
    ``d2``; weeks padded when a program has ten or more, so the names sort)."""
    width = len(str(len(p.program.weeks)))
    out = {}
    for n, week in enumerate(p.program.weeks, 1):
        names = [_slug(d.name or "") for d in week.days]
        for k, (day, name) in enumerate(zip(week.days, names, strict=True), 1):
            if day.workout:
                own = name if name and names.count(name) == 1 else f"d{k}"
                out[(n, k)] = f"{p.program.id}-w{n:0{width}d}-{own}"
    return out


def _rows(t: WorkoutText, plan: Plan, prog: Progression, week: int,
          ph: Phrases) -> WorkoutText:
    """Each block entry's row with its sets' target: load, reps (or time), reps in reserve."""
    groups = []
    for group in t.groups:
        if group.kind in ("warm-up", "cool-down"):
            groups.append(group)
            continue
        rows: list[Row] = []
        for row in group.rows:
            rx = plan.entries[row.key].prescription
            target = prog.target(week, row.exercise) or Target()
            rir = ph.number(target.rir) if target.rir is not None else DASH
            load = (load_text(target.load, prog.units, ph) if target.load is not None
                    else row.load)  # as worded, its number kept with its unit
            rows.append(dataclasses.replace(row, load=load,
                                            targets=(load or DASH, work(rx, ph), rir)))
        groups.append(dataclasses.replace(group, rows=tuple(rows)))
    return dataclasses.replace(t, groups=tuple(groups), log=(
        ph.pgettext("workout sheet", "Target"), ph.pgettext("workout sheet", "Done")))


def _opening(p: ResolvedProgram, plan: Plan, week: int, label: str, stem: str,
             ph: Phrases) -> Opening:
    prog = p.progression
    said = [ph._("Week {n}, {day}.", n=ph.number(week), day=label)]
    if week in prog.deload:
        said.append(ph._("Deload week: fewer sets."))
    spoken: dict[str, str] = {}
    seen: set[str] = set()
    for block in plan.blocks:
        for entry in block.entries:
            ex = entry.exercise
            target = prog.target(week, ex.id) if ex and block.kind not in (
                "warm-up", "cool-down") else None
            if ex is None or target is None or ex.id in seen:
                continue
            seen.add(ex.id)
            said.append(spoken_target(entry.name, entry.prescription, target, prog.units, ph))
            if target.load is not None:  # as the prescription holds it: spaces folded
                printed = " ".join(load_text(target.load, prog.units, ph).split())
                spoken[printed] = load_spoken(target.load, prog.units, ph)
    title = ph._("{program}, week {n}, {day}", program=p.name, n=ph.number(week), day=label)
    return Opening(tuple(said), spoken, stem, title)


def days(p: ResolvedProgram, ph: Phrases, context: Context) -> list[Day]:
    """Every training day of every week, in order."""
    prog = p.progression
    names = stems(p)
    out = []
    for n, week in enumerate(p.program.weeks, 1):
        notes = ((ph._("Deload week: fewer sets."),) if n in prog.deload else ()) + tuple(
            week.notes)
        for k, day in enumerate(week.days, 1):
            if not day.workout:
                continue
            resolved = week_workout(p.workouts[day.workout], n, prog,
                                    lambda load: load_text(load, prog.units, ph))
            model = workout_text.text(resolved, context)
            label = day.name or ph._("Day {n}", n=ph.number(k))
            sheet = _rows(model.sheet, resolved.plan, prog, n, ph)
            sheet = dataclasses.replace(
                sheet, name=ph._("Week {n}, {day}: {workout}", n=ph.number(n), day=label,
                                 workout=resolved.name),
                notes=(*notes, *sheet.notes))
            session = Session(resolved.plan, {g.key: g.title for g in model.sheet.groups},
                              _opening(p, resolved.plan, n, label, names[(n, k)], ph))
            out.append(Day(n, k, label, names[(n, k)],
                           dataclasses.replace(model, sheet=sheet, script=session)))
    return out


__all__ = ["Day", "days", "stems"]
