"""Every week's targets of a program, worked out once from its rules (docs/programs.md).

A rule (:mod:`.progression`) gives an exercise's sets, reps, load and reps in reserve by
week; what it leaves out keeps the workout entry's own values, and a deload week cuts
the sets of every block (a circuit's rounds) to 60 %, at least one, unless the rule gives
them. Loads are rounded once, here, to the program's step or to what the athlete can
load, so every output prints the same number. :func:`week_workout` is a workout as it is
done in one week (its entries' overrides set from the targets), from which the sheet,
the guide and the watch file are made as for any workout.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from .athlete import loadable
from .progression import (
    DEFAULT_ROUNDING,
    DoubleProgression,
    Rule,
    deloaded,
    double_step,
    in_units,
    nearest,
    round_to,
    week_value,
)
from .workout import Circuit, CircuitEntry, Entry, ResolvedWorkout, Superset, Workout

if TYPE_CHECKING:
    from .workout import ResolvedProgram

Problem = tuple[str, str]
"""A field of the program and what is wrong with it."""


@dataclass(frozen=True, slots=True)
class Load:
    """A week's load: a mass in the program's units (rounded), a percentage of the training
    max (with no athlete, only that), or a band."""

    mass: Decimal | None = None
    percent: Decimal | None = None
    band: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """One exercise's target in one week; None: the workout entry's own value."""

    sets: int | None = None
    reps: int | None = None
    load: Load | None = None
    rir: int | None = None


@dataclass(frozen=True)
class Progression:
    """Every week's targets, by ``(week, exercise id)``, and what the words about them need:
    the units, the rounding step, the deload weeks, the rules, each load step and training
    max in the program's units, the athlete's name and which exercises round to the
    athlete's equipment (``fitted``)."""

    units: str
    rounding: Decimal
    weeks: int
    deload: frozenset[int] = frozenset()
    bands: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    targets: Mapping[tuple[int, str], Target] = field(default_factory=dict)
    steps: Mapping[str, Decimal] = field(default_factory=dict)
    maxes: Mapping[str, Decimal] = field(default_factory=dict)
    athlete: str = ""
    fitted: frozenset[str] = frozenset()

    def target(self, week: int, exercise: str) -> Target | None:
        return self.targets.get((week, exercise))

    def rule(self, exercise: str) -> Rule | None:
        return next((r for r in self.rules if r.exercise == exercise), None)


def block_entries(w: Workout) -> Iterator[tuple[Entry | CircuitEntry, Circuit | None]]:
    """Every entry of the workout's blocks (not its warm-up or cool-down), with its circuit."""
    for block in w.blocks:
        if isinstance(block, Superset):
            yield from ((m, None) for m in block.superset)
        elif isinstance(block, Circuit):
            yield from ((s, block) for s in block.circuit)
        else:
            yield block, None


