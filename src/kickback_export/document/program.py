"""The ``program`` kind: what a program names (its days' workouts) and how it is put
together with them and with the athlete given to the build (``--athlete``).

Resolving a program also works out every week's targets (:mod:`.targets`), so a rule
that cannot be followed — a list of the wrong length, a band the program does not list,
a percentage without the athlete's training max, a load the athlete cannot make — is a
problem of the program's file, found by ``validate`` and ``build`` alike, before any
output is made.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .athlete import Athlete
from .kinds import Kind, Reference, Target, Unresolved
from .targets import check
from .workout import Program, ResolvedProgram


def _references(p: Program) -> Iterator[Reference]:
    seen: set[str] = set()  # each workout is checked (and reported) once
    for i, week in enumerate(p.weeks):
        for j, day in enumerate(week.days):
            if day.workout and day.workout not in seen:
                seen.add(day.workout)
                yield Reference(f"weeks[{i}].days[{j}].workout", day.workout, "workout")


def _resolve(p: Program, targets: Mapping[str, Target]) -> ResolvedProgram:
    if any(i not in targets for i in p.workout_ids()):
        raise Unresolved([])
    athlete = next((t.document for t in targets.values() if isinstance(t.document, Athlete)),
                   None)
    resolved = ResolvedProgram(p, {i: targets[i].document for i in p.workout_ids()}, athlete)
    problems = check(resolved)
    if problems:
        raise Unresolved(problems)
    return resolved


PROGRAM = Kind("program", Program, "kickback_export.content.program_text:text",
               "weeks of training days, each day a workout, with week-by-week targets",
               uses=("workout", "athlete"), references=_references, resolve=_resolve)

__all__ = ["PROGRAM"]