class _Work:
    """Works the targets out, collecting a problem per field that stops it."""

    def __init__(self, p: ResolvedProgram) -> None:
        prog = p.program
        self.p, self.athlete = p, p.athlete
        self.units = prog.units
        self.rounding = (Decimal(str(prog.rounding)) if prog.rounding is not None
                         else DEFAULT_ROUNDING[prog.units])
        self.weeks = len(prog.weeks)
        self.problems: list[Problem] = []
        self.targets: dict[tuple[int, str], Target] = {}
        self.steps: dict[str, Decimal] = {}
        self.maxes: dict[str, Decimal] = {}
        self.fitted: set[str] = set()

    def run(self) -> Progression:
        for i, week in enumerate(self.p.program.deload):
            if week > self.weeks:
                self.problems.append((f"deload[{i}]", f"week {week} is not in this "
                                      f"{self.weeks}-week program"))
        used: dict[str, list[tuple[str, Circuit | None]]] = {}
        for wid in self.p.program.workout_ids():
            for entry, circuit in block_entries(self.p.workouts[wid].workout):
                used.setdefault(entry.exercise, []).append((wid, circuit))
        seen: dict[str, int] = {}
        for i, rule in enumerate(self.p.program.progression):
            at = f"progression[{i}]"
            if rule.exercise not in used:
                guess = difflib.get_close_matches(rule.exercise, list(used), n=1, cutoff=0.6)
                hint = f" — did you mean '{guess[0]}'?" if guess else ""
                self.problems.append((f"{at}.exercise", f"'{rule.exercise}' is in no block "
                                      f"of this program's workouts{hint}"))
            elif rule.exercise in seen:
                self.problems.append((f"{at}.exercise", f"progression[{seen[rule.exercise]}] "
                                      f"is already the rule of '{rule.exercise}'"))
            else:
                seen[rule.exercise] = i
                before = len(self.problems)
                self.check(rule, at, used[rule.exercise])
                if len(self.problems) == before:
                    self.rule(rule, at)
        prog = self.p.program
        return Progression(self.units, self.rounding, self.weeks,
                           frozenset(w for w in prog.deload if w <= self.weeks),
                           tuple(prog.bands), tuple(prog.progression), self.targets,
                           self.steps, self.maxes, self.athlete.name if self.athlete else "",
                           frozenset(self.fitted))

    def check(self, rule: Rule, at: str, uses: list[tuple[str, Circuit | None]]) -> None:
        for name in ("percent", "band", "reps", "sets", "rir"):
            value = getattr(rule, name)
            if isinstance(value, list) and len(value) not in (1, self.weeks):
                self.problems.append((f"{at}.{name}", f"{len(value)} values for "
                                      f"{self.weeks} weeks; give one value per week, or one"))
        bands = self.p.program.bands
        if rule.band is not None and not bands:
            self.problems.append((f"{at}.band", "the program lists no bands: name them, "
                                  "lightest first, in 'bands'"))
        elif rule.band is not None:
            values = rule.band if isinstance(rule.band, list) else [rule.band]
            for k, band in enumerate(values):
                if band not in bands:
                    where = f"{at}.band[{k}]" if isinstance(rule.band, list) else f"{at}.band"
                    self.problems.append((where, f"'{band}' is not one of the program's bands "
                                          f"({', '.join(bands)})"))
        circuit = next((wid for wid, c in uses if c is not None), None)
        if rule.sets is not None and circuit:
            self.problems.append((f"{at}.sets", f"'{rule.exercise}' is a station of a circuit "
                                  f"in '{circuit}', whose rounds are its sets"))
        if rule.percent is not None and self.athlete is not None and (
                rule.exercise not in self.athlete.training_max):
            self.problems.append((f"{at}.percent", f"needs a training max for "
                                  f"'{rule.exercise}': athlete '{self.athlete.id}' has none "
                                  "(add it under training_max)"))

    def rule(self, rule: Rule, at: str) -> None:
        ex = rule.exercise
        if rule.load is not None:
            self.steps[ex] = _exact(in_units(rule.load.step, self.units), rule.load.step,
                                    self.units, self.units)
        if rule.percent is not None and self.athlete is not None:
            tm = self.athlete.training_max[ex]
            self.maxes[ex] = _exact(in_units(tm, self.units, self.athlete.units), tm,
                                    self.athlete.units, self.units)
        for week in range(1, self.weeks + 1):
            reps: int | None
            if isinstance(rule.reps, DoubleProgression):
                reps, cycle = double_step(rule.reps, week)
            else:
                reps, cycle = _int(week_value(rule.reps, week)), week - 1
            load = self.load(rule, at, week, cycle)
            if load is False:
                return
            self.targets[(week, ex)] = Target(
                _int(week_value(rule.sets, week)), reps,
                load if isinstance(load, Load) else None, _int(week_value(rule.rir, week)))

    def load(self, rule: Rule, at: str, week: int, cycle: int) -> Load | bool | None:
        """The week's load (None: the entry's; False: a problem, reported)."""
        if rule.band is not None:
            return Load(band=self.band(rule, week, cycle))
        if rule.load is not None:
            raw = in_units(rule.load.start, self.units) + cycle * in_units(
                rule.load.step, self.units)
            return self.rounded(rule, f"{at}.load", week, raw, None)
        if rule.percent is not None:
            percent = Decimal(str(week_value(rule.percent, week)))
            if self.athlete is None:
                return Load(percent=percent)
            raw = self.maxes[rule.exercise] * percent / 100
            return self.rounded(rule, f"{at}.percent", week, raw, percent)
        return None

    def rounded(self, rule: Rule, where: str, week: int, raw: Decimal,
                percent: Decimal | None) -> Load | bool:
        athlete = self.athlete
        choices = loadable(athlete, rule.implement, self.units) if athlete else None
        unit = f"{_plain(raw)} {self.units}"
        if athlete and choices and raw > choices[-1]:
            self.problems.append((where, f"week {week}: {unit} is more than athlete "
                                  f"'{athlete.id}' can load with the {rule.implement} "
                                  f"(at most {_plain(choices[-1])} {self.units})"))
            return False
        if choices:
            self.fitted.add(rule.exercise)
        value = nearest(raw, choices) if choices else round_to(raw, self.rounding)
        if value <= 0:
            said = f"the load would be {unit}" if raw <= 0 else (
                f"{unit} rounds to 0 {self.units}")
            self.problems.append((where, f"week {week}: {said}"))
            return False
        return Load(value, percent)

    def band(self, rule: Rule, week: int, cycle: int) -> str:
        bands = list(self.p.program.bands)
        value = str(week_value(rule.band, week))
        if isinstance(rule.reps, DoubleProgression) and not isinstance(rule.band, list):
            value = bands[min(bands.index(value) + cycle, len(bands) - 1)]
        owned = [b for b in bands if self.athlete and b in self.athlete.equipment.bands]
        if not owned:
            return value
        self.fitted.add(rule.exercise)
        place = bands.index(value)
        return min(owned, key=lambda b: (abs(bands.index(b) - place), -bands.index(b)))


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _plain(value: Decimal) -> str:
    """A number for a problem's line (no exponent, no trailing zeros)."""
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text or "0"


def _exact(value: Decimal, written: float | str, own: str, units: str) -> Decimal:
    """A written load (a training max, a step) as printed: exact in its own units, to 0.1
    once converted."""
    converted = own != units or (isinstance(written, str) and not written.rstrip().endswith(
        units))
    return value.quantize(Decimal("0.1")) if converted else value


def check(p: ResolvedProgram) -> list[Problem]:
    """Every problem of the program's progression (for the athlete it is resolved with), and
    of the workouts as each week does them; none: every output can be made."""
    work = _Work(p)
    progression = work.run()
    problems = list(work.problems)
    if problems:
        return problems
    rules = {r.exercise: i for i, r in enumerate(progression.rules)}
    for week in range(1, progression.weeks + 1):
        for wid in p.program.workout_ids():
            try:
                week_workout(p.workouts[wid], week, progression).plan  # noqa: B018
            except _EntryError as exc:
                at = f"progression[{rules[exc.exercise]}]" if exc.exercise in rules else (
                    "deload")
                return [(at, f"week {week}, workout '{wid}': {exc}")]
            except ValueError as exc:
                return [("progression", f"week {week}, workout '{wid}': {exc}")]
    return []


def progression(p: ResolvedProgram) -> Progression:
    """Every week's targets of the resolved program (a ValueError for the first problem:
    resolving a program reports them all first)."""
    work = _Work(p)
    out = work.run()
    if work.problems:
        where, reason = work.problems[0]
        raise ValueError(f"{where}: {reason}")
    return out


class _EntryError(ValueError):
    def __init__(self, exercise: str, reason: str) -> None:
        super().__init__(reason)
        self.exercise = exercise


def week_workout(w: ResolvedWorkout, week: int, progression: Progression,
                 load_words: Callable[[Load], str] | None = None) -> ResolvedWorkout:
    """The workout as it is done in ``week``: each block entry's sets, reps and load (worded
    by ``load_words``; left out, the entry's) set from its target, a deload week's sets cut;
    its warm-up and cool-down as written."""
    from .workout import effective_prescription

    deload = week in progression.deload

    def entry(item: Entry | CircuitEntry, rounds: int | None = None) -> Entry | CircuitEntry:
        target = progression.target(week, item.exercise) or Target()
        update: dict[str, object] = {}
        if target.reps is not None:
            update.update(reps=target.reps, time=None)
        if target.load is not None and load_words is not None:
            update["load"] = load_words(target.load)
        if isinstance(item, Entry):
            if target.sets is not None:
                update["sets"] = target.sets
            elif deload:
                own = w.exercises[item.exercise].prescription
                update["sets"] = deloaded(item.sets or (own.sets if own else 1))
        changed = item.model_copy(update=update)
        try:
            effective_prescription(w.exercises[item.exercise], changed, rounds)
        except ValueError as exc:
            raise _EntryError(item.exercise, str(exc)) from None
        return changed

    blocks: list[object] = []
    for block in w.workout.blocks:
        if isinstance(block, Superset):
            blocks.append(block.model_copy(update={"superset": [
                entry(m) for m in block.superset]}))
        elif isinstance(block, Circuit):
            rounds = deloaded(block.rounds) if deload else block.rounds
            blocks.append(block.model_copy(update={"rounds": rounds, "circuit": [
                entry(s, rounds) for s in block.circuit]}))
        else:
            blocks.append(entry(block))
    return ResolvedWorkout(w.workout.model_copy(update={"blocks": blocks}), w.exercises)


__all__ = ["Load", "Progression", "Target", "block_entries", "check", "progression",
           "week_workout"]
